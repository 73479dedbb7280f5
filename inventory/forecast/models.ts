/**
 * Demand forecasting models as small state machines over one series of demand per period (pure, no
 * I/O; plain floats: these are statistics, and only the reorder figures derived from them become exact
 * decimals, rounded up, in inventory/forecast/reorder.ts).
 *
 * Every model is a `Runner`: `update(y)` takes the next period's demand and returns the one-step
 * forecast it had made for that period (NaN when it could not yet forecast); `forecast(h, out)` writes
 * the next h periods' point forecasts. One loop per model serves estimation (sum of squared one-step
 * errors), rolling-origin backtests and the empirical error distributions behind the intervals.
 *
 * Exponential smoothing follows Hyndman & Athanasopoulos, "Forecasting: Principles and Practice"
 * (3rd ed., ch. 8) in the error-correction form of R's forecast::ets, so α, β, γ, φ mean what they mean
 * there (β = α·β* of the component form): with μ the one-step forecast and e = y − μ,
 *   additive season:       l' = l + φb + αe,      b' = φb + βe,      s' = s + γe
 *   multiplicative season: l' = l + φb + αe/s,    b' = φb + βe/s,    s' = s + γe/(l + φb)
 * and h steps ahead l + (φ + … + φʰ)b, plus or times the season's index. These point recursions are the
 * same for additive and multiplicative errors (ETS A** and M** share them).
 *
 * Intermittent demand: Croston (1972) smooths the non-zero sizes and the intervals between them (SES
 * started at the first size and first interval, as R's forecast::croston), forecasting size ÷ interval;
 * SBA (Syntetos & Boylan 2005) multiplies that by 1 − α/2; TSB (Teunter, Syntetos & Babai 2011)
 * smooths the size at demands and the probability of a demand every period, forecasting p·z.
 */

export type ModelName =
  | 'seasonal_naive'
  | 'ses'
  | 'holt'
  | 'hw_additive'
  | 'hw_multiplicative'
  | 'croston'
  | 'sba'
  | 'tsb';

/** Simplest first: selection falls back along this order when a simpler model is not worse. */
export const MODEL_ORDER: readonly ModelName[] = [
  'seasonal_naive',
  'ses',
  'croston',
  'sba',
  'tsb',
  'holt',
  'hw_additive',
  'hw_multiplicative',
];

export const INTERMITTENT_MODELS: readonly ModelName[] = ['croston', 'sba', 'tsb'];

const MODEL_LABELS: Record<string, string> = {
  seasonal_naive: 'seasonal naive',
  ses: 'simple exponential smoothing',
  holt: "Holt's damped trend",
  hw_additive: 'Holt–Winters, additive season, damped trend',
  hw_multiplicative: 'Holt–Winters, multiplicative season, damped trend',
  croston: "Croston's method",
  sba: 'Croston with the Syntetos–Boylan correction (SBA)',
  tsb: 'Teunter–Syntetos–Babai (TSB)',
  current: 'current method (average of the demand window)',
};

/** A model's name for people (CLI, Slack). */
export const modelLabel = (model: string): string => MODEL_LABELS[model] ?? model;

export interface Runner {
  /** Takes the next period's demand; returns the forecast made for it before seeing it (NaN: none yet). */
  update(y: number): number;
  /** Point forecasts for the next h periods into out[0..h). */
  forecast(h: number, out: Float64Array): void;
}

// ---------------------------------------------------------------------------------------------
// Exponential smoothing (ETS point recursions)

export type SeasonKind = 'none' | 'additive' | 'multiplicative';

export interface EtsParams {
  alpha: number;
  /** 0 and unused without a trend. */
  beta: number;
  /** 0 and unused without a season. */
  gamma: number;
  /** Damping; 1 is an undamped trend, unused without a trend. */
  phi: number;
}

export interface EtsState {
  level: number;
  trend: number;
  /**
   * Seasonal indices by position in the cycle: season[t % m] applies to period t (t counted from the
   * first period the runner sees). Length m, or 0 without a season.
   */
  season: Float64Array;
}

export interface EtsConfig {
  trend: boolean;
  season: SeasonKind;
  /** Season length in periods (52 for weeks, 7 for days); ignored without a season. */
  m: number;
}

export class EtsRunner implements Runner {
  private level = 0;
  private trend = 0;
  private readonly season: Float64Array;
  private t = 0;
  private p: EtsParams;

  constructor(
    private readonly config: EtsConfig,
    params: EtsParams,
    init: EtsState,
    /** Index of the first period this runner sees, for the season position (continuing a fit). */
    startAt = 0,
  ) {
    this.p = params;
    this.season = new Float64Array(init.season.length);
    this.reset(params, init, startAt);
  }

  /** Back to a starting state with (possibly) other parameters: estimation reuses one runner. */
  reset(params: EtsParams, init: EtsState, startAt = 0): void {
    this.p = params;
    this.level = init.level;
    this.trend = this.config.trend ? init.trend : 0;
    this.season.set(init.season);
    this.t = startAt;
  }

  update(y: number): number {
    const { alpha, beta, gamma } = this.p;
    const phi = this.config.trend ? this.p.phi : 0;
    const base = this.level + phi * this.trend;
    const kind = this.config.season;
    if (kind === 'none') {
      const e = y - base;
      this.level = base + alpha * e;
      this.trend = phi * this.trend + beta * e;
      this.t++;
      return base;
    }
    const i = this.t % this.config.m;
    const s = this.season[i]!;
    if (kind === 'additive') {
      const mu = base + s;
      const e = y - mu;
      this.level = base + alpha * e;
      this.trend = phi * this.trend + beta * e;
      this.season[i] = s + gamma * e;
      this.t++;
      return mu;
    }
    const mu = base * s;
    const e = y - mu;
    this.level = base + (alpha * e) / s;
    this.trend = phi * this.trend + (beta * e) / s;
    this.season[i] = s + (gamma * e) / base;
    this.t++;
    return mu;
  }

  forecast(h: number, out: Float64Array): void {
    const phi = this.config.trend ? this.p.phi : 0;
    let damp = 0;
    let power = 1;
    for (let k = 0; k < h; k++) {
      power *= phi;
      damp += power;
      const base = this.level + damp * this.trend;
      const kind = this.config.season;
      if (kind === 'none') out[k] = base;
      else {
        const s = this.season[(this.t + k) % this.config.m]!;
        out[k] = kind === 'additive' ? base + s : base * s;
      }
    }
  }

  state(): EtsState {
    return { level: this.level, trend: this.trend, season: Float64Array.from(this.season) };
  }
}

/** Long seasons (weeks of a year) start from a profile smoothed over ±2 periods, not one noisy year. */
export const SMOOTH_SEASON_FROM = 24;

/** Centred moving average over ±k periods, wrapping around the cycle. */
function smoothCircular(season: Float64Array, k: number): void {
  const m = season.length;
  const copy = Float64Array.from(season);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let d = -k; d <= k; d++) s += copy[(j + d + m) % m]!;
    season[j] = s / (2 * k + 1);
  }
}

/**
 * Starting states from the first cycles of data: a straight line through the means of the first
 * (up to) two cycles gives level and trend; each period's deviation from that line, averaged over
 * the cycles, gives its seasonal index (normalised to sum 0, or to mean 1 when multiplicative).
 * Without a season the line is fitted to the first (up to) ten periods. A season of 24 periods or
 * more (a year of weeks) is smoothed over neighbouring periods: a yearly pattern moves slowly, while a
 * single week's noise would otherwise be repeated every year.
 */
export function initialEtsState(y: ArrayLike<number>, n: number, config: EtsConfig): EtsState {
  if (config.season === 'none') {
    const k = Math.min(n, 10);
    if (k === 0) return { level: 0, trend: 0, season: new Float64Array(0) };
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let t = 0; t < k; t++) {
      sx += t;
      sy += y[t]!;
      sxx += t * t;
      sxy += t * y[t]!;
    }
    const slope = config.trend && k > 1 ? (k * sxy - sx * sy) / (k * sxx - sx * sx) : 0;
    const intercept = (sy - slope * sx) / k;
    // The state before the first period: one step back along the line.
    return { level: config.trend ? intercept - slope : intercept, trend: slope, season: new Float64Array(0) };
  }
  const m = config.m;
  const cycles = Math.min(2, Math.floor(n / m));
  if (cycles < 1) throw new RangeError(`a seasonal model needs at least one full season (${m} periods), got ${n}`);
  const means: number[] = [];
  for (let c = 0; c < cycles; c++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += y[c * m + j]!;
    means.push(s / m);
  }
  const slope = config.trend && cycles === 2 ? (means[1]! - means[0]!) / m : 0;
  // Level on the line at period t: means[0] + (t − (m − 1) / 2) · slope.
  const lineAt = (t: number) => means[0]! + (t - (m - 1) / 2) * slope;
  const season = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let c = 0; c < cycles; c++) {
      const t = c * m + j;
      const line = lineAt(t);
      acc += config.season === 'additive' ? y[t]! - line : line > 0 ? y[t]! / line : 1;
    }
    season[j] = acc / cycles;
  }
  if (m >= SMOOTH_SEASON_FROM) smoothCircular(season, 2);
  let total = 0;
  for (let j = 0; j < m; j++) total += season[j]!;
  if (config.season === 'additive') for (let j = 0; j < m; j++) season[j] = season[j]! - total / m;
  else if (total > 0) for (let j = 0; j < m; j++) season[j] = (season[j]! * m) / total;
  return { level: lineAt(-1), trend: slope, season };
}

// ---------------------------------------------------------------------------------------------
// Seasonal naive

/** Each period repeats the same period one season ago (the last value while less than a season is known). */
export class SeasonalNaiveRunner implements Runner {
  private readonly history: number[] = [];
  constructor(private readonly m: number) {}

  update(y: number): number {
    const n = this.history.length;
    const mu = n >= this.m ? this.history[n - this.m]! : n > 0 ? this.history[n - 1]! : Number.NaN;
    this.history.push(y);
    return mu;
  }

  forecast(h: number, out: Float64Array): void {
    const n = this.history.length;
    for (let k = 0; k < h; k++) {
      out[k] = n >= this.m ? this.history[n - this.m + (k % this.m)]! : n > 0 ? this.history[n - 1]! : 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Intermittent demand

export type CrostonVariant = 'croston' | 'sba';

/** Croston's method (and SBA): SES on the non-zero sizes and on the intervals between them. */
export class CrostonRunner implements Runner {
  private size = Number.NaN;
  private interval = Number.NaN;
  private sinceLast = 0;

  constructor(
    private readonly alpha: number,
    private readonly variant: CrostonVariant,
  ) {}

  private current(): number {
    if (Number.isNaN(this.size)) return Number.NaN;
    const f = this.size / this.interval;
    return this.variant === 'sba' ? f * (1 - this.alpha / 2) : f;
  }

  update(y: number): number {
    const mu = this.current();
    this.sinceLast++;
    if (y > 0) {
      if (Number.isNaN(this.size)) {
        this.size = y;
        this.interval = this.sinceLast;
      } else {
        this.size += this.alpha * (y - this.size);
        this.interval += this.alpha * (this.sinceLast - this.interval);
      }
      this.sinceLast = 0;
    }
    return mu;
  }

  forecast(h: number, out: Float64Array): void {
    const f = this.current();
    out.fill(Number.isNaN(f) ? 0 : f, 0, h);
  }
}

/** TSB: the size smoothed at demands (α), the probability of a demand smoothed every period (β). */
export class TsbRunner implements Runner {
  private size: number;
  private probability: number;

  constructor(
    private readonly alpha: number,
    private readonly beta: number,
    init: { size: number; probability: number },
  ) {
    this.size = init.size;
    this.probability = init.probability;
  }

  update(y: number): number {
    const mu = this.probability * this.size;
    if (y > 0) {
      this.probability += this.beta * (1 - this.probability);
      this.size += this.alpha * (y - this.size);
    } else {
      this.probability -= this.beta * this.probability;
    }
    return mu;
  }

  forecast(h: number, out: Float64Array): void {
    out.fill(this.probability * this.size, 0, h);
  }
}

/** TSB's starting state: the share of periods with demand, and their mean size, over the first periods. */
export function initialTsbState(y: ArrayLike<number>, n: number): { size: number; probability: number } {
  let hits = 0;
  let total = 0;
  for (let t = 0; t < n; t++) {
    if (y[t]! > 0) {
      hits++;
      total += y[t]!;
    }
  }
  return { size: hits > 0 ? total / hits : 0, probability: n > 0 ? hits / n : 0 };
}
