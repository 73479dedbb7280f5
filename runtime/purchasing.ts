import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { toPlain } from '../inventory/decimal.js';
import { roundUpToMultiple } from '../inventory/reorder.js';
import { evaluateItem } from '../db/queries/reorder-check.js';
import { createPurchaseOrder, getPurchaseOrder, PurchasingError, type NewPurchaseOrder, type PurchaseOrderRecord } from '../db/queries/purchasing.js';
import type { Database } from '../db/client.js';
import { purchaseOrderWorkflowId, TASK_QUEUE } from '../workflows/ids.js';
import type { purchaseOrderWorkflow } from '../workflows/purchase-order.js';
import type { PurchaseOrderView } from '../workflows/purchase-order-messages.js';
import { searchAttributes } from '../workflows/search-attributes.js';
import { answerUpdate, type ClickAnswer } from './update-answer.js';
import { toLineViews } from '../activities/purchasing.js';
import { escapeLike } from '../db/queries/like.js';

/**
 * The client side of purchase orders, for the bot, the CLI and tests: create a draft and start its
 * workflow (idempotent by the creation key), draft one from restock suggestions grouped by vendor,
 * and send a click to a PO's workflow with a sentence back whatever happens.
 */

export interface StartedPurchaseOrder {
  number: string;
  workflowId: string;
  created: boolean;
  record: PurchaseOrderRecord;
}

export async function startPurchaseOrder(
  deps: { db: Executor; client: Client },
  input: NewPurchaseOrder & { submit?: boolean },
): Promise<StartedPurchaseOrder> {
  const record = await createPurchaseOrder(deps.db, input);
  const workflowId = purchaseOrderWorkflowId(record.number);
  try {
    await deps.client.workflow.start<typeof purchaseOrderWorkflow>('purchaseOrderWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ number: record.number, ...(input.submit ? { submitAs: input.createdBy } : {}) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: searchAttributes.documentStatus, value: record.status },
        { key: searchAttributes.vendor, value: record.vendorCode },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { number: record.number, workflowId, created: record.created, record };
}

export const purchaseOrderHandle = (client: Client, number: string): WorkflowHandle<typeof purchaseOrderWorkflow> =>
  client.workflow.getHandle<typeof purchaseOrderWorkflow>(purchaseOrderWorkflowId(number));

export type { ClickAnswer } from './update-answer.js';

/** Sends an Update to the PO's workflow; a refusal or a finished PO comes back as a sentence. */
export async function purchaseOrderClick<Result, Input>(
  deps: { db: Executor; client: Client },
  number: string,
  update: UpdateDefinition<Result, [Input]>,
  input: Input,
): Promise<ClickAnswer<Result>> {
  return answerUpdate(purchaseOrderHandle(deps.client, number), update, input, {
    refused: `${number} refused that.`,
    whenClosed: async () => {
      const record = await getPurchaseOrder(deps.db, number);
      if (!record) return `There is no purchase order ${number}.`;
      return `${record.number} is ${record.status.replace('_', ' ')}; there is nothing left to do.`;
    },
  });
}

/**
 * "Create purchase order" from a stock alert: one draft for the item's vendor holding every item of
 * that vendor whose position is at or below its reorder point and not yet on order (restock
 * suggestions grouped by vendor), each at the suggested quantity. The key makes a double click one PO.
 */
export async function draftFromSuggestions(
  deps: { db: Database; client: Client },
  input: { key: string; sku: string; buyer: string },
): Promise<StartedPurchaseOrder> {
  const items = (await deps.db.execute(sql`
    select i.id, p.vendor_id, v.code as vendor
      from items i join reorder_policies p on p.item_id = i.id and p.active
      left join vendors v on v.id = p.vendor_id
     where lower(i.sku) = lower(${input.sku})`)) as unknown as { id: string; vendor_id: string | null; vendor: string | null }[];
  const item = items.find((i) => i.vendor) ?? items[0];
  if (!item) throw new PurchasingError('unknown_sku', `${input.sku} has no reorder policy.`);
  if (!item.vendor) throw new PurchasingError('unknown_vendor', `${input.sku} has no vendor on its reorder policy: set one first.`);
  const sameVendor = (await deps.db.execute(sql`
    select distinct p.item_id from reorder_policies p where p.active and p.vendor_id = ${item.vendor_id}`)) as unknown as { item_id: string }[];
  const lines: NewPurchaseOrder['lines'] = [];
  for (const { item_id } of sameVendor) {
    for (const e of await evaluateItem(deps.db, { itemId: item_id, save: false })) {
      if (e.vendorId !== item.vendor_id || e.evaluation.suggestedQuantity === '0') continue;
      lines.push({ sku: e.sku, quantity: e.evaluation.suggestedQuantity, ...(e.unitPrice ? { unitPrice: e.unitPrice } : {}) });
    }
  }
  if (!lines.some((l) => l.sku.toUpperCase() === input.sku.toUpperCase())) {
    // A second click after the draft exists: the item is on order now, so answer with that draft.
    const [earlier] = (await deps.db.execute(sql`select number from purchase_orders where creation_key = ${input.key}`)) as unknown as { number: string }[];
    if (earlier) return startPurchaseOrder(deps, { key: input.key, vendor: item.vendor, buyer: input.buyer, createdBy: input.buyer, lines: [] });
    throw new PurchasingError('no_lines', `${input.sku} needs no order now: what is on order already covers it.`);
  }
  lines.sort((a, b) => a.sku.localeCompare(b.sku));
  return startPurchaseOrder(deps, { key: input.key, vendor: item.vendor, buyer: input.buyer, createdBy: input.buyer, source: 'restock', lines });
}

/** The PO as the database has it, in the workflow view's shape (modals opened while the workflow is busy or done). */
export function viewFromRecord(record: PurchaseOrderRecord): PurchaseOrderView {
  return {
    number: record.number,
    vendorCode: record.vendorCode,
    vendorName: record.vendorName,
    buyer: record.buyer,
    status: record.status,
    source: record.source,
    totalValue: record.totalValue,
    createdAt: record.createdAt,
    autoApproved: false,
    ...(record.sentAt ? { sentAt: record.sentAt } : {}),
    ...(record.expectedAt ? { expectedAt: record.expectedAt } : {}),
    lines: toLineViews(record),
    approvals: [],
    receipts: 0,
    overdueReminders: 0,
    invoices: [],
  };
}

/** Purchase orders waiting for goods, oldest first (the /receive picker). */
export async function purchaseOrdersAwaitingGoods(db: Executor, limit = 20): Promise<{ number: string; vendor: string }[]> {
  return (await db.execute(sql`
    select po.number, v.name as vendor from purchase_orders po join vendors v on v.id = po.vendor_id
     where po.status in ('sent', 'partially_received') order by po.created_at limit ${limit}`)) as unknown as { number: string; vendor: string }[];
}

/**
 * Drafts purchase orders for backordered requisition lines not yet on a PO, one per vendor (the
 * vendor of the item's reorder policy), each line linked to its requisition line so the requester
 * sees the PO and is told if it is cancelled. Quantities are the backordered ones, rounded up to the
 * policy's order multiple. Lines of items without a vendor are left out and listed. Idempotent by
 * `key` (one PO per vendor: `${key}/${vendor}`).
 */
export async function draftFromBackorders(
  deps: { db: Database; client: Client },
  input: { key: string; buyer: string; sku?: string },
): Promise<{ started: StartedPurchaseOrder[]; withoutVendor: string[] }> {
  const rows = (await deps.db.execute(sql`
    select l.id as line_id, l.sku, l.quantity_backordered::text as quantity, v.code as vendor,
           p.order_multiple::text as multiple, coalesce(p.unit_price, i.standard_cost)::text as price
      from requisition_lines l
      join requisitions r on r.id = l.requisition_id
      join items i on i.id = l.item_id
      left join lateral (select * from reorder_policies p where p.item_id = l.item_id and p.active and p.vendor_id is not null
                          order by p.location_id nulls first limit 1) p on true
      left join vendors v on v.id = p.vendor_id
     where l.quantity_backordered > 0 and l.purchase_order_number is null
       and r.status in ('approved', 'backordered', 'picking')
       ${input.sku ? sql`and lower(l.sku) = lower(${input.sku})` : sql``}
     order by r.number, l.line_no`)) as unknown as { line_id: string; sku: string; quantity: string; vendor: string | null; multiple: string | null; price: string | null }[];
  const byVendor = new Map<string, NewPurchaseOrder['lines']>();
  const withoutVendor: string[] = [];
  for (const row of rows) {
    if (!row.vendor) {
      withoutVendor.push(row.sku);
      continue;
    }
    const quantity = toPlain(roundUpToMultiple(row.quantity, row.multiple));
    const lines = byVendor.get(row.vendor) ?? [];
    lines.push({ sku: row.sku, quantity, requisitionLineId: row.line_id, ...(row.price ? { unitPrice: row.price } : {}) });
    byVendor.set(row.vendor, lines);
  }
  const started: StartedPurchaseOrder[] = [];
  for (const [vendor, lines] of [...byVendor.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    started.push(await startPurchaseOrder(deps, { key: `${input.key}/${vendor}`, vendor, buyer: input.buyer, createdBy: input.buyer, source: 'backorder', lines }));
  }
  return { started, withoutVendor: [...new Set(withoutVendor)].sort() };
}

/** Active vendors by code (the new purchase order modal's list; Slack shows at most 100). */
export async function activeVendors(db: Executor, limit = 100): Promise<{ code: string; name: string }[]> {
  return (await db.execute(sql`select code, name from vendors where active order by lower(code) limit ${limit}`)) as unknown as { code: string; name: string }[];
}

/** Active vendors whose code or name contains `query` (any case), codes starting with it first: the type-ahead. */
export async function findVendors(db: Executor, query: string, limit = 100): Promise<{ code: string; name: string }[]> {
  const escaped = escapeLike(query.trim());
  return (await db.execute(sql`
    select code, name from vendors
     where active and (code ilike ${`%${escaped}%`} or name ilike ${`%${escaped}%`})
     order by code ilike ${`${escaped}%`} desc, lower(code)
     limit ${limit}`)) as unknown as { code: string; name: string }[];
}
