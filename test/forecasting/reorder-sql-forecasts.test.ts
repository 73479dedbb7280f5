import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evaluatePolicies, runReorderCheck, type PolicyEvaluation, type SqlEvaluation } from '../../db/queries/reorder-check.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { decisionMismatches } from '../helpers/reorder-decisions.js';

// The daily check (SQL) and the restock workflow (Node, inventory/reorder.ts) must agree policy by
// policy when stored forecasts take part: 300 generated policies (every mode, unit decimals 0/2/3,
// min, max, multiples, costs, learned lead times), three in four with a forecast that beat the
// current method or not, made for the lead time and service level in force or for others, under the
// 'auto' or 'average' demand method; issues over 100 days; open purchase orders. (Stock is left at
// zero: test/restock/reorder-sql.test.ts covers stock and reservations without forecasts.)

let database: TestDatabase;
const asOf = new Date('2026-06-15T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const owner = postgres((database as TestDatabase & { ownerUrl?: string }).ownerUrl ?? database.url, { max: 1, onnotice: () => {} });
  try {
    await owner`select setseed(0.1414)`;
    await owner`insert into locations (name, path, kind, depth) values ('FQ', 'FQ', 'bin', 0)`;
    await owner`insert into vendors (code, name) values ('FQV', 'Forecast Vendor')`;
    await owner`
      insert into items (sku, name, uom, uom_decimals, standard_cost)
      select 'FQ-' || lpad(g::text, 4, '0'), 'Item ' || g, 'ea', (array[0, 2, 3])[1 + g % 3], round((0.05 + random() * 80)::numeric, 4)
        from generate_series(1, 300) g`;
    await owner`
      insert into reorder_policies (item_id, vendor_id, reorder_point_mode, min, max, reorder_point, service_level, demand_window_days,
                                    lead_time_days, learned_lead_time_days, learned_lead_time_samples, order_multiple, ordering_cost,
                                    holding_cost_per_unit_year, demand_method)
      select i.id, (select id from vendors),
             (case when n % 4 = 0 then 'manual' else 'computed' end)::reorder_point_mode,
             case when n % 5 = 0 then round((random() * 30)::numeric, 0) end,
             case when n % 6 < 2 then round((40 + random() * 200)::numeric, 0) end,
             case when n % 8 = 0 then round((random() * 50)::numeric, 2) end,
             (array[0.8, 0.9, 0.95, 0.99])[1 + n % 4],
             (array[30, 90])[1 + n % 2],
             round((1 + random() * 20)::numeric, 2),
             case when n % 7 = 0 then round((0.5 + random() * 15)::numeric, 2) end,
             (n % 5),
             case when n % 9 < 3 then (array[1, 6, 0.25])[1 + n % 3] end,
             case when n % 10 < 4 then round((random() * 100)::numeric, 2) end,
             case when n % 10 < 3 then round((random() * 3)::numeric, 4) end,
             (case when n % 11 = 0 then 'average' else 'auto' end)::demand_method
        from (select id, (row_number() over (order by sku))::int as n from items where sku like 'FQ-%') i`;
    await owner`
      insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at)
      select i.id, (select id from locations where path = 'FQ'), 'issue', -round((0.01 + random() * 25)::numeric, i.uom_decimals) - 1, 1, -1,
             'demo', 'fq', 'test', ${asOf.toISOString()}::timestamptz - random() * interval '100 days'
        from items i cross join generate_series(1, 30) k
       where i.sku like 'FQ-%' and random() < 0.6`;
    // Forecasts: the lead time in force (learned from 3 samples, else hand-set) most of the time, else another one;
    // the service level in force most of the time; beat the current method or not.
    await owner`
      insert into demand_forecasts (policy_id, item_id, history_end, period, history_periods, model, demand_class, params, beats_current,
                                    lead_time_days, service_level, lead_time_demand, safety_stock, reorder_point, interval_method,
                                    next_periods, backtest, horizon_periods)
      select p.id, p.item_id, '2026-06-15', 'week', 104, 'ses', 'smooth', '{}', n % 3 <> 0,
             case when n % 10 = 0 then p.lead_time_days + 1
                  else case when p.learned_lead_time_samples >= 3 and p.learned_lead_time_days is not null
                            then p.learned_lead_time_days else p.lead_time_days end end,
             case when n % 13 = 0 then 0.5 else p.service_level end,
             f.ltd, f.rop - f.ltd, f.rop, 'empirical', '[]', '[]', 2
        from (select p.*, (row_number() over (order by i.sku))::int as n, i.uom_decimals
                from reorder_policies p join items i on i.id = p.item_id where i.sku like 'FQ-%') p
        cross join lateral (select round((random() * 60)::numeric, 4) as ltd offset 0) l
        cross join lateral (select l.ltd,
                                   ceil((l.ltd + random() * 30) * power(10, p.uom_decimals)) / power(10, p.uom_decimals) as rop offset 0) f
       where p.n % 4 <> 0`;
    await owner`
      insert into purchase_orders (creation_key, vendor_id, status, buyer_slack_user_id, created_by)
      select 'fq-' || g, (select id from vendors), (array['draft', 'sent'])[1 + g % 2]::purchase_order_status, 'UB', 'UB'
        from generate_series(1, 30) g`;
    await owner`
      insert into purchase_order_lines (purchase_order_id, line_no, item_id, sku, quantity_ordered, quantity_received, unit_price)
      select po.id, 1, i.id, i.sku, 30, 10, 1
        from (select id, (row_number() over (order by creation_key))::int as p from purchase_orders) po
        join (select id, sku, (row_number() over (order by sku))::int as n from items where sku like 'FQ-%') i on i.n = po.p * 9`;
  } finally {
    await owner.end();
  }
});

afterAll(async () => {
  await database?.drop();
});

test('with stored forecasts, the set-based check decides exactly as inventory/reorder.ts, policy by policy', async () => {
  const inNode = new Map<string, PolicyEvaluation>();
  await evaluatePolicies(database.db, { asOf, save: false, onEvaluation: (e) => inNode.set(e.policyId, e) });
  const inSql = new Map<string, SqlEvaluation>();
  await runReorderCheck(database.db, { asOf, save: false, all: true, onEvaluation: (e) => inSql.set(e.policyId, e) });
  expect(inNode.size).toBe(300);
  expect(inSql.size).toBe(300);
  const mismatches = decisionMismatches(inNode, inSql);
  expect(mismatches).toEqual([]);
  const all = [...inNode.values()];
  const byForecast = all.filter((e) => e.evaluation.demandSource === 'forecast');
  // Every branch is reached: used, and passed over for each of its four reasons.
  expect(byForecast.length).toBeGreaterThan(60);
  expect(all.filter((e) => e.forecast && e.evaluation.demandSource === 'average' && !e.forecast.beatsCurrent).length).toBeGreaterThan(10);
  expect(all.filter((e) => e.forecast?.beatsCurrent && e.policy.demandMethod === 'average').length).toBeGreaterThan(3);
  expect(all.filter((e) => e.forecast?.beatsCurrent && e.forecast.leadTimeDays !== e.evaluation.leadTimeDays).length).toBeGreaterThan(3);
  expect(all.filter((e) => e.forecast?.beatsCurrent && e.forecast.serviceLevel !== e.policy.serviceLevel).length).toBeGreaterThan(3);
  // Where the forecast is used in computed mode, its reorder point (or min above it) is the one in force.
  for (const e of byForecast) {
    expect(e.evaluation.computedReorderPoint).toBe(e.forecast!.reorderPoint);
    if (e.policy.reorderPointMode === 'computed' && !e.policy.min) expect(e.evaluation.reorderPoint).toBe(e.forecast!.reorderPoint);
  }
});
