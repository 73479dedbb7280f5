import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
    // No foreign keys on the ledger's hottest insert: each check would key-share-lock the item and
    // location rows, and every concurrent issue from one bin would then queue on that bin's row
    // (multixacts). The operations resolve both ids from their tables; a trigger refuses deleting
    // items and locations that have moves (migration ledger_functions_fast).
    itemId: uuid().notNull(),
    locationId: uuid().notNull(),
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
    // BRIN: a few bytes per block range instead of a b-tree entry per move; period reports scan by time.
    index('stock_moves_created_at_brin').using('brin', t.createdAt),
    index('stock_moves_document_idx').on(t.documentType, t.documentId),
    // One check (each is re-parsed per statement), so any writer, not only the ledger's functions, posts
    // moves with the signs of their kind: in with a positive quantity, out with a negative one, value
    // following the quantity, costs never negative.
    check(
      'stock_moves_signs_by_type',
      sql`${t.unitCost} >= 0 and case ${t.type}
            when 'receipt' then ${t.quantity} > 0 and ${t.totalValue} >= 0
            when 'transfer_in' then ${t.quantity} > 0 and ${t.totalValue} >= 0
            when 'issue' then ${t.quantity} < 0 and ${t.totalValue} <= 0
            when 'transfer_out' then ${t.quantity} < 0 and ${t.totalValue} <= 0
            else ${t.quantity} <> 0 and sign(${t.totalValue}) in (0, sign(${t.quantity})) end`,
    ),
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
    /**
     * remaining > 0, kept as its own column so the open-layer index does not mention the quantity:
     * a partial take then changes no indexed column and Postgres updates the row in place (HOT).
     */
    open: boolean().notNull().default(true),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cost_layers_open_layers_idx')
      .on(t.itemId, t.id)
      .where(sql`${t.open}`),
    // One check (each is re-parsed per statement): something was received at a cost; what remains is
    // between nothing and that, worth nothing when nothing remains, and `open` says whether any does.
    check(
      'cost_layers_remaining_valid',
      sql`${t.receivedQuantity} > 0 and ${t.unitCost} >= 0 and ${t.remainingQuantity} >= 0
          and ${t.remainingQuantity} <= ${t.receivedQuantity} and ${t.remainingValue} >= 0
          and ${t.open} = (${t.remainingQuantity} > 0) and (${t.remainingQuantity} > 0 or ${t.remainingValue} = 0)`,
    ),
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
  // A book is never negative. That it equals its bins and its layers is checked at commit by a constraint
  // trigger (migration 0018), as those rows change in separate statements.
  (t) => [check('item_valuations_not_negative', sql`${t.onHand} >= 0 and ${t.value} >= 0`)],
);
