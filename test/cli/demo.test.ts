import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDemo, type DemoSummary } from '../../cli/demo.js';
import { demoCatalogue, demoLocations, ean13 } from '../../cli/demo/catalogue.js';
import { demoHistory } from '../../cli/demo/history.js';
import { seededRandom } from '../../cli/demo/random.js';
import { listApprovers, rolesOf } from '../../db/queries/people.js';
import { inventoryValuation } from '../../db/queries/reports.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { brokenInvariants, tableCounts } from './csv-files.js';

const TODAY = new Date('2026-11-25T15:00:00Z');

describe('demo data (pure)', () => {
  test('the catalogue is a few hundred plausible, unique items in real locations', () => {
    const catalogue = demoCatalogue();
    expect(catalogue.length).toBeGreaterThanOrEqual(250);
    expect(new Set(catalogue.map((i) => i.sku.toLowerCase())).size).toBe(catalogue.length);
    const barcodes = catalogue.flatMap((i) => (i.barcode ? [i.barcode] : []));
    expect(new Set(barcodes).size).toBe(barcodes.length);
    for (const code of barcodes) expect(ean13(code.slice(0, 12))).toBe(code); // valid check digits
    const paths = new Set(demoLocations().map((l) => l.path));
    for (const item of catalogue) {
      expect(paths.has(item.bin)).toBe(true);
      if (item.workshopShelf) expect(paths.has(item.workshopShelf)).toBe(true);
      expect(item.standardCost).toMatch(/^\d+(\.\d{1,4})?$/);
    }
    expect(new Set(catalogue.map((i) => i.category)).size).toBeGreaterThanOrEqual(15);
    expect(catalogue.find((i) => i.sku === 'PAP-A4-80')).toMatchObject({ name: 'Copy paper A4 80 g/m², ream of 500', uom: 'ream', vendor: 'PROSEWARE' });
  });

  test('the same seed and day give the same history; the generator never uses Math.random', () => {
    const a = demoHistory(demoCatalogue(), TODAY);
    const b = demoHistory(demoCatalogue(), TODAY);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(seededRandom(7).next()).toBe(seededRandom(7).next());
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used');
    };
    try {
      expect(demoHistory(demoCatalogue(), TODAY).operations.length).toBe(a.operations.length);
    } finally {
      Math.random = original;
    }
  });
});

describe('stockroom demo', () => {
  let t: TestDatabase;
  let first: DemoSummary;

  beforeAll(async () => {
    t = await createTestDatabase();
    first = await loadDemo(t.db, { today: TODAY });
  }, 180_000);
  afterAll(() => t?.drop());

  test('loads items, two warehouses and six months of receipts and issues that keep the ledger invariants', async () => {
    expect(first).toMatchObject({ loaded: true, items: demoCatalogue().length, locations: demoLocations().length, people: 7 });
    const counts = await tableCounts(t.db);
    expect(counts.items).toBe(first.items);
    expect(counts.locations).toBe(first.locations);
    expect(counts.moves).toBeGreaterThan(first.operations); // transfers post two legs
    expect(await brokenInvariants(t.db)).toEqual([]);

    const [span] = await t.db.execute<{ first: string; last: string; receipts: number; issues: number; transfers: number; adjustments: number }>(sql`
      select min(created_at)::date::text as first, max(created_at)::date::text as last,
             count(*) filter (where type = 'receipt')::int as receipts, count(*) filter (where type = 'issue')::int as issues,
             count(*) filter (where type = 'transfer_out')::int as transfers, count(*) filter (where type = 'adjustment')::int as adjustments
        from stock_moves`);
    expect(span).toMatchObject({ first: '2026-05-25', last: '2026-11-20' }); // 26 weeks, Monday to Friday
    expect(span!.issues).toBeGreaterThan(3000);
    expect(span!.receipts).toBeGreaterThan(500);
    expect(span!.transfers).toBeGreaterThan(150);
    expect(span!.adjustments).toBeGreaterThan(5);
    // Receipts at varying prices: most replenished items were bought at several unit costs.
    const [prices] = await t.db.execute<{ n: number }>(sql`
      select count(*)::int as n from (select item_id from stock_moves where type = 'receipt' group by item_id having count(distinct unit_cost) >= 3) x`);
    expect(prices!.n).toBeGreaterThan(100);
    // Stock in both warehouses, and some items run low or out.
    const [where] = await t.db.execute<{ workshop: number; empty: number }>(sql`
      select count(distinct s.item_id) filter (where l.path like 'Workshop/%' and s.on_hand > 0)::int as workshop,
             (select count(*) from item_valuations where on_hand = 0)::int as empty
        from stock_levels s join locations l on l.id = s.location_id`);
    expect(where!.workshop).toBeGreaterThan(40);
    expect(where!.empty).toBeGreaterThan(0);
  });

  test('FIFO, LIFO and weighted average give different values, as prices rose', async () => {
    const value = await inventoryValuation(t.db);
    expect(Number(value.totals.fifo)).toBeGreaterThan(Number(value.totals.wavg));
    expect(Number(value.totals.wavg)).toBeGreaterThan(Number(value.totals.lifo));
    expect(value.items.some((i) => i.method === 'lifo') && value.items.some((i) => i.method === 'wavg')).toBe(true);
  });

  test("seeds the sandbox's people with roles, approval limits, groups, cost centers and reorder policies", async () => {
    expect(await rolesOf(t.db, 'U0APR00500')).toEqual({ roles: ['approver'], approvalLimit: '500' });
    expect(await rolesOf(t.db, 'U0WHS00001')).toEqual({ roles: ['warehouse'] });
    expect(await listApprovers(t.db)).toEqual([
      { slackUserId: 'U0APR00500', limit: '500' },
      { slackUserId: 'U0APR05000', limit: '5000' },
    ]);
    const [seeded] = await t.db.execute<{ centers: number; budgets: number; policies: number; vendors: number; members: number }>(sql`
      select (select count(*) from cost_centers)::int as centers, (select count(*) from cost_center_budgets)::int as budgets,
             (select count(*) from reorder_policies)::int as policies, (select count(*) from vendors)::int as vendors,
             (select count(*) from usergroup_members)::int as members`);
    expect(seeded).toEqual({ centers: 4, budgets: 4, policies: first.items, vendors: 10, members: 5 });
  });

  test('running it again changes nothing, also through `stockroom demo`', async () => {
    const before = await tableCounts(t.db);
    expect(await loadDemo(t.db, { today: new Date('2026-12-30T00:00:00Z') })).toMatchObject({ loaded: false, operations: 0 });
    const run = spawnSync(process.execPath, ['cli/bin.js', 'demo'], { env: { ...process.env, DATABASE_URL: t.url }, encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout).toContain('The demo is already loaded; nothing changed.');
    expect(run.status).toBe(0);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
