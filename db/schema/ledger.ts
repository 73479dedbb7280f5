import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { items } from './items.js';
import { locations } from './locations.js';

export const moveType = pgEnum('move_type', ['receipt', 'issue', 'transfer_out', 'transfer_in', 'adjustment']);
export const documentType = pgEnum('document_type', [
  'requisition',
  'purchase_order',
  'cycle_count',
  'manual',
  'import',
  'demo',
]);

const qty = () => numeric({ precision: 18, scale: 4 });
const money = () => numeric({ precision: 18, scale: 4 });

/**
 * The append-only stock ledger. Quantity and value are signed (a receipt adds, an issue subtracts),
 * so on hand is the sum of moves. A trigger (migration ledger_guards) refuses UPDATE and DELETE:
 * corrections are new moves. The idempotency key, the request it answered and the first result
 * live on the move, so a retried call replays the answer instead of moving stock twice.
 */
export const stockMoves = pgTable(
  'stock_moves',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    locationId: uuid()
      .notNull()
      .references(() => locations.id),
    type: moveType().notNull(),
    quantity: qty().notNull(),
    unitCost: money().notNull(),
    totalValue: money().notNull(),
    documentType: documentType().notNull(),
    documentId: text().notNull(),
    actor: text().notNull(),
    note: text(),
    /** Null only on the second leg of a transfer (the first leg carries the caller's key). */
    idempotencyKey: text(),
    request: jsonb(),
    result: jsonb(),
    /** When it happened (may be back-dated by imports); recordedAt is when it was posted. */
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stock_moves_idempotency_key_unique').on(t.idempotencyKey),
    index('stock_moves_item_idx').on(t.itemId, t.id),
    index('stock_moves_created_at_idx').on(t.createdAt),
    index('stock_moves_document_idx').on(t.documentType, t.documentId),
    check(
      'stock_moves_quantity_sign',
      sql`case ${t.type}
        when 'receipt' then ${t.quantity} > 0
        when 'transfer_in' then ${t.quantity} > 0
        when 'issue' then ${t.quantity} < 0
        when 'transfer_out' then ${t.quantity} < 0
        else ${t.quantity} <> 0 end`,
    ),
    check('stock_moves_unit_cost_not_negative', sql`${t.unitCost} >= 0`),
  ],
);

/**
 * One layer per receipt (or count gain): what is left of it and what that remainder is worth.
 * Layers belong to the item, not the bin (valuation is company-wide; transfers do not touch them),
 * and their remaining quantities always add up to the item's on hand. The remaining value is
 * carried rather than recomputed, so rounding never makes the book differ from the sum of moves.
 */
export const costLayers = pgTable(
  'cost_layers',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    locationId: uuid().references(() => locations.id),
    moveId: bigint({ mode: 'number' })
      .notNull()
      .references(() => stockMoves.id),
    receivedQuantity: qty().notNull(),
    remainingQuantity: qty().notNull(),
    unitCost: money().notNull(),
    remainingValue: money().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cost_layers_open_idx')
      .on(t.itemId, t.id)
      .where(sql`${t.remainingQuantity} > 0`),
    check('cost_layers_received_positive', sql`${t.receivedQuantity} > 0`),
    check(
      'cost_layers_remaining_range',
      sql`${t.remainingQuantity} >= 0 and ${t.remainingQuantity} <= ${t.receivedQuantity}`,
    ),
    check('cost_layers_remaining_value_not_negative', sql`${t.remainingValue} >= 0`),
    check('cost_layers_unit_cost_not_negative', sql`${t.unitCost} >= 0`),
  ],
);

/**
 * The item's running book: total on hand and its value under the item's own method. For weighted
 * average items value / onHand is the running average; the row also serialises valuation per item.
 */
export const itemValuations = pgTable(
  'item_valuations',
  {
    itemId: uuid()
      .primaryKey()
      .references(() => items.id),
    onHand: qty().notNull().default('0'),
    value: money().notNull().default('0'),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('item_valuations_on_hand_not_negative', sql`${t.onHand} >= 0`),
    check('item_valuations_value_not_negative', sql`${t.value} >= 0`),
  ],
);
