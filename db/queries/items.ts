import { sql } from 'drizzle-orm';
import { defaultUomDecimals } from '../../inventory/units.js';
import type { Executor } from '../client.js';
import { items } from '../schema/index.js';

export type Item = typeof items.$inferSelect;
export type NewItem = typeof items.$inferInsert;

/** The item with this SKU (ignoring case), or undefined. */
export async function getItem(db: Executor, input: { sku: string }): Promise<Item | undefined> {
  const [row] = await db
    .select()
    .from(items)
    .where(sql`lower(${items.sku}) = lower(${input.sku.trim()})`);
  return row;
}

/** Rows per INSERT: 13 columns × 2,000 stays far below Postgres' 65,535 parameters. */
const CHUNK = 2000;

/**
 * Bulk insert (imports, demo). Fails as a whole on a duplicate SKU or barcode; run it in a
 * transaction to make several calls all-or-nothing. uomDecimals defaults from the unit.
 */
export async function insertItems(db: Executor, rows: NewItem[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ ...r, uomDecimals: r.uomDecimals ?? defaultUomDecimals(r.uom ?? 'ea') }));
    const result = await db.insert(items).values(chunk).returning({ id: items.id });
    inserted += result.length;
  }
  return inserted;
}

export async function createItem(db: Executor, row: NewItem): Promise<Item> {
  const [created] = await db
    .insert(items)
    .values({ ...row, uomDecimals: row.uomDecimals ?? defaultUomDecimals(row.uom ?? 'ea') })
    .returning();
  return created!;
}

/** Changes an item's master data (not its stock); the SKU addresses it. */
export async function updateItem(
  db: Executor,
  input: { sku: string } & Partial<Omit<NewItem, 'id' | 'sku' | 'createdAt' | 'updatedAt'>>,
): Promise<Item | undefined> {
  const { sku, ...changes } = input;
  const [row] = await db
    .update(items)
    .set({ ...changes, updatedAt: new Date() })
    .where(sql`lower(${items.sku}) = lower(${sku.trim()})`)
    .returning();
  return row;
}
