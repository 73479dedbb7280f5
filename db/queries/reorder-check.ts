import type postgres from 'postgres';
import {
  evaluateReorder,
  serviceLevelZ,
  type ForecastFigures,
  type ReorderEvaluation,
  type ReorderPolicyInput,
} from '../../inventory/reorder.js';
import type { Database } from '../client.js';
import { trim, windowEnd } from './demand.js';
import { forecastInUse } from './forecasting.js';

/**
 * The reorder check. One chain of SQL (the CTEs below) gathers, per active reorder policy, the demand
 * statistics of its window, the stock it covers (on hand, reserved) and what is on order. Two uses:
 *
 * - evaluatePolicies / evaluateItem stream those figures into Node and decide with the pure math of
 *   inventory/reorder.ts (the restock workflow, one item at a time; tests);
 * - runReorderCheck, the daily check over the whole catalogue, applies the same formulas in SQL on
 *   the same figures, writes the computed figures back in the same statement and returns only the
 *   items that need attention. Decimal arithmetic in Node costs tens of µs an item, most of a
 *   100,000-item check; in Postgres' numeric it is a fraction of the aggregation. z comes from Node
 *   (inventory/reorder.ts serviceLevelZ) per distinct service level. test/restock/reorder-sql.test.ts
 *   holds the two paths equal, field by field, over a spread of generated policies.
 *
 * Demand per policy is the zero-filled daily series in closed form: with n = window days and the
 * sums S = Σ qty and Q = Σ qty² over the days that had issues (the other days add 0 to both),
 * mean = S / n and σ = √((Q − S² / n) / (n − 1)), the very formula stddev_samp evaluates
 * (db/queries/demand.ts itemDemand is the generate_series form; a test holds them equal). It
 * avoids materialising items × days rows (9 million for 100,000 items over 90 days).
 *
 * Demand forecasts (issue 14): where the policy's demand method is 'auto' and its stored forecast
 * (demand_forecasts, refitted weekly) beat the average/σ method in backtest for the lead time and
 * service level in force, the forecast's safety stock and reorder point are the computed ones, its
 * lead-time demand sets the default order-up-to cycle and the days of cover (forecastInUse, and
 * inventory/reorder.ts useForecast in Node).
 */

export interface PolicyFigures {
  policyId: string;
  itemId: string;
  sku: string;
  name: string;
  uom: string;
  decimals: number;
  /** Warehouse path when the policy covers one warehouse only. */
  warehouse?: string;
  vendorId?: string;
  vendorCode?: string;
  unitPrice?: string;
  windowDays: number;
  policy: ReorderPolicyInput;
  demand: { total: string; averageDaily: string; stdDevDaily: string };
  stock: { onHand: string; reserved: string; onOrder: string };
  forecast?: ForecastFigures;
}

export interface PolicyEvaluation extends PolicyFigures {
  evaluation: ReorderEvaluation;
}

interface Row {
  policy_id: string;
  item_id: string;
  sku: string;
  name: string;
  uom: string;
  uom_decimals: number;
  warehouse: string | null;
  vendor_id: string | null;
  vendor_code: string | null;
  unit_price: string | null;
  standard_cost: string | null;
  reorder_point_mode: 'manual' | 'computed';
  min: string | null;
  max: string | null;
  reorder_point: string | null;
  safety_stock: string | null;
  service_level: string;
  demand_window_days: number;
  lead_time_days: string;
  learned_lead_time_days: string | null;
  learned_lead_time_samples: number;
  order_multiple: string | null;
  ordering_cost: string | null;
  holding_cost_per_unit_year: string | null;
  total: string;
  average: string;
  sd: string;
  on_hand: string;
  reserved: string;
  on_order: string;
  demand_method: 'auto' | 'average';
  f_beats: boolean | null;
  f_lead: string | null;
  f_level: string | null;
  f_ltd: string | null;
  f_ss: string | null;
  f_rop: string | null;
}

/** Open and draft PO lines count as on order, so the same need is never proposed twice. */
export const OPEN_PO_STATUSES = ['draft', 'awaiting_approval', 'approved', 'sent', 'partially_received'] as const;

/** The CTE chain both paths share (pol, item_daily, scoped_daily, stats, stock, on_order, figures). */
function figureCtes(client: postgres.Sql, input: { end: string; since: string; itemIds?: string[] }) {
  const onlyItems = input.itemIds ? client`and p.item_id = any(${client.array(input.itemIds)}::uuid[])` : client``;
  return client`
    pol as materialized (
      select p.*, lower(wl.path) as wpath,
             ${input.end}::date - p.demand_window_days as first_day,
             (${input.end}::date - p.demand_window_days)::timestamp at time zone 'UTC' as since
        from reorder_policies p
        left join locations wl on wl.id = p.location_id
       where p.active ${onlyItems}
    ),
    -- Company-wide policies (nearly all): issues per item and day since the earliest window start,
    -- aggregated on the moves alone before meeting the policies (joining every move first is 4x
    -- slower). Quantities have 4 decimals, so × 10,000 they are exact integers: bigint sums hash in
    -- a fraction of the memory and time of numeric ones, and nothing is rounded.
    item_daily as materialized (
      select m.item_id, (m.created_at at time zone 'UTC')::date as day, sum((-m.quantity * 10000)::bigint) as units
        from stock_moves m
       where m.type = 'issue'
         and m.created_at >= ${input.since}::timestamptz
         and m.created_at < ${input.end}::date::timestamp at time zone 'UTC'
       group by 1, 2
    ),
    -- Warehouse policies: only the moves in bins under the warehouse.
    scoped_daily as (
      select pol.id as policy_id, -sum(m.quantity) as qty
        from pol
        join stock_moves m on m.item_id = pol.item_id
        join locations l on l.id = m.location_id
       where pol.location_id is not null
         and m.type = 'issue'
         and m.created_at >= pol.since
         and m.created_at < ${input.end}::date::timestamp at time zone 'UTC'
         and (lower(l.path) = pol.wpath or lower(l.path) like pol.wpath || '/%')
       group by pol.id, (m.created_at at time zone 'UTC')::date
    ),
    -- Each step below is computed once (materialized), whatever the planner guesses from stale
    -- statistics after a bulk load. Per item and window length (policies share a handful: 90 days
    -- unless set otherwise), so the
    -- million (item, day) rows are hashed by item, not joined to the policies and sorted. Squares in
    -- bigint while they fit (|units| < 3·10⁹, under 300,000 units a day), summed with Postgres'
    -- 128-bit accumulator; larger days in numeric. Both exact.
    windows as materialized (select distinct demand_window_days as days from pol where location_id is null),
    item_window as materialized (
      select d.item_id, w.days, sum(d.units)::numeric / 10000 as s,
             (coalesce(sum(d.units * d.units) filter (where abs(d.units) < 3000000000), 0)
              + coalesce(sum(d.units::numeric * d.units) filter (where abs(d.units) >= 3000000000), 0)) / 100000000 as q
        from item_daily d
        join windows w on d.day >= ${input.end}::date - w.days
       group by d.item_id, w.days
    ),
    stats as (
      select pol.id as policy_id, iw.s, iw.q
        from pol join item_window iw on iw.item_id = pol.item_id and iw.days = pol.demand_window_days
       where pol.location_id is null
      union all
      select policy_id, sum(qty), sum(qty * qty) from scoped_daily group by policy_id
    ),
    stock as (
      select pol.id as policy_id, sum(sl.on_hand) as on_hand, sum(sl.reserved) as reserved
        from pol
        join stock_levels sl on sl.item_id = pol.item_id
       where pol.location_id is null or exists (
               select 1 from locations l where l.id = sl.location_id
                  and (lower(l.path) = pol.wpath or lower(l.path) like pol.wpath || '/%'))
       group by pol.id
    ),
    on_order as (
      select pol.id as policy_id,
             sum(greatest(pl.quantity_ordered - pl.quantity_received - pl.quantity_cancelled, 0)) as quantity
        from pol
        join purchase_order_lines pl on pl.item_id = pol.item_id
        join purchase_orders po on po.id = pl.purchase_order_id
       where po.status::text = any(${client.array([...OPEN_PO_STATUSES])}::text[])
         and (pol.location_id is null or exists (
               select 1 from locations l where l.id = pl.default_location_id
                  and (lower(l.path) = pol.wpath or lower(l.path) like pol.wpath || '/%')))
       group by pol.id
    ),
    figures as (
      select pol.*, i.sku, i.name, i.uom, i.uom_decimals, i.standard_cost, wl2.path as warehouse, v.code as vendor_code,
             coalesce(st.s, 0) as total,
             round(coalesce(st.s, 0) / pol.demand_window_days, 6) as average,
             case when pol.demand_window_days > 1
                  then round(sqrt(greatest((coalesce(st.q, 0) - coalesce(st.s, 0) * coalesce(st.s, 0) / pol.demand_window_days)
                                           / (pol.demand_window_days - 1), 0)), 6)
                  else 0 end as sd,
             coalesce(sk.on_hand, 0) as on_hand,
             coalesce(sk.reserved, 0) as reserved,
             coalesce(oo.quantity, 0) as on_order,
             df.beats_current as f_beats, df.lead_time_days as f_lead, df.service_level as f_level,
             df.lead_time_demand as f_ltd, df.safety_stock as f_ss, df.reorder_point as f_rop,
             ${forecastInUse(client, 'pol', 'df')} as f_use
        from pol
        join items i on i.id = pol.item_id
        left join locations wl2 on wl2.id = pol.location_id
        left join vendors v on v.id = pol.vendor_id
        left join stats st on st.policy_id = pol.id
        left join stock sk on sk.policy_id = pol.id
        left join on_order oo on oo.policy_id = pol.id
        left join demand_forecasts df on df.policy_id = pol.id
    )`;
}

function figuresQuery(client: postgres.Sql, input: { end: string; since: string; itemIds?: string[] }) {
  return client<Row[]>`
    with ${figureCtes(client, input)}
    select f.id as policy_id, f.item_id, f.sku, f.name, f.uom, f.uom_decimals, f.warehouse, f.vendor_id, f.vendor_code,
           f.unit_price::text, f.standard_cost::text,
           f.reorder_point_mode, f.min::text, f.max::text, f.reorder_point::text, f.safety_stock::text,
           f.service_level::text, f.demand_window_days, f.lead_time_days::text,
           f.learned_lead_time_days::text, f.learned_lead_time_samples,
           f.order_multiple::text, f.ordering_cost::text, f.holding_cost_per_unit_year::text,
           f.total::text, f.average::text, f.sd::text, f.on_hand::text, f.reserved::text, f.on_order::text,
           f.demand_method, f.f_beats, f.f_lead::text, f.f_level::text, f.f_ltd::text, f.f_ss::text, f.f_rop::text
      from figures f
     order by f.id`;
}

const opt = (value: string | null): string | undefined => (value === null ? undefined : trim(value));

function toFigures(r: Row): PolicyFigures {
  return {
    policyId: r.policy_id,
    itemId: r.item_id,
    sku: r.sku,
    name: r.name,
    uom: r.uom,
    decimals: r.uom_decimals,
    warehouse: r.warehouse ?? undefined,
    vendorId: r.vendor_id ?? undefined,
    vendorCode: r.vendor_code ?? undefined,
    unitPrice: opt(r.unit_price) ?? opt(r.standard_cost),
    windowDays: r.demand_window_days,
    policy: {
      reorderPointMode: r.reorder_point_mode,
      min: opt(r.min),
      max: opt(r.max),
      reorderPoint: opt(r.reorder_point),
      safetyStock: opt(r.safety_stock),
      serviceLevel: trim(r.service_level),
      leadTimeDays: trim(r.lead_time_days),
      learnedLeadTimeDays: opt(r.learned_lead_time_days),
      learnedLeadTimeSamples: r.learned_lead_time_samples,
      orderMultiple: opt(r.order_multiple),
      orderingCost: opt(r.ordering_cost),
      holdingCostPerUnitYear: opt(r.holding_cost_per_unit_year),
      demandMethod: r.demand_method,
    },
    demand: { total: trim(r.total), averageDaily: trim(r.average), stdDevDaily: trim(r.sd) },
    stock: { onHand: trim(r.on_hand), reserved: trim(r.reserved), onOrder: trim(r.on_order) },
    ...(r.f_rop !== null
      ? {
          forecast: {
            beatsCurrent: r.f_beats === true,
            leadTimeDays: trim(r.f_lead!),
            serviceLevel: trim(r.f_level!),
            leadTimeDemand: trim(r.f_ltd!),
            safetyStock: trim(r.f_ss!),
            reorderPoint: trim(r.f_rop),
          },
        }
      : {}),
  };
}

export const evaluateFigures = (f: PolicyFigures): PolicyEvaluation => ({
  ...f,
  evaluation: evaluateReorder({ policy: f.policy, demand: f.demand, stock: f.stock, decimals: f.decimals, forecast: f.forecast }),
});

/** Writes the computed figures of a batch back to the policies in one statement. */
async function saveComputed(client: postgres.Sql, batch: PolicyEvaluation[]): Promise<void> {
  if (batch.length === 0) return;
  const col = (pick: (e: PolicyEvaluation) => string) => client.array(batch.map(pick));
  await client`
    update reorder_policies p
       set average_daily_demand = round(v.average, 4),
           demand_std_dev = round(v.sd, 4),
           computed_safety_stock = v.safety,
           computed_reorder_point = v.rop,
           computed_at = now()
      from unnest(${col((e) => e.policyId)}::uuid[], ${col((e) => e.evaluation.averageDaily)}::numeric[],
                  ${col((e) => e.evaluation.stdDevDaily)}::numeric[], ${col((e) => e.evaluation.computedSafetyStock)}::numeric[],
                  ${col((e) => e.evaluation.computedReorderPoint)}::numeric[])
           as v(id, average, sd, safety, rop)
     where p.id = v.id`;
}

const clientOf = (db: Database) => (db as Database & { $client: postgres.Sql }).$client; // drizzle keeps it at runtime

/** The window end (asOf's day) and the earliest window start among the policies, as constants the planner can size. */
async function checkWindow(client: postgres.Sql, opts: { asOf?: Date; itemIds?: string[] }): Promise<{ end: string; since: string }> {
  const end = windowEnd(opts.asOf ?? new Date());
  const [widest] = await client<{ days: number | null }[]>`
    select max(demand_window_days)::int as days from reorder_policies
     where active ${opts.itemIds ? client`and item_id = any(${client.array(opts.itemIds)}::uuid[])` : client``}`;
  return { end, since: new Date(Date.parse(`${end}T00:00:00Z`) - (widest?.days ?? 0) * 86_400_000).toISOString() };
}

/**
 * Evaluates policies in Node with inventory/reorder.ts, streaming `batchSize` rows at a time (all
 * active policies, or the given items'); each evaluation goes to `onEvaluation`, and the computed
 * figures are written back unless `save` is false.
 */
export async function evaluatePolicies(
  db: Database,
  opts: { asOf?: Date; itemIds?: string[]; batchSize?: number; save?: boolean; onEvaluation: (e: PolicyEvaluation) => void },
): Promise<void> {
  const client = clientOf(db);
  const pending: Promise<void>[] = [];
  let saveFailure: unknown;
  const { end, since } = await checkWindow(client, opts);
  await figuresQuery(client, { end, since, itemIds: opts.itemIds }).cursor(opts.batchSize ?? 2000, async (rows) => {
    const batch = rows.map((r) => evaluateFigures(toFigures(r)));
    for (const e of batch) opts.onEvaluation(e);
    // The write of this batch overlaps the database's work on the next one.
    if (opts.save !== false) pending.push(saveComputed(client, batch).catch((err) => void (saveFailure ??= err)));
  });
  await Promise.all(pending);
  if (saveFailure) throw saveFailure;
}

/** The figures and decision for each policy of one item (the restock workflow's view). */
export async function evaluateItem(db: Database, input: { itemId: string; asOf?: Date; save?: boolean }): Promise<PolicyEvaluation[]> {
  const out: PolicyEvaluation[] = [];
  await evaluatePolicies(db, { asOf: input.asOf, itemIds: [input.itemId], save: input.save, onEvaluation: (e) => out.push(e) });
  return out;
}

/** One policy's decision as the set-based check computes it (the fields the equality test compares). */
export interface SqlEvaluation {
  policyId: string;
  sku: string;
  status: 'ok' | 'low' | 'stockout';
  available: string;
  position: string;
  leadTimeDays: string;
  safetyStock: string;
  reorderPoint: string;
  computedSafetyStock: string;
  computedReorderPoint: string;
  max: string;
  eoq?: string;
  suggestedQuantity: string;
  daysOfCover?: string;
  demandSource: 'forecast' | 'average';
  leadTimeDemand: string;
  vendorCode?: string;
  unitPrice?: string;
  warehouse?: string;
}

/**
 * The decision in SQL, formula for formula with inventory/reorder.ts evaluateReorder (see there for
 * the conventions): lead time learned from 3 samples; safety stock z·σ·√L rounded up; reorder point
 * demand × lead time + safety stock rounded up (computed mode, floored at min) or hand-set (else min,
 * else 0); EOQ √(2DS/H) rounded up when both costs and demand are there; order-up-to level max, or
 * ROP + EOQ, or ROP + one lead time of demand (at least 1); suggestion when the position is at or
 * below the ROP, rounded up to the order multiple. "Rounded up" is ceil(x · u) / u with u = 10^decimals.
 */
function decisionCtes(client: postgres.Sql, z: { levels: string[]; zs: string[] }) {
  return client`
    zt as (select * from unnest(${client.array(z.levels)}::numeric[], ${client.array(z.zs)}::numeric[]) as zt(service_level, z)),
    -- Each step is materialized: inlined, the planner would copy every earlier expression into every
    -- later one (the reorder point holds the safety stock twice, the suggestion the reorder point four
    -- times), and the square roots would be computed over and over.
    e1 as (
      -- Only the columns the decision needs travel through the steps below (f.* is forty wide).
      select f.id, f.sku, f.vendor_code, f.unit_price, f.standard_cost, f.warehouse, f.reorder_point_mode, f.min, f.max,
             f.reorder_point, f.safety_stock, f.order_multiple, f.ordering_cost, f.holding_cost_per_unit_year,
             f.average, f.sd, f.on_order, f.f_use, f.f_ltd, f.f_ss, f.f_rop,
             (case f.uom_decimals when 0 then 1 when 1 then 10 when 2 then 100 when 3 then 1000 else 10000 end)::numeric as u, zt.z,
             case when f.learned_lead_time_samples >= 3 and f.learned_lead_time_days is not null
                  then f.learned_lead_time_days else f.lead_time_days end as lead,
             f.on_hand - f.reserved as available
        from figures f join zt on zt.service_level = f.service_level
    ),
    e2 as materialized (
      select e1.*, case when f_use then f_ss else ceil(greatest(z * sd * sqrt(lead), 0) * u) / u end as css,
             case when f_use then f_ltd else average * lead end as ltd
        from e1
    ),
    e3 as materialized (
      select e2.*, case when f_use then f_rop else ceil((average * lead + css) * u) / u end as crop,
             case when reorder_point_mode = 'manual' and safety_stock is not null then safety_stock else css end as ss,
             case when ordering_cost is not null and holding_cost_per_unit_year is not null
                       and average > 0 and ordering_cost > 0 and holding_cost_per_unit_year > 0
                  then ceil(sqrt(2 * average * 365 * ordering_cost / holding_cost_per_unit_year) * u) / u end as eoq
        from e2
    ),
    e4 as materialized (
      select e3.*,
             case when reorder_point_mode = 'computed' then (case when min is not null and min > crop then min else crop end)
                  else coalesce(reorder_point, min, 0) end as rop,
             coalesce(eoq, greatest(ceil(ltd * u) / u, 1)) as cycle,
             available + on_order as position
        from e3
    ),
    e5 as materialized (
      select e4.*, case when max is not null and max > rop then max else rop + cycle end as up_to from e4
    ),
    decided as (
      select e5.*,
             case when available <= 0 then 'stockout' when available <= rop then 'low' else 'ok' end as status,
             case when position > rop then 0
                  when order_multiple is null or order_multiple <= 0 then ceil(greatest(up_to - position, 0) * u) / u
                  else ceil(ceil(greatest(up_to - position, 0) * u) / u / order_multiple) * order_multiple end as suggested,
             case when f_use then (case when ltd > 0 then trunc(greatest(available, 0) * lead / ltd, 1) end)
                  when average > 0 then trunc(greatest(available, 0) / average, 1) end as cover
        from e5
    )`;
}

export interface ReorderCheckSummary {
  checked: number;
  ok: number;
  low: number;
  stockout: number;
  /** Policies at or below their reorder point (low or out). */
  belowReorderPoint: { sku: string; status: 'low' | 'stockout'; suggestedQuantity: string }[];
  /** Proposed orders (position at or below the reorder point, nothing sufficient on order yet). */
  suggestions: { sku: string; vendorCode?: string; quantity: string; unitPrice?: string; warehouse?: string }[];
}

interface SqlRow {
  checked: number;
  ok: number;
  low: number;
  stockout: number;
  policy_id: string | null;
  sku: string;
  status: 'ok' | 'low' | 'stockout';
  available: string;
  position: string;
  lead: string;
  ss: string;
  rop: string;
  css: string;
  crop: string;
  up_to: string;
  eoq: string | null;
  suggested: string;
  cover: string | null;
  f_use: boolean;
  ltd_text: string;
  vendor_code: string | null;
  unit_price: string | null;
  warehouse: string | null;
}

function toSqlEvaluation(r: SqlRow): SqlEvaluation {
  return {
    policyId: r.policy_id!,
    sku: r.sku,
    status: r.status,
    available: trim(r.available),
    position: trim(r.position),
    leadTimeDays: trim(r.lead),
    safetyStock: trim(r.ss),
    reorderPoint: trim(r.rop),
    computedSafetyStock: trim(r.css),
    computedReorderPoint: trim(r.crop),
    max: trim(r.up_to),
    ...(r.eoq !== null ? { eoq: trim(r.eoq) } : {}),
    suggestedQuantity: trim(r.suggested),
    ...(r.cover !== null ? { daysOfCover: trim(r.cover) } : {}),
    demandSource: r.f_use ? 'forecast' : 'average',
    leadTimeDemand: trim(r.ltd_text),
    ...(r.vendor_code ? { vendorCode: r.vendor_code } : {}),
    ...(r.unit_price ? { unitPrice: trim(r.unit_price) } : {}),
    ...(r.warehouse ? { warehouse: r.warehouse } : {}),
  };
}

/**
 * The daily check over every active policy (or the given items), set-based: figures, decisions and
 * the write-back of the computed figures in one statement. Only the policies that need attention
 * (low, out, or an order to propose) come back to Node, unless `all` asks for every row (tests).
 */
export async function runReorderCheck(
  db: Database,
  opts: { asOf?: Date; itemIds?: string[]; save?: boolean; all?: boolean; onEvaluation?: (e: SqlEvaluation) => void } = {},
): Promise<ReorderCheckSummary> {
  const client = clientOf(db);
  const { end, since } = await checkWindow(client, opts);
  const levels = (await client<{ level: string }[]>`select distinct service_level::text as level from reorder_policies where active`).map((r) => r.level);
  const z = { levels, zs: levels.map((l) => serviceLevelZ(trim(l))) };
  const summary: ReorderCheckSummary = { checked: 0, ok: 0, low: 0, stockout: 0, belowReorderPoint: [], suggestions: [] };
  const take = (r: SqlRow) => {
    summary.checked = r.checked;
    summary.ok = r.ok;
    summary.low = r.low;
    summary.stockout = r.stockout;
    if (!r.policy_id) return;
    const e = toSqlEvaluation(r);
    if (e.status !== 'ok') summary.belowReorderPoint.push({ sku: e.sku, status: e.status, suggestedQuantity: e.suggestedQuantity });
    if (e.suggestedQuantity !== '0') {
      summary.suggestions.push({ sku: e.sku, vendorCode: e.vendorCode, quantity: e.suggestedQuantity, unitPrice: e.unitPrice, warehouse: e.warehouse });
    }
    opts.onEvaluation?.(e);
  };
  // Three statements in one transaction: the decisions into a temporary table (a plain query, so
  // Postgres may run the scan and aggregation in parallel; a statement that also updates may not),
  // the write-back of what changed, and the rows that need attention.
  await client.begin(async (txSql) => {
    const tx = txSql as unknown as postgres.Sql; // a TransactionSql is an Sql without begin()
    // The whole-catalogue check groups a few million (item, day) rows: memory to hash them instead
    // of sorting on disk, for this transaction only.
    await tx`set local work_mem = '64MB'`;
    await tx`
      create temporary table reorder_decided on commit drop as
      with ${figureCtes(tx, { end, since, itemIds: opts.itemIds })},
      ${decisionCtes(tx, z)}
      select id, sku, status, available, position, lead, ss, rop, css, crop, up_to, eoq, suggested, cover, vendor_code,
             coalesce(unit_price, standard_cost) as unit_price, warehouse, average, sd, f_use, round(ltd, 4) as ltd
        from decided`;
    if (opts.save !== false) {
      await tx`
        update reorder_policies p
           set average_daily_demand = round(d.average, 4), demand_std_dev = round(d.sd, 4),
               computed_safety_stock = d.css, computed_reorder_point = d.crop, computed_at = now()
          from reorder_decided d
         where p.id = d.id
           -- Only what changed: most slow movers' figures stay the same from one day to the next.
           and (p.average_daily_demand, p.demand_std_dev, p.computed_safety_stock, p.computed_reorder_point)
               is distinct from (round(d.average, 4), round(d.sd, 4), d.css, d.crop)`;
    }
    // Streamed: on a bad day half the catalogue may be low, and the rows are only summarised.
    await tx<SqlRow[]>`
      with counts as (
        select count(*)::int as checked, count(*) filter (where status = 'ok')::int as ok,
               count(*) filter (where status = 'low')::int as low, count(*) filter (where status = 'stockout')::int as stockout
          from reorder_decided
      )
      select c.*, d.id as policy_id, d.sku, d.status, d.available::text, d.position::text, d.lead::text as lead,
             d.ss::text as ss, d.rop::text as rop, d.css::text as css, d.crop::text as crop, d.up_to::text as up_to,
             d.eoq::text as eoq, d.suggested::text as suggested, d.cover::text as cover, d.f_use, d.ltd::text as ltd_text, d.vendor_code,
             d.unit_price::text as unit_price, d.warehouse
        from counts c
        left join reorder_decided d on d.status <> 'ok' or d.suggested > 0 or ${opts.all === true}
       order by d.sku, d.id`.cursor(1000, (rows) => {
      for (const r of rows) take(r);
    });
  });
  return summary;
}
