import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const locationKind = pgEnum('location_kind', ['warehouse', 'zone', 'aisle', 'rack', 'shelf', 'bin', 'area']);

/**
 * Warehouse → zone → … → bin, any depth. `path` is the full name ('Main/Aisle 3/Bin 12'), unique
 * ignoring case; it is how people and the ledger API address a location and how reports roll up.
 */
export const locations = pgTable(
  'locations',
  {
    id: uuid().primaryKey().defaultRandom(),
    parentId: uuid().references((): AnyPgColumn => locations.id),
    name: text().notNull(),
    path: text().notNull(),
    kind: locationKind().notNull().default('bin'),
    depth: smallint().notNull().default(0),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('locations_path_lower_unique').on(sql`lower(${t.path})`),
    index('locations_parent_idx').on(t.parentId),
    check('locations_name_valid', sql`btrim(${t.name}) <> '' and position('/' in ${t.name}) = 0`),
    check('locations_root_depth', sql`(${t.parentId} is null) = (${t.depth} = 0)`),
  ],
);
