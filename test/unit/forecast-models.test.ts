import { describe, expect, test } from 'vitest';
import { fitModel } from '../../inventory/forecast/fit.js';
import { CrostonRunner, EtsRunner, TsbRunner, type EtsConfig, type EtsParams, type Runner } from '../../inventory/forecast/models.js';

/**
 * Each model against published reference values. Sources:
 * - oil (Saudi Arabian oil production 1996–2007, fpp) and ausair (air passengers in Australia
 *   1990–2004, fpp2) with the textbook's SES and Holt examples, as statsmodels' test_holtwinters.py
 *   reproduces them (SES α = 0.2 / 0.6 started at the first value; Holt α = 0.8, β* = 0.2 started at
 *   y₁ and y₂ − y₁; SES estimated: α = 0.891998, ℓ₀ = 447.478440);
 * - livestock2 (fpp) with R's forecast::ets(model = "AAN", damped = TRUE, phi = 0.98): the states,
 *   fitted values and forecasts R printed (same file, test_holt_damp_r);
 * - austourists (fpp2) with R's forecast::ets fits: the final states and parameters R printed and
 *   R's simulate() with the innovations 1.76405235, 0.40015721, 0.97873798, 2.2408932 (same source,
 *   simulate_fit_state_r / simulate_expected_results_r), which exercises the seasonal update
 *   equations, additive and multiplicative, damped and not;
 * - Croston / SBA / TSB: hand-worked from the published recursions (Croston 1972 as R's
 *   forecast::croston starts it; Syntetos & Boylan 2005; Teunter, Syntetos & Babai 2011).
 */

const oil = [446.6565229, 454.4733065, 455.662974, 423.6322388, 456.2713279, 440.5880501, 425.3325201, 485.1494479, 506.0481621, 526.7919833, 514.268889, 494.2110193];
const ausair = [17.5534, 21.8601, 23.8866, 26.9293, 26.8885, 28.8314, 30.0751, 30.9535, 30.1857, 31.5797, 32.577569, 33.477398, 39.021581, 41.386432, 41.596552];
const livestock = [
  263.917747, 268.307222, 260.662556, 266.639419, 277.515778, 283.834045, 290.309028, 292.474198, 300.830694, 309.286657, 318.331081, 329.37239,
  338.883998, 339.244126, 328.600632, 314.255385, 314.459695, 321.413779, 329.789292, 346.385165, 352.297882, 348.370515, 417.562922, 417.12357,
  417.749459, 412.233904, 411.946817, 394.697075, 401.49927, 408.270468, 414.2428,
];

const none = new Float64Array(0);
const ses: EtsConfig = { trend: false, season: 'none', m: 1 };
const holt: EtsConfig = { trend: true, season: 'none', m: 1 };

function feed(runner: Runner, y: number[]): number[] {
  return y.map((v) => runner.update(v));
}
function forecastOf(runner: Runner, h: number): number[] {
  const out = new Float64Array(h);
  runner.forecast(h, out);
  return [...out];
}
function expectClose(actual: number[], expected: number[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

describe('simple exponential smoothing (fpp oil)', () => {
  test('α = 0.2 from the first value: the levels and forecast of the textbook table', () => {
    const runner = new EtsRunner(ses, { alpha: 0.2, beta: 0, gamma: 0, phi: 1 }, { level: oil[0]!, trend: 0, season: none });
    const levels: number[] = [];
    for (const v of oil) {
      runner.update(v);
      levels.push(runner.state().level);
    }
    expectClose(levels, [446.6565229, 448.21987962, 449.7084985, 444.49324656, 446.84886283, 445.59670028, 441.54386424, 450.26498098, 461.4216172, 474.49569042, 482.45033014, 484.80246797], 1e-4);
    expectClose(forecastOf(runner, 1), [484.802468], 1e-4);
  });

  test('α = 0.6 from the first value', () => {
    const runner = new EtsRunner(ses, { alpha: 0.6, beta: 0, gamma: 0, phi: 1 }, { level: oil[0]!, trend: 0, season: none });
    feed(runner, oil);
    expectClose(forecastOf(runner, 1), [501.837461], 1e-4);
  });

  test('estimated α and starting level match the least-squares fit', () => {
    const fit = fitModel('ses', oil, oil.length, 1, { maxEvaluations: 2000 })!;
    expect(fit.params.alpha).toBeCloseTo(0.891998, 3);
    expect(fit.params.level0).toBeCloseTo(447.47844, 1);
    const runner = fit.start();
    feed(runner, oil);
    expectClose(forecastOf(runner, 1), [496.493543], 1e-2);
  });
});

describe("Holt's linear trend (fpp2 ausair)", () => {
  test('α = 0.8, β* = 0.2 (β = 0.16) from y₁ and y₂ − y₁: trends, fitted values and forecasts', () => {
    const runner = new EtsRunner(holt, { alpha: 0.8, beta: 0.16, gamma: 0, phi: 1 }, { level: ausair[0]!, trend: ausair[1]! - ausair[0]!, season: none });
    const trends: number[] = [];
    const fitted: number[] = [];
    for (const v of ausair) {
      fitted.push(runner.update(v));
      trends.push(runner.state().trend);
    }
    expectClose(trends, [3.617628, 3.59006512, 3.33438212, 3.23657639, 2.69263502, 2.46388914, 2.2229097, 1.95959226, 1.47054601, 1.3604894, 1.28045881, 1.20355193, 1.88267152, 2.09564416, 1.83655482], 1e-4);
    expectClose(fitted, [21.8601, 22.032368, 25.48461872, 27.54058587, 30.28813356, 30.26106173, 31.58122149, 32.599234, 33.24223906, 32.26755382, 33.07776017, 33.95806605, 34.77708354, 40.05535303, 43.21586036], 1e-4);
    expectClose(forecastOf(runner, 5), [43.76, 45.59, 47.43, 49.27, 51.1], 0.005);
  });
});

describe('damped trend, R forecast::ets AAdN (fpp livestock2)', () => {
  const params: EtsParams = { alpha: 0.97402626, beta: 0.00010006, gamma: 0, phi: 0.98 };
  const init = { level: 252.59039965, trend: 6.90265918, season: none };

  test("R's states, fitted values and ten forecasts", () => {
    const runner = new EtsRunner(holt, params, init);
    const levels: number[] = [];
    const trends: number[] = [];
    const fitted: number[] = [];
    for (const v of livestock) {
      fitted.push(runner.update(v));
      levels.push(runner.state().level);
      trends.push(runner.state().trend);
    }
    expectClose(levels.slice(0, 5), [263.7992355246843, 268.3623324350207, 261.0312983437606, 266.6590942700923, 277.3958197247272], 1e-6);
    expectClose(levels.slice(-3), [401.4367438266322, 408.1907701386275, 414.1814574903921], 1e-6);
    expectClose(trends.slice(0, 3), [6.765062519124909, 6.629548973536494, 6.495537532917715], 1e-6);
    expectClose(trends.slice(-2), [3.765630194200260, 3.690553892582855], 1e-6);
    expectClose(fitted.slice(0, 4), [259.3550056432622, 270.4289967934267, 274.8592904290865, 267.39692512602], 1e-6);
    expectClose(
      forecastOf(runner, 10),
      [417.7982003051233, 421.3426082635598, 424.8161280628277, 428.2201774661102, 431.556145881327, 434.8253949282395, 438.0292589942138, 441.1690457788685, 444.2460368278302, 447.2614880558126],
      1e-5,
    );
  });
});

describe('Holt–Winters seasonal recursions, R forecast::ets on austourists (fpp2)', () => {
  // R's final state after the fit; s1 is the most recent season, so the next period uses s4.
  type Fit = { alpha: number; beta?: number; gamma: number; phi?: number; l: number; b?: number; s: [number, number, number, number] };
  const innovations = [1.76405235, 0.40015721, 0.97873798, 2.2408932];
  const cases: { name: string; error: 'A' | 'M'; trend: boolean; season: 'additive' | 'multiplicative'; fit: Fit; expected: number[] }[] = [
    {
      name: 'A,Ad,A',
      error: 'A',
      trend: true,
      season: 'additive',
      fit: { alpha: 0.35445427317618, beta: 0.0320074905894167, gamma: 0.399933869627979, phi: 0.979999965983533, l: 62.003405788717, b: 0.706524957599738, s: [3.58786406600866, -0.0747450283892903, -11.7569356589817, 13.3818805055271] },
      expected: [77.84173, 52.69818, 65.83254, 71.85204],
    },
    {
      name: 'A,A,A',
      error: 'A',
      trend: true,
      season: 'additive',
      fit: { alpha: 0.20281951627363, beta: 0.000169786227368617, gamma: 0.464523797585052, l: 62.5598121416791, b: 0.578091734736357, s: [2.61176734723357, -1.24386240029203, -12.9575427049515, 12.2066400808086] },
      expected: [77.1086, 51.51669, 64.46857, 70.36349],
    },
    {
      name: 'A,N,A',
      error: 'A',
      trend: false,
      season: 'additive',
      fit: { alpha: 0.54216694759434, gamma: 0.392030170511872, l: 57.606831186929, s: [8.29613785790501, 4.6033791939889, -7.43956343440823, 17.722316385643] },
      expected: [77.0932, 51.52384, 64.36231, 69.84786],
    },
    {
      name: 'M,Ad,M',
      error: 'M',
      trend: true,
      season: 'multiplicative',
      fit: { alpha: 0.483975835390643, beta: 0.00351728130401287, gamma: 0.00011309784353818, phi: 0.979999998322032, l: 63.0042707536293, b: 0.275035160634846, s: [1.03531670491486, 0.960515682506077, 0.770086097577864, 1.23412213281709] },
      expected: [215.83822, 127.17132, 269.09483, 704.32105],
    },
    {
      name: 'M,A,M',
      error: 'M',
      trend: true,
      season: 'multiplicative',
      fit: { alpha: 0.315621390571192, beta: 0.000100011993615961, gamma: 0.000100051297784532, l: 62.4082004238551, b: 0.513327867101983, s: [1.03713425342421, 0.959607104686072, 0.770172817592091, 1.23309264451638] },
      expected: [214.4575, 106.19605, 211.61304, 492.12223],
    },
    {
      name: 'M,N,M',
      error: 'M',
      trend: false,
      season: 'multiplicative',
      fit: { alpha: 0.608993139624813, gamma: 0.000167258612971303, l: 63.1472153330648, s: [1.0384840572776, 0.961456755855531, 0.768427399477366, 1.23185085956321] },
      expected: [215.00997, 140.93035, 309.92465, 875.07985],
    },
    {
      name: 'M,A,A',
      error: 'M',
      trend: true,
      season: 'additive',
      fit: { alpha: 0.416371920801538, beta: 0.000100008012920072, gamma: 0.352943901103959, l: 62.0497742976079, b: 0.450130087198346, s: [3.50368220490457, -0.0544297321113539, -11.6971093199679, 13.1974985095916] },
      expected: [209.23158, 149.62943, 270.65579, 637.03828],
    },
  ];

  for (const c of cases) {
    test(`${c.name}: R's simulated path from its final state`, () => {
      const { fit } = c;
      const runner = new EtsRunner(
        { trend: c.trend, season: c.season, m: 4 },
        { alpha: fit.alpha, beta: fit.beta ?? 0, gamma: fit.gamma, phi: fit.phi ?? 1 },
        { level: fit.l, trend: fit.b ?? 0, season: Float64Array.from([fit.s[3], fit.s[2], fit.s[1], fit.s[0]]) },
      );
      const path = innovations.map((e) => {
        const mu = forecastOf(runner, 1)[0]!;
        const y = c.error === 'A' ? mu + e : mu * (1 + e);
        expect(runner.update(y)).toBeCloseTo(mu, 10);
        return y;
      });
      expectClose(path, c.expected, 1e-4);
    });
  }
});

describe('intermittent demand', () => {
  // Demand 3 in period 3, 5 in period 5, 2 in period 9 (1-based): sizes 3, 5, 2; intervals 3, 2, 4.
  const y = [0, 0, 3, 0, 5, 0, 0, 0, 2, 0];

  test("Croston (α = 0.1, started at the first size and interval): size 3.08, interval 3.01", () => {
    // size 3 → 3 + 0.1·(5 − 3) = 3.2 → 3.2 + 0.1·(2 − 3.2) = 3.08
    // interval 3 → 3 + 0.1·(2 − 3) = 2.9 → 2.9 + 0.1·(4 − 2.9) = 3.01
    const runner = new CrostonRunner(0.1, 'croston');
    const fitted = feed(runner, y);
    expect(fitted.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(fitted[3]).toBeCloseTo(1, 12); // 3 / 3 until the second demand
    expect(fitted[5]).toBeCloseTo(3.2 / 2.9, 12);
    expectClose(forecastOf(runner, 3), [3.08 / 3.01, 3.08 / 3.01, 3.08 / 3.01], 1e-12);
  });

  test('SBA is Croston × (1 − α/2)', () => {
    const runner = new CrostonRunner(0.1, 'sba');
    feed(runner, y);
    expectClose(forecastOf(runner, 1), [(3.08 / 3.01) * 0.95], 1e-12);
  });

  test('TSB (α = 0.1, β = 0.2, from p = 0.5, z = 4): the probability decays without demand', () => {
    // t1: forecast 0.5·4 = 2, no demand → p = 0.4
    // t2: forecast 1.6, demand 6 → p = 0.4 + 0.2·0.6 = 0.52, z = 4 + 0.1·2 = 4.2
    // t3: forecast 2.184, no demand → p = 0.416; next forecast 0.416·4.2 = 1.7472
    const runner = new TsbRunner(0.1, 0.2, { size: 4, probability: 0.5 });
    expectClose(feed(runner, [0, 6, 0]), [2, 1.6, 2.184], 1e-12);
    expectClose(forecastOf(runner, 2), [1.7472, 1.7472], 1e-12);
  });
});
