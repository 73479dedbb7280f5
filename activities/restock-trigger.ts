import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { restockWorkflowId, TASK_QUEUE } from '../workflows/ids.js';
import type { StockChangedInput } from '../workflows/restock-messages.js';
import { searchAttributes } from '../workflows/search-attributes.js';

/**
 * The link from a stock move to restocking: after an activity that moved stock, if the item's
 * available stock is at or below a reorder point (or an alert episode is open, so a recovery is
 * seen), the item's restock workflow is started or signalled with signalWithStart. The workflow ID
 * is the SKU's, so concurrent moves reach one workflow; never two at once.
 */

/** Is any active policy of the item at or below its reorder point, or is an alert open? One query. */
export async function restockDue(db: Executor, sku: string): Promise<{ sku: string; due: boolean } | undefined> {
  const rows = (await db.execute(sql`
    select i.sku,
           exists (select 1 from stock_alerts a where a.item_id = i.id and a.resolved_at is null)
           or exists (
             select 1
               from reorder_policies p
               left join locations wl on wl.id = p.location_id
              where p.item_id = i.id and p.active
                and coalesce((select sum(sl.on_hand - sl.reserved)
                                from stock_levels sl
                                join locations l on l.id = sl.location_id
                               where sl.item_id = i.id
                                 and (p.location_id is null or lower(l.path) = lower(wl.path) or lower(l.path) like lower(wl.path) || '/%')), 0)
                    <= case when p.reorder_point_mode = 'computed'
                            then greatest(coalesce(p.computed_reorder_point, p.reorder_point, 0), coalesce(p.min, 0))
                            else coalesce(p.reorder_point, p.min, 0) end
           ) as due
      from items i
     where lower(i.sku) = lower(${sku.trim()})`)) as unknown as { sku: string; due: boolean }[];
  return rows[0];
}

/** Starts the item's restock workflow, or signals the running one. */
export async function signalRestock(client: Client, sku: string, reason: StockChangedInput['reason']): Promise<void> {
  await client.workflow.signalWithStart('restockWorkflow', {
    workflowId: restockWorkflowId(sku),
    taskQueue: TASK_QUEUE,
    args: [{ sku: sku.toUpperCase() }],
    signal: 'stockChanged',
    signalArgs: [{ reason } satisfies StockChangedInput],
    typedSearchAttributes: [{ key: searchAttributes.sku, value: sku.toUpperCase() }],
  });
}

/** The activity's own client (the worker's), or none outside a worker (scripts, unit tests). */
function activityClient(): Client | undefined {
  try {
    return Context.current().client;
  } catch {
    return undefined;
  }
}

export async function checkRestockAfterMove(db: Executor, sku: string, client = activityClient()): Promise<boolean> {
  if (!client) return false;
  const state = await restockDue(db, sku);
  if (!state?.due) return false;
  await signalRestock(client, state.sku, 'move');
  return true;
}

type AnyActivity = (input: never) => Promise<unknown>;

/** Activities that move stock, and where their input (or, when the input only names a document line, their result) names the SKU. */
const MOVES: Record<string, (input: Record<string, unknown>, result: unknown) => string[]> = {
  receive: (i) => [i.sku as string],
  reserve: (i) => [i.sku as string],
  release: (i) => (typeof i.sku === 'string' ? [i.sku] : []),
  issue: (i) => [i.sku as string],
  transfer: (i) => [i.sku as string],
  adjust: (i) => [i.sku as string],
  reserveRequisitionLine: (i) => [i.sku as string],
  issueRequisitionLine: (i) => [i.sku as string],
  releaseRequisitionStock: (i) => {
    const line = i.line as { sku?: string } | undefined;
    return line?.sku ? [line.sku] : [];
  },
  // A cycle-count adjustment names its count line; the result says which item moved (nothing moved when refused).
  postCountAdjustment: (_i, r) => {
    const posted = r as { ok?: boolean; sku?: string } | undefined;
    return posted?.ok && posted.sku ? [posted.sku] : [];
  },
};

/**
 * Wraps the stock-moving activities so each, once its move is posted, checks the reorder point.
 * A failure to signal fails the activity, and its retry (idempotent by the move's key) signals again.
 */
export function withRestockTrigger<T extends Record<string, AnyActivity>>(db: Executor, activities: T): T {
  const wrapped: Record<string, AnyActivity> = { ...activities };
  for (const [name, skusOf] of Object.entries(MOVES)) {
    const inner = activities[name];
    if (!inner) continue;
    wrapped[name] = (async (input: Record<string, unknown>) => {
      const result = await inner(input as never);
      for (const sku of skusOf(input ?? {}, result)) if (typeof sku === 'string' && sku.trim()) await checkRestockAfterMove(db, sku);
      return result;
    }) as AnyActivity;
  }
  return wrapped as T;
}
