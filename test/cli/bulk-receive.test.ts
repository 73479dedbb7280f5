import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../db/client.js';
import { receiveInBulk, type BulkReceipt } from '../../db/queries/bulk-receive.js';
import { receive, type ReceiveInput } from '../../db/queries/ledger.js';
import { receivePayload } from '../../inventory/ledger-input.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { brokenInvariants, tableCounts } from './csv-files.js';

/**
 * The bulk receipt path must leave the database exactly as one ledger_receive call per receipt
 * would: same moves (request and result included, so a later receive() with the same key replays),
 * same layers, stock levels and item books. Two databases, the same receipts, compared row by row.
 */
let one: TestDatabase;
let bulk: TestDatabase;

async function seed(db: Database) {
  await db.execute(sql`
    insert into items (sku, name, uom, uom_decimals, valuation_method, standard_cost) values
      ('PEN-BL', 'Pen', 'ea', 0, 'fifo', '0.35'), ('GREASE-1', 'Grease', 'kg', 3, 'wavg', null), ('TONER-7', 'Toner', 'ea', 0, 'lifo', null)`);
  await db.execute(sql`
    insert into locations (name, path, kind, depth) values ('Main', 'Main', 'warehouse', 0), ('Annex', 'Annex', 'warehouse', 0)`);
  await db.execute(sql`
    insert into locations (name, path, kind, depth, parent_id) select 'Bin 1', 'Main/Bin 1', 'bin', 1, id from locations where path = 'Main'`);
  // Stock already there, so running on-hand figures continue from it.
  await receive(db, { key: 'earlier', sku: 'PEN-BL', location: 'Main/Bin 1', quantity: '7', unitCost: '0.3', document: { type: 'manual', id: 'm' }, actor: 'seed' });
}

const document = { type: 'import' as const, id: 'stock import' };
const inputs: ReceiveInput[] = [
  { key: 'r1', sku: 'PEN-BL', location: 'Main/Bin 1', quantity: '100', unitCost: '0.30', document, actor: 'test', note: 'line 2' },
  { key: 'r2', sku: 'pen-bl', location: 'main / bin 1', quantity: '100', unitCost: '0.333', document, actor: 'test' },
  { key: 'r3', sku: 'PEN-BL', location: 'Annex', quantity: '3', unitCost: '0.41', document, actor: 'test' },
  { key: 'r4', sku: 'GREASE-1', location: 'Annex', quantity: '2.125', unitCost: '12.3333', document, actor: 'test' },
  { key: 'r5', sku: 'TONER-7', location: 'Main/Bin 1', quantity: '4', unitCost: '0', document, actor: 'test', occurredAt: '2026-01-15T09:30:00.000Z' },
  { key: 'r6', sku: 'GREASE-1', location: 'Annex', quantity: '0.5', unitCost: '11', document, actor: 'test' },
];

beforeAll(async () => {
  [one, bulk] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await seed(one.db);
  await seed(bulk.db);
});
afterAll(async () => {
  await one?.drop();
  await bulk?.drop();
});

async function snapshot(db: Database) {
  const moves = await db.execute(sql`
    select m.id, i.sku, l.path, m.type, m.quantity::text, m.unit_cost::text, m.total_value::text, m.document_type,
           m.document_id, m.actor, m.note, m.idempotency_key, m.request, m.result,
           case when m.created_at < now() - interval '1 day' then m.created_at end as back_dated
      from stock_moves m join items i on i.id = m.item_id join locations l on l.id = m.location_id order by m.id`);
  const layers = await db.execute(sql`
    select c.id, i.sku, l.path, c.move_id, c.received_quantity::text, c.remaining_quantity::text, c.unit_cost::text,
           c.remaining_value::text, case when c.received_at < now() - interval '1 day' then c.received_at end as back_dated
      from cost_layers c join items i on i.id = c.item_id join locations l on l.id = c.location_id order by c.id`);
  const levels = await db.execute(sql`
    select i.sku, l.path, s.on_hand::text, s.reserved::text
      from stock_levels s join items i on i.id = s.item_id join locations l on l.id = s.location_id order by 1, 2`);
  const books = await db.execute(sql`
    select i.sku, v.on_hand::text, v.value::text from item_valuations v join items i on i.id = v.item_id order by 1`);
  return { moves, layers, levels, books };
}

test('bulk receipts write exactly what one ledger_receive per receipt writes', async () => {
  const expected = [];
  for (const input of inputs) expected.push(await receive(one.db, input));

  const ids = await bulk.db.execute<{ kind: string; key: string; id: string; name: string }>(sql`
    select 'item' as kind, lower(sku) as key, id, sku as name from items
    union all select 'location', lower(path), id, path from locations`);
  const find = (kind: string, key: string) => ids.find((r) => r.kind === kind && r.key === key.toLowerCase())!;
  const receipts: BulkReceipt[] = inputs.map((input) => {
    const payload = receivePayload(input);
    const item = find('item', payload.sku!);
    const location = find('location', payload.location!);
    return { payload, itemId: item.id, sku: item.name, locationId: location.id, path: location.name };
  });
  const results = await bulk.db.transaction((tx) => receiveInBulk(tx, receipts));

  expect(results).toEqual(expected);
  expect(await snapshot(bulk.db)).toEqual(await snapshot(one.db));
  expect(await brokenInvariants(bulk.db)).toEqual([]);
});

test('after a bulk receipt, the ledger replays the same key instead of posting again', async () => {
  const before = await tableCounts(bulk.db);
  const [replayed] = await bulk.db.execute<{ result: unknown }>(sql`select result from stock_moves where idempotency_key = 'r2'`);
  expect(await receive(bulk.db, inputs[1]!)).toEqual(replayed!.result);
  expect(await tableCounts(bulk.db)).toEqual(before);
});
