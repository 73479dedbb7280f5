import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { items } from './items.js';
import { documentType } from './ledger.js';
import { locations } from './locations.js';

const qty = () => numeric({ precision: 18, scale: 4 });

/**
 * What is in each bin now. The checks make an impossible state unwritable: a bug can fail a
 * transaction but cannot leave negative stock or more reserved than on hand.
 */
export const stockLevels = pgTable(
  'stock_levels',
  {
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    locationId: uuid()
      .notNull()
      .references(() => locations.id),
    onHand: qty().notNull().default('0'),
    reserved: qty().notNull().default('0'),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.locationId] }),
    index('stock_levels_location_idx').on(t.locationId),
    // on hand >= 0 and 0 <= reserved <= on hand, as one check (each check is re-parsed per update).
    check('stock_levels_quantities_valid', sql`${t.onHand} >= 0 and ${t.reserved} >= 0 and ${t.reserved} <= ${t.onHand}`),
  ],
);

/** A document's open claim on stock in one bin; issue consumes it, release gives it back. */
export const reservations = pgTable(
  'reservations',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    documentType: documentType().notNull(),
    documentId: text().notNull(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    locationId: uuid()
      .notNull()
      .references(() => locations.id),
    openQuantity: qty().notNull().default('0'),
    issuedQuantity: qty().notNull().default('0'),
    releasedQuantity: qty().notNull().default('0'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reservations_document_item_location_unique').on(t.documentType, t.documentId, t.itemId, t.locationId),
    index('reservations_item_location_idx').on(t.itemId, t.locationId),
    check(
      'reservations_quantities_not_negative',
      sql`${t.openQuantity} >= 0 and ${t.issuedQuantity} >= 0 and ${t.releasedQuantity} >= 0`,
    ),
  ],
);

export const reservationOperation = pgEnum('reservation_operation', ['reserve', 'release']);

/** Each reserve / release call, keyed for idempotency, with the answer it gave. */
export const reservationRequests = pgTable(
  'reservation_requests',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text().notNull(),
    operation: reservationOperation().notNull(),
    documentType: documentType().notNull(),
    documentId: text().notNull(),
    itemId: uuid().references(() => items.id),
    actor: text().notNull(),
    request: jsonb().notNull(),
    result: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('reservation_requests_idempotency_key_unique').on(t.idempotencyKey)],
);
