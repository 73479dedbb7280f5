import { afterAll, beforeAll, expect, test } from 'vitest';
import { abcRunItems, abcRunSummary, inventoryValueByClass, runAbcClassification } from '../../db/queries/abc.js';
import { createItem } from '../../db/queries/items.js';
import { issue, receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { classifyAbc } from '../../inventory/abc.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
const AS_OF = new Date('2026-11-01T00:00:00Z');
const doc = { type: 'manual' as const, id: 'abc-test' };
let n = 0;

async function stockAndIssue(sku: string, unitCost: string, issues: { qty: string; at: string }[], active = true) {
  await createItem(database.db, { sku, name: `Item ${sku}`, active: true });
  const total = issues.reduce((acc, i) => acc + Number(i.qty), 0) + 10;
  await receive(database.db, { key: `r-${++n}`, sku, location: 'Main/Aisle 1/Bin 1', quantity: String(total), unitCost, document: doc, actor: 'test', occurredAt: '2025-01-01T00:00:00Z' });
  for (const i of issues) {
    await issue(database.db, { key: `i-${++n}`, sku, location: 'Main/Aisle 1/Bin 1', quantity: i.qty, document: doc, actor: 'test', unreserved: true, occurredAt: i.at });
  }
  if (!active) await database.sql`update items set active = false where sku = ${sku}`;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await ensureLocation(database.db, { path: 'Main/Aisle 1/Bin 1' });
  // The hand-worked set of test/unit/abc.test.ts, as real ledger moves (total consumption 1,000).
  await stockAndIssue('P1', '10', [{ qty: '30', at: '2026-02-01T00:00:00Z' }, { qty: '20', at: '2026-10-31T23:59:59Z' }]); // 500
  await stockAndIssue('P2', '10', [{ qty: '25', at: '2026-05-01T00:00:00Z' }]); // 250
  await stockAndIssue('P3', '5', [{ qty: '15', at: '2026-06-01T00:00:00Z' }]); // 75
  await stockAndIssue('P4', '25', [{ qty: '3', at: '2026-07-01T00:00:00Z' }]); // 75: ties with P3
  await stockAndIssue('P5', '10', [{ qty: '6', at: '2026-08-01T00:00:00Z' }]); // 60
  await stockAndIssue('P6', '5', [{ qty: '4', at: '2026-09-01T00:00:00Z' }]); // 20
  await stockAndIssue('P7', '10', [{ qty: '2', at: '2025-11-01T00:00:00Z' }]); // 20, on the window's first instant
  await stockAndIssue('P8', '3', []); // received, never issued
  await stockAndIssue('P9', '7', [{ qty: '5', at: '2025-10-31T23:59:59Z' }, { qty: '1', at: '2026-11-01T00:00:00Z' }]); // both outside
  await stockAndIssue('GONE', '100', [{ qty: '9', at: '2026-03-01T00:00:00Z' }], false); // inactive: not classified
});
afterAll(async () => {
  await database?.drop();
});

test('SQL classification matches the hand-worked set: ties, window edges, no usage, inactive items left out', async () => {
  const summary = await runAbcClassification(database.db, { key: 'nov', trigger: 'manual', asOf: AS_OF });
  expect(summary).toMatchObject({
    itemCount: 9,
    totalValue: '1000',
    changedCount: 0,
    periodStart: '2025-11-01T00:00:00.000Z',
    periodEnd: '2026-11-01T00:00:00.000Z',
    cutoffs: { a: '0.8', b: '0.95' },
  });
  expect(summary.pareto).toEqual([
    { abcClass: 'A', itemCount: 4, itemShare: '0.4444', value: '900', valueShare: '0.9000' },
    { abcClass: 'B', itemCount: 1, itemShare: '0.1111', value: '60', valueShare: '0.0600' },
    { abcClass: 'C', itemCount: 4, itemShare: '0.4444', value: '40', valueShare: '0.0400' },
  ]);
  const rows = await abcRunItems(database.db);
  expect(rows.map((r) => [r.sku, r.rank, r.annualValue, r.shareBefore, r.abcClass])).toEqual([
    ['P1', 1, '500', '0.000000', 'A'],
    ['P2', 2, '250', '0.500000', 'A'],
    ['P3', 3, '75', '0.750000', 'A'],
    ['P4', 3, '75', '0.750000', 'A'],
    ['P5', 5, '60', '0.900000', 'B'],
    ['P6', 6, '20', '0.960000', 'C'],
    ['P7', 6, '20', '0.960000', 'C'],
    ['P8', 8, '0', '1.000000', 'C'],
    ['P9', 8, '0', '1.000000', 'C'],
  ]);
  // The pure rules give the same answer on the same values.
  const pure = classifyAbc(rows.map((r) => ({ sku: r.sku, annualValue: r.annualValue })));
  expect(pure.map((p) => [p.sku, p.rank, p.shareBefore, p.cumulativeShare, p.abcClass])).toEqual(
    rows.map((r) => [r.sku, r.rank, r.shareBefore, r.cumulativeShare, r.abcClass]),
  );
});

test('the same key is the same run; a later run keeps history and reports the items that changed class', async () => {
  const again = await runAbcClassification(database.db, { key: 'nov', trigger: 'manual', asOf: new Date('2030-01-01T00:00:00Z') });
  const first = await abcRunSummary(database.db);
  expect(again.runId).toBe(first!.runId);
  expect(again.periodEnd).toBe('2026-11-01T00:00:00.000Z');

  // December's window drops P7's issue (20), takes in P9's of 1 November (7), and P8 is issued (30).
  await issue(database.db, { key: `i-${++n}`, sku: 'P8', location: 'Main/Aisle 1/Bin 1', quantity: '10', document: doc, actor: 'test', unreserved: true, occurredAt: '2026-11-15T00:00:00Z' });
  const dec = await runAbcClassification(database.db, { key: 'dec', trigger: 'schedule', asOf: new Date('2026-12-01T00:00:00Z') });
  expect(dec.runId).toBeGreaterThan(first!.runId);
  expect(dec.totalValue).toBe('1017');
  const rows = await abcRunItems(database.db, dec.runId);
  const p8 = rows.find((r) => r.sku === 'P8')!;
  // 960 of 1,017 ranks above P8 (94.4 % < 95 %): it moves from C to B, the only change.
  expect(p8).toMatchObject({ annualValue: '30', previousClass: 'C', abcClass: 'B', changed: true });
  expect(dec.changes).toEqual([{ sku: 'P8', from: 'C', to: 'B', annualValue: '30' }]);
  expect(dec.changes.map((c) => `${c.sku}:${c.from}->${c.to}`).sort()).toEqual(
    rows.filter((r) => r.changed).map((r) => `${r.sku}:${r.previousClass}->${r.abcClass}`).sort(),
  );
  expect(dec.changedCount).toBe(rows.filter((r) => r.previousClass !== null && r.previousClass !== r.abcClass).length);
  // The November run is still there, unchanged.
  expect((await abcRunItems(database.db, first!.runId)).find((r) => r.sku === 'P8')!.abcClass).toBe('C');
});

test('inventory value on the books per current class', async () => {
  const byClass = await inventoryValueByClass(database.db);
  expect(byClass.map((c) => c.abcClass)).toEqual(['A', 'B', 'C']);
  // Ten left of each item at its receipt cost, plus P8 and P9 remainders: every class holds stock.
  expect(byClass.every((c) => Number(c.items) > 0)).toBe(true);
});
