import { describe, expect, test } from 'vitest';
import { rng, type Rng } from '../../bench/demand-series.js';
import { INTERMITTENT_MODELS } from '../../inventory/forecast/models.js';
import { backtestAndSelect, demandClass, forecastItem, type ForecastOptions } from '../../inventory/forecast/select.js';

/**
 * Selection on clean generated series: each is drawn from one model of the family with small noise,
 * and the rolling-origin backtest must pick that model (or, where a simpler one is exactly as good,
 * the simpler one, which the rule prefers by design).
 */

const weekly: ForecastOptions = { m: 52, horizon: 4, leadPeriods: 3, serviceLevel: 0.95, currentWindow: 13 };
const N = 156;

function series(n: number, f: (t: number, r: Rng) => number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, (_, t) => f(t, r));
}

const seeds = [1, 2, 3, 4, 5];

describe('model selection picks the generating model', () => {
  test('local level (random walk plus noise) → SES', () => {
    for (const seed of seeds) {
      let level = 100;
      const y = series(N, (_, r) => ((level += 4 * r.normal()), level + 2 * r.normal()), seed);
      expect(backtestAndSelect(y, weekly)!.model, `seed ${seed}`).toBe('ses');
    }
  });

  test('a steady trend → Holt (damped)', () => {
    for (const seed of seeds) {
      let level = 100;
      const y = series(N, (_, r) => ((level += 2 + 0.5 * r.normal()), level + 2 * r.normal()), seed);
      expect(backtestAndSelect(y, weekly)!.model, `seed ${seed}`).toBe('holt');
    }
  });

  test('trend plus a constant yearly swing → Holt–Winters additive', () => {
    for (const seed of seeds) {
      const y = series(N, (t, r) => 200 + 1.5 * t + 40 * Math.sin((2 * Math.PI * t) / 52) + 20 * Math.cos((4 * Math.PI * t) / 52) + 2 * r.normal(), seed);
      expect(backtestAndSelect(y, weekly)!.model, `seed ${seed}`).toBe('hw_additive');
    }
  });

  test('trend times a yearly swing that grows with the level → Holt–Winters multiplicative', () => {
    for (const seed of seeds) {
      const y = series(N, (t, r) => (50 + 3 * t) * (1 + 0.5 * Math.sin((2 * Math.PI * t) / 52)) * (1 + 0.01 * r.normal()), seed);
      expect(backtestAndSelect(y, weekly)!.model, `seed ${seed}`).toBe('hw_multiplicative');
    }
  });

  test('the same year repeated exactly → seasonal naive (the simplest model that is not worse)', () => {
    const year = series(52, (_, r) => 50 + 30 * r.uniform(), 7);
    const y = Float64Array.from({ length: N }, (_, t) => year[t % 52]!);
    expect(backtestAndSelect(y, weekly)!.model).toBe('seasonal_naive');
  });

  test('intermittent and lumpy demand get an intermittent model (Croston, SBA or TSB)', () => {
    for (const seed of seeds) {
      const intermittent = series(104, (_, r) => (r.uniform() < 0.2 ? 1 + r.poisson(3) : 0), seed);
      const lumpy = series(104, (_, r) => (r.uniform() < 0.1 ? Math.round(r.gamma(0.5, 40)) + 1 : 0), seed + 100);
      expect(['intermittent', 'lumpy']).toContain(demandClass(intermittent));
      expect(demandClass(lumpy)).toBe('lumpy');
      expect(INTERMITTENT_MODELS).toContain(backtestAndSelect(intermittent, weekly)!.model);
      expect(INTERMITTENT_MODELS).toContain(backtestAndSelect(lumpy, weekly)!.model);
    }
  });

  test('no demand at all: nothing to forecast', () => {
    expect(backtestAndSelect(new Float64Array(104), weekly)).toBeUndefined();
  });
});

describe('forecastItem', () => {
  test('scores against seasonal naive and the current method, intervals around the mean, lead-time quantile above the mean', () => {
    const y = series(104, (t, r) => 100 + 30 * Math.sin((2 * Math.PI * t) / 52) + 5 * r.normal(), 11);
    const f = forecastItem(y, weekly)!;
    expect(f.scores.length).toBeGreaterThan(1);
    expect(f.seasonalNaive.model).toBe('seasonal_naive');
    expect(f.current.model).toBe('current');
    expect(f.next).toHaveLength(4);
    for (const p of f.next) expect(p.lower <= p.mean && p.mean <= p.upper).toBe(true);
    expect(f.leadTime.atServiceLevel).toBeGreaterThan(f.leadTime.mean);
    expect(f.leadTime.safetyStock).toBeCloseTo(f.leadTime.atServiceLevel - f.leadTime.mean, 9);
    expect(f.intervalMethod).toBe('empirical');
    // A strong season: the chosen model beats the flat 13-week average in backtest.
    expect(f.beatsCurrent).toBe(true);
  });
});
