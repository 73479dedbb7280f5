import { sql } from 'drizzle-orm';
import { boolean, check, numeric, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** How issued goods are costed. An item without its own method follows inventory_settings. */
export const valuationMethod = pgEnum('valuation_method', ['fifo', 'lifo', 'wavg']);

export const items = pgTable(
  'items',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Unique ignoring case ('PEN-01' and 'pen-01' are the same item); stored as entered. */
    sku: text().notNull(),
    name: text().notNull(),
    /** Unit of measure ('ea', 'kg', 'box') and how many decimals a quantity of it may have. */
    uom: text().notNull().default('ea'),
    uomDecimals: smallint().notNull().default(0),
    category: text(),
    barcode: text(),
    defaultVendor: text(),
    standardCost: numeric({ precision: 18, scale: 4 }),
    valuationMethod: valuationMethod(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('items_sku_lower_unique').on(sql`lower(${t.sku})`),
    uniqueIndex('items_barcode_unique').on(t.barcode),
    check('items_sku_not_blank', sql`btrim(${t.sku}) <> ''`),
    check('items_name_not_blank', sql`btrim(${t.name}) <> ''`),
    check('items_uom_decimals_range', sql`${t.uomDecimals} between 0 and 4`),
    check('items_standard_cost_not_negative', sql`${t.standardCost} >= 0`),
  ],
);

/** One row (id = true): company-wide inventory policy. */
export const inventorySettings = pgTable(
  'inventory_settings',
  {
    id: boolean().primaryKey().default(true),
    defaultValuationMethod: valuationMethod().notNull().default('fifo'),
  },
  (t) => [check('inventory_settings_single_row', sql`${t.id}`)],
);
