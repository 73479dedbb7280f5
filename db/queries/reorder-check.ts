import type postgres from 'postgres';
import { evaluateReorder, type ReorderEvaluation, type ReorderPolicyInput } from '../../inventory/reorder.js';
import type { Database } from '../client.js';
import { trim, windowEnd } from './demand.js';

/**
 * The reorder check: one SQL statement gathers, per active reorder policy, the demand statistics of
 * its window, the stock it covers (on hand, reserved) and what is on order; Node turns each row
 * into a decision with the pure math of inventory/reorder.ts and writes the computed figures back.
 * Rows stream through a cursor in batches, so memory stays flat whatever the number of items.
 *
 * Demand per policy is the zero-filled daily series in closed form: with n = window days and the
 * sums S = Σ qty and Q = Σ qty² over the days that had issues (the other days add 0 to both),
 * mean = S / n and σ = √((Q − S² / n) / (n − 1)), the very formula stddev_samp evaluates
 * (db/queries/demand.ts itemDemand is the generate_series form; a test holds them equal). It
 * avoids materialising items × days rows (9 million for 100,000 items over 90 days).
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
}

/** Open and draft PO lines count as on order, so the same need is never proposed twice. */
export const OPEN_PO_STATUSES = ['draft', 'awaiting_approval', 'approved', 'sent', 'partially_received'] as const;

function figuresQuery(client: postgres.Sql, input: { end: string; since: string; itemIds?: string[] }) {
  const onlyItems = input.itemIds ? client`and p.item_id = any(${client.array(input.itemIds)}::uuid[])` : client``;
  return client<Row[]>`
    with pol as materialized (
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
    item_daily as (
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
    stats as (
      select pol.id as policy_id, sum(d.units)::numeric / 10000 as s, sum(d.units::numeric * d.units) / 100000000 as q
        from pol join item_daily d on d.item_id = pol.item_id and d.day >= pol.first_day
       where pol.location_id is null
       group by pol.id
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
    )
    select pol.id as policy_id, pol.item_id, i.sku, i.name, i.uom, i.uom_decimals,
           wl.path as warehouse, pol.vendor_id, v.code as vendor_code,
           pol.unit_price::text, i.standard_cost::text,
           pol.reorder_point_mode, pol.min::text, pol.max::text, pol.reorder_point::text, pol.safety_stock::text,
           pol.service_level::text, pol.demand_window_days, pol.lead_time_days::text,
           pol.learned_lead_time_days::text, pol.learned_lead_time_samples,
           pol.order_multiple::text, pol.ordering_cost::text, pol.holding_cost_per_unit_year::text,
           coalesce(st.s, 0)::text as total,
           round(coalesce(st.s, 0) / pol.demand_window_days, 6)::text as average,
           (case when pol.demand_window_days > 1
                 then round(sqrt(greatest((coalesce(st.q, 0) - coalesce(st.s, 0) ^ 2 / pol.demand_window_days)
                                          / (pol.demand_window_days - 1), 0)), 6)
                 else 0 end)::text as sd,
           coalesce(sk.on_hand, 0)::text as on_hand,
           coalesce(sk.reserved, 0)::text as reserved,
           coalesce(oo.quantity, 0)::text as on_order
      from pol
      join items i on i.id = pol.item_id
      left join locations wl on wl.id = pol.location_id
      left join vendors v on v.id = pol.vendor_id
      left join stats st on st.policy_id = pol.id
      left join stock sk on sk.policy_id = pol.id
      left join on_order oo on oo.policy_id = pol.id
     order by pol.id`;
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
    },
    demand: { total: trim(r.total), averageDaily: trim(r.average), stdDevDaily: trim(r.sd) },
    stock: { onHand: trim(r.on_hand), reserved: trim(r.reserved), onOrder: trim(r.on_order) },
  };
}

export const evaluateFigures = (f: PolicyFigures): PolicyEvaluation => ({
  ...f,
  evaluation: evaluateReorder({ policy: f.policy, demand: f.demand, stock: f.stock, decimals: f.decimals }),
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

export interface ReorderCheckSummary {
  checked: number;
  ok: number;
  low: number;
  stockout: number;
  /** Policies at or below their reorder point (low or out), with an order proposed or already covered. */
  belowReorderPoint: { sku: string; status: 'low' | 'stockout'; suggestedQuantity: string }[];
  /** Proposed orders (position at or below the reorder point, nothing sufficient on order yet). */
  suggestions: { sku: string; vendorCode?: string; quantity: string; unitPrice?: string; warehouse?: string }[];
}

/**
 * Runs the check over every active policy (or the given items), streaming `batchSize` rows at a
 * time; each evaluation is also handed to `onEvaluation` (tests, the restock workflow).
 */
export async function runReorderCheck(
  db: Database,
  opts: { asOf?: Date; itemIds?: string[]; batchSize?: number; save?: boolean; onEvaluation?: (e: PolicyEvaluation) => void } = {},
): Promise<ReorderCheckSummary> {
  // drizzle's postgres-js database carries its client at runtime; the cursor needs it directly.
  const client = (db as Database & { $client: postgres.Sql }).$client;
  const summary: ReorderCheckSummary = { checked: 0, ok: 0, low: 0, stockout: 0, belowReorderPoint: [], suggestions: [] };
  const pending: Promise<void>[] = [];
  let saveFailure: unknown;
  const end = windowEnd(opts.asOf ?? new Date());
  // The earliest window start, as a constant: the planner then sizes the scan right (a sub-select
  // here makes it guess a few thousand rows and sort a million on disk).
  const [widest] = await client<{ days: number | null }[]>`
    select max(demand_window_days)::int as days from reorder_policies
     where active ${opts.itemIds ? client`and item_id = any(${client.array(opts.itemIds)}::uuid[])` : client``}`;
  const since = new Date(Date.parse(`${end}T00:00:00Z`) - (widest?.days ?? 0) * 86_400_000).toISOString();
  const stream = (sql: postgres.Sql) =>
    figuresQuery(sql, { end, since, itemIds: opts.itemIds }).cursor(opts.batchSize ?? 2000, async (rows) => {
      const batch = rows.map((r) => evaluateFigures(toFigures(r)));
      for (const e of batch) {
        summary.checked += 1;
        summary[e.evaluation.status] += 1;
        if (e.evaluation.status !== 'ok') {
          summary.belowReorderPoint.push({ sku: e.sku, status: e.evaluation.status, suggestedQuantity: e.evaluation.suggestedQuantity });
        }
        if (e.evaluation.suggestedQuantity !== '0') {
          summary.suggestions.push({
            sku: e.sku,
            vendorCode: e.vendorCode,
            quantity: e.evaluation.suggestedQuantity,
            unitPrice: e.unitPrice,
            warehouse: e.warehouse,
          });
        }
        opts.onEvaluation?.(e);
      }
      // The write of this batch overlaps the database's work on the next one.
      if (opts.save !== false) pending.push(saveComputed(client, batch).catch((err) => void (saveFailure ??= err)));
    });
  if (opts.itemIds) await stream(client);
  else {
    // The whole-catalogue check groups a few million (item, day) rows: enough memory to hash them
    // instead of sorting on disk, for this one transaction only.
    await client.begin(async (tx) => {
      await tx`set local work_mem = '64MB'`;
      await stream(tx as unknown as postgres.Sql); // a TransactionSql is an Sql without begin()
    });
  }
  await Promise.all(pending);
  if (saveFailure) throw saveFailure;
  return summary;
}

/** The figures and decision for each policy of one item (the restock workflow's view). */
export async function evaluateItem(db: Database, input: { itemId: string; asOf?: Date; save?: boolean }): Promise<PolicyEvaluation[]> {
  const out: PolicyEvaluation[] = [];
  await runReorderCheck(db, { asOf: input.asOf, itemIds: [input.itemId], save: input.save, onEvaluation: (e) => out.push(e) });
  return out;
}
