import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  numeric,
  pgEnum,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { costCenters } from './cost-centers.js';
import { items } from './items.js';

/**
 * Mirrors the requisition workflow's status (workflows/requisition-messages.ts), written by its
 * activities at each step so App Home, reports and budgets read the database, not Temporal.
 */
export const requisitionStatus = pgEnum('requisition_status', [
  'submitted',
  'awaiting_approval',
  'approved',
  'backordered',
  'picking',
  'issued',
  'rejected',
  'cancelled',
]);
export const approvalDecision = pgEnum('approval_decision', ['approved', 'rejected', 'auto_approved']);

/** REQ-000123: numbers come from a sequence, so they are unique and never reused, gaps allowed. */
export const requisitionNumberSeq = pgSequence('requisition_number_seq', { startWith: 1 });

const qty = () => numeric({ precision: 18, scale: 4 });
const money = () => numeric({ precision: 18, scale: 4 });

export const requisitions = pgTable(
  'requisitions',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text()
      .notNull()
      .default(sql`'REQ-' || lpad(nextval('requisition_number_seq')::text, 6, '0')`),
    /** The submission's idempotency key (Slack view id, CLI key): a retried submit finds this row. */
    submissionKey: text().notNull(),
    requesterSlackUserId: text().notNull(),
    costCenterCode: text()
      .notNull()
      .references(() => costCenters.code),
    reason: text().notNull(),
    status: requisitionStatus().notNull().default('submitted'),
    /** Estimated value at submission: sum of quantity × unit cost estimate. Budgets and approval use it. */
    totalValue: money().notNull(),
    /** Cost of goods actually issued (the ledger's valuation), summed over lines. */
    issuedValue: money().notNull().default('0'),
    /** The approval level being decided and who is awaited, for "Waiting for my approval". */
    currentLevel: smallint(),
    awaiting: text().array().notNull().default(sql`'{}'::text[]`),
    approvedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('requisitions_number_unique').on(t.number),
    uniqueIndex('requisitions_submission_key_unique').on(t.submissionKey),
    index('requisitions_requester_idx').on(t.requesterSlackUserId, t.createdAt),
    index('requisitions_cost_center_approved_idx').on(t.costCenterCode, t.approvedAt),
    index('requisitions_awaiting_idx').using('gin', t.awaiting),
    check('requisitions_reason_not_blank', sql`btrim(${t.reason}) <> ''`),
    check('requisitions_total_value_not_negative', sql`${t.totalValue} >= 0`),
  ],
);

export const requisitionLines = pgTable(
  'requisition_lines',
  {
    id: uuid().primaryKey().defaultRandom(),
    requisitionId: uuid()
      .notNull()
      .references(() => requisitions.id, { onDelete: 'cascade' }),
    lineNo: smallint().notNull(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    /** As the item's SKU was spelled when requested (the ledger addresses items by SKU). */
    sku: text().notNull(),
    quantityRequested: qty().notNull(),
    /** Currently held for this line in the ledger (not yet issued or released). */
    quantityReserved: qty().notNull().default('0'),
    quantityPicked: qty().notNull().default('0'),
    quantityIssued: qty().notNull().default('0'),
    /** Waiting for stock to arrive. */
    quantityBackordered: qty().notNull().default('0'),
    /** Given up: cancelled by the requester or at a short pick. */
    quantityCancelled: qty().notNull().default('0'),
    neededBy: date({ mode: 'string' }),
    unitCostEstimate: money().notNull(),
    issuedValue: money().notNull().default('0'),
    /** The purchase order the backordered quantity is on; set by restocking (issue 6). */
    purchaseOrderNumber: text(),
  },
  (t) => [
    uniqueIndex('requisition_lines_line_unique').on(t.requisitionId, t.lineNo),
    index('requisition_lines_item_idx').on(t.itemId),
    check('requisition_lines_requested_positive', sql`${t.quantityRequested} > 0`),
    check(
      'requisition_lines_quantities_not_negative',
      sql`${t.quantityReserved} >= 0 and ${t.quantityPicked} >= 0 and ${t.quantityIssued} >= 0
        and ${t.quantityBackordered} >= 0 and ${t.quantityCancelled} >= 0`,
    ),
    check('requisition_lines_within_requested', sql`${t.quantityIssued} + ${t.quantityCancelled} <= ${t.quantityRequested}`),
    check('requisition_lines_unit_cost_not_negative', sql`${t.unitCostEstimate} >= 0`),
  ],
);

/** Every decision, one per level: who, what, why, when. Auto-approval is recorded as level 0. */
export const requisitionApprovals = pgTable(
  'requisition_approvals',
  {
    id: uuid().primaryKey().defaultRandom(),
    requisitionId: uuid()
      .notNull()
      .references(() => requisitions.id, { onDelete: 'cascade' }),
    level: smallint().notNull(),
    approverSlackUserId: text().notNull(),
    decision: approvalDecision().notNull(),
    reason: text(),
    decidedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('requisition_approvals_level_unique').on(t.requisitionId, t.level),
    check('requisition_approvals_reject_has_reason', sql`${t.decision} <> 'rejected' or btrim(coalesce(${t.reason}, '')) <> ''`),
  ],
);
