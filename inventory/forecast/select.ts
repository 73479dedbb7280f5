import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { fitModel, isSeasonal, type FittedModel } from './fit.js';
import { INTERMITTENT_MODELS, MODEL_ORDER, type ModelName, type Runner } from './models.js';

/**
 * Choosing a model per item and saying how wrong it is likely to be (pure; floats).
 *
 * Backtest: rolling origin. The candidates' parameters are estimated on the periods before the first
 * origin only, then each is run through the series once and, at each of `origins` origins (the last
 * possible one, and every `step` periods before it), forecasts `horizon` periods (lead time + review
 * period), which are scored against what happened. Nothing after an origin is seen by its forecast.
 *
 * Scores: MASE (Hyndman & Koehler 2006): mean absolute error ÷ the in-sample mean absolute error of
 * the one-period naive forecast over the training periods (defined for intermittent series too, where
 * percentage errors are not); bias: Σ(forecast − actual) ÷ Σ actual (positive: over-forecast).
 *
 * Choice: the lowest MASE wins, unless a simpler model (models.ts MODEL_ORDER) is within `tolerance`
 * (2 %; 10 % when the winner is Holt–Winters and the simpler model has no season, `seasonalMargin`)
 * of it and not more biased by more than `biasTolerance`: then the simplest such model is taken.
 * Intermittent series (mean interval between demands above 1.32 periods, Syntetos–Boylan) choose
 * among Croston, SBA and TSB; the others among seasonal naive, SES, damped Holt and Holt–Winters.
 *
 * Intervals: the chosen model (with the parameters the backtest scored) is run through the whole series; at each
 * period its forecast of the next periods and of the demand over the lead time is set against what
 * followed. The empirical quantiles of those errors, added to today's forecast, give the prediction
 * intervals and the lead-time demand at the service level: skewed and lumpy demand keeps its shape,
 * where the normal approximation would assume symmetry. With too few such errors (short history) the
 * normal approximation on the one-step error is used instead (`intervalMethod: 'normal'`).
 */

export interface ForecastOptions {
  /** Season length in periods (52 weeks, 7 days). */
  m: number;
  /** Backtest horizon in periods: lead time + review period, rounded up. */
  horizon: number;
  /** Lead time in periods (may be fractional). */
  leadPeriods: number;
  /** Cycle service level for the lead-time demand quantile, e.g. 0.95. */
  serviceLevel: number;
  /** Periods the current average/σ method averages over (90 days ≈ 13 weeks). */
  currentWindow: number;
  origins?: number;
  step?: number;
  tolerance?: number;
  biasTolerance?: number;
  /**
   * How much better Holt–Winters must be than a non-seasonal model to be chosen over it: a season
   * costs m starting states estimated from one or two years, and on a short backtest a seasonal fit
   * to noise can win by a few percent by chance.
   */
  seasonalMargin?: number;
  /** Two-sided coverage of the per-period intervals shown to people. */
  intervalLevel?: number;
  candidates?: readonly ModelName[];
  /** Nelder–Mead budget per ETS fit (the benchmark keeps the default). */
  maxEvaluations?: number;
}

export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'none';

export interface BacktestScore {
  model: ModelName | 'current';
  mase: number;
  bias: number;
}

export interface PeriodForecast {
  mean: number;
  lower: number;
  upper: number;
}

export interface ItemForecast {
  model: ModelName;
  params: Record<string, number>;
  demandClass: DemandClass;
  /** Backtest scores of every candidate fitted, in MODEL_ORDER. */
  scores: BacktestScore[];
  chosen: BacktestScore;
  seasonalNaive: BacktestScore;
  current: BacktestScore;
  /** True when the chosen model's backtest MASE is below the current method's. */
  beatsCurrent: boolean;
  next: PeriodForecast[];
  leadTime: { periods: number; mean: number; atServiceLevel: number; safetyStock: number };
  intervalMethod: 'empirical' | 'normal';
  /** One-step residual standard deviation of the final fit. */
  residualSd: number;
  /** The last RECENT_PERIODS periods: what happened and what the model forecast one period before. */
  recent: { actual: number; forecast: number }[];
}

export const RECENT_PERIODS = 12;

export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

/** Syntetos–Boylan–Croston classes: mean interval between demands (ADI) and squared CV of their sizes. */
export function demandClass(y: ArrayLike<number>, n = y.length): DemandClass {
  let hits = 0;
  let total = 0;
  let squares = 0;
  for (let t = 0; t < n; t++) {
    const v = y[t]!;
    if (v > 0) {
      hits++;
      total += v;
      squares += v * v;
    }
  }
  if (hits === 0) return 'none';
  const adi = n / hits;
  const mean = total / hits;
  const cv2 = hits > 1 ? (squares / hits - mean * mean) / (mean * mean) : 0;
  if (adi > ADI_CUTOFF) return cv2 >= CV2_CUTOFF ? 'lumpy' : 'intermittent';
  return cv2 >= CV2_CUTOFF ? 'erratic' : 'smooth';
}

export const isIntermittent = (c: DemandClass) => c === 'intermittent' || c === 'lumpy';

/** Type-7 (linear interpolation) quantile of a sorted sample. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Sum over a fractional number of periods: whole periods, then the fraction of the next. */
export function sumOverPeriods(values: ArrayLike<number>, from: number, periods: number): number {
  const whole = Math.floor(periods);
  let s = 0;
  for (let k = 0; k < whole; k++) s += values[from + k]!;
  const frac = periods - whole;
  if (frac > 1e-12) s += frac * values[from + whole]!;
  return s;
}

function naiveScale(y: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let t = 1; t < n; t++) s += Math.abs(y[t]! - y[t - 1]!);
  const scale = n > 1 ? s / (n - 1) : 0;
  if (scale > 0) return scale;
  // A flat training series: scale by its level instead (any error is then a real miss).
  let level = 0;
  for (let t = 0; t < n; t++) level += Math.abs(y[t]!);
  return n > 0 && level > 0 ? level / n : 1;
}

interface Accumulator {
  absError: number;
  error: number;
  actual: number;
  count: number;
}

const score = (model: BacktestScore['model'], a: Accumulator, scale: number): BacktestScore => ({
  model,
  mase: a.count > 0 ? a.absError / a.count / scale : Number.POSITIVE_INFINITY,
  bias: a.actual > 0 ? a.error / a.actual : a.count > 0 ? a.error / a.count / scale : 0,
});

function originsOf(n: number, opts: ForecastOptions): number[] {
  const count = opts.origins ?? 8;
  const step = opts.step ?? opts.horizon;
  const last = n - opts.horizon;
  const out: number[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const o = last - k * step;
    if (o >= 4) out.push(o);
  }
  return out;
}

/** Runs a fresh runner through y, forecasting `h` periods at each origin; the callback scores them. */
function runOrigins(runner: Runner, y: ArrayLike<number>, origins: number[], h: number, onForecast: (origin: number, f: Float64Array) => void) {
  const f = new Float64Array(h);
  let t = 0;
  for (const o of origins) {
    while (t < o) runner.update(y[t++]!);
    runner.forecast(h, f);
    onForecast(o, f);
  }
}

function accumulate(a: Accumulator, y: ArrayLike<number>, n: number, origin: number, f: Float64Array, h: number) {
  for (let k = 0; k < h && origin + k < n; k++) {
    const actual = y[origin + k]!;
    const e = f[k]! - actual;
    a.absError += Math.abs(e);
    a.error += e;
    a.actual += actual;
    a.count++;
  }
}

/** The current method's point forecast at each origin: the mean of the `window` periods before it. */
function currentScore(y: ArrayLike<number>, n: number, origins: number[], opts: ForecastOptions, scale: number): BacktestScore {
  const a: Accumulator = { absError: 0, error: 0, actual: 0, count: 0 };
  const f = new Float64Array(opts.horizon);
  for (const o of origins) {
    const from = Math.max(0, o - opts.currentWindow);
    let s = 0;
    for (let t = from; t < o; t++) s += y[t]!;
    f.fill(o > from ? s / (o - from) : 0);
    accumulate(a, y, n, o, f, opts.horizon);
  }
  return score('current', a, scale);
}

export function candidatesFor(cls: DemandClass, opts: Pick<ForecastOptions, 'candidates'>): ModelName[] {
  if (opts.candidates) return [...opts.candidates];
  return isIntermittent(cls) ? [...INTERMITTENT_MODELS] : MODEL_ORDER.filter((m) => !INTERMITTENT_MODELS.includes(m));
}

/** Backtests the candidates on y[0..n) and picks one (see above). Undefined without any demand or history. */
export function backtestAndSelect(
  y: ArrayLike<number>,
  opts: ForecastOptions,
  n = y.length,
): { model: ModelName; fit: FittedModel; scores: BacktestScore[]; chosen: BacktestScore; seasonalNaive: BacktestScore; current: BacktestScore; demandClass: DemandClass } | undefined {
  const cls = demandClass(y, n);
  const origins = originsOf(n, opts);
  if (cls === 'none' || origins.length === 0) return undefined;
  const train = origins[0]!;
  const scale = naiveScale(y, train);
  const scores: BacktestScore[] = [];
  const h = opts.horizon;
  const candidates = candidatesFor(cls, opts);
  const fitted = (model: ModelName) => fitModel(model, y, train, opts.m, { maxEvaluations: opts.maxEvaluations });
  let seasonalNaive: BacktestScore | undefined;
  const fits = new Map<ModelName, FittedModel>();
  for (const model of MODEL_ORDER) {
    const candidate = candidates.includes(model);
    if (!candidate && model !== 'seasonal_naive') continue;
    if (isSeasonal(model) && model !== 'seasonal_naive' && train < opts.m + 4) continue;
    const fit = fitted(model);
    if (!fit) continue;
    fits.set(model, fit);
    const a: Accumulator = { absError: 0, error: 0, actual: 0, count: 0 };
    runOrigins(fit.start(), y, origins, h, (o, f) => accumulate(a, y, n, o, f, h));
    const s = score(model, a, scale);
    if (model === 'seasonal_naive') seasonalNaive = s;
    if (candidate) scores.push(s);
  }
  if (scores.length === 0) return undefined;
  const best = scores.reduce((a, b) => (b.mase < a.mase ? b : a));
  const tolerance = opts.tolerance ?? 0.02;
  const biasTolerance = opts.biasTolerance ?? 0.1;
  // scores are in MODEL_ORDER, simplest first.
  const seasonalMargin = opts.seasonalMargin ?? 0.1;
  const holtWinters = (m: BacktestScore['model']) => m === 'hw_additive' || m === 'hw_multiplicative';
  const slack = (s: BacktestScore) => (holtWinters(best.model) && !holtWinters(s.model) && s.model !== 'seasonal_naive' ? seasonalMargin : tolerance);
  const chosen = scores.find((s) => s.mase <= best.mase * (1 + slack(s)) && Math.abs(s.bias) <= Math.abs(best.bias) + biasTolerance) ?? best;
  return {
    model: chosen.model as ModelName,
    fit: fits.get(chosen.model as ModelName)!,
    scores,
    chosen,
    seasonalNaive: seasonalNaive ?? chosen,
    current: currentScore(y, n, origins, opts, scale),
    demandClass: cls,
  };
}

/**
 * Intervals from the fitted model's own in-sample errors: per step ahead (1..horizon) and for the
 * demand over the lead time. Errors count from the period after the model's warm-up (a season for
 * seasonal models, four periods otherwise).
 */
export function errorDistributions(fit: FittedModel, y: ArrayLike<number>, n: number, opts: { horizon: number; leadPeriods: number; warmup: number }) {
  const leadWhole = Math.ceil(opts.leadPeriods - 1e-12);
  const reach = Math.max(opts.horizon, leadWhole, 1);
  const f = new Float64Array(reach);
  const perStep: number[][] = Array.from({ length: opts.horizon }, () => []);
  const lead: number[] = [];
  const recent: { actual: number; forecast: number }[] = [];
  const runner = fit.start();
  for (let t = 0; t < n; t++) {
    if (t >= opts.warmup) {
      runner.forecast(reach, f);
      for (let k = 0; k < opts.horizon && t + k < n; k++) perStep[k]!.push(y[t + k]! - f[k]!);
      if (t + leadWhole <= n) lead.push(sumOverPeriods(y, t, opts.leadPeriods) - sumOverPeriods(f, 0, opts.leadPeriods));
    }
    const mu = runner.update(y[t]!);
    if (t >= n - RECENT_PERIODS) recent.push({ actual: y[t]!, forecast: Number.isNaN(mu) ? 0 : Math.max(0, mu) });
  }
  const sort = (a: number[]) => Float64Array.from(a).sort();
  return { perStep: perStep.map(sort), lead: sort(lead), runner, recent };
}

export const MIN_ERRORS_FOR_EMPIRICAL = 20;

/** Backtest, choose, run the chosen model through everything, forecast with intervals and the lead-time demand quantile. */
export function forecastItem(y: ArrayLike<number>, opts: ForecastOptions, n = y.length): ItemForecast | undefined {
  const selected = backtestAndSelect(y, opts, n);
  if (!selected) return undefined;
  // The parameters the backtest scored are the ones used: estimated before the first origin, run
  // through the whole series from the same starting state (the weekly refit re-estimates them).
  const fit = selected.fit;
  const warmup = isSeasonal(selected.model) ? opts.m : 4;
  const { perStep, lead, runner, recent } = errorDistributions(fit, y, n, { horizon: opts.horizon, leadPeriods: opts.leadPeriods, warmup });
  const reach = Math.max(opts.horizon, Math.ceil(opts.leadPeriods), 1);
  const f = new Float64Array(reach);
  runner.forecast(reach, f);
  const level = opts.intervalLevel ?? 0.9;
  const sd = Math.sqrt(Number.isFinite(fit.mse) ? fit.mse : 0);
  const empirical = lead.length >= MIN_ERRORS_FOR_EMPIRICAL;
  const zTwo = normalQuantile(0.5 + level / 2, 0, 1);
  const next = Array.from({ length: opts.horizon }, (_, k): PeriodForecast => {
    const mean = Math.max(0, f[k]!);
    const errors = perStep[k]!;
    if (empirical && errors.length >= MIN_ERRORS_FOR_EMPIRICAL) {
      return {
        mean,
        lower: Math.max(0, f[k]! + quantileSorted(errors, (1 - level) / 2)),
        upper: Math.max(0, f[k]! + quantileSorted(errors, 0.5 + level / 2)),
      };
    }
    const w = zTwo * sd * Math.sqrt(k + 1);
    return { mean, lower: Math.max(0, mean - w), upper: mean + w };
  });
  const leadMean = Math.max(0, sumOverPeriods(f, 0, opts.leadPeriods));
  const atServiceLevel = empirical
    ? Math.max(0, sumOverPeriods(f, 0, opts.leadPeriods) + quantileSorted(lead, opts.serviceLevel))
    : leadMean + normalQuantile(opts.serviceLevel, 0, 1) * sd * Math.sqrt(opts.leadPeriods);
  return {
    model: selected.model,
    params: fit.params,
    demandClass: selected.demandClass,
    scores: selected.scores,
    chosen: selected.chosen,
    seasonalNaive: selected.seasonalNaive,
    current: selected.current,
    beatsCurrent: selected.chosen.mase < selected.current.mase,
    next,
    leadTime: { periods: opts.leadPeriods, mean: leadMean, atServiceLevel: Math.max(atServiceLevel, leadMean), safetyStock: Math.max(0, atServiceLevel - leadMean) },
    intervalMethod: empirical ? 'empirical' : 'normal',
    residualSd: sd,
    recent,
  };
}
