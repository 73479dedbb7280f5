import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { Decimal, dec, toPlain, type DecimalValue } from './decimal.js';

/**
 * Reorder math as pure functions over decimal strings: demand statistics, safety stock, reorder
 * point, min/max suggestion and economic order quantity. The SQL in db/queries/demand.ts computes
 * the same statistics over the ledger; these functions turn them into decisions.
 *
 * Conventions (stated once so hand-worked numbers match):
 * - daily demand is the quantity issued per calendar day, days without issues count as 0;
 * - σ is the sample standard deviation (n − 1), as Postgres `stddev_samp`;
 * - z is the standard normal quantile of the service level, rounded to 4 decimals (table precision);
 * - safety stock and the computed reorder point are rounded UP to the item's unit decimals (never
 *   under-protect); the reorder point is built on the rounded safety stock so ROP − SS ≥ demand × lead time;
 * - inventory position = available (on hand − reserved) + on order; an order is proposed when the
 *   position is at or below the reorder point, up to max, rounded up to the order multiple.
 */

type Qty = string;
type Money = string;
type Value = DecimalValue;

export const DEFAULT_SERVICE_LEVEL = '0.95';
const Z_DECIMALS = 4;
const DAYS_PER_YEAR = 365;

/** Rounds up to `decimals` places (ceil), for quantities that must not fall short. */
export const roundUp = (value: Value, decimals: number): Decimal =>
  dec(value).toDecimalPlaces(decimals, Decimal.ROUND_CEIL);

/** Smallest multiple of `multiple` that is ≥ value (value itself when no multiple is set). */
export function roundUpToMultiple(value: Value, multiple?: Value | null): Decimal {
  const v = dec(value);
  if (multiple === undefined || multiple === null || dec(multiple).lte(0)) return v;
  return v.div(multiple).toDecimalPlaces(0, Decimal.ROUND_CEIL).times(multiple);
}

export interface DemandStatistics {
  days: number;
  total: Qty;
  averageDaily: Qty;
  /** Sample standard deviation of daily demand; '0' with fewer than two days. */
  stdDevDaily: Qty;
}

/** Mean and sample σ of daily demand (one entry per day in the window, zero days included). */
export function demandStatistics(daily: Qty[]): DemandStatistics {
  const n = daily.length;
  if (n === 0) return { days: 0, total: '0', averageDaily: '0', stdDevDaily: '0' };
  const values = daily.map((d) => dec(d));
  const total = values.reduce((a, v) => a.plus(v), dec(0));
  const mean = total.div(n);
  const variance =
    n < 2 ? dec(0) : values.reduce((a, v) => a.plus(v.minus(mean).pow(2)), dec(0)).div(n - 1);
  return { days: n, total: toPlain(total), averageDaily: toPlain(mean), stdDevDaily: toPlain(sqrt(variance)) };
}

export class ReorderInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReorderInputError';
  }
}

/** z for a cycle service level in [0.5, 1): 0.95 → 1.6449, 0.99 → 2.3263. */
// A check over every item meets only a handful of distinct service levels and lead times: the
// quantile and the square roots are computed once each (pure, so caching changes no answer).
const zCache = new Map<string, string>();
const sqrtCache = new Map<string, Decimal>();
// Square roots are irrational in general; 24 significant digits (correctly rounded) are far more than
// the 4-decimal quantities they are rounded up to, and cost a fraction of the 40-digit default.
const RootDecimal = Decimal.clone({ precision: 24 });
const sqrt = (value: DecimalValue): Decimal => dec(new RootDecimal(value.toString()).sqrt().toString());
const cachedSqrt = (value: string): Decimal => {
  let root = sqrtCache.get(value);
  if (!root) {
    root = sqrt(value);
    if (sqrtCache.size < 10_000) sqrtCache.set(value, root);
  }
  return root;
};

export function serviceLevelZ(serviceLevel: string = DEFAULT_SERVICE_LEVEL): string {
  const cached = zCache.get(serviceLevel);
  if (cached !== undefined) return cached;
  const z = quantileZ(serviceLevel);
  if (zCache.size < 1_000) zCache.set(serviceLevel, z);
  return z;
}

function quantileZ(serviceLevel: string): string {
  const p = dec(serviceLevel);
  if (p.lt('0.5') || p.gte(1)) throw new ReorderInputError(`service level must be at least 0.5 and below 1, got ${serviceLevel}`);
  // The quantile is a float by nature; it is rounded to table precision before it meets quantities.
  const z = normalQuantile(p.toNumber(), 0, 1);
  return toPlain(dec(z.toFixed(Z_DECIMALS)));
}

/** z × σ × √(lead time), rounded up to the item's unit decimals. */
export function safetyStock(input: { z: string; stdDevDaily: Qty; leadTimeDays: string; decimals: number }): Qty {
  const raw = dec(input.z).times(input.stdDevDaily).times(cachedSqrt(input.leadTimeDays));
  return toPlain(roundUp(Decimal.max(raw, 0), input.decimals));
}

/** Average daily demand × lead time + safety stock, rounded up to the item's unit decimals. */
export function reorderPoint(input: { averageDaily: Qty; leadTimeDays: string; safetyStock: Qty; decimals: number }): Qty {
  const raw = dec(input.averageDaily).times(input.leadTimeDays).plus(input.safetyStock);
  return toPlain(roundUp(raw, input.decimals));
}

/**
 * Economic order quantity √(2DS/H): D annual demand (units/year), S cost per order, H holding cost
 * per unit per year. Undefined when either cost is missing or zero, or there is no demand.
 */
export function economicOrderQuantity(input: {
  annualDemand: Qty;
  orderingCost?: Money | null;
  holdingCostPerUnitYear?: Money | null;
  decimals: number;
}): Qty | undefined {
  const { orderingCost, holdingCostPerUnitYear } = input;
  if (!orderingCost || !holdingCostPerUnitYear) return undefined;
  const d = dec(input.annualDemand);
  const h = dec(holdingCostPerUnitYear);
  if (d.lte(0) || h.lte(0) || dec(orderingCost).lte(0)) return undefined;
  const eoq = dec(new RootDecimal(d).times(2).times(orderingCost).div(h.toString()).sqrt().toString());
  return toPlain(roundUp(eoq, input.decimals));
}

/** Lead time actually used: learned from receipts once there are enough, else the hand-set one. */
export function effectiveLeadTime(input: {
  manualDays: string;
  learnedDays?: string | null;
  learnedSamples?: number;
  minSamples?: number;
}): { days: string; source: 'learned' | 'manual' } {
  const enough = (input.learnedSamples ?? 0) >= (input.minSamples ?? 3);
  if (enough && input.learnedDays !== undefined && input.learnedDays !== null) return { days: input.learnedDays, source: 'learned' };
  return { days: input.manualDays, source: 'manual' };
}

/**
 * Order-up-to suggestion: when the inventory position is at or below the reorder point, order
 * max − position rounded up to the order multiple; otherwise nothing (stock already on order covers it).
 */
export function minMaxSuggestion(input: {
  reorderPoint: Qty;
  max: Qty;
  available: Qty;
  onOrder: Qty;
  orderMultiple?: Qty | null;
  decimals: number;
}): { position: Qty; quantity: Qty } {
  const position = dec(input.available).plus(input.onOrder);
  if (position.gt(input.reorderPoint)) return { position: toPlain(position), quantity: '0' };
  const need = Decimal.max(dec(input.max).minus(position), 0);
  const rounded = roundUpToMultiple(roundUp(need, input.decimals), input.orderMultiple);
  return { position: toPlain(position), quantity: toPlain(rounded) };
}

export interface ReorderPolicyInput {
  /** 'manual': the hand-set reorder point (or min when none); 'computed': from demand history. */
  reorderPointMode: 'manual' | 'computed';
  reorderPoint?: Qty | null;
  min?: Qty | null;
  max?: Qty | null;
  safetyStock?: Qty | null;
  serviceLevel?: string | null;
  leadTimeDays: string;
  learnedLeadTimeDays?: string | null;
  learnedLeadTimeSamples?: number;
  orderMultiple?: Qty | null;
  orderingCost?: Money | null;
  holdingCostPerUnitYear?: Money | null;
  /** 'auto' (default): a stored forecast that beat this method in backtest replaces it; 'average': never. */
  demandMethod?: 'auto' | 'average';
}

/** A stored demand forecast's lead-time figures (db/schema/forecasting.ts), exact decimals. */
export interface ForecastFigures {
  beatsCurrent: boolean;
  /** The lead time and service level it was made for. */
  leadTimeDays: string;
  serviceLevel: string;
  leadTimeDemand: Qty;
  safetyStock: Qty;
  reorderPoint: Qty;
}

/**
 * Whether the forecast replaces the average/σ figures: the policy allows it, it beat that method in
 * backtest, and it was made for the lead time and service level in force now (a changed lead time or
 * service level waits for the next refit). db/queries/forecasting.ts forecastInUse is the same rule in SQL.
 */
export function useForecast(input: { demandMethod?: 'auto' | 'average'; leadTimeDays: string; serviceLevel: string; forecast?: ForecastFigures | null }): boolean {
  const f = input.forecast;
  if (!f || (input.demandMethod ?? 'auto') !== 'auto' || !f.beatsCurrent) return false;
  return dec(f.leadTimeDays).eq(input.leadTimeDays) && dec(f.serviceLevel).eq(input.serviceLevel);
}

export interface StockFigures {
  onHand: Qty;
  reserved: Qty;
  onOrder: Qty;
}

export type StockStatus = 'stockout' | 'low' | 'ok';

export interface ReorderEvaluation {
  status: StockStatus;
  available: Qty;
  onHand: Qty;
  reserved: Qty;
  onOrder: Qty;
  position: Qty;
  averageDaily: Qty;
  stdDevDaily: Qty;
  leadTimeDays: string;
  leadTimeSource: 'learned' | 'manual';
  z: string;
  safetyStock: Qty;
  reorderPoint: Qty;
  reorderPointSource: 'manual' | 'computed' | 'min';
  /** From demand history whatever the mode, so a hand-set item shows both. */
  computedSafetyStock: Qty;
  computedReorderPoint: Qty;
  /** Order-up-to level used for the suggestion. */
  max: Qty;
  eoq?: Qty;
  suggestedQuantity: Qty;
  /** Available ÷ daily demand (the forecast's over the lead time when it is used), to one decimal; undefined without demand. */
  daysOfCover?: string;
  /** Where the computed figures' demand comes from. */
  demandSource: 'forecast' | 'average';
  /** Expected demand over the lead time: the forecast's, or average daily × lead time (4 decimals). */
  leadTimeDemand: Qty;
}

/**
 * The whole reorder decision for one item. Without a max the order-up-to level is the reorder
 * point plus the EOQ when costs are set, else plus one lead time of demand (at least one unit).
 */
export function evaluateReorder(input: {
  policy: ReorderPolicyInput;
  demand: Pick<DemandStatistics, 'averageDaily' | 'stdDevDaily'>;
  stock: StockFigures;
  decimals: number;
  forecast?: ForecastFigures | null;
}): ReorderEvaluation {
  const { policy, demand, stock, decimals } = input;
  const lead = effectiveLeadTime({
    manualDays: policy.leadTimeDays,
    learnedDays: policy.learnedLeadTimeDays,
    learnedSamples: policy.learnedLeadTimeSamples,
  });
  const serviceLevel = policy.serviceLevel ?? DEFAULT_SERVICE_LEVEL;
  const z = serviceLevelZ(serviceLevel);
  const forecast = useForecast({ demandMethod: policy.demandMethod, leadTimeDays: lead.days, serviceLevel, forecast: input.forecast }) ? input.forecast! : undefined;
  const computedSafety = forecast
    ? forecast.safetyStock
    : safetyStock({ z, stdDevDaily: demand.stdDevDaily, leadTimeDays: lead.days, decimals });
  const safety = policy.reorderPointMode === 'manual' && policy.safetyStock ? policy.safetyStock : computedSafety;

  const computedRop = forecast
    ? forecast.reorderPoint
    : reorderPoint({ averageDaily: demand.averageDaily, leadTimeDays: lead.days, safetyStock: computedSafety, decimals });
  const leadTimeDemand = forecast ? dec(forecast.leadTimeDemand) : dec(demand.averageDaily).times(lead.days);
  let rop: Qty;
  let ropSource: ReorderEvaluation['reorderPointSource'];
  if (policy.reorderPointMode === 'computed') {
    [rop, ropSource] = [computedRop, 'computed'];
    if (policy.min && dec(policy.min).gt(rop)) [rop, ropSource] = [policy.min, 'min'];
  } else if (policy.reorderPoint) {
    [rop, ropSource] = [policy.reorderPoint, 'manual'];
  } else {
    [rop, ropSource] = [policy.min ?? '0', 'min'];
  }

  const annualDemand = toPlain(dec(demand.averageDaily).times(DAYS_PER_YEAR));
  const eoq = economicOrderQuantity({
    annualDemand,
    orderingCost: policy.orderingCost,
    holdingCostPerUnitYear: policy.holdingCostPerUnitYear,
    decimals,
  });
  const cycle = eoq ?? toPlain(Decimal.max(roundUp(leadTimeDemand, decimals), 1));
  const max = policy.max && dec(policy.max).gt(rop) ? policy.max : toPlain(dec(rop).plus(cycle));

  const available = dec(stock.onHand).minus(stock.reserved);
  const suggestion = minMaxSuggestion({
    reorderPoint: rop,
    max,
    available: toPlain(available),
    onOrder: stock.onOrder,
    orderMultiple: policy.orderMultiple,
    decimals,
  });
  const status: StockStatus = available.lte(0) ? 'stockout' : available.lte(rop) ? 'low' : 'ok';
  const avg = dec(demand.averageDaily);
  // With the forecast: available × lead time ÷ lead-time demand (the SQL divides once, in the same order).
  const cover = forecast
    ? leadTimeDemand.gt(0) ? Decimal.max(available, 0).times(lead.days).div(leadTimeDemand) : undefined
    : avg.gt(0) ? Decimal.max(available, 0).div(avg) : undefined;
  return {
    status,
    available: toPlain(available),
    onHand: toPlain(dec(stock.onHand)),
    reserved: toPlain(dec(stock.reserved)),
    onOrder: toPlain(dec(stock.onOrder)),
    position: suggestion.position,
    averageDaily: toPlain(avg),
    stdDevDaily: toPlain(dec(demand.stdDevDaily)),
    leadTimeDays: lead.days,
    leadTimeSource: lead.source,
    z,
    safetyStock: safety,
    reorderPoint: toPlain(dec(rop)),
    reorderPointSource: ropSource,
    computedSafetyStock: computedSafety,
    computedReorderPoint: computedRop,
    max: toPlain(dec(max)),
    eoq,
    suggestedQuantity: suggestion.quantity,
    daysOfCover: cover ? toPlain(cover.toDecimalPlaces(1, Decimal.ROUND_DOWN)) : undefined,
    demandSource: forecast ? 'forecast' : 'average',
    // Half up, as Postgres' round() on numeric (the SQL path rounds the same figure).
    leadTimeDemand: toPlain(leadTimeDemand.toDecimalPlaces(4, Decimal.ROUND_HALF_UP)),
  };
}
