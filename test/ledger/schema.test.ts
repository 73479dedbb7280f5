import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { items, itemValuations, locations, stockLevels, stockMoves } from '../../db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { refusal } from '../helpers/refusal.js';

let t: TestDatabase;
let itemId: string;
let locationId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const [item] = await t.db.insert(items).values({ sku: 'Bolt-M6', name: 'Bolt M6' }).returning();
  const [location] = await t.db.insert(locations).values({ name: 'Main', path: 'Main', kind: 'warehouse' }).returning();
  itemId = item!.id;
  locationId = location!.id;
});
afterAll(() => t?.drop());

/** The SQLSTATE of a failed statement, undefined when it was accepted. */
const sqlState = async (run: () => Promise<unknown>): Promise<string | undefined> => (await refusal(run))?.code;

test('numeric columns come back as exact strings through drizzle and postgres.js, never floats', async () => {
  // Rolled back: a book without bins and layers to match could never be committed (ledger_books_balance).
  await t.db
    .transaction(async (tx) => {
      await tx.insert(itemValuations).values({ itemId, onHand: '12345678901234.5678', value: '0.1' });
      const [row] = await tx.select().from(itemValuations).where(eq(itemValuations.itemId, itemId));
      expect(row!.onHand).toBe('12345678901234.5678');
      expect(typeof row!.value).toBe('string');
      expect(row!.value).toBe('0.1000');
      const raw = await tx.execute<{ on_hand: string }>(sql`select on_hand from item_valuations where item_id = ${itemId}`);
      expect(raw[0]!.on_hand).toBe('12345678901234.5678');
      tx.rollback();
    })
    .catch((err: Error) => {
      if (err.message !== 'Rollback') throw err;
    });
});

test('SKUs are unique ignoring case; barcodes unique but optional', async () => {
  expect(await sqlState(() => t.db.insert(items).values({ sku: 'BOLT-m6', name: 'dup' }))).toBe('23505');
  await t.db.insert(items).values([
    { sku: 'A-1', name: 'a' },
    { sku: 'A-2', name: 'b' },
  ]);
  await t.db.insert(items).values({ sku: 'A-3', name: 'c', barcode: '400' });
  expect(await sqlState(() => t.db.insert(items).values({ sku: 'A-4', name: 'd', barcode: '400' }))).toBe('23505');
});

test('location paths are unique ignoring case', async () => {
  expect(await sqlState(() => t.db.insert(locations).values({ name: 'MAIN', path: 'MAIN' }))).toBe('23505');
});

test('stock levels cannot go negative nor reserve more than on hand', async () => {
  expect(await sqlState(() => t.db.insert(stockLevels).values({ itemId, locationId, onHand: '-1' }))).toBe('23514');
  expect(await sqlState(() => t.db.insert(stockLevels).values({ itemId, locationId, onHand: '1', reserved: '2' }))).toBe(
    '23514',
  );
});

test('the ledger refuses UPDATE, DELETE and TRUNCATE: the application may not, and a trigger stops the owner', async () => {
  const [move] = await t.db
    .insert(stockMoves)
    .values({
      itemId,
      locationId,
      type: 'receipt',
      quantity: '1',
      unitCost: '2',
      totalValue: '2',
      documentType: 'manual',
      documentId: 'm-1',
      actor: 'test',
    })
    .returning();
  expect(await sqlState(() => t.db.update(stockMoves).set({ note: 'x' }).where(eq(stockMoves.id, move!.id)))).toBe('42501');
  expect(await sqlState(() => t.db.delete(stockMoves).where(eq(stockMoves.id, move!.id)))).toBe('42501');
  expect(await sqlState(() => t.db.execute(sql`truncate stock_moves cascade`))).toBe('42501');
  const owner = postgres(t.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    expect(await sqlState(() => owner`update stock_moves set note = 'x' where id = ${move!.id}`)).toBe('SR900');
    expect(await sqlState(() => owner`delete from stock_moves where id = ${move!.id}`)).toBe('SR900');
    expect(await sqlState(() => owner`truncate stock_moves cascade`)).toBe('SR900');
  } finally {
    await owner.end();
  }
  const [still] = await t.db.select().from(stockMoves).where(eq(stockMoves.id, move!.id));
  expect(still!.note).toBeNull();
});

test('items and locations with history cannot be deleted (the ledger keeps no foreign keys)', async () => {
  expect(await sqlState(() => t.db.delete(items).where(eq(items.id, itemId)))).toBe('SR901');
  expect(await sqlState(() => t.db.delete(locations).where(eq(locations.id, locationId)))).toBe('SR901');
  const [spare] = await t.db.insert(items).values({ sku: 'SPARE', name: 'never moved' }).returning();
  await t.db.delete(items).where(eq(items.id, spare!.id));
});
