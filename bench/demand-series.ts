import { seededRandom } from '../cli/demo/random.js';

/**
 * Synthetic demand with known parameters, for the forecasting benchmark and tests: a seeded generator
 * (the same series for a seed everywhere) and one process per demand class.
 */

export type GeneratedClass = 'smooth' | 'seasonal' | 'trending' | 'intermittent' | 'lumpy';
export const GENERATED_CLASSES: readonly GeneratedClass[] = ['smooth', 'seasonal', 'trending', 'intermittent', 'lumpy'];

export interface Rng {
  uniform(): number;
  normal(): number;
  poisson(mean: number): number;
  gamma(shape: number, scale: number): number;
}

/** The demo's seeded generator (cli/demo/random.ts, mulberry32) with normal (Box–Muller) and gamma draws on top. */
export function rng(seed: number): Rng {
  const random = seededRandom(seed);
  const uniform = random.next;
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  // Marsaglia–Tsang for shape ≥ 1, boosted for shape < 1.
  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) return gamma(shape + 1, scale) * Math.pow(uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = Math.pow(1 + c * x, 3);
      if (v <= 0) continue;
      const u = uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };
  return { uniform, normal, poisson: random.poisson, gamma };
}

export interface GeneratedSeries {
  demandClass: GeneratedClass;
  /** The parameters drawn for this series (level, noise, amplitude, slope, probability, …). */
  params: Record<string, number>;
  y: Float64Array;
}

/**
 * One weekly series of `length` periods (season 52) of the given class, whole units (issues are
 * counted in units): smooth, a local level with noise; seasonal, a yearly sine around a level
 * (multiplicative: the swing is a share of the level); trending, a line with noise; intermittent,
 * a demand in a share p of weeks of 1 + Poisson sizes; lumpy, rarer demands of gamma sizes with
 * a coefficient of variation above 1.
 */
export function generateSeries(demandClass: GeneratedClass, length: number, r: Rng): GeneratedSeries {
  const y = new Float64Array(length);
  const unit = (v: number) => Math.max(0, Math.round(v));
  switch (demandClass) {
    case 'smooth': {
      const level0 = 20 + r.uniform() * 180;
      const noise = 0.1 + r.uniform() * 0.15;
      const drift = 0.02 * r.uniform();
      let level = level0;
      for (let t = 0; t < length; t++) {
        level = Math.max(1, level + drift * level0 * r.normal());
        y[t] = unit(level + noise * level0 * r.normal());
      }
      return { demandClass, params: { level0, noise, drift }, y };
    }
    case 'seasonal': {
      const level = 30 + r.uniform() * 170;
      const amplitude = 0.3 + r.uniform() * 0.4;
      const phase = r.uniform() * 2 * Math.PI;
      const noise = 0.05 + r.uniform() * 0.1;
      for (let t = 0; t < length; t++) {
        const season = 1 + amplitude * Math.sin((2 * Math.PI * t) / 52 + phase);
        y[t] = unit(level * season * (1 + noise * r.normal()));
      }
      return { demandClass, params: { level, amplitude, phase, noise }, y };
    }
    case 'trending': {
      const level = 30 + r.uniform() * 170;
      const slope = (r.uniform() < 0.75 ? 1 : -0.5) * (0.004 + r.uniform() * 0.008) * level;
      const noise = 0.05 + r.uniform() * 0.1;
      for (let t = 0; t < length; t++) y[t] = unit(level + slope * t + noise * level * r.normal());
      return { demandClass, params: { level, slope, noise }, y };
    }
    case 'intermittent': {
      const probability = 0.08 + r.uniform() * 0.35;
      const size = 1 + r.uniform() * 5;
      for (let t = 0; t < length; t++) y[t] = r.uniform() < probability ? 1 + r.poisson(size - 1) : 0;
      return { demandClass, params: { probability, size }, y };
    }
    case 'lumpy': {
      const probability = 0.05 + r.uniform() * 0.25;
      const size = 5 + r.uniform() * 45;
      const shape = 0.4 + r.uniform() * 0.5;
      for (let t = 0; t < length; t++) y[t] = r.uniform() < probability ? Math.max(1, unit(r.gamma(shape, size / shape))) : 0;
      return { demandClass, params: { probability, size, shape }, y };
    }
  }
}
