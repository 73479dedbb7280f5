import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as ledger from '../../db/queries/ledger.js';
import { costOfGoodsIssued, inventoryValuation, itemHistory, stockOnHand } from '../../db/queries/reports.js';
import { upsertPerson } from '../../db/queries/people.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { key, manual, seedCatalogue } from './fixtures.js';

let t: TestDatabase;
const bin1 = 'Main/Aisle 1/Bin 1';
const bin2 = 'Main/Aisle 1/Bin 2';
const bin3 = 'Main/Aisle 2/Bin 3';
const annex = 'Annex/Shelf A';

/**
 * The textbook history (receive 100 @ 10 in January, 100 @ 12 in February, issue 150 in February,
 * receive 100 @ 14 in March, issue 100 in March) posted for three items, one per method. Each
 * item's side-by-side row is the same: FIFO 700, LIFO 500, weighted average 650; its book value is
 * the column of its own method.
 */
const history = [
  { at: '2026-01-10T09:00:00Z', receive: '100', cost: '10', location: bin1 },
  { at: '2026-02-03T09:00:00Z', receive: '100', cost: '12', location: bin2 },
  { at: '2026-02-20T09:00:00Z', issue: '100', location: bin1 },
  { at: '2026-02-21T09:00:00Z', issue: '50', location: bin2 },
  { at: '2026-03-05T09:00:00Z', receive: '100', cost: '14', location: annex },
  { at: '2026-03-18T09:00:00Z', issue: '50', location: bin2 },
  { at: '2026-03-19T09:00:00Z', issue: '50', location: annex },
];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedCatalogue(t.db, [
    { sku: 'R-FIFO', name: 'Report FIFO', valuationMethod: 'fifo' },
    { sku: 'R-LIFO', name: 'Report LIFO', valuationMethod: 'lifo' },
    { sku: 'R-WAVG', name: 'Report WAVG', valuationMethod: 'wavg' },
  ]);
  for (const sku of ['R-FIFO', 'R-LIFO', 'R-WAVG']) {
    for (const step of history) {
      if (step.receive) {
        await ledger.receive(t.db, { key: key(), sku, location: step.location, quantity: step.receive, unitCost: step.cost!, document: manual(), actor: 'buyer', occurredAt: step.at });
      } else {
        await ledger.issue(t.db, { key: key(), sku, location: step.location, quantity: step.issue!, document: manual(), actor: 'clerk', unreserved: true, occurredAt: step.at });
      }
    }
  }
  // Something in a second warehouse and a reservation, for the roll-up.
  await ledger.transfer(t.db, { key: key(), sku: 'R-FIFO', from: annex, to: bin3, quantity: '20', actor: 'clerk' });
  await ledger.reserve(t.db, { key: key(), sku: 'R-FIFO', location: bin3, quantity: '5', document: { type: 'requisition', id: 'REQ-9' }, actor: 'clerk' });
});
afterAll(() => t?.drop());

describe('inventory value side by side', () => {
  test('per item: FIFO 700, LIFO 500, weighted average 650; the book follows the item method', async () => {
    const report = await inventoryValuation(t.db);
    expect(report.items).toEqual([
      { sku: 'R-FIFO', name: 'Report FIFO', method: 'fifo', onHand: '50', book: '700', fifo: '700', lifo: '500', wavg: '650' },
      { sku: 'R-LIFO', name: 'Report LIFO', method: 'lifo', onHand: '50', book: '500', fifo: '700', lifo: '500', wavg: '650' },
      { sku: 'R-WAVG', name: 'Report WAVG', method: 'wavg', onHand: '50', book: '650', fifo: '700', lifo: '500', wavg: '650' },
    ]);
    expect(report.totals).toEqual({ book: '1850', fifo: '2100', lifo: '1500', wavg: '1950' });
  });

  test('as of the end of February: 50 units left after the first issue', async () => {
    const report = await inventoryValuation(t.db, { sku: 'r-fifo', asOf: '2026-02-28T23:59:59Z' });
    // FIFO 50 @ 12 = 600; LIFO 50 @ 10 = 500; average 11 → 550.
    expect(report.items).toEqual([
      { sku: 'R-FIFO', name: 'Report FIFO', method: 'fifo', onHand: '50', book: '600', fifo: '600', lifo: '500', wavg: '550' },
    ]);
  });
});

test('cost of goods issued per period, as posted under each method', async () => {
  const february = await costOfGoodsIssued(t.db, { from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' });
  expect(february.items).toEqual([
    { sku: 'R-FIFO', name: 'Report FIFO', quantity: '150', cost: '1600' },
    { sku: 'R-LIFO', name: 'Report LIFO', quantity: '150', cost: '1700' },
    { sku: 'R-WAVG', name: 'Report WAVG', quantity: '150', cost: '1650' },
  ]);
  expect(february.total).toBe('4950');
  const march = await costOfGoodsIssued(t.db, { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
  expect(march.items.map((i) => i.cost)).toEqual(['1300', '1400', '1300']);
  expect(march.writeOffs).toBe('0');
  const january = await costOfGoodsIssued(t.db, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
  expect(january).toMatchObject({ total: '0', items: [] });
});

test('stock on hand rolls up bins into zones and warehouses', async () => {
  const { locations, items } = await stockOnHand(t.db, { sku: 'R-FIFO' });
  const at = (path: string) => locations.find((l) => l.location === path);
  // R-FIFO: Bin 2 holds 0 (100 in, 100 out), Annex 50 - 20 = 30, Bin 3 20 (5 reserved).
  expect(at(annex)).toMatchObject({ onHand: '30', depth: 1, kind: 'bin' });
  expect(at('Annex')).toMatchObject({ onHand: '30', kind: 'warehouse' });
  expect(at(bin3)).toMatchObject({ onHand: '20', reserved: '5', available: '15' });
  expect(at('Main/Aisle 2')).toMatchObject({ onHand: '20', kind: 'zone' });
  expect(at('Main')).toMatchObject({ onHand: '20', reserved: '5' });
  expect(at(bin1)).toBeUndefined();
  expect(items).toEqual([{ sku: 'R-FIFO', name: 'Report FIFO', uom: 'ea', onHand: '50', reserved: '5', available: '45' }]);

  const main = await stockOnHand(t.db, { under: 'main' });
  expect(main.locations.every((l) => l.location.startsWith('Main'))).toBe(true);
  expect(main.items.map((i) => [i.sku, i.onHand])).toEqual([['R-FIFO', '20']]);
});

test('movement history of one item, newest first, with the running balance', async () => {
  const h = await itemHistory(t.db, { sku: 'r-lifo' });
  expect(h.sku).toBe('R-LIFO');
  expect(h.moves.map((m) => [m.type, m.quantity, m.value, m.balance])).toEqual([
    ['issue', '-50', '-700', '50'],
    ['issue', '-50', '-700', '100'],
    ['receipt', '100', '1400', '150'],
    ['issue', '-50', '-500', '50'],
    ['issue', '-100', '-1200', '100'],
    ['receipt', '100', '1200', '200'],
    ['receipt', '100', '1000', '100'],
  ]);
  expect(h.moves.at(-1)).toMatchObject({ at: '2026-01-10T09:00:00.000Z', location: bin1, actor: 'buyer', document: { type: 'manual' } });
  expect((await itemHistory(t.db, { sku: 'R-LIFO', limit: 2 })).moves).toHaveLength(2);
  await expect(itemHistory(t.db, { sku: 'NOPE' })).rejects.toMatchObject({ code: 'unknown_sku' });
});

test('the history names the people who posted moves and keeps system actors as they are', async () => {
  await upsertPerson(t.db, { slackUserId: 'U0STORE1', displayName: 'Sam Storekeeper' });
  await ledger.receive(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '3', unitCost: '1', document: manual(), actor: 'U0STORE1' });
  await ledger.receive(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '2', unitCost: '1', document: manual(), actor: 'import' });
  const h = await itemHistory(t.db, { sku: 'PEN-BLUE' });
  expect(h.moves.map((m) => [m.actor, m.actorName])).toEqual([
    ['import', null],
    ['U0STORE1', 'Sam Storekeeper'],
  ]);
});
