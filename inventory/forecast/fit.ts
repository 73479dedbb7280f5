import {
  CrostonRunner,
  EtsRunner,
  initialEtsState,
  initialTsbState,
  SeasonalNaiveRunner,
  TsbRunner,
  type EtsConfig,
  type EtsParams,
  type ModelName,
  type Runner,
} from './models.js';

/**
 * Parameter estimation: each model's parameters minimise the sum of squared one-step errors over the
 * periods given (what R's ets does with opt.crit = "mse"). ETS smoothing parameters stay inside R's
 * "usual" region (0 < β < α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98) through a logistic map, searched by
 * Nelder–Mead from R's starting values; starting states come from the data (initialEtsState), except
 * SES, whose starting level is estimated with α (a second dimension costs little there). Croston, SBA
 * and TSB take the best of a small grid of smoothing constants (0.05–0.3, the range the intermittent
 * demand literature recommends), which is cheaper and steadier than a search on a flat error surface.
 */

export interface FittedModel {
  model: ModelName;
  /** The parameters, for display and storage (α, β, γ, φ; Croston α; TSB α and β). */
  params: Record<string, number>;
  /** Mean squared one-step error over the periods it was fitted on. */
  mse: number;
  /** A runner in its starting state with the fitted parameters: feed it the series from period 0. */
  start(): Runner;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/** Mean squared one-step error of a fresh runner over y[0..n), skipping the first `skip` periods. */
export function oneStepMse(runner: Runner, y: ArrayLike<number>, n: number, skip = 0): number {
  let sse = 0;
  let count = 0;
  for (let t = 0; t < n; t++) {
    const mu = runner.update(y[t]!);
    if (t < skip || Number.isNaN(mu)) continue;
    const e = y[t]! - mu;
    sse += e * e;
    count++;
  }
  return count > 0 ? sse / count : Number.POSITIVE_INFINITY;
}

/**
 * Nelder–Mead minimisation (standard coefficients: reflection 1, expansion 2, contraction ½,
 * shrink ½), stopping after `maxEvaluations` or when the simplex's values agree to `tolerance`.
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  opts: { step?: number; maxEvaluations?: number; tolerance?: number } = {},
): { x: Float64Array; value: number; evaluations: number } {
  const d = x0.length;
  const step = opts.step ?? 0.5;
  const maxEvaluations = opts.maxEvaluations ?? 200 * d;
  const tolerance = opts.tolerance ?? 1e-10;
  let evaluations = 0;
  const evaluate = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  // Vertices and values kept sorted best first (d + 1 ≤ 6 here, so insertion beats sort()).
  const points: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < d; i++) {
    const p = Float64Array.from(x0);
    p[i] = p[i]! + step;
    points.push(p);
  }
  const values = points.map(evaluate);
  const sortVertices = () => {
    for (let i = 1; i <= d; i++) {
      const p = points[i]!;
      const v = values[i]!;
      let j = i - 1;
      while (j >= 0 && values[j]! > v) {
        points[j + 1] = points[j]!;
        values[j + 1] = values[j]!;
        j--;
      }
      points[j + 1] = p;
      values[j + 1] = v;
    }
  };
  const centroid = new Float64Array(d);
  let reflected: Float64Array = new Float64Array(d);
  let expanded: Float64Array = new Float64Array(d);
  let contracted: Float64Array = new Float64Array(d);
  const toward = (out: Float64Array, from: Float64Array, to: Float64Array, coefficient: number) => {
    for (let j = 0; j < d; j++) out[j] = from[j]! + coefficient * (to[j]! - from[j]!);
  };
  // Accepting a trial point swaps its buffer with the worst vertex's (no allocation per step).
  const accept = (trial: Float64Array, value: number): Float64Array => {
    const old = points[d]!;
    points[d] = trial;
    values[d] = value;
    return old;
  };
  sortVertices();
  while (evaluations < maxEvaluations) {
    if (Math.abs(values[d]! - values[0]!) <= tolerance * (Math.abs(values[0]!) + tolerance)) break;
    centroid.fill(0);
    for (let i = 0; i < d; i++) {
      const p = points[i]!;
      for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + p[j]! / d;
    }
    const worst = points[d]!;
    toward(reflected, centroid, worst, -1);
    const vr = evaluate(reflected);
    if (vr < values[0]!) {
      toward(expanded, centroid, worst, -2);
      const ve = evaluate(expanded);
      if (ve < vr) expanded = accept(expanded, ve);
      else reflected = accept(reflected, vr);
    } else if (vr < values[d - 1]!) {
      reflected = accept(reflected, vr);
    } else {
      const outside = vr < values[d]!;
      toward(contracted, centroid, outside ? reflected : worst, 0.5);
      const vc = evaluate(contracted);
      if (vc < (outside ? vr : values[d]!)) contracted = accept(contracted, vc);
      else {
        for (let i = 1; i <= d; i++) {
          toward(points[i]!, points[0]!, points[i]!, 0.5);
          values[i] = evaluate(points[i]!);
        }
      }
    }
    sortVertices();
  }
  return { x: Float64Array.from(points[0]!), value: values[0]!, evaluations };
}

const ETS_CONFIG: Partial<Record<ModelName, Omit<EtsConfig, 'm'>>> = {
  ses: { trend: false, season: 'none' },
  holt: { trend: true, season: 'none' },
  hw_additive: { trend: true, season: 'additive' },
  hw_multiplicative: { trend: true, season: 'multiplicative' },
};

export const isSeasonal = (model: ModelName): boolean =>
  model === 'seasonal_naive' || model === 'hw_additive' || model === 'hw_multiplicative';

const A_LO = 1e-4;
const A_HI = 0.9999;
const PHI_LO = 0.8;
const PHI_HI = 0.98;

/** Unconstrained search point → (α, β, γ, φ) inside the usual region. */
function etsParamsFrom(x: Float64Array, config: Omit<EtsConfig, 'm'>): EtsParams {
  const alpha = A_LO + (A_HI - A_LO) * sigmoid(x[0]!);
  let i = 1;
  const beta = config.trend ? A_LO + (alpha - A_LO) * sigmoid(x[i++]!) : 0;
  const gamma = config.season !== 'none' ? A_LO + (1 - alpha - A_LO) * sigmoid(x[i++]!) : 0;
  const phi = config.trend ? PHI_LO + (PHI_HI - PHI_LO) * sigmoid(x[i++]!) : 1;
  return { alpha, beta, gamma, phi };
}

function fitEts(model: ModelName, y: ArrayLike<number>, n: number, m: number, maxEvaluations: number): FittedModel | undefined {
  const shape = ETS_CONFIG[model]!;
  const config: EtsConfig = { ...shape, m };
  if (shape.season !== 'none' && n < m + 2) return undefined;
  if (shape.season === 'multiplicative') for (let t = 0; t < n; t++) if (!(y[t]! > 0)) return undefined;
  if (n < 3) return undefined;
  const init = initialEtsState(y, n, config);
  const estimateLevel = model === 'ses';
  // Scale for the SES starting level's search dimension: the series' spread.
  let scale = 0;
  for (let t = 0; t < Math.min(n, 10); t++) scale += Math.abs(y[t]! - init.level);
  scale = Math.max(scale / Math.min(n, 10), 1e-6);
  // R's starting values: α = 0.1 (0.5 without a trend or season, for SES), β = 0.01, γ = 0.01, φ = 0.978.
  const x0: number[] = [logit(model === 'ses' ? 0.5 : 0.1)];
  if (shape.trend) x0.push(logit(0.1));
  if (shape.season !== 'none') x0.push(logit(0.01));
  if (shape.trend) x0.push(logit((0.978 - PHI_LO) / (PHI_HI - PHI_LO)));
  if (estimateLevel) x0.push(0);
  const stateAt = (x: Float64Array) => (estimateLevel ? { ...init, level: init.level + x[x.length - 1]! * scale } : init);
  const runner = new EtsRunner(config, etsParamsFrom(Float64Array.from(x0), shape), init);
  // Its own loop (not oneStepMse): a call site that only ever sees EtsRunner stays monomorphic, and
  // this is where nearly all the fitting time goes.
  const objective = (x: Float64Array) => {
    runner.reset(etsParamsFrom(x, shape), stateAt(x));
    let sse = 0;
    for (let t = 0; t < n; t++) {
      const e = y[t]! - runner.update(y[t]!);
      sse += e * e;
    }
    return sse / n;
  };
  const found = nelderMead(objective, x0, { maxEvaluations, step: 1 });
  const params = etsParamsFrom(found.x, shape);
  const start = stateAt(found.x);
  const shown: Record<string, number> = { alpha: params.alpha };
  if (shape.trend) Object.assign(shown, { beta: params.beta, phi: params.phi });
  if (shape.season !== 'none') shown.gamma = params.gamma;
  if (estimateLevel) shown.level0 = start.level;
  return { model, params: shown, mse: found.value, start: () => new EtsRunner(config, params, start) };
}

const INTERMITTENT_GRID = [0.05, 0.1, 0.2, 0.3];

function fitCroston(model: 'croston' | 'sba', y: ArrayLike<number>, n: number): FittedModel | undefined {
  let best: { alpha: number; mse: number } | undefined;
  for (const alpha of INTERMITTENT_GRID) {
    const mse = oneStepMse(new CrostonRunner(alpha, model), y, n);
    if (!best || mse < best.mse) best = { alpha, mse };
  }
  if (!best || !Number.isFinite(best.mse)) return undefined;
  const alpha = best.alpha;
  return { model, params: { alpha }, mse: best.mse, start: () => new CrostonRunner(alpha, model) };
}

function fitTsb(y: ArrayLike<number>, n: number): FittedModel | undefined {
  const init = initialTsbState(y, n);
  if (init.probability === 0) return undefined;
  let best: { alpha: number; beta: number; mse: number } | undefined;
  for (const alpha of INTERMITTENT_GRID) {
    for (const beta of INTERMITTENT_GRID) {
      const mse = oneStepMse(new TsbRunner(alpha, beta, init), y, n);
      if (!best || mse < best.mse) best = { alpha, beta, mse };
    }
  }
  const { alpha, beta } = best!;
  return { model: 'tsb', params: { alpha, beta }, mse: best!.mse, start: () => new TsbRunner(alpha, beta, init) };
}

/**
 * Fits one model to y[0..n) with season length m. Undefined when the model cannot be fitted to this
 * series (a seasonal model with less than a season of data, a multiplicative season with zeros, an
 * intermittent model without any demand).
 */
export function fitModel(model: ModelName, y: ArrayLike<number>, n: number, m: number, opts: { maxEvaluations?: number } = {}): FittedModel | undefined {
  switch (model) {
    case 'seasonal_naive': {
      if (n < 2) return undefined;
      const mse = oneStepMse(new SeasonalNaiveRunner(m), y, n, Math.min(m, n - 1));
      return { model, params: { m }, mse, start: () => new SeasonalNaiveRunner(m) };
    }
    case 'croston':
    case 'sba':
      return fitCroston(model, y, n);
    case 'tsb':
      return fitTsb(y, n);
    default:
      return fitEts(model, y, n, m, opts.maxEvaluations ?? (model === 'ses' ? 30 : model === 'holt' ? 45 : 60));
  }
}
