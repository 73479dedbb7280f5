import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evaluatePolicies, runReorderCheck, type PolicyEvaluation, type SqlEvaluation } from '../../db/queries/reorder-check.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { decisionMismatches } from '../helpers/reorder-decisions.js';

// The daily check decides in SQL; the restock workflow decides in Node with inventory/reorder.ts.
// Both must give the same answer for every policy: 400 generated policies (every mode, unit
// decimals 0/2/3, with and without min, max, safety stock, multiples, costs, learned lead times,
// warehouse scope) over generated demand, stock, reservations and open purchase orders.

let database: TestDatabase;
const asOf = new Date('2026-06-15T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await db.execute(sql`select setseed(0.4242)`);
  await db.execute(sql`insert into locations (name, path, kind, depth) values ('EQ', 'EQ', 'warehouse', 0)`);
  await db.execute(sql`insert into locations (parent_id, name, path, kind, depth) select id, 'B1', 'EQ/B1', 'bin', 1 from locations where path = 'EQ'`);
  await db.execute(sql`insert into locations (name, path, kind, depth) values ('OTHER', 'OTHER', 'bin', 0)`);
  await db.execute(sql`insert into vendors (code, name) values ('EQV', 'Equality Vendor')`);
  await db.execute(sql`
    insert into items (sku, name, uom, uom_decimals, standard_cost)
    select 'EQ-' || lpad(g::text, 4, '0'), 'Item ' || g, (array['ea', 'm', 'kg'])[1 + g % 3], (array[0, 2, 3])[1 + g % 3],
           round((0.05 + random() * 80)::numeric, 4)
      from generate_series(1, 400) g`);
  await db.execute(sql`
    insert into reorder_policies (item_id, location_id, vendor_id, reorder_point_mode, min, max, reorder_point, safety_stock, service_level,
                                  demand_window_days, lead_time_days, learned_lead_time_days, learned_lead_time_samples, order_multiple,
                                  ordering_cost, holding_cost_per_unit_year)
    select i.id,
           case when n % 11 = 0 then (select id from locations where path = 'EQ') end,
           (select id from vendors),
           (case when n % 3 = 0 then 'manual' else 'computed' end)::reorder_point_mode,
           case when n % 4 = 0 then round((random() * 30)::numeric, 0) end,
           case when n % 5 < 3 then round((40 + random() * 200)::numeric, 0) end,
           case when n % 6 = 0 then round((random() * 50)::numeric, 2) end,
           case when n % 7 = 0 then round((random() * 10)::numeric, 2) end,
           (array[0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999])[1 + n % 7],
           (array[7, 30, 90])[1 + n % 3],
           round((0.5 + random() * 20)::numeric, 2),
           case when n % 8 = 0 then round((0.2 + random() * 15)::numeric, 2) end,
           (n % 5),
           case when n % 9 < 4 then (array[1, 6, 12, 0.25])[1 + n % 4] end,
           case when n % 10 < 4 then round((random() * 100)::numeric, 2) end,
           case when n % 10 < 3 then round((random() * 3)::numeric, 4) when n % 10 = 3 then 0 end
      from (select id, (row_number() over (order by sku))::int as n from items where sku like 'EQ-%') i`);
  // Issues on random days over 100 days (some outside each window), quantities within each unit's decimals.
  await db.execute(sql`
    insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at)
    select i.id, (select id from locations where path = case when random() < 0.5 then 'EQ/B1' else 'OTHER' end), 'issue',
           -round((0.001 + random() * 25)::numeric, i.uom_decimals) - (case when i.uom_decimals = 0 then 1 else 0 end),
           1, 0, 'demo', 'eq', 'test', ${asOf.toISOString()}::timestamptz - random() * interval '100 days'
      from items i cross join generate_series(1, 40) k
     where i.sku like 'EQ-%' and (hashtext(i.sku) % 5) <> 0 and random() < 0.6`);
  // Bins only, with no books or cost layers behind them (the check reads bins alone): a commit the ledger's
  // books-balance trigger refuses, so the owner loads them with triggers off, as a fixture, not as a posting.
  const owner = postgres(database.ownerUrl, { max: 1, onnotice: () => {} });
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`select setseed(0.4343)`;
    await tx`
    insert into stock_levels (item_id, location_id, on_hand, reserved)
    select i.id, l.id, s.on_hand, round(s.on_hand * (case when random() < 0.3 then random() else 0 end)::numeric, i.uom_decimals)
      from items i cross join (select id from locations where path in ('EQ/B1', 'OTHER')) l
      cross join lateral (select round((random() * 120)::numeric, i.uom_decimals) as on_hand offset 0) s
     where i.sku like 'EQ-%' and random() < 0.8`;
  });
  await owner.end();
  await db.execute(sql`
    insert into purchase_orders (creation_key, vendor_id, status, buyer_slack_user_id, created_by)
    select 'eq-' || g, (select id from vendors), (array['draft', 'sent', 'received', 'cancelled'])[1 + g % 4]::purchase_order_status, 'UB', 'UB'
      from generate_series(1, 40) g`);
  await db.execute(sql`
    insert into purchase_order_lines (purchase_order_id, line_no, item_id, sku, quantity_ordered, quantity_received, unit_price, default_location_id)
    select po.id, 1, i.id, i.sku, 30, 10, 1, case when random() < 0.5 then (select id from locations where path = 'EQ/B1') end
      from (select id, (row_number() over (order by creation_key))::int as p from purchase_orders) po
      join (select id, sku, (row_number() over (order by sku))::int as n from items where sku like 'EQ-%') i on i.n = po.p * 7`);
});

afterAll(async () => {
  await database?.drop();
});

test('the set-based check decides exactly as inventory/reorder.ts, policy by policy', async () => {
  const inNode = new Map<string, PolicyEvaluation>();
  await evaluatePolicies(database.db, { asOf, save: false, onEvaluation: (e) => inNode.set(e.policyId, e) });
  const inSql = new Map<string, SqlEvaluation>();
  const summary = await runReorderCheck(database.db, { asOf, save: false, all: true, onEvaluation: (e) => inSql.set(e.policyId, e) });
  expect(inNode.size).toBe(400);
  expect(inSql.size).toBe(400);
  expect(summary.checked).toBe(400);

  const mismatches = decisionMismatches(inNode, inSql);
  const statuses = new Set([...inNode.values()].map((e) => e.evaluation.status));
  expect(mismatches).toEqual([]);
  // The generated set reaches every branch that matters.
  expect([...statuses].sort()).toEqual(['low', 'ok', 'stockout']);
  expect([...inNode.values()].filter((e) => e.evaluation.eoq !== undefined).length).toBeGreaterThan(10);
  expect([...inNode.values()].filter((e) => e.evaluation.suggestedQuantity !== '0').length).toBeGreaterThan(10);
  expect([...inNode.values()].filter((e) => e.evaluation.leadTimeSource === 'learned').length).toBeGreaterThan(10);
  expect([...inNode.values()].filter((e) => e.warehouse).length).toBeGreaterThan(10);
  expect(summary.ok + summary.low + summary.stockout).toBe(400);
});

test('the check writes the computed figures back, and only the policies that need attention come back by default', async () => {
  const summary = await runReorderCheck(database.db, { asOf });
  const [saved] = (await database.db.execute(sql`select count(*)::int as n from reorder_policies where computed_at is not null`)) as unknown as { n: number }[];
  expect(saved!.n).toBe(400);
  expect(summary.belowReorderPoint.length).toBe(summary.low + summary.stockout);
  const needing = new Set([...summary.belowReorderPoint.map((b) => b.sku), ...summary.suggestions.map((s) => s.sku)]);
  expect(needing.size).toBeLessThan(400);
});
