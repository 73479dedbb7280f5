import { sql } from 'drizzle-orm';
import { boolean, check, date, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Where a requisition's cost lands. The cost center's approver (its manager) is asked first; the
 * approval policy passes over them when their limit is below the amount.
 */
export const costCenters = pgTable(
  'cost_centers',
  {
    /** Short code people type and pick: 'OPS', 'CC-4100'. Unique ignoring case. */
    code: text().primaryKey(),
    name: text().notNull(),
    approverSlackUserId: text(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cost_centers_code_lower_unique').on(sql`lower(${t.code})`),
    check('cost_centers_code_not_blank', sql`btrim(${t.code}) <> ''`),
  ],
);

/**
 * A cost center's budget for one period [periodStart, periodEnd). What is used is not stored: it is
 * the value of the cost center's requisitions approved in the period (db/queries/cost-centers.ts),
 * so it can never drift from the requisitions themselves.
 */
export const costCenterBudgets = pgTable(
  'cost_center_budgets',
  {
    id: uuid().primaryKey().defaultRandom(),
    costCenterCode: text()
      .notNull()
      .references(() => costCenters.code),
    periodStart: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    amount: numeric({ precision: 18, scale: 4 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cost_center_budgets_period_unique').on(t.costCenterCode, t.periodStart),
    check('cost_center_budgets_period_order', sql`${t.periodEnd} > ${t.periodStart}`),
    check('cost_center_budgets_amount_not_negative', sql`${t.amount} >= 0`),
  ],
);
