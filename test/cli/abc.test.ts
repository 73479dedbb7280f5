import { afterAll, beforeAll, expect, test } from 'vitest';
import { abcCommand, renderAbc } from '../../cli/abc.js';
import { createItem } from '../../db/queries/items.js';
import { issue, receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
const doc = { type: 'demo' as const, id: 'abc-cli' };

beforeAll(async () => {
  database = await createTestDatabase();
  await ensureLocation(database.db, { path: 'Main/A/1' });
  const values: [string, string, string][] = [
    ['P1', '10', '50'],
    ['P2', '10', '25'],
    ['P3', '5', '15'],
    ['P4', '25', '3'],
    ['P5', '10', '6'],
    ['P6', '5', '4'],
    ['P7', '10', '2'],
  ];
  for (const [sku, cost, qty] of values) {
    await createItem(database.db, { sku, name: `Item ${sku}` });
    await receive(database.db, { key: `r-${sku}`, sku, location: 'Main/A/1', quantity: '100', unitCost: cost, document: doc, actor: 'test' });
    await issue(database.db, { key: `i-${sku}`, sku, location: 'Main/A/1', quantity: qty, document: doc, actor: 'test', unreserved: true });
  }
  await createItem(database.db, { sku: 'P8', name: 'Never issued' });
});
afterAll(async () => {
  await database?.drop();
});

test('stockroom abc prints the Pareto table; --run classifies first', async () => {
  expect(await renderAbc(database.db)).toMatch(/No ABC analysis has run yet/);
  const text = await abcCommand({ run: true, databaseUrl: database.url });
  const lines = text.split('\n');
  expect(lines[0]).toMatch(/^ABC analysis #\d+: issues from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, cut-offs A 80.0 %, B 95.0 %$/);
  expect(lines.slice(2, 8)).toEqual([
    'Class  Items  Share of items  Annual consumption value  Share of value',
    '-----  -----  --------------  ------------------------  --------------',
    'A          4          50.0 %                    900.00          90.0 %',
    'B          1          12.5 %                     60.00           6.0 %',
    'C          3          37.5 %                     40.00           4.0 %',
    '-----  -----  --------------  ------------------------  --------------',
  ]);
  expect(lines[8]).toBe('All        8         100.0 %                  1,000.00         100.0 %');
  // Without --run: the latest run again, as JSON when asked.
  const json = JSON.parse(await renderAbc(database.db, { json: true }));
  expect(json.pareto.map((r: { itemCount: number }) => r.itemCount)).toEqual([4, 1, 3]);
});
