import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { dec, parseDecimal, QTY_SCALE, MONEY_SCALE, toPlain } from '../../inventory/decimal.js';
import {
  checkReceipt,
  DEFAULT_OVER_RECEIPT_TOLERANCE,
  purchaseOrderTotal,
  statusAfterReceipt,
  threeWayMatch,
  type InvoiceLineInput,
  type InvoiceMismatch,
  type PurchaseOrderStatus,
  type ReceiptLineInput,
  type ReceiptProblem,
} from '../../inventory/purchase-order.js';
import type { Executor } from '../client.js';
import {
  items,
  locations,
  purchaseOrderApprovals,
  purchaseOrderLines,
  purchaseOrders,
  receipts,
  reorderPolicies,
  supplierInvoiceLines,
  supplierInvoices,
  vendors,
} from '../schema/index.js';
import { learnedLeadTime, trim } from './demand.js';
import { receive } from './ledger.js';
import { OPEN_PO_STATUSES } from './reorder-check.js';
import { escapeLike } from './like.js';

export type Vendor = typeof vendors.$inferSelect;
export type ReorderPolicy = typeof reorderPolicies.$inferSelect;

export type PurchasingErrorCode =
  | 'unknown_vendor'
  | 'unknown_sku'
  | 'unknown_location'
  | 'unknown_purchase_order'
  | 'invalid_quantity'
  | 'invalid_price'
  | 'invalid_input'
  | 'no_lines'
  | 'invalid_status'
  | 'receipt_refused'
  | 'duplicate_invoice';

/** A refused purchasing operation; nothing was written. `field` names the form field at fault when there is one. */
export class PurchasingError extends Error {
  override readonly name = 'PurchasingError';
  constructor(
    readonly code: PurchasingErrorCode,
    message: string,
    readonly details: { field?: string; lineNo?: number; problems?: ReceiptProblem[] } = {},
  ) {
    super(message);
  }
}

const lowerEq = (column: Parameters<typeof sql>[1], value: string) => sql`lower(${column}) = lower(${value.trim()})`;

// ---- vendors and policies ----

export async function ensureVendor(
  db: Executor,
  input: { code: string; name: string; email?: string; defaultLeadTimeDays?: string },
): Promise<Vendor> {
  const existing = await getVendor(db, input.code);
  if (existing) return existing;
  await db
    .insert(vendors)
    .values({ code: input.code.trim(), name: input.name, email: input.email, defaultLeadTimeDays: input.defaultLeadTimeDays })
    .onConflictDoNothing();
  return (await getVendor(db, input.code))!;
}

export async function getVendor(db: Executor, code: string): Promise<Vendor | undefined> {
  const [row] = await db.select().from(vendors).where(lowerEq(vendors.code, code));
  return row;
}

export interface ReorderPolicyInput {
  sku: string;
  /** A warehouse path: the policy then covers only stock under it. */
  warehouse?: string;
  vendor?: string;
  reorderPointMode?: 'manual' | 'computed';
  min?: string | null;
  max?: string | null;
  reorderPoint?: string | null;
  safetyStock?: string | null;
  serviceLevel?: string;
  leadTimeDays?: string;
  demandWindowDays?: number;
  orderMultiple?: string | null;
  unitPrice?: string | null;
  orderingCost?: string | null;
  holdingCostPerUnitYear?: string | null;
  active?: boolean;
}

/** Creates or changes the item's policy (per warehouse when given). */
export async function upsertReorderPolicy(db: Executor, input: ReorderPolicyInput): Promise<ReorderPolicy> {
  const [item] = await db.select({ id: items.id }).from(items).where(lowerEq(items.sku, input.sku));
  if (!item) throw new PurchasingError('unknown_sku', `No item has the SKU ${input.sku}.`, { field: 'sku' });
  let locationId: string | null = null;
  if (input.warehouse) {
    const [loc] = await db.select({ id: locations.id }).from(locations).where(lowerEq(locations.path, input.warehouse));
    if (!loc) throw new PurchasingError('unknown_location', `No location ${input.warehouse}.`, { field: 'warehouse' });
    locationId = loc.id;
  }
  let vendorId: string | undefined;
  if (input.vendor) {
    const vendor = await getVendor(db, input.vendor);
    if (!vendor) throw new PurchasingError('unknown_vendor', `No vendor ${input.vendor}.`, { field: 'vendor' });
    vendorId = vendor.id;
  }
  const values = {
    itemId: item.id,
    locationId,
    vendorId,
    reorderPointMode: input.reorderPointMode,
    min: input.min,
    max: input.max,
    reorderPoint: input.reorderPoint,
    safetyStock: input.safetyStock,
    serviceLevel: input.serviceLevel,
    leadTimeDays: input.leadTimeDays,
    demandWindowDays: input.demandWindowDays,
    orderMultiple: input.orderMultiple,
    unitPrice: input.unitPrice,
    orderingCost: input.orderingCost,
    holdingCostPerUnitYear: input.holdingCostPerUnitYear,
    active: input.active,
  };
  const set = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== undefined && k !== 'itemId' && k !== 'locationId'));
  const [row] = await db
    .insert(reorderPolicies)
    .values(values)
    .onConflictDoUpdate({ target: [reorderPolicies.itemId, reorderPolicies.locationId], set: { ...set, updatedAt: new Date() } })
    .returning();
  return row!;
}

/** Quantity on open and draft POs for an item. */
export async function onOrder(db: Executor, itemId: string): Promise<string> {
  const rows = (await db.execute(sql`
    select coalesce(sum(greatest(pl.quantity_ordered - pl.quantity_received - pl.quantity_cancelled, 0)), 0)::text as q
      from purchase_order_lines pl join purchase_orders po on po.id = pl.purchase_order_id
     where pl.item_id = ${itemId} and po.status in (${sql.join(OPEN_PO_STATUSES.map((s) => sql`${s}`), sql`, `)})`)) as unknown as {
    q: string;
  }[];
  return trim(rows[0]!.q);
}

// ---- purchase orders ----

export interface NewPurchaseOrderLine {
  sku: string;
  quantity: string;
  /** Defaults to the policy's vendor price, then the item's standard cost. */
  unitPrice?: string;
  expectedDate?: string;
  requisitionLineId?: string;
  /** Putaway location proposed when receiving. */
  location?: string;
}

export interface NewPurchaseOrder {
  /** Idempotency key: a retried creation returns the PO made the first time. */
  key: string;
  vendor: string;
  buyer: string;
  createdBy: string;
  source?: 'restock' | 'backorder' | 'manual';
  note?: string;
  expectedAt?: string;
  lines: NewPurchaseOrderLine[];
}

export interface PurchaseOrderLineRecord {
  id: string;
  lineNo: number;
  itemId: string;
  sku: string;
  name: string;
  uom: string;
  decimals: number;
  ordered: string;
  received: string;
  cancelled: string;
  unitPrice: string;
  expectedDate?: string;
  requisitionLineId?: string;
  defaultLocation?: string;
}

export interface PurchaseOrderRecord {
  id: string;
  number: string;
  status: PurchaseOrderStatus;
  source: 'restock' | 'backorder' | 'manual';
  vendorId: string;
  vendorCode: string;
  vendorName: string;
  buyer: string;
  createdBy: string;
  totalValue: string;
  note?: string;
  expectedAt?: string;
  sentAt?: string;
  createdAt: string;
  lines: PurchaseOrderLineRecord[];
}

const QTY_RE = /^\d+(\.\d+)?$/;

function checkQty(value: string, lineNo: number, decimals: number, sku: string): string {
  const q = parseDecimal(value);
  if (!q || !QTY_RE.test(value.trim()) || q.lte(0)) {
    throw new PurchasingError('invalid_quantity', `Line ${lineNo}: "${value}" is not a positive quantity.`, { field: 'quantity', lineNo });
  }
  if (q.decimalPlaces() > Math.min(decimals, QTY_SCALE)) {
    throw new PurchasingError('invalid_quantity', `Line ${lineNo}: ${sku} takes at most ${decimals} decimals.`, { field: 'quantity', lineNo });
  }
  return toPlain(q);
}

/**
 * Creates a draft PO with numbered lines (PO-000123 from the sequence). Same key twice returns the
 * first PO unchanged (`created: false`).
 */
export async function createPurchaseOrder(db: Executor, input: NewPurchaseOrder): Promise<PurchaseOrderRecord & { created: boolean }> {
  const [existing] = await db.select({ number: purchaseOrders.number }).from(purchaseOrders).where(eq(purchaseOrders.creationKey, input.key));
  if (existing) return { ...(await getPurchaseOrder(db, existing.number))!, created: false };
  if (input.lines.length === 0) throw new PurchasingError('no_lines', 'A purchase order needs at least one line.', { field: 'lines' });
  const vendor = await getVendor(db, input.vendor);
  if (!vendor) throw new PurchasingError('unknown_vendor', `No vendor ${input.vendor}.`, { field: 'vendor' });

  const run = async (tx: Executor) => {
    const lines = [];
    for (const [i, line] of input.lines.entries()) {
      const lineNo = i + 1;
      const [item] = await tx
        .select({ id: items.id, sku: items.sku, decimals: items.uomDecimals, standardCost: items.standardCost, active: items.active })
        .from(items)
        .where(lowerEq(items.sku, line.sku));
      if (!item) throw new PurchasingError('unknown_sku', `Line ${lineNo}: no item has the SKU ${line.sku}.`, { field: 'sku', lineNo });
      const quantity = checkQty(line.quantity, lineNo, item.decimals, item.sku);
      let price = line.unitPrice;
      if (price === undefined) {
        const [policy] = await tx
          .select({ unitPrice: reorderPolicies.unitPrice })
          .from(reorderPolicies)
          .where(and(eq(reorderPolicies.itemId, item.id), eq(reorderPolicies.vendorId, vendor.id)))
          .limit(1);
        price = policy?.unitPrice ?? item.standardCost ?? undefined;
      }
      const parsedPrice = price === undefined ? undefined : parseDecimal(price);
      if (!parsedPrice || parsedPrice.isNegative() || parsedPrice.decimalPlaces() > MONEY_SCALE) {
        throw new PurchasingError('invalid_price', `Line ${lineNo}: ${item.sku} needs a unit price (none given and no standard cost).`, {
          field: 'unitPrice',
          lineNo,
        });
      }
      let defaultLocationId: string | undefined;
      if (line.location) {
        const [loc] = await tx.select({ id: locations.id }).from(locations).where(lowerEq(locations.path, line.location));
        if (!loc) throw new PurchasingError('unknown_location', `Line ${lineNo}: no location ${line.location}.`, { field: 'location', lineNo });
        defaultLocationId = loc.id;
      }
      lines.push({
        lineNo,
        itemId: item.id,
        sku: item.sku,
        quantityOrdered: quantity,
        unitPrice: toPlain(parsedPrice),
        expectedDate: line.expectedDate ?? input.expectedAt,
        requisitionLineId: line.requisitionLineId,
        defaultLocationId,
      });
    }
    const totalValue = purchaseOrderTotal(lines.map((l) => ({ quantity: l.quantityOrdered, unitPrice: l.unitPrice })));
    const [po] = await tx
      .insert(purchaseOrders)
      .values({
        creationKey: input.key,
        vendorId: vendor.id,
        source: input.source ?? 'manual',
        buyerSlackUserId: input.buyer,
        createdBy: input.createdBy,
        note: input.note,
        expectedAt: input.expectedAt,
        totalValue,
      })
      .onConflictDoNothing()
      .returning({ id: purchaseOrders.id, number: purchaseOrders.number });
    if (!po) return undefined; // a concurrent call with the same key won
    await tx.insert(purchaseOrderLines).values(lines.map((l) => ({ ...l, purchaseOrderId: po.id })));
    // A backordered requisition line bought on this PO shows it (the approver's DM, the requester's card).
    for (const l of lines) {
      if (l.requisitionLineId) await tx.execute(sql`update requisition_lines set purchase_order_number = ${po.number} where id = ${l.requisitionLineId}`);
    }
    return po.number;
  };
  const number = await db.transaction(run);
  if (number === undefined) return createPurchaseOrder(db, input);
  return { ...(await getPurchaseOrder(db, number))!, created: true };
}

export async function getPurchaseOrder(db: Executor, number: string): Promise<PurchaseOrderRecord | undefined> {
  const [po] = await db
    .select({ po: purchaseOrders, vendorCode: vendors.code, vendorName: vendors.name })
    .from(purchaseOrders)
    .innerJoin(vendors, eq(vendors.id, purchaseOrders.vendorId))
    .where(lowerEq(purchaseOrders.number, number));
  if (!po) return undefined;
  const lines = await db
    .select({ line: purchaseOrderLines, name: items.name, uom: items.uom, decimals: items.uomDecimals, location: locations.path })
    .from(purchaseOrderLines)
    .innerJoin(items, eq(items.id, purchaseOrderLines.itemId))
    .leftJoin(locations, eq(locations.id, purchaseOrderLines.defaultLocationId))
    .where(eq(purchaseOrderLines.purchaseOrderId, po.po.id))
    .orderBy(asc(purchaseOrderLines.lineNo));
  return {
    id: po.po.id,
    number: po.po.number,
    status: po.po.status,
    source: po.po.source,
    vendorId: po.po.vendorId,
    vendorCode: po.vendorCode,
    vendorName: po.vendorName,
    buyer: po.po.buyerSlackUserId,
    createdBy: po.po.createdBy,
    totalValue: trim(po.po.totalValue),
    note: po.po.note ?? undefined,
    expectedAt: po.po.expectedAt ?? undefined,
    sentAt: po.po.sentAt?.toISOString(),
    createdAt: po.po.createdAt.toISOString(),
    lines: lines.map(({ line, name, uom, decimals, location }) => ({
      id: line.id,
      lineNo: line.lineNo,
      itemId: line.itemId,
      sku: line.sku,
      name,
      uom,
      decimals,
      ordered: trim(line.quantityOrdered),
      received: trim(line.quantityReceived),
      cancelled: trim(line.quantityCancelled),
      unitPrice: trim(line.unitPrice),
      expectedDate: line.expectedDate ?? undefined,
      requisitionLineId: line.requisitionLineId ?? undefined,
      defaultLocation: location ?? undefined,
    })),
  };
}

/** Status and the timestamps that go with it; `awaiting` is who must decide now (App Home, reminders). */
export async function savePurchaseOrderStatus(
  db: Executor,
  input: {
    number: string;
    status: PurchaseOrderStatus;
    currentLevel?: number | null;
    awaiting?: string[];
    expectedAt?: string;
    cancelReason?: string;
  },
): Promise<void> {
  const now = sql`now()`;
  const stamps: Record<string, unknown> = {};
  if (input.status === 'approved') stamps.approvedAt = sql`coalesce(${purchaseOrders.approvedAt}, now())`;
  if (input.status === 'sent') stamps.sentAt = sql`coalesce(${purchaseOrders.sentAt}, now())`;
  if (input.status === 'received') stamps.receivedAt = sql`coalesce(${purchaseOrders.receivedAt}, now())`;
  if (input.status === 'closed' || input.status === 'received') stamps.closedAt = sql`coalesce(${purchaseOrders.closedAt}, now())`;
  if (input.status === 'cancelled') stamps.cancelledAt = sql`coalesce(${purchaseOrders.cancelledAt}, now())`;
  await db
    .update(purchaseOrders)
    .set({
      status: input.status,
      ...stamps,
      ...(input.currentLevel !== undefined ? { currentLevel: input.currentLevel } : {}),
      ...(input.awaiting !== undefined ? { awaiting: input.awaiting } : {}),
      ...(input.expectedAt !== undefined ? { expectedAt: input.expectedAt } : {}),
      ...(input.cancelReason !== undefined ? { cancelReason: input.cancelReason } : {}),
      updatedAt: now,
    })
    .where(lowerEq(purchaseOrders.number, input.number));
}

/** One decision per level; a retried write of the same decision is a no-op. */
export async function recordPurchaseOrderApproval(
  db: Executor,
  input: { number: string; level: number; approver: string; decision: 'approved' | 'rejected' | 'auto_approved'; reason?: string; decidedAt: string },
): Promise<void> {
  const [po] = await db.select({ id: purchaseOrders.id }).from(purchaseOrders).where(lowerEq(purchaseOrders.number, input.number));
  if (!po) throw new PurchasingError('unknown_purchase_order', `No purchase order ${input.number}.`);
  await db
    .insert(purchaseOrderApprovals)
    .values({
      purchaseOrderId: po.id,
      level: input.level,
      approverSlackUserId: input.approver,
      decision: input.decision,
      reason: input.reason,
      decidedAt: new Date(input.decidedAt),
    })
    .onConflictDoNothing();
}

/** Cancels what is still open on every line (closing short, or cancelling the PO). Returns what was cancelled. */
export async function cancelOpenQuantities(db: Executor, number: string): Promise<{ lineNo: number; sku: string; quantity: string; requisitionLineId?: string }[]> {
  const rows = (await db.execute(sql`
    with open as (
      select pl.id, pl.line_no, pl.sku, pl.requisition_line_id,
             greatest(pl.quantity_ordered - pl.quantity_cancelled - pl.quantity_received, 0) as q
        from purchase_order_lines pl join purchase_orders po on po.id = pl.purchase_order_id
       where lower(po.number) = lower(${number})
         for update of pl
    )
    update purchase_order_lines pl set quantity_cancelled = pl.quantity_cancelled + open.q
      from open where pl.id = open.id and open.q > 0
    returning open.line_no, open.sku, open.q::text as q, open.requisition_line_id`)) as unknown as {
    line_no: number;
    sku: string;
    q: string;
    requisition_line_id: string | null;
  }[];
  return rows
    .map((r) => ({ lineNo: r.line_no, sku: r.sku, quantity: trim(r.q), requisitionLineId: r.requisition_line_id ?? undefined }))
    .sort((a, b) => a.lineNo - b.lineNo);
}

// ---- receiving ----

export interface ReceiptInput {
  /** The receiving submission's key; each line's receipt is keyed `${key}:${lineNo}`. */
  key: string;
  number: string;
  actor: string;
  lines: ReceiptLineInput[];
  tolerance?: string;
}

export interface PostedReceipt {
  lineNo: number;
  sku: string;
  quantity: string;
  location: string;
  unitCost: string;
  moveId: string;
  lot?: string;
}

export interface ReceiptOutcome {
  number: string;
  status: PurchaseOrderStatus;
  posted: PostedReceipt[];
  lines: { lineNo: number; sku: string; ordered: string; received: string; cancelled: string }[];
}

/**
 * Posts a receipt: each line's quantity goes into the ledger at the PO price (receive(): move +
 * cost layer) at its putaway location, a receipts row links the move, the line's received quantity
 * grows and the PO becomes partially received or received. One transaction with the PO row locked,
 * so two people receiving the same PO at once cannot both pass the over-receipt check. The same key
 * again returns what was posted the first time and posts nothing.
 */
export async function postReceipt(db: Executor, input: ReceiptInput): Promise<ReceiptOutcome> {
  const run = async (tx: Executor): Promise<ReceiptOutcome> => {
    const locked = (await tx.execute(sql`
      select id, number, status from purchase_orders where lower(number) = lower(${input.number}) for update`)) as unknown as {
      id: string;
      number: string;
      status: PurchaseOrderStatus;
    }[];
    const po = locked[0];
    if (!po) throw new PurchasingError('unknown_purchase_order', `No purchase order ${input.number}.`);
    const keyPrefix = `${input.key}:`;
    const earlier = await tx
      .select({ receipt: receipts, lineNo: purchaseOrderLines.lineNo, sku: purchaseOrderLines.sku, location: locations.path })
      .from(receipts)
      .innerJoin(purchaseOrderLines, eq(purchaseOrderLines.id, receipts.purchaseOrderLineId))
      .innerJoin(locations, eq(locations.id, receipts.locationId))
      .where(sql`${receipts.idempotencyKey} like ${escapeLike(keyPrefix) + '%'}`);
    const record = (await getPurchaseOrder(tx, po.number))!;
    const summary = () =>
      record.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, ordered: l.ordered, received: l.received, cancelled: l.cancelled }));
    if (earlier.length > 0) {
      return {
        number: po.number,
        status: record.status,
        posted: earlier
          .map((e) => ({
            lineNo: e.lineNo,
            sku: e.sku,
            quantity: trim(e.receipt.quantity),
            location: e.location,
            unitCost: trim(e.receipt.unitCost),
            moveId: String(e.receipt.moveId),
            lot: e.receipt.lot ?? undefined,
          }))
          .sort((a, b) => a.lineNo - b.lineNo),
        lines: summary(),
      };
    }
    const check = checkReceipt({
      status: po.status,
      lines: record.lines,
      receipt: input.lines,
      tolerance: input.tolerance ?? DEFAULT_OVER_RECEIPT_TOLERANCE,
    });
    if (!check.ok) {
      throw new PurchasingError('receipt_refused', check.problems.map((p) => p.message).join(' '), { problems: check.problems });
    }
    const posted: PostedReceipt[] = [];
    for (const accepted of check.lines) {
      const line = record.lines.find((l) => l.lineNo === accepted.lineNo)!;
      const detail = input.lines.find((l) => l.lineNo === accepted.lineNo)!;
      const [loc] = await tx.select({ id: locations.id, path: locations.path }).from(locations).where(lowerEq(locations.path, detail.location!));
      if (!loc) {
        throw new PurchasingError('receipt_refused', `No location ${detail.location}: pick an existing bin.`, {
          problems: [{ lineNo: accepted.lineNo, field: 'location', message: `No location ${detail.location}.` }],
        });
      }
      const lineKey = `${input.key}:${accepted.lineNo}`;
      const move = await receive(tx, {
        key: `receipt:${lineKey}`,
        sku: line.sku,
        location: loc.path,
        quantity: accepted.quantity,
        unitCost: line.unitPrice,
        document: { type: 'purchase_order', id: po.number },
        actor: input.actor,
        note: [detail.lot ? `lot ${detail.lot}` : undefined, detail.note].filter(Boolean).join(' · ') || undefined,
      });
      await tx.insert(receipts).values({
        idempotencyKey: lineKey,
        purchaseOrderId: po.id,
        purchaseOrderLineId: line.id,
        itemId: line.itemId,
        locationId: loc.id,
        quantity: accepted.quantity,
        unitCost: line.unitPrice,
        lot: detail.lot,
        note: detail.note,
        receivedBy: input.actor,
        moveId: Number(move.moveId),
      });
      await tx
        .update(purchaseOrderLines)
        .set({ quantityReceived: sql`${purchaseOrderLines.quantityReceived} + ${accepted.quantity}` })
        .where(eq(purchaseOrderLines.id, line.id));
      line.received = toPlain(dec(line.received).plus(accepted.quantity));
      posted.push({ lineNo: line.lineNo, sku: line.sku, quantity: accepted.quantity, location: loc.path, unitCost: line.unitPrice, moveId: move.moveId, lot: detail.lot });
    }
    const status = statusAfterReceipt(record.lines);
    await savePurchaseOrderStatus(tx, { number: po.number, status });
    return { number: po.number, status, posted, lines: summary() };
  };
  return db.transaction(run);
}

// ---- supplier invoices ----

export interface InvoiceOutcome {
  number: string;
  invoiceNumber: string;
  status: 'matched' | 'mismatch';
  mismatches: InvoiceMismatch[];
  total: string;
}

/** Records a supplier invoice against a PO and its three-way match; same key twice returns the first result. */
export async function recordSupplierInvoice(
  db: Executor,
  input: { key: string; number: string; invoiceNumber: string; invoiceDate?: string; enteredBy: string; lines: InvoiceLineInput[]; priceTolerance?: string },
): Promise<InvoiceOutcome> {
  const [existing] = await db.select().from(supplierInvoices).where(eq(supplierInvoices.idempotencyKey, input.key));
  const po = await getPurchaseOrder(db, input.number);
  if (!po) throw new PurchasingError('unknown_purchase_order', `No purchase order ${input.number}.`);
  if (existing) {
    return {
      number: po.number,
      invoiceNumber: existing.invoiceNumber,
      status: existing.matchStatus,
      mismatches: existing.mismatches as InvoiceMismatch[],
      total: trim(existing.total),
    };
  }
  for (const l of input.lines) {
    if (!parseDecimal(l.quantity) || dec(l.quantity).isNegative()) {
      throw new PurchasingError('invalid_quantity', `Invoice line ${l.lineNo}: "${l.quantity}" is not a quantity.`, { field: 'quantity', lineNo: l.lineNo });
    }
    if (!parseDecimal(l.unitPrice) || dec(l.unitPrice).isNegative()) {
      throw new PurchasingError('invalid_price', `Invoice line ${l.lineNo}: "${l.unitPrice}" is not a price.`, { field: 'unitPrice', lineNo: l.lineNo });
    }
  }
  const match = threeWayMatch({ lines: po.lines, invoice: input.lines, priceTolerance: input.priceTolerance });
  const run = async (tx: Executor) => {
    const [invoice] = await tx
      .insert(supplierInvoices)
      .values({
        idempotencyKey: input.key,
        purchaseOrderId: po.id,
        vendorId: po.vendorId,
        invoiceNumber: input.invoiceNumber,
        invoiceDate: input.invoiceDate,
        total: match.total,
        matchStatus: match.status,
        mismatches: match.mismatches,
        enteredBy: input.enteredBy,
      })
      .returning({ id: supplierInvoices.id });
    const byNo = new Map(po.lines.map((l) => [l.lineNo, l.id]));
    const lines = input.lines.filter((l) => byNo.has(l.lineNo));
    if (lines.length) {
      await tx
        .insert(supplierInvoiceLines)
        .values(lines.map((l) => ({ invoiceId: invoice!.id, purchaseOrderLineId: byNo.get(l.lineNo)!, quantity: l.quantity, unitPrice: l.unitPrice })));
    }
  };
  try {
    await db.transaction(run);
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === '23505') {
      const [again] = await db.select().from(supplierInvoices).where(eq(supplierInvoices.idempotencyKey, input.key));
      if (again) return recordSupplierInvoice(db, input);
      throw new PurchasingError('duplicate_invoice', `Invoice ${input.invoiceNumber} from ${po.vendorCode} is already recorded.`, { field: 'invoiceNumber' });
    }
    throw error;
  }
  return { number: po.number, invoiceNumber: input.invoiceNumber, ...match };
}

/** Lines of POs in the given statuses for an item, oldest PO first (backorder linking, on-order views). */
export async function openPurchaseOrdersForItem(db: Executor, itemId: string): Promise<{ number: string; status: PurchaseOrderStatus; open: string; expectedAt?: string }[]> {
  const rows = await db
    .select({
      number: purchaseOrders.number,
      status: purchaseOrders.status,
      ordered: purchaseOrderLines.quantityOrdered,
      received: purchaseOrderLines.quantityReceived,
      cancelled: purchaseOrderLines.quantityCancelled,
      expectedAt: purchaseOrders.expectedAt,
    })
    .from(purchaseOrderLines)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.purchaseOrderId))
    .where(and(eq(purchaseOrderLines.itemId, itemId), inArray(purchaseOrders.status, [...OPEN_PO_STATUSES])))
    .orderBy(asc(purchaseOrders.createdAt));
  return rows.map((r) => ({
    number: r.number,
    status: r.status,
    open: toPlain(dec(r.ordered).minus(r.received).minus(r.cancelled)),
    expectedAt: r.expectedAt ?? undefined,
  }));
}

/**
 * Stores the lead time learned from this vendor's receipts of the item on the item's policies
 * with that vendor (the item shows it beside the hand-set one; the math uses it from 3 samples).
 */
export async function refreshLearnedLeadTime(db: Executor, input: { itemId: string; vendorId: string }): Promise<{ days?: string; samples: number }> {
  const learned = await learnedLeadTime(db, input);
  await db
    .update(reorderPolicies)
    .set({ learnedLeadTimeDays: learned.days ?? null, learnedLeadTimeSamples: learned.samples, updatedAt: new Date() })
    .where(and(eq(reorderPolicies.itemId, input.itemId), eq(reorderPolicies.vendorId, input.vendorId)));
  return learned;
}
