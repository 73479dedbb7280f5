import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, numeric, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { items } from './items.js';
import { reorderPolicies } from './purchasing.js';

const qty = () => numeric({ precision: 18, scale: 4 });
const score = () => numeric({ precision: 12, scale: 4 });

/**
 * The latest demand forecast of each reorder policy, written by the weekly refit
 * (activities/forecasting.ts, Schedule stockroom-forecast-refit-weekly) and read by the reorder check:
 * where the policy allows it (reorder_policies.demand_method 'auto') and the forecast beat the current
 * average/σ method in backtest, for the same lead time and service level, its reorder point and safety
 * stock replace the computed ones. Quantities are exact decimals (rounded up to the item's unit for
 * the reorder point); scores and the per-period forecasts are statistics, kept with 4 decimals.
 */
export const demandForecasts = pgTable(
  'demand_forecasts',
  {
    policyId: uuid()
      .primaryKey()
      .references(() => reorderPolicies.id, { onDelete: 'cascade' }),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    fittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Exclusive end of the history (midnight UTC of the refit's day). */
    historyEnd: date().notNull(),
    /** 'week' (most items) or 'day' (dense demand). */
    period: text().notNull(),
    historyPeriods: smallint().notNull(),
    model: text().notNull(),
    demandClass: text().notNull(),
    params: jsonb().notNull(),
    /** Backtest scores of the chosen model, seasonal naive and the current method; null when not finite. */
    mase: score(),
    bias: score(),
    maseSeasonalNaive: score(),
    maseCurrent: score(),
    beatsCurrent: boolean().notNull(),
    /** The lead time and service level the lead-time figures are for (the check ignores a stale pair). */
    leadTimeDays: numeric({ precision: 8, scale: 2 }).notNull(),
    serviceLevel: numeric({ precision: 5, scale: 4 }).notNull(),
    leadTimeDemand: qty().notNull(),
    safetyStock: qty().notNull(),
    reorderPoint: qty().notNull(),
    intervalMethod: text().notNull(),
    /** Next periods: [{ start: 'YYYY-MM-DD', mean, lower, upper }] (90 % intervals). */
    nextPeriods: jsonb().notNull(),
    /** Every candidate's backtest score: [{ model, mase, bias }]. */
    backtest: jsonb().notNull(),
    /** Hold-out actuals vs forecast of the last refit, for the digest's chart: [{ start, actual, forecast }]. */
    recent: jsonb().notNull().default(sql`'[]'::jsonb`),
    horizonPeriods: integer().notNull(),
  },
  (t) => [
    index('demand_forecasts_item_idx').on(t.itemId),
    check('demand_forecasts_period', sql`${t.period} in ('day', 'week')`),
    check(
      'demand_forecasts_quantities_not_negative',
      sql`${t.leadTimeDemand} >= 0 and ${t.safetyStock} >= 0 and ${t.reorderPoint} >= ${t.leadTimeDemand}`,
    ),
  ],
);
