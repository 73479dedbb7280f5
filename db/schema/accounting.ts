import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A closed accounting period (a calendar month in the stockroom's time zone): a row exists only once it is
 * closed. From then on no stock move and no supplier invoice may be dated inside it (a trigger kept by
 * ledger_close_period refuses them, migration 0020), so its valuation and its journal never change; the
 * account mapping it was closed with is kept, so re-exporting it gives the same entries.
 */
export const accountingPeriods = pgTable(
  'accounting_periods',
  {
    /** YYYY-MM */
    period: text().primaryKey(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    timeZone: text().notNull(),
    /** The account mapping (stockroom.config.json "accounting") the period was closed with. */
    accounts: jsonb().notNull(),
    closedBy: text().notNull(),
    closedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('accounting_periods_period_format', sql`${t.period} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('accounting_periods_range', sql`${t.startsAt} < ${t.endsAt}`),
  ],
);
