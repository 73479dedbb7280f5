import type postgres from 'postgres';
import { effectiveLeadTime } from '../../inventory/reorder.js';
import { demandSeries, forecastOptionsFor, forecastReorderFigures, type Period } from '../../inventory/forecast/plan.js';
import { forecastItem, type BacktestScore, type ItemForecast } from '../../inventory/forecast/select.js';
import type { Database, Executor } from '../client.js';
import { trim, windowEnd } from './demand.js';

/**
 * The weekly refit of demand forecasts, set-based and streamed: one query gathers, for every active
 * reorder policy, its issues per day over the last two years (only the days with issues travel, as
 * two arrays) and the item's first day of any move (history before it is not zero demand, it is no
 * history); Node fits and chooses the model (inventory/forecast/, pure), and each batch of results is
 * written back in one statement while the database streams the next. No per-item round trip.
 *
 * Policies with too little history (under eight weeks, or no issue at all) get no forecast, and any
 * earlier one is removed, so the reorder check falls back to the average/σ method for them.
 */

export const HISTORY_DAYS = 728; // 104 weeks
export const MIN_HISTORY_DAYS = 56;

const clientOf = (db: Database | Executor) => (db as Database & { $client: postgres.Sql }).$client; // drizzle keeps it at runtime

interface HistoryRow {
  policy_id: string;
  item_id: string;
  sku: string;
  uom_decimals: number;
  service_level: string;
  demand_window_days: number;
  lead_time_days: string;
  learned_lead_time_days: string | null;
  learned_lead_time_samples: number;
  first_day: string | null;
  days: number[] | null;
  quantities: string[] | null;
}

export interface PolicyForecast {
  policyId: string;
  itemId: string;
  sku: string;
  period: Period;
  historyPeriods: number;
  leadTimeDays: string;
  serviceLevel: string;
  forecast: ItemForecast;
  figures: { leadTimeDemand: string; safetyStock: string; reorderPoint: string };
}

/** Fits one policy's history (pure apart from the row shape): undefined when there is too little. */
export function forecastFromHistory(row: HistoryRow, end: string): PolicyForecast | undefined {
  if (!row.first_day || !row.days || row.days.length === 0) return undefined;
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const startMs = endMs - HISTORY_DAYS * 86_400_000;
  const firstMs = Math.max(startMs, Date.parse(`${row.first_day}T00:00:00Z`));
  const length = Math.round((endMs - firstMs) / 86_400_000);
  if (length < MIN_HISTORY_DAYS) return undefined;
  const skip = HISTORY_DAYS - length; // days in the window before the item's first move
  const daily = new Float64Array(length);
  row.days.forEach((d, i) => {
    if (d >= skip) daily[d - skip] = Number(row.quantities![i]);
  });
  const series = demandSeries(daily);
  const lead = effectiveLeadTime({
    manualDays: trim(row.lead_time_days),
    learnedDays: row.learned_lead_time_days === null ? null : trim(row.learned_lead_time_days),
    learnedSamples: row.learned_lead_time_samples,
  });
  const serviceLevel = trim(row.service_level);
  const options = forecastOptionsFor({ series, leadTimeDays: Number(lead.days), serviceLevel: Number(serviceLevel), windowDays: row.demand_window_days });
  const forecast = forecastItem(series.y, options);
  if (!forecast) return undefined;
  return {
    policyId: row.policy_id,
    itemId: row.item_id,
    sku: row.sku,
    period: series.period,
    historyPeriods: series.y.length,
    leadTimeDays: lead.days,
    serviceLevel,
    forecast,
    figures: forecastReorderFigures(forecast, row.uom_decimals),
  };
}

function historyQuery(client: postgres.Sql, input: { end: string; itemIds?: string[] }) {
  const onlyItems = input.itemIds ? client`and p.item_id = any(${client.array(input.itemIds)}::uuid[])` : client``;
  return client<HistoryRow[]>`
    with pol as materialized (
      select p.*, lower(wl.path) as wpath, i.sku, i.uom_decimals
        from reorder_policies p
        join items i on i.id = p.item_id
        left join locations wl on wl.id = p.location_id
       where p.active ${onlyItems}
    ),
    -- Every move of the policies' items in the window, per item and day (issues summed; the first
    -- day of any move starts the history).
    item_daily as materialized (
      select m.item_id, (m.created_at at time zone 'UTC')::date as day,
             coalesce(-sum(m.quantity) filter (where m.type = 'issue'), 0) as qty
        from stock_moves m
       where m.item_id in (select item_id from pol)
         and m.created_at >= (${input.end}::date - ${HISTORY_DAYS}::int)::timestamp at time zone 'UTC'
         and m.created_at < ${input.end}::date::timestamp at time zone 'UTC'
       group by 1, 2
    ),
    per_item as (
      select item_id, min(day)::text as first_day,
             array_agg(day - (${input.end}::date - ${HISTORY_DAYS}::int) order by day) filter (where qty > 0) as days,
             array_agg(qty::text order by day) filter (where qty > 0) as quantities
        from item_daily group by item_id
    ),
    -- Warehouse policies: only the issues in bins under the warehouse (history from the item's first move).
    scoped_daily as (
      select pol.id as policy_id, (m.created_at at time zone 'UTC')::date as day, -sum(m.quantity) as qty
        from pol
        join stock_moves m on m.item_id = pol.item_id
        join locations l on l.id = m.location_id
       where pol.location_id is not null
         and m.type = 'issue'
         and m.created_at >= (${input.end}::date - ${HISTORY_DAYS}::int)::timestamp at time zone 'UTC'
         and m.created_at < ${input.end}::date::timestamp at time zone 'UTC'
         and (lower(l.path) = pol.wpath or lower(l.path) like pol.wpath || '/%')
       group by 1, 2
    ),
    per_scope as (
      select policy_id,
             array_agg(day - (${input.end}::date - ${HISTORY_DAYS}::int) order by day) filter (where qty > 0) as days,
             array_agg(qty::text order by day) filter (where qty > 0) as quantities
        from scoped_daily group by policy_id
    )
    select pol.id as policy_id, pol.item_id, pol.sku, pol.uom_decimals, pol.service_level::text, pol.demand_window_days,
           pol.lead_time_days::text, pol.learned_lead_time_days::text, pol.learned_lead_time_samples,
           pi.first_day,
           case when pol.location_id is null then pi.days else ps.days end as days,
           case when pol.location_id is null then pi.quantities else ps.quantities end as quantities
      from pol
      left join per_item pi on pi.item_id = pol.item_id
      left join per_scope ps on ps.policy_id = pol.id
     order by pol.id`;
}

const stat = (x: number): string | null => (Number.isFinite(x) ? x.toFixed(4) : null);
const rounded = (x: number) => Math.round(x * 10_000) / 10_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const scoreJson = (s: BacktestScore) => ({ model: s.model, mase: Number.isFinite(s.mase) ? rounded(s.mase) : null, bias: rounded(s.bias) });

async function saveForecasts(client: postgres.Sql, end: string, batch: PolicyForecast[], none: string[]): Promise<void> {
  if (none.length > 0) await client`delete from demand_forecasts where policy_id = any(${client.array(none)}::uuid[])`;
  if (batch.length === 0) return;
  const col = <T>(pick: (p: PolicyForecast) => T) => batch.map(pick);
  const periodDays = (p: PolicyForecast) => (p.period === 'week' ? 7 : 1);
  const rows = {
    policy: col((p) => p.policyId),
    item: col((p) => p.itemId),
    period: col((p) => p.period),
    periods: col((p) => p.historyPeriods),
    model: col((p) => p.forecast.model),
    cls: col((p) => p.forecast.demandClass),
    params: col((p) => JSON.stringify(Object.fromEntries(Object.entries(p.forecast.params).map(([k, v]) => [k, rounded(v)])))),
    mase: col((p) => stat(p.forecast.chosen.mase)),
    bias: col((p) => stat(p.forecast.chosen.bias)),
    naive: col((p) => stat(p.forecast.seasonalNaive.mase)),
    current: col((p) => stat(p.forecast.current.mase)),
    beats: col((p) => p.forecast.beatsCurrent),
    lead: col((p) => p.leadTimeDays),
    level: col((p) => p.serviceLevel),
    ltd: col((p) => p.figures.leadTimeDemand),
    ss: col((p) => p.figures.safetyStock),
    rop: col((p) => p.figures.reorderPoint),
    method: col((p) => p.forecast.intervalMethod),
    next: col((p) =>
      JSON.stringify(
        p.forecast.next.map((f, k) => ({ start: addDays(end, k * periodDays(p)), mean: rounded(f.mean), lower: rounded(f.lower), upper: rounded(f.upper) })),
      ),
    ),
    backtest: col((p) => JSON.stringify([...p.forecast.scores, p.forecast.current].map(scoreJson))),
    recent: col((p) => {
      const n = p.forecast.recent.length;
      return JSON.stringify(
        p.forecast.recent.map((r, k) => ({ start: addDays(end, (k - n) * periodDays(p)), actual: rounded(r.actual), forecast: rounded(r.forecast) })),
      );
    }),
    horizon: col((p) => p.forecast.next.length),
  };
  await client`
    insert into demand_forecasts (policy_id, item_id, fitted_at, history_end, period, history_periods, model, demand_class, params, mase, bias,
                                  mase_seasonal_naive, mase_current, beats_current, lead_time_days, service_level, lead_time_demand,
                                  safety_stock, reorder_point, interval_method, next_periods, backtest, recent, horizon_periods)
    select v.policy, v.item, now(), ${end}::date, v.period, v.periods, v.model, v.cls, v.params::jsonb, v.mase, v.bias, v.naive, v.current,
           v.beats, v.lead, v.level, v.ltd, v.ss, v.rop, v.method, v.next::jsonb, v.backtest::jsonb, v.recent::jsonb, v.horizon
      from unnest(${client.array(rows.policy)}::uuid[], ${client.array(rows.item)}::uuid[], ${client.array(rows.period)}::text[],
                  ${client.array(rows.periods)}::int[], ${client.array(rows.model)}::text[], ${client.array(rows.cls)}::text[],
                  ${client.array(rows.params)}::text[], ${client.array(rows.mase)}::numeric[], ${client.array(rows.bias)}::numeric[],
                  ${client.array(rows.naive)}::numeric[], ${client.array(rows.current)}::numeric[], ${client.array(rows.beats)}::boolean[],
                  ${client.array(rows.lead)}::numeric[], ${client.array(rows.level)}::numeric[], ${client.array(rows.ltd)}::numeric[],
                  ${client.array(rows.ss)}::numeric[], ${client.array(rows.rop)}::numeric[], ${client.array(rows.method)}::text[],
                  ${client.array(rows.next)}::text[], ${client.array(rows.backtest)}::text[], ${client.array(rows.recent)}::text[],
                  ${client.array(rows.horizon)}::int[])
           as v(policy, item, period, periods, model, cls, params, mase, bias, naive, current, beats, lead, level, ltd, ss, rop, method,
                next, backtest, recent, horizon)
    on conflict (policy_id) do update set
      item_id = excluded.item_id, fitted_at = excluded.fitted_at, history_end = excluded.history_end, period = excluded.period,
      history_periods = excluded.history_periods, model = excluded.model, demand_class = excluded.demand_class, params = excluded.params,
      mase = excluded.mase, bias = excluded.bias, mase_seasonal_naive = excluded.mase_seasonal_naive, mase_current = excluded.mase_current,
      beats_current = excluded.beats_current, lead_time_days = excluded.lead_time_days, service_level = excluded.service_level,
      lead_time_demand = excluded.lead_time_demand, safety_stock = excluded.safety_stock, reorder_point = excluded.reorder_point,
      interval_method = excluded.interval_method, next_periods = excluded.next_periods, backtest = excluded.backtest,
      recent = excluded.recent, horizon_periods = excluded.horizon_periods`;
}

export interface RefitSummary {
  policies: number;
  forecast: number;
  withoutForecast: number;
  beatsCurrent: number;
  models: Record<string, number>;
}

/**
 * Refits every active policy's forecast (or the given items'), streaming `batchSize` policies at a
 * time; `onBatch` reports progress (the activity heartbeats with it). Returns counts per model.
 */
export async function refitForecasts(
  db: Database,
  opts: { asOf?: Date; itemIds?: string[]; batchSize?: number; onBatch?: (done: number) => void } = {},
): Promise<RefitSummary> {
  const client = clientOf(db);
  const end = windowEnd(opts.asOf ?? new Date());
  const summary: RefitSummary = { policies: 0, forecast: 0, withoutForecast: 0, beatsCurrent: 0, models: {} };
  const pending: Promise<void>[] = [];
  let saveFailure: unknown;
  // One transaction for the streamed read, with memory to hash the (item, day) groups of two years of
  // moves instead of spilling them to disk (the daily check does the same); the writes go on other connections.
  await client.begin(async (txSql) => {
    const tx = txSql as unknown as postgres.Sql; // a TransactionSql is an Sql without begin()
    await tx`set local work_mem = '128MB'`;
    await historyQuery(tx, { end, itemIds: opts.itemIds }).cursor(opts.batchSize ?? 1000, async (rows) => {
    const batch: PolicyForecast[] = [];
    const none: string[] = [];
    for (const row of rows) {
      const f = forecastFromHistory(row, end);
      summary.policies++;
      if (!f) {
        none.push(row.policy_id);
        summary.withoutForecast++;
        continue;
      }
      batch.push(f);
      summary.forecast++;
      if (f.forecast.beatsCurrent) summary.beatsCurrent++;
      summary.models[f.forecast.model] = (summary.models[f.forecast.model] ?? 0) + 1;
    }
      // The write of this batch overlaps the fitting of the next one.
      pending.push(saveForecasts(client, end, batch, none).catch((err) => void (saveFailure ??= err)));
      opts.onBatch?.(summary.policies);
    });
  });
  await Promise.all(pending);
  if (saveFailure) throw saveFailure;
  return summary;
}

export interface StoredForecast {
  policyId: string;
  sku: string;
  name: string;
  uom: string;
  warehouse?: string;
  fittedAt: string;
  historyEnd: string;
  period: Period;
  historyPeriods: number;
  model: string;
  demandClass: string;
  params: Record<string, number>;
  mase: string | null;
  bias: string | null;
  maseSeasonalNaive: string | null;
  maseCurrent: string | null;
  beatsCurrent: boolean;
  /** Whether the reorder check uses it: the policy allows it, it beat the current method, lead time and service level still match. */
  drivesReorderPoint: boolean;
  demandMethod: 'auto' | 'average';
  leadTimeDays: string;
  serviceLevel: string;
  leadTimeDemand: string;
  safetyStock: string;
  reorderPoint: string;
  intervalMethod: string;
  nextPeriods: { start: string; mean: number; lower: number; upper: number }[];
  backtest: { model: string; mase: number | null; bias: number }[];
  recent: { start: string; actual: number; forecast: number }[];
}

interface StoredRow {
  policy_id: string;
  sku: string;
  name: string;
  uom: string;
  warehouse: string | null;
  fitted_at: string;
  history_end: string;
  period: Period;
  history_periods: number;
  model: string;
  demand_class: string;
  params: Record<string, number>;
  mase: string | null;
  bias: string | null;
  mase_seasonal_naive: string | null;
  mase_current: string | null;
  beats_current: boolean;
  drives: boolean;
  demand_method: 'auto' | 'average';
  lead_time_days: string;
  service_level: string;
  lead_time_demand: string;
  safety_stock: string;
  reorder_point: string;
  interval_method: string;
  next_periods: StoredForecast['nextPeriods'];
  backtest: StoredForecast['backtest'];
  recent: StoredForecast['recent'];
}

const optTrim = (v: string | null) => (v === null ? null : trim(v));

/**
 * Stored forecasts (one item's by SKU, case-insensitive, or all, by SKU), with whether each drives
 * its policy's reorder point now: the same condition the reorder check applies (forecastInUse).
 */
export async function storedForecasts(db: Executor, opts: { sku?: string; limit?: number } = {}): Promise<StoredForecast[]> {
  const client = clientOf(db);
  const rows = await client<StoredRow[]>`
    select f.policy_id, i.sku, i.name, i.uom, wl.path as warehouse,
           to_char(f.fitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as fitted_at, f.history_end::text, f.period, f.history_periods, f.model,
           f.demand_class, f.params, f.mase::text, f.bias::text, f.mase_seasonal_naive::text, f.mase_current::text, f.beats_current,
           ${forecastInUse(client, 'p', 'f')} as drives, p.demand_method, f.lead_time_days::text, f.service_level::text,
           f.lead_time_demand::text, f.safety_stock::text, f.reorder_point::text, f.interval_method, f.next_periods, f.backtest, f.recent
      from demand_forecasts f
      join reorder_policies p on p.id = f.policy_id
      join items i on i.id = f.item_id
      left join locations wl on wl.id = p.location_id
     where p.active ${opts.sku ? client`and lower(i.sku) = lower(${opts.sku})` : client``}
     order by i.sku, wl.path nulls first
     ${opts.limit ? client`limit ${opts.limit}` : client``}`;
  return rows.map((r) => ({
    policyId: r.policy_id,
    sku: r.sku,
    name: r.name,
    uom: r.uom,
    ...(r.warehouse ? { warehouse: r.warehouse } : {}),
    fittedAt: r.fitted_at,
    historyEnd: r.history_end,
    period: r.period,
    historyPeriods: r.history_periods,
    model: r.model,
    demandClass: r.demand_class,
    params: r.params,
    mase: optTrim(r.mase),
    bias: optTrim(r.bias),
    maseSeasonalNaive: optTrim(r.mase_seasonal_naive),
    maseCurrent: optTrim(r.mase_current),
    beatsCurrent: r.beats_current,
    drivesReorderPoint: r.drives,
    demandMethod: r.demand_method,
    leadTimeDays: trim(r.lead_time_days),
    serviceLevel: trim(r.service_level),
    leadTimeDemand: trim(r.lead_time_demand),
    safetyStock: trim(r.safety_stock),
    reorderPoint: trim(r.reorder_point),
    intervalMethod: r.interval_method,
    nextPeriods: r.next_periods,
    backtest: r.backtest,
    recent: r.recent,
  }));
}

/**
 * The one condition under which a stored forecast replaces the average/σ figures, as SQL over a
 * policy alias `p` and a forecast alias `f` (used by the reorder check and here):
 * the policy's method is 'auto', the forecast beat the current method in backtest, and it was made
 * for the lead time (learned from 3 samples, else hand-set) and service level the policy has now.
 * inventory/reorder.ts useForecast() is the same rule in Node.
 */
export function forecastInUse(client: postgres.Sql, p: string, f: string) {
  const P = client(p);
  const F = client(f);
  return client`coalesce(${P}.demand_method = 'auto' and ${F}.beats_current
    and ${F}.lead_time_days = (case when ${P}.learned_lead_time_samples >= 3 and ${P}.learned_lead_time_days is not null
                                    then ${P}.learned_lead_time_days else ${P}.lead_time_days end)
    and ${F}.service_level = ${P}.service_level, false)`;
}

export interface ForecastAccuracy {
  abcClass: 'A' | 'B' | 'C';
  items: number;
  /** Mean backtest MASE and bias of the chosen models; null without forecasts in the class. */
  mase: string | null;
  bias: string | null;
  /** Forecasts that set their policy's reorder point now. */
  used: number;
}

/** Backtest accuracy of the stored forecasts by ABC class (latest run; items without a class count as C). */
export async function forecastAccuracyByClass(db: Executor): Promise<ForecastAccuracy[]> {
  const client = clientOf(db);
  const rows = await client<{ abc_class: 'A' | 'B' | 'C'; items: number; mase: string | null; bias: string | null; used: number }[]>`
    with latest as (select id from abc_runs where finished_at is not null order by id desc limit 1)
    select coalesce(r.abc_class::text, 'C') as abc_class, count(*)::int as items,
           round(avg(f.mase), 2)::text as mase, round(avg(f.bias), 3)::text as bias,
           count(*) filter (where ${forecastInUse(client, 'p', 'f')})::int as used
      from demand_forecasts f
      join reorder_policies p on p.id = f.policy_id and p.active
      left join abc_results r on r.item_id = f.item_id and r.run_id = (select id from latest)
     group by 1`;
  return (['A', 'B', 'C'] as const).map((abcClass) => {
    const row = rows.find((r) => r.abc_class === abcClass);
    return { abcClass, items: row?.items ?? 0, mase: row?.mase ? trim(row.mase) : null, bias: row?.bias ? trim(row.bias) : null, used: row?.used ?? 0 };
  });
}

export interface RecentForecast {
  sku: string;
  name: string;
  model: string;
  period: Period;
  recent: { start: string; actual: number; forecast: number }[];
}

/** The top A items (by the latest ABC run's rank) with a company-wide forecast: their recent actuals vs one-step forecasts. */
export async function topClassAForecasts(db: Executor, limit = 4): Promise<RecentForecast[]> {
  const client = clientOf(db);
  const rows = await client<{ sku: string; name: string; model: string; period: Period; recent: RecentForecast['recent'] }[]>`
    with latest as (select id from abc_runs where finished_at is not null order by id desc limit 1)
    select i.sku, i.name, f.model, f.period, f.recent
      from abc_results r
      join demand_forecasts f on f.item_id = r.item_id
      join reorder_policies p on p.id = f.policy_id and p.active and p.location_id is null
      join items i on i.id = r.item_id
     where r.run_id = (select id from latest) and r.abc_class = 'A'
     order by r.rank, i.sku
     limit ${limit}`;
  return rows.map((r) => ({ sku: r.sku, name: r.name, model: r.model, period: r.period, recent: r.recent }));
}
