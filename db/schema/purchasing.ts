import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { items } from './items.js';
import { stockMoves } from './ledger.js';
import { locations } from './locations.js';
import { approvalDecision, requisitionLines } from './requisitions.js';

const qty = () => numeric({ precision: 18, scale: 4 });
const money = () => numeric({ precision: 18, scale: 4 });
const days = () => numeric({ precision: 8, scale: 2 });

/** Who we buy from. Addressed by a short code people type ('ACME'), unique ignoring case. */
export const vendors = pgTable(
  'vendors',
  {
    id: uuid().primaryKey().defaultRandom(),
    code: text().notNull(),
    name: text().notNull(),
    email: text(),
    /** Used for an item's lead time when its policy has none. */
    defaultLeadTimeDays: days().notNull().default('7'),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('vendors_code_lower_unique').on(sql`lower(${t.code})`),
    check('vendors_code_not_blank', sql`btrim(${t.code}) <> ''`),
    check('vendors_lead_time_positive', sql`${t.defaultLeadTimeDays} > 0`),
  ],
);

export const reorderPointMode = pgEnum('reorder_point_mode', ['manual', 'computed']);

/**
 * Where a computed reorder point's demand figures come from: 'auto' uses the item's stored forecast
 * (demand_forecasts) when it beat the average/σ method in backtest, else that method; 'average' always
 * uses the average/σ method (the method before forecasts, kept as a choice).
 */
export const demandMethod = pgEnum('demand_method', ['auto', 'average']);

/**
 * How one item is restocked, company-wide (location null) or for one warehouse. The hand-set
 * figures and the computed ones live side by side so the item shows both; the daily check writes
 * the computed columns, and the per-move trigger compares available stock with the effective
 * reorder point without recomputing statistics.
 */
export const reorderPolicies = pgTable(
  'reorder_policies',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    /** A warehouse (root location) this policy covers; null = all stock of the item. */
    locationId: uuid().references(() => locations.id),
    vendorId: uuid().references(() => vendors.id),
    reorderPointMode: reorderPointMode().notNull().default('manual'),
    min: qty(),
    max: qty(),
    /** Hand-set reorder point (manual mode). */
    reorderPoint: qty(),
    /** Hand-set safety stock (manual mode); computed mode derives it from demand. */
    safetyStock: qty(),
    serviceLevel: numeric({ precision: 5, scale: 4 }).notNull().default('0.95'),
    demandMethod: demandMethod().notNull().default('auto'),
    /** Days of issue history the statistics look back on. */
    demandWindowDays: smallint().notNull().default(90),
    leadTimeDays: days().notNull().default('7'),
    /** Learned from this vendor's purchase orders (sent → received), used once samples ≥ 3. */
    learnedLeadTimeDays: days(),
    learnedLeadTimeSamples: integer().notNull().default(0),
    orderMultiple: qty(),
    /** The vendor's price for suggestions and drafts; the item's standard cost when unset. */
    unitPrice: money(),
    /** Cost of placing one order and of holding one unit for a year: EOQ is offered when both are set. */
    orderingCost: money(),
    holdingCostPerUnitYear: money(),
    /** Written by the reorder check; computedAt is when these figures last changed. */
    averageDailyDemand: qty(),
    demandStdDev: qty(),
    computedSafetyStock: qty(),
    computedReorderPoint: qty(),
    computedAt: timestamp({ withTimezone: true }),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('reorder_policies_item_location_unique').on(t.itemId, t.locationId).nullsNotDistinct(),
    index('reorder_policies_vendor_idx').on(t.vendorId),
    check('reorder_policies_min_max', sql`${t.max} is null or ${t.min} is null or ${t.max} >= ${t.min}`),
    check(
      'reorder_policies_quantities_not_negative',
      sql`coalesce(${t.min}, 0) >= 0 and coalesce(${t.max}, 0) >= 0 and coalesce(${t.reorderPoint}, 0) >= 0
        and coalesce(${t.safetyStock}, 0) >= 0`,
    ),
    check('reorder_policies_service_level_range', sql`${t.serviceLevel} >= 0.5 and ${t.serviceLevel} < 1`),
    check('reorder_policies_lead_time_positive', sql`${t.leadTimeDays} > 0`),
    check('reorder_policies_window_positive', sql`${t.demandWindowDays} > 0`),
    check('reorder_policies_multiple_positive', sql`${t.orderMultiple} is null or ${t.orderMultiple} > 0`),
    check(
      'reorder_policies_costs_not_negative',
      sql`coalesce(${t.unitPrice}, 0) >= 0 and coalesce(${t.orderingCost}, 0) >= 0 and coalesce(${t.holdingCostPerUnitYear}, 0) >= 0`,
    ),
  ],
);

export const purchaseOrderStatus = pgEnum('purchase_order_status', [
  'draft',
  'awaiting_approval',
  'approved',
  'sent',
  'partially_received',
  'received',
  'closed',
  'cancelled',
]);
/** Where a draft came from: restock suggestions, backordered requisition lines, or a buyer by hand. */
export const purchaseOrderSource = pgEnum('purchase_order_source', ['restock', 'backorder', 'manual']);

/** PO-000123: from a sequence, unique and never reused, gaps allowed. */
export const purchaseOrderNumberSeq = pgSequence('purchase_order_number_seq', { startWith: 1 });

/** Mirrors the purchase order workflow's state, written by its activities at each step. */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text()
      .notNull()
      .default(sql`'PO-' || lpad(nextval('purchase_order_number_seq')::text, 6, '0')`),
    /** Idempotency key of the creation (alert click, restock run, CLI): a retry finds this row. */
    creationKey: text().notNull(),
    vendorId: uuid()
      .notNull()
      .references(() => vendors.id),
    status: purchaseOrderStatus().notNull().default('draft'),
    source: purchaseOrderSource().notNull().default('manual'),
    /** Responsible buyer: gets the overdue reminder and invoice mismatches. */
    buyerSlackUserId: text().notNull(),
    createdBy: text().notNull(),
    totalValue: money().notNull().default('0'),
    note: text(),
    currentLevel: smallint(),
    awaiting: text().array().notNull().default(sql`'{}'::text[]`),
    approvedAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    /** When the goods should be here: sent date + lead time, or the latest line date. */
    expectedAt: date({ mode: 'string' }),
    receivedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    cancelReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('purchase_orders_number_unique').on(t.number),
    uniqueIndex('purchase_orders_creation_key_unique').on(t.creationKey),
    index('purchase_orders_vendor_status_idx').on(t.vendorId, t.status),
    index('purchase_orders_status_idx').on(t.status),
    index('purchase_orders_awaiting_idx').using('gin', t.awaiting),
    check('purchase_orders_total_not_negative', sql`${t.totalValue} >= 0`),
  ],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: uuid().primaryKey().defaultRandom(),
    purchaseOrderId: uuid()
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    lineNo: smallint().notNull(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    sku: text().notNull(),
    quantityOrdered: qty().notNull(),
    /** May exceed ordered by the receiving tolerance. */
    quantityReceived: qty().notNull().default('0'),
    quantityCancelled: qty().notNull().default('0'),
    unitPrice: money().notNull(),
    expectedDate: date({ mode: 'string' }),
    /** The backordered requisition line this quantity is bought for, when any. */
    requisitionLineId: uuid().references(() => requisitionLines.id),
    /** Where the receiving modal proposes to put it away. */
    defaultLocationId: uuid().references(() => locations.id),
  },
  (t) => [
    uniqueIndex('purchase_order_lines_line_unique').on(t.purchaseOrderId, t.lineNo),
    index('purchase_order_lines_item_idx').on(t.itemId),
    index('purchase_order_lines_requisition_line_idx').on(t.requisitionLineId),
    check('purchase_order_lines_ordered_positive', sql`${t.quantityOrdered} > 0`),
    check(
      'purchase_order_lines_quantities_not_negative',
      sql`${t.quantityReceived} >= 0 and ${t.quantityCancelled} >= 0 and ${t.quantityCancelled} <= ${t.quantityOrdered}`,
    ),
    check('purchase_order_lines_price_not_negative', sql`${t.unitPrice} >= 0`),
  ],
);

/** Every decision on a purchase order, one per level, as for requisitions. */
export const purchaseOrderApprovals = pgTable(
  'purchase_order_approvals',
  {
    id: uuid().primaryKey().defaultRandom(),
    purchaseOrderId: uuid()
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    level: smallint().notNull(),
    approverSlackUserId: text().notNull(),
    decision: approvalDecision().notNull(),
    reason: text(),
    decidedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('purchase_order_approvals_level_unique').on(t.purchaseOrderId, t.level),
    check('purchase_order_approvals_reject_has_reason', sql`${t.decision} <> 'rejected' or btrim(coalesce(${t.reason}, '')) <> ''`),
  ],
);

/**
 * Goods received against one PO line, put away to one location. The key (receiving submission +
 * line) makes a retried receipt a no-op; the ledger move it posted is linked.
 */
export const receipts = pgTable(
  'receipts',
  {
    id: uuid().primaryKey().defaultRandom(),
    idempotencyKey: text().notNull(),
    purchaseOrderId: uuid()
      .notNull()
      .references(() => purchaseOrders.id),
    purchaseOrderLineId: uuid()
      .notNull()
      .references(() => purchaseOrderLines.id),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    locationId: uuid()
      .notNull()
      .references(() => locations.id),
    quantity: qty().notNull(),
    unitCost: money().notNull(),
    lot: text(),
    note: text(),
    receivedBy: text().notNull(),
    moveId: bigint({ mode: 'number' }).references(() => stockMoves.id),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('receipts_idempotency_key_unique').on(t.idempotencyKey),
    index('receipts_line_idx').on(t.purchaseOrderLineId),
    index('receipts_item_idx').on(t.itemId, t.receivedAt),
    check('receipts_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export const invoiceMatchStatus = pgEnum('invoice_match_status', ['matched', 'mismatch']);

/** A supplier invoice entered against one PO, checked against the PO and the receipts (three-way match). */
export const supplierInvoices = pgTable(
  'supplier_invoices',
  {
    id: uuid().primaryKey().defaultRandom(),
    idempotencyKey: text().notNull(),
    purchaseOrderId: uuid()
      .notNull()
      .references(() => purchaseOrders.id),
    vendorId: uuid()
      .notNull()
      .references(() => vendors.id),
    invoiceNumber: text().notNull(),
    invoiceDate: date({ mode: 'string' }),
    total: money().notNull(),
    matchStatus: invoiceMatchStatus().notNull(),
    /** One entry per problem found: { sku, field, invoiced, expected, message }. */
    mismatches: jsonb().notNull().default(sql`'[]'::jsonb`),
    enteredBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('supplier_invoices_idempotency_key_unique').on(t.idempotencyKey),
    uniqueIndex('supplier_invoices_vendor_number_unique').on(t.vendorId, sql`lower(${t.invoiceNumber})`),
    index('supplier_invoices_po_idx').on(t.purchaseOrderId),
  ],
);

export const supplierInvoiceLines = pgTable(
  'supplier_invoice_lines',
  {
    id: uuid().primaryKey().defaultRandom(),
    invoiceId: uuid()
      .notNull()
      .references(() => supplierInvoices.id, { onDelete: 'cascade' }),
    purchaseOrderLineId: uuid()
      .notNull()
      .references(() => purchaseOrderLines.id),
    quantity: qty().notNull(),
    unitPrice: money().notNull(),
  },
  (t) => [
    uniqueIndex('supplier_invoice_lines_line_unique').on(t.invoiceId, t.purchaseOrderLineId),
    check('supplier_invoice_lines_quantity_not_negative', sql`${t.quantity} >= 0`),
    check('supplier_invoice_lines_price_not_negative', sql`${t.unitPrice} >= 0`),
  ],
);

export const stockAlertKind = pgEnum('stock_alert_kind', ['low_stock', 'stockout']);

/**
 * One episode per item from the move that took it to its reorder point until it recovers: the
 * partial unique index keeps a single open episode, so the alert is posted once, then the same
 * Slack message is updated (worse → stockout, better → recovered).
 */
export const stockAlerts = pgTable(
  'stock_alerts',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    kind: stockAlertKind().notNull(),
    /** The figures last shown: on hand, reserved, reorder point, open POs, days of cover. */
    figures: jsonb().notNull(),
    channel: text(),
    messageTs: text(),
    purchaseOrderNumber: text(),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stock_alerts_one_open_per_item').on(t.itemId).where(sql`${t.resolvedAt} is null`),
    index('stock_alerts_item_idx').on(t.itemId, t.openedAt),
  ],
);
