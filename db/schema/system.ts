import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Round-trip probes written by the system-check workflow (`stockroom doctor`, tests): proof that
 * the worker, Temporal and the database work together. The key makes a retried write a no-op.
 */
export const systemChecks = pgTable('system_checks', {
  id: uuid().primaryKey().defaultRandom(),
  idempotencyKey: text().notNull().unique(),
  note: text().notNull(),
  checkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
