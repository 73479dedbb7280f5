import { Decimal, dec, toPlain } from '../decimal.js';
import { roundUp } from '../reorder.js';
import { MODEL_ORDER } from './models.js';
import type { ForecastOptions, ItemForecast } from './select.js';

/**
 * From the ledger's daily issues to the series a model is fitted on, and from a forecast back to
 * the exact decimals the reorder decision uses.
 *
 * Period: daily when demand is dense (issues on at least half of the days, eight weeks or more),
 * with a weekly season (m = 7); otherwise weekly (m = 52), the usual case for office supplies and
 * spare parts, whose days are mostly zero. Weeks are counted back from the end of the history, so
 * the last week is complete; an incomplete oldest week is left out.
 */

export type Period = 'day' | 'week';

export interface DemandSeries {
  period: Period;
  periodDays: number;
  m: number;
  y: Float64Array;
}

export const DENSE_DAY_SHARE = 0.5;
export const MIN_DAILY_HISTORY = 56;

export function demandSeries(daily: ArrayLike<number>): DemandSeries {
  const n = daily.length;
  let busy = 0;
  for (let t = 0; t < n; t++) if (daily[t]! > 0) busy++;
  if (n >= MIN_DAILY_HISTORY && busy >= DENSE_DAY_SHARE * n) return { period: 'day', periodDays: 1, m: 7, y: Float64Array.from(daily) };
  const weeks = Math.floor(n / 7);
  const y = new Float64Array(weeks);
  const offset = n - weeks * 7;
  for (let w = 0; w < weeks; w++) {
    let s = 0;
    for (let d = 0; d < 7; d++) s += daily[offset + w * 7 + d]!;
    y[w] = s;
  }
  return { period: 'week', periodDays: 7, m: 52, y };
}

/** Backtest horizon = lead time + review period (the daily check reviews every day), in periods. */
export function forecastOptionsFor(input: {
  series: Pick<DemandSeries, 'm' | 'periodDays'>;
  leadTimeDays: number;
  serviceLevel: number;
  /** The current method's window (reorder_policies.demand_window_days). */
  windowDays: number;
  reviewDays?: number;
}): ForecastOptions {
  const { periodDays, m } = input.series;
  const leadPeriods = input.leadTimeDays / periodDays;
  return {
    m,
    horizon: Math.max(1, Math.ceil((input.leadTimeDays + (input.reviewDays ?? 1)) / periodDays)),
    leadPeriods,
    serviceLevel: input.serviceLevel,
    currentWindow: Math.max(1, Math.round(input.windowDays / periodDays)),
    // Daily series are dense by choice (issues on half the days or more): zeros on closed days are the
    // week's season, not intermittency, so every model competes there.
    ...(periodDays === 1 ? { candidates: MODEL_ORDER } : {}),
  };
}

/** A float statistic as a decimal with 6 places (far below any quantity's 4), non-negative. */
const fromFloat = (x: number): Decimal => dec(Math.max(0, Number.isFinite(x) ? x : 0).toFixed(6));

export interface ForecastReorderFigures {
  /** Expected demand over the lead time, 4 decimals. */
  leadTimeDemand: string;
  /** Reorder point minus the expected lead-time demand (4 decimals). */
  safetyStock: string;
  /** Demand over the lead time at the service level, rounded up to the unit: the forecast's reorder point. */
  reorderPoint: string;
}

/**
 * The forecast's reorder point and safety stock as exact decimals. The reorder point is the lead-time
 * demand quantile rounded up to the item's unit decimals (never under-protect, as inventory/reorder.ts);
 * the safety stock is what it holds above the expected demand, so ROP − SS = expected lead-time demand.
 * (Rounding the safety stock up first and the sum again would add up to a unit to every reorder point,
 * which on integer demand moves the service level by several points.)
 */
export function forecastReorderFigures(f: Pick<ItemForecast, 'leadTime'>, decimals: number): ForecastReorderFigures {
  const mean = fromFloat(f.leadTime.mean).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN);
  const rop = Decimal.max(roundUp(fromFloat(f.leadTime.atServiceLevel), decimals), roundUp(mean, decimals));
  return { leadTimeDemand: toPlain(mean), safetyStock: toPlain(rop.minus(mean)), reorderPoint: toPlain(rop) };
}

/** Days the available stock lasts at the forecast's daily rate over the lead time (one decimal, rounded down). */
export function daysOfCover(available: string, leadTimeDemand: string, leadTimeDays: string): string | undefined {
  const perDay = dec(leadTimeDemand).div(leadTimeDays);
  if (!perDay.gt(0)) return undefined;
  return toPlain(Decimal.max(dec(available), 0).div(perDay).toDecimalPlaces(1, Decimal.ROUND_DOWN));
}
