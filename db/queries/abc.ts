import { sql } from 'drizzle-orm';
import { type AbcClass, type AbcCutoffs, type ParetoRow, paretoFromTotals, validateCutoffs } from '../../inventory/abc.js';
import type { Database, Executor } from '../client.js';

/**
 * ABC classification in SQL, the same rules as inventory/abc.ts: annual consumption value per active item
 * (issued quantity × unit cost, i.e. the cost of the issue moves, over the 12 months before `asOf`), ranked
 * with window functions; GROUPS framing gives each tie group the share ranked strictly above it. Nothing
 * but the run's summary crosses into Node, so 10 million moves cost what Postgres' aggregate costs.
 */

export interface AbcRunInput {
  /** A retried run with the same key returns the first run's summary. */
  key: string;
  trigger: 'schedule' | 'manual';
  requestedBy?: string;
  /** End of the window (exclusive); 12 months before it is the start. Defaults to now. */
  asOf?: Date;
  /** Defaults to the counting settings' cut-offs. */
  cutoffs?: AbcCutoffs;
}

export interface AbcRunSummary {
  runId: number;
  key: string;
  periodStart: string;
  periodEnd: string;
  cutoffs: AbcCutoffs;
  itemCount: number;
  totalValue: string;
  pareto: ParetoRow[];
  changedCount: number;
  /** The first changes by value (at most 25), for messages. */
  changes: { sku: string; from: AbcClass; to: AbcClass; annualValue: string }[];
  finishedAt: string;
}

const num = (v: unknown): string => String(v);

/** CREATE TABLE AS takes no bind parameters: a timestamp as a literal, from a value parsed as a date first. */
const timestampLiteral = (value: string | Date) => sql.raw(`'${new Date(value).toISOString()}'::timestamptz`);

export async function runAbcClassification(db: Database, input: AbcRunInput): Promise<AbcRunSummary> {
  const runId = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`abc-run:${input.key}`}, 7))`);
    const existing = (await tx.execute(sql`select id from abc_runs where idempotency_key = ${input.key}`)) as unknown as { id: number }[];
    if (existing[0]) return Number(existing[0].id);

    const cutoffs = input.cutoffs ?? (await settingsCutoffs(tx));
    const invalid = validateCutoffs(cutoffs);
    if (invalid) throw new RangeError(invalid);
    const periodEnd = input.asOf ?? new Date();
    const [run] = (await tx.execute(sql`
      insert into abc_runs (idempotency_key, trigger, requested_by, period_start, period_end, cutoff_a, cutoff_b, previous_run_id)
      values (${input.key}, ${input.trigger}, ${input.requestedBy ?? null},
              ${periodEnd.toISOString()}::timestamptz - interval '12 months', ${periodEnd.toISOString()}::timestamptz,
              ${cutoffs.a}, ${cutoffs.b},
              (select id from abc_runs where finished_at is not null order by id desc limit 1))
      returning id, previous_run_id, period_start, period_end`)) as unknown as {
      id: number;
      previous_run_id: number | null;
      period_start: string;
      period_end: string;
    }[];
    const id = Number(run!.id);
    const previous = run!.previous_run_id === null ? null : Number(run!.previous_run_id);

    // Issues carry negative quantity and value (inventory leaves), so consumption is their negation.
    // The aggregate over the moves runs as its own CREATE TABLE AS: Postgres runs that in parallel,
    // while an INSERT … SELECT never uses parallel workers (3× slower on the 10-million-move bench).
    await tx.execute(sql`
      create temporary table abc_usage on commit drop as
      select m.item_id, -sum(m.quantity) as issued_quantity, -sum(m.total_value) as value
        from stock_moves m
       where m.type = 'issue' and m.created_at >= ${timestampLiteral(run!.period_start)} and m.created_at < ${timestampLiteral(run!.period_end)}
       group by m.item_id`);
    // Returns exceeding issues would make a value negative: that counts as no usage (greatest(…, 0)).
    await tx.execute(sql`
      with base as (
        select i.id as item_id, coalesce(u.issued_quantity, 0) as issued_quantity, greatest(coalesce(u.value, 0), 0) as value
          from items i left join abc_usage u on u.item_id = i.id
         where i.active
      ),
      ranked as (
        select item_id, issued_quantity, value,
               rank() over w as rank,
               coalesce(sum(value) over (w groups between unbounded preceding and 1 preceding), 0) as before,
               sum(value) over (w groups between unbounded preceding and current row) as through,
               sum(value) over () as total
          from base
        window w as (order by value desc)
      ),
      classified as (
        select r.*,
               case when r.value = 0 then 'C'
                    when r.before < ${cutoffs.a}::numeric * r.total then 'A'
                    when r.before < ${cutoffs.b}::numeric * r.total then 'B'
                    else 'C' end::abc_class as abc_class
          from ranked r
      )
      insert into abc_results (run_id, item_id, rank, issued_quantity, annual_value, share_before, cumulative_share,
                               abc_class, previous_class, changed)
      select ${id}, c.item_id, c.rank, c.issued_quantity, c.value,
             case when c.total = 0 then 1 else round(c.before / c.total, 6) end,
             case when c.total = 0 then 1 else round(c.through / c.total, 6) end,
             c.abc_class, p.abc_class, coalesce(p.abc_class <> c.abc_class, false)
        from classified c
        left join abc_results p on p.run_id = ${previous} and p.item_id = c.item_id`);

    await tx.execute(sql`
      update abc_runs r
         set item_count = s.items, total_value = s.total, changed_count = s.changed, finished_at = now()
        from (select count(*)::int as items, coalesce(sum(annual_value), 0) as total, count(*) filter (where changed)::int as changed
                from abc_results where run_id = ${id}) s
       where r.id = ${id}`);
    return id;
  });
  return (await abcRunSummary(db, runId))!;
}

async function settingsCutoffs(db: Executor): Promise<AbcCutoffs> {
  const rows = (await db.execute(
    sql`select ledger_num(abc_cutoff_a) as a, ledger_num(abc_cutoff_b) as b from counting_settings where id`,
  )) as unknown as { a: string; b: string }[];
  return rows[0] ?? { a: '0.8', b: '0.95' };
}

/** A finished run's summary (the latest when runId is omitted); undefined when there is none. */
export async function abcRunSummary(db: Executor, runId?: number): Promise<AbcRunSummary | undefined> {
  const runs = (await db.execute(sql`
    select id, idempotency_key, period_start, period_end, ledger_num(cutoff_a) as a, ledger_num(cutoff_b) as b,
           item_count, ledger_num(total_value) as total_value, changed_count, finished_at
      from abc_runs
     where finished_at is not null ${runId === undefined ? sql`` : sql`and id = ${runId}`}
     order by id desc limit 1`)) as unknown as Record<string, unknown>[];
  const run = runs[0];
  if (!run) return undefined;
  const id = Number(run.id);
  const totals = (await db.execute(sql`
    select abc_class, count(*)::int as item_count, ledger_num(coalesce(sum(annual_value), 0)) as value
      from abc_results where run_id = ${id} group by abc_class`)) as unknown as { abc_class: AbcClass; item_count: number; value: string }[];
  const changes = (await db.execute(sql`
    select i.sku, r.previous_class as "from", r.abc_class as "to", ledger_num(r.annual_value) as annual_value
      from abc_results r join items i on i.id = r.item_id
     where r.run_id = ${id} and r.changed
     order by r.annual_value desc, i.sku limit 25`)) as unknown as { sku: string; from: AbcClass; to: AbcClass; annual_value: string }[];
  return {
    runId: id,
    key: String(run.idempotency_key),
    periodStart: new Date(String(run.period_start)).toISOString(),
    periodEnd: new Date(String(run.period_end)).toISOString(),
    cutoffs: { a: String(run.a), b: String(run.b) },
    itemCount: Number(run.item_count),
    totalValue: num(run.total_value),
    pareto: paretoFromTotals(totals.map((t) => ({ abcClass: t.abc_class, itemCount: Number(t.item_count), value: t.value }))),
    changedCount: Number(run.changed_count),
    changes: changes.map((c) => ({ sku: c.sku, from: c.from, to: c.to, annualValue: c.annual_value })),
    finishedAt: new Date(String(run.finished_at)).toISOString(),
  };
}

export interface ItemClassRow {
  sku: string;
  abcClass: AbcClass;
  rank: number;
  annualValue: string;
  shareBefore: string;
  cumulativeShare: string;
  previousClass: AbcClass | null;
  changed: boolean;
}

/** Every item's row in a run (the latest finished when omitted), highest value first. */
export async function abcRunItems(db: Executor, runId?: number): Promise<ItemClassRow[]> {
  const rows = (await db.execute(sql`
    select i.sku, r.abc_class, r.rank, ledger_num(r.annual_value) as annual_value, r.share_before::text as share_before,
           r.cumulative_share::text as cumulative_share, r.previous_class, r.changed
      from abc_results r join items i on i.id = r.item_id
     where r.run_id = ${runId ?? sql`(select id from abc_runs where finished_at is not null order by id desc limit 1)`}
     order by r.rank, i.sku`)) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({
    sku: String(r.sku),
    abcClass: r.abc_class as AbcClass,
    rank: Number(r.rank),
    annualValue: String(r.annual_value),
    shareBefore: String(r.share_before),
    cumulativeShare: String(r.cumulative_share),
    previousClass: (r.previous_class as AbcClass | null) ?? null,
    changed: Boolean(r.changed),
  }));
}

/** A SQL fragment: the item's current class (latest finished run); items not yet classified count as C. */
export const currentClassSql = (itemIdColumn: ReturnType<typeof sql>) => sql`coalesce((
  select r.abc_class from abc_results r
   where r.item_id = ${itemIdColumn}
     and r.run_id = (select id from abc_runs where finished_at is not null order by id desc limit 1)), 'C')`;

/** Inventory value on the books per current ABC class (for the digest). */
export async function inventoryValueByClass(db: Executor): Promise<{ abcClass: AbcClass; value: string; items: number }[]> {
  const rows = (await db.execute(sql`
    with latest as (select id from abc_runs where finished_at is not null order by id desc limit 1)
    select coalesce(r.abc_class, 'C') as abc_class, ledger_num(coalesce(sum(v.value), 0)) as value, count(*)::int as items
      from item_valuations v
      left join abc_results r on r.item_id = v.item_id and r.run_id = (select id from latest)
     where v.on_hand > 0
     group by 1`)) as unknown as { abc_class: AbcClass; value: string; items: number }[];
  return (['A', 'B', 'C'] as const).map((abcClass) => {
    const row = rows.find((r) => r.abc_class === abcClass);
    return { abcClass, value: row?.value ?? '0', items: Number(row?.items ?? 0) };
  });
}
