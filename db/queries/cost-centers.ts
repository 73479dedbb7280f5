import { and, desc, eq, gt, lte, sql } from 'drizzle-orm';
import { dec, parseDecimal, toPlain } from '../../inventory/decimal.js';
import type { Executor } from '../client.js';
import { costCenterBudgets, costCenters, requisitions } from '../schema/index.js';

export class CostCenterError extends Error {
  constructor(
    readonly code: 'unknown_cost_center' | 'invalid_amount' | 'invalid_period',
    message: string,
  ) {
    super(message);
    this.name = 'CostCenterError';
  }
}

export type CostCenter = typeof costCenters.$inferSelect;

export async function upsertCostCenter(
  db: Executor,
  input: { code: string; name: string; approverSlackUserId?: string | null; active?: boolean },
): Promise<CostCenter> {
  const [row] = await db
    .insert(costCenters)
    .values({ code: input.code.trim(), name: input.name, approverSlackUserId: input.approverSlackUserId ?? null, active: input.active ?? true })
    .onConflictDoUpdate({
      target: costCenters.code,
      set: { name: input.name, approverSlackUserId: input.approverSlackUserId ?? null, active: input.active ?? true },
    })
    .returning();
  return row!;
}

/** By code, ignoring case. */
export async function getCostCenter(db: Executor, code: string): Promise<CostCenter | undefined> {
  const [row] = await db
    .select()
    .from(costCenters)
    .where(sql`lower(${costCenters.code}) = lower(${code.trim()})`);
  return row;
}

export async function listCostCenters(db: Executor, opts: { activeOnly?: boolean } = {}): Promise<CostCenter[]> {
  return db
    .select()
    .from(costCenters)
    .where(opts.activeOnly ? eq(costCenters.active, true) : undefined)
    .orderBy(costCenters.code);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Sets (or replaces) a cost center's budget for [periodStart, periodEnd). */
export async function setBudget(
  db: Executor,
  input: { costCenter: string; periodStart: string; periodEnd: string; amount: string },
): Promise<void> {
  const center = await getCostCenter(db, input.costCenter);
  if (!center) throw new CostCenterError('unknown_cost_center', `No cost center ${input.costCenter}.`);
  if (!ISO_DATE.test(input.periodStart) || !ISO_DATE.test(input.periodEnd) || input.periodEnd <= input.periodStart) {
    throw new CostCenterError('invalid_period', `A budget period is two dates, start before end (got ${input.periodStart} to ${input.periodEnd}).`);
  }
  const amount = parseDecimal(input.amount);
  if (!amount || amount.isNegative()) throw new CostCenterError('invalid_amount', `"${input.amount}" is not an amount.`);
  await db
    .insert(costCenterBudgets)
    .values({ costCenterCode: center.code, periodStart: input.periodStart, periodEnd: input.periodEnd, amount: toPlain(amount) })
    .onConflictDoUpdate({
      target: [costCenterBudgets.costCenterCode, costCenterBudgets.periodStart],
      set: { periodEnd: input.periodEnd, amount: toPlain(amount) },
    });
}

export interface BudgetStatus {
  costCenter: string;
  costCenterName: string;
  periodStart: string;
  periodEnd: string;
  amount: string;
  /** Value of the cost center's requisitions approved in the period (issued ones at their actual cost). */
  used: string;
  remaining: string;
}

/**
 * The budget covering `on` (YYYY-MM-DD) and what is used of it. Used counts requisitions approved in
 * the period and not rejected: at their estimated value while open, at the cost of what was issued
 * once closed (issued, or cancelled after a partial issue). Undefined when no budget covers the date.
 */
export async function budgetStatus(db: Executor, input: { costCenter: string; on: string }): Promise<BudgetStatus | undefined> {
  const center = await getCostCenter(db, input.costCenter);
  if (!center) return undefined;
  const [budget] = await db
    .select()
    .from(costCenterBudgets)
    .where(
      and(eq(costCenterBudgets.costCenterCode, center.code), lte(costCenterBudgets.periodStart, input.on), gt(costCenterBudgets.periodEnd, input.on)),
    )
    .orderBy(desc(costCenterBudgets.periodStart))
    .limit(1);
  if (!budget) return undefined;
  const [row] = await db
    .select({
      used: sql<string>`coalesce(sum(case when ${requisitions.status} in ('issued', 'cancelled') then ${requisitions.issuedValue}
        else ${requisitions.totalValue} end), 0)::text`,
    })
    .from(requisitions)
    .where(
      and(
        eq(requisitions.costCenterCode, center.code),
        sql`${requisitions.status} <> 'rejected'`,
        sql`${requisitions.approvedAt} >= ${budget.periodStart}::date`,
        sql`${requisitions.approvedAt} < ${budget.periodEnd}::date`,
      ),
    );
  const used = dec(row?.used ?? '0');
  return {
    costCenter: center.code,
    costCenterName: center.name,
    periodStart: budget.periodStart,
    periodEnd: budget.periodEnd,
    amount: toPlain(dec(budget.amount)),
    used: toPlain(used),
    remaining: toPlain(dec(budget.amount).minus(used)),
  };
}
