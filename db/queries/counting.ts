import { sql } from 'drizzle-orm';
import type { AbcClass, AbcCutoffs } from '../../inventory/abc.js';
import {
  type CountableItem,
  type CountAction,
  type CountFrequency,
  type CountPlan,
  type CountTolerances,
  DEFAULT_COUNT_FREQUENCY,
  DEFAULT_MAX_LINES_PER_COUNT,
  DEFAULT_TOLERANCES,
  evaluateCount,
  type IsoDate,
  type WorkingCalendar,
} from '../../inventory/cycle-count.js';
import { dec, toPlain } from '../../inventory/decimal.js';
import type { Database, Executor } from '../client.js';
import { adjust, LedgerError } from './ledger.js';

/**
 * The cycle-count programme's reads and writes. Every write is keyed (plan date, count number, line id,
 * ledger key per line), so a retried activity finds its earlier result instead of doing the work twice.
 */

// ------------------------------------------------------------------------------------------ settings

export interface CountingSettings {
  frequency: CountFrequency;
  tolerances: CountTolerances;
  cutoffs: AbcCutoffs;
  maxLinesPerCount: number;
  deadStockDays: number;
  calendar: WorkingCalendar;
  timeZone: string;
}

export const DEFAULT_COUNTING_SETTINGS: CountingSettings = {
  frequency: DEFAULT_COUNT_FREQUENCY,
  tolerances: DEFAULT_TOLERANCES,
  cutoffs: { a: '0.8', b: '0.95' },
  maxLinesPerCount: DEFAULT_MAX_LINES_PER_COUNT,
  deadStockDays: 180,
  calendar: { workingWeekdays: [1, 2, 3, 4, 5], holidays: [] },
  timeZone: 'UTC',
};

const n = (v: unknown): string | null => (v === null || v === undefined ? null : toPlain(dec(String(v))));

export async function getCountingSettings(db: Executor): Promise<CountingSettings> {
  const rows = (await db.execute(sql`select * from counting_settings where id`)) as unknown as Record<string, unknown>[];
  const r = rows[0];
  if (!r) return DEFAULT_COUNTING_SETTINGS;
  return {
    frequency: { A: Number(r.frequency_months_a), B: Number(r.frequency_months_b), C: Number(r.frequency_months_c) },
    tolerances: {
      A: { quantity: n(r.tolerance_quantity_a), value: n(r.tolerance_value_a) },
      B: { quantity: n(r.tolerance_quantity_b), value: n(r.tolerance_value_b) },
      C: { quantity: n(r.tolerance_quantity_c), value: n(r.tolerance_value_c) },
    },
    cutoffs: { a: n(r.abc_cutoff_a)!, b: n(r.abc_cutoff_b)! },
    maxLinesPerCount: Number(r.max_lines_per_count),
    deadStockDays: Number(r.dead_stock_days),
    calendar: { workingWeekdays: String(r.working_weekdays).split('').map(Number), holidays: [] },
    timeZone: String(r.time_zone),
  };
}

/** Writes the settings row (all of it: the caller passes a full, validated object). */
export async function saveCountingSettings(db: Executor, s: CountingSettings): Promise<void> {
  const values = {
    fa: s.frequency.A,
    fb: s.frequency.B,
    fc: s.frequency.C,
  };
  await db.execute(sql`
    insert into counting_settings as c (id, frequency_months_a, frequency_months_b, frequency_months_c,
      tolerance_quantity_a, tolerance_value_a, tolerance_quantity_b, tolerance_value_b, tolerance_quantity_c, tolerance_value_c,
      abc_cutoff_a, abc_cutoff_b, max_lines_per_count, dead_stock_days, working_weekdays, time_zone, updated_at)
    values (true, ${values.fa}, ${values.fb}, ${values.fc},
      ${s.tolerances.A.quantity}, ${s.tolerances.A.value}, ${s.tolerances.B.quantity}, ${s.tolerances.B.value},
      ${s.tolerances.C.quantity}, ${s.tolerances.C.value}, ${s.cutoffs.a}, ${s.cutoffs.b}, ${s.maxLinesPerCount},
      ${s.deadStockDays}, ${s.calendar.workingWeekdays.join('')}, ${s.timeZone}, now())
    on conflict (id) do update set frequency_months_a = excluded.frequency_months_a, frequency_months_b = excluded.frequency_months_b,
      frequency_months_c = excluded.frequency_months_c, tolerance_quantity_a = excluded.tolerance_quantity_a,
      tolerance_value_a = excluded.tolerance_value_a, tolerance_quantity_b = excluded.tolerance_quantity_b,
      tolerance_value_b = excluded.tolerance_value_b, tolerance_quantity_c = excluded.tolerance_quantity_c,
      tolerance_value_c = excluded.tolerance_value_c, abc_cutoff_a = excluded.abc_cutoff_a, abc_cutoff_b = excluded.abc_cutoff_b,
      max_lines_per_count = excluded.max_lines_per_count, dead_stock_days = excluded.dead_stock_days,
      working_weekdays = excluded.working_weekdays, time_zone = excluded.time_zone, updated_at = now()`);
}

// ------------------------------------------------------------------------------------------ planning

/** A statement's rows, typed (the postgres-js driver returns an array-like result). */
async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return [...((await db.execute(query)) as unknown as T[])];
}

const LATEST_RUN = sql`(select id from abc_runs where finished_at is not null order by id desc limit 1)`;
const OPEN_STATUSES = sql`('planned', 'assigned', 'counting', 'submitted', 'awaiting_approval')`;

/**
 * Active items as the planner sees them: current class (C until the first ABC run classifies them),
 * the date the item was last counted at all its stock locations (null when one was never counted),
 * when it became countable, its locations and whether a count is still open for it.
 */
export async function countableItems(db: Executor, timeZone: string): Promise<CountableItem[]> {
  const result = await rows<{
    sku: string;
    abc_class: AbcClass;
    active_since: string;
    last_counted_on: string | null;
    never_counted: boolean;
    locations: string[] | null;
    open_count: boolean;
  }>(
    db,
    sql`
    with per_location as (
      select s.item_id, l.path,
             (select max((c.submitted_at at time zone ${timeZone})::date)
                from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id
               where cl.item_id = s.item_id and cl.location_id = s.location_id and cl.counted_quantity is not null) as last_counted
        from stock_levels s join locations l on l.id = s.location_id
       where l.active
    )
    select i.sku,
           coalesce(r.abc_class, 'C') as abc_class,
           to_char((i.created_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as active_since,
           to_char(min(p.last_counted), 'YYYY-MM-DD') as last_counted_on,
           bool_or(p.last_counted is null) as never_counted,
           array_agg(p.path order by p.path) filter (where p.path is not null) as locations,
           exists (select 1 from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id
                    where cl.item_id = i.id and c.status in ${OPEN_STATUSES}) as open_count
      from items i
      left join abc_results r on r.item_id = i.id and r.run_id = ${LATEST_RUN}
      left join per_location p on p.item_id = i.id
     where i.active
     group by i.id, i.sku, r.abc_class, i.created_at
     order by i.sku`,
  );
  return result.map((r) => ({
    sku: r.sku,
    abcClass: r.abc_class,
    lastCountedOn: r.never_counted ? null : r.last_counted_on,
    activeSince: r.active_since,
    locations: r.locations ?? [],
    openCount: r.open_count,
  }));
}

export const countNumber = (date: IsoDate, sequence: number): string => `CC-${date.replaceAll('-', '')}-${String(sequence).padStart(3, '0')}`;
export const recountNumber = (number: string): string => `${number}-R`;

export interface PlannedDocument {
  number: string;
  counter: string | null;
  lines: number;
}

/**
 * Stores a day's plan: the plan row, one count document per planned count and its lines. Idempotent by
 * the plan date: a second call (retry, doubled schedule) returns the documents the first one created.
 */
export async function saveCountPlan(db: Database, plan: CountPlan): Promise<{ planId: number; documents: PlannedDocument[] }> {
  return db.transaction(async (tx) => {
    const existing = await rows<{ id: number }>(tx, sql`select id from count_plans where plan_date = ${plan.date}`);
    if (existing[0]) return { planId: Number(existing[0].id), documents: await planDocuments(tx, Number(existing[0].id)) };
    const lineCount = plan.counts.reduce((acc, c) => acc + c.lines.length, 0);
    const [created] = await rows<{ id: number }>(
      tx,
      sql`insert into count_plans (plan_date, items_due, counts, lines, unlocated)
          values (${plan.date}, ${plan.due.length}, ${plan.counts.length}, ${lineCount}, ${plan.unlocated.length})
          on conflict (plan_date) do nothing returning id`,
    );
    if (!created) {
      const again = await rows<{ id: number }>(tx, sql`select id from count_plans where plan_date = ${plan.date}`);
      return { planId: Number(again[0]!.id), documents: await planDocuments(tx, Number(again[0]!.id)) };
    }
    const planId = Number(created.id);
    for (const count of plan.counts) {
      const number = countNumber(plan.date, count.sequence);
      const [doc] = await rows<{ id: number }>(
        tx,
        sql`insert into cycle_counts (number, plan_id, location_group, counter, due_on, status)
            values (${number}, ${planId}, ${count.group}, ${count.counter}, ${plan.date}, 'planned') returning id`,
      );
      const values = count.lines.map(
        (line, i) => sql`(${doc!.id}, ${i + 1}, (select id from items where lower(sku) = lower(${line.sku})),
                          (select id from locations where lower(path) = lower(${line.location})), ${line.abcClass}::abc_class)`,
      );
      await tx.execute(sql`insert into cycle_count_lines (count_id, sequence, item_id, location_id, abc_class)
                           values ${sql.join(values, sql`, `)}`);
    }
    return { planId, documents: await planDocuments(tx, planId) };
  });
}

async function planDocuments(db: Executor, planId: number): Promise<PlannedDocument[]> {
  const docs = await rows<{ number: string; counter: string | null; lines: number }>(
    db,
    sql`select c.number, c.counter, (select count(*)::int from cycle_count_lines l where l.count_id = c.id) as lines
          from cycle_counts c where c.plan_id = ${planId} order by c.number`,
  );
  return docs.map((d) => ({ number: d.number, counter: d.counter, lines: Number(d.lines) }));
}

// ---------------------------------------------------------------------------------------- documents

export type CountStatus =
  | 'planned'
  | 'assigned'
  | 'counting'
  | 'submitted'
  | 'posted'
  | 'recount_requested'
  | 'awaiting_approval'
  | 'approved'
  | 'rejected'
  | 'cancelled';

export interface CountLineView {
  lineId: string;
  sequence: number;
  sku: string;
  name: string;
  barcode: string | null;
  uom: string;
  uomDecimals: number;
  location: string;
  abcClass: AbcClass;
}

export interface CountDocument {
  number: string;
  status: CountStatus;
  counter: string | null;
  dueOn: IsoDate;
  locationGroup: string;
  recountOf: string | null;
  approver: string | null;
  lines: CountLineView[];
}

export async function getCountDocument(db: Executor, number: string): Promise<CountDocument | undefined> {
  const [head] = await rows<Record<string, unknown>>(
    db,
    sql`select c.id, c.number, c.status, c.counter, to_char(c.due_on, 'YYYY-MM-DD') as due_on, c.location_group, c.approver,
               o.number as recount_of
          from cycle_counts c left join cycle_counts o on o.id = c.recount_of_id
         where c.number = ${number}`,
  );
  if (!head) return undefined;
  const lines = await rows<Record<string, unknown>>(
    db,
    sql`select cl.id::text as line_id, cl.sequence, i.sku, i.name, i.barcode, i.uom, i.uom_decimals, l.path, cl.abc_class
          from cycle_count_lines cl join items i on i.id = cl.item_id join locations l on l.id = cl.location_id
         where cl.count_id = ${head.id} order by cl.sequence`,
  );
  return {
    number: String(head.number),
    status: head.status as CountStatus,
    counter: (head.counter as string | null) ?? null,
    dueOn: String(head.due_on),
    locationGroup: String(head.location_group),
    recountOf: (head.recount_of as string | null) ?? null,
    approver: (head.approver as string | null) ?? null,
    lines: lines.map((l) => ({
      lineId: String(l.line_id),
      sequence: Number(l.sequence),
      sku: String(l.sku),
      name: String(l.name),
      barcode: (l.barcode as string | null) ?? null,
      uom: String(l.uom),
      uomDecimals: Number(l.uom_decimals),
      location: String(l.path),
      abcClass: l.abc_class as AbcClass,
    })),
  };
}

/** Open count documents assigned to a person (for /count). */
export async function openCountsFor(db: Executor, counter: string): Promise<{ number: string; dueOn: IsoDate; locationGroup: string; lines: number; status: CountStatus }[]> {
  const result = await rows<Record<string, unknown>>(
    db,
    sql`select c.number, to_char(c.due_on, 'YYYY-MM-DD') as due_on, c.location_group, c.status,
               (select count(*)::int from cycle_count_lines l where l.count_id = c.id) as lines
          from cycle_counts c where c.counter = ${counter} and c.status in ('planned', 'assigned', 'counting')
         order by c.due_on, c.number limit 20`,
  );
  return result.map((r) => ({
    number: String(r.number),
    dueOn: String(r.due_on),
    locationGroup: String(r.location_group),
    lines: Number(r.lines),
    status: r.status as CountStatus,
  }));
}

export async function assignCounter(db: Executor, number: string, counter: string): Promise<void> {
  await db.execute(sql`
    update cycle_counts set counter = ${counter}, assigned_at = now(), updated_at = now(),
           status = case when status = 'planned' then 'assigned'::count_status else status end
     where number = ${number} and status in ('planned', 'assigned', 'counting')`);
}

export async function setCountStatus(db: Executor, number: string, status: CountStatus): Promise<void> {
  const closed = ['posted', 'recount_requested', 'approved', 'rejected', 'cancelled'].includes(status);
  await db.execute(sql`update cycle_counts set status = ${status}::count_status, updated_at = now(),
                              closed_at = ${closed ? sql`coalesce(closed_at, now())` : sql`closed_at`}
                        where number = ${number}`);
}

/**
 * The snapshot, taken when the counter opens the count modal: each line's on hand and the ledger position
 * (highest move id) at that moment. Opening the modal again takes a fresh snapshot (the count restarts).
 */
export async function startCount(db: Executor, number: string): Promise<{ snapshotAt: string }> {
  const [row] = await rows<{ at: string }>(
    db,
    sql`with head as (
          update cycle_counts set status = 'counting', started_at = now(), updated_at = now()
           where number = ${number} and status in ('planned', 'assigned', 'counting') returning id)
        update cycle_count_lines cl
           set snapshot_on_hand = coalesce((select s.on_hand from stock_levels s
                                             where s.item_id = cl.item_id and s.location_id = cl.location_id), 0),
               snapshot_move_id = (select coalesce(max(id), 0) from stock_moves),
               snapshot_at = now(), updated_at = now()
          from head
         where cl.count_id = head.id
        returning now()::text as at`,
  );
  return { snapshotAt: row ? new Date(row.at).toISOString() : new Date().toISOString() };
}

export interface EvaluatedLine {
  lineId: string;
  sku: string;
  location: string;
  abcClass: AbcClass;
  counted: string;
  snapshot: string;
  expected: string;
  movesDuringCount: string;
  variance: string;
  unitCost: string;
  valueImpact: string;
  withinTolerance: boolean;
  action: CountAction;
}

export class CountError extends Error {
  constructor(
    readonly code: 'unknown_count' | 'not_open' | 'missing_line' | 'unknown_line',
    message: string,
  ) {
    super(message);
    this.name = 'CountError';
  }
}

/**
 * Records what was counted and what it means. Under a share lock on each line's stock_levels row (the
 * row every ledger function updates first), the on hand now is the snapshot plus every move posted since:
 * that is the expected quantity, so moves during the count never show up as variance. A second call
 * (activity retry) returns the stored evaluation and changes nothing.
 */
export async function submitCount(
  db: Database,
  input: { number: string; submittedBy: string; quantities: Record<string, string> },
): Promise<EvaluatedLine[]> {
  return db.transaction(async (tx) => {
    const [head] = await rows<{ id: number; status: CountStatus; recount: boolean }>(
      tx,
      sql`select id, status, recount_of_id is not null as recount from cycle_counts where number = ${input.number} for update`,
    );
    if (!head) throw new CountError('unknown_count', `No count ${input.number}`);
    if (!['planned', 'assigned', 'counting'].includes(head.status)) return evaluatedLines(tx, Number(head.id));

    const settings = await getCountingSettings(tx);
    const lines = await rows<{ id: string; item_id: string; location_id: string; abc_class: AbcClass; snapshot: string | null }>(
      tx,
      sql`select id::text, item_id, location_id, abc_class, snapshot_on_hand::text as snapshot
            from cycle_count_lines where count_id = ${head.id} order by item_id, location_id`,
    );
    for (const lineId of Object.keys(input.quantities)) {
      if (!lines.some((l) => l.id === lineId)) throw new CountError('unknown_line', `Line ${lineId} is not on ${input.number}`);
    }
    // Lock order as in the ledger functions: stock_levels by (item, location) ascending.
    await tx.execute(sql`select 1 from stock_levels s join cycle_count_lines cl
                           on cl.item_id = s.item_id and cl.location_id = s.location_id
                         where cl.count_id = ${head.id} order by s.item_id, s.location_id for share of s`);
    const current = await rows<{ id: string; on_hand: string; unit_cost: string }>(
      tx,
      sql`select cl.id::text, coalesce(s.on_hand, 0)::text as on_hand,
                 coalesce(case when v.on_hand > 0 then round(v.value / v.on_hand, 4) end, i.standard_cost, 0)::text as unit_cost
            from cycle_count_lines cl
            join items i on i.id = cl.item_id
            left join stock_levels s on s.item_id = cl.item_id and s.location_id = cl.location_id
            left join item_valuations v on v.item_id = cl.item_id
           where cl.count_id = ${head.id}`,
    );
    for (const line of lines) {
      const counted = input.quantities[line.id];
      if (counted === undefined) throw new CountError('missing_line', `Line ${line.id} of ${input.number} was not counted`);
      const now = current.find((c) => c.id === line.id)!;
      const expected = dec(now.on_hand);
      const snapshot = line.snapshot === null ? expected : dec(line.snapshot);
      const evaluation = evaluateCount({
        expected: toPlain(expected),
        counted,
        unitCost: now.unit_cost,
        tolerance: settings.tolerances[line.abc_class],
        isRecount: head.recount,
      });
      await tx.execute(sql`
        update cycle_count_lines set counted_quantity = ${counted}, expected_quantity = ${toPlain(expected)},
               snapshot_on_hand = coalesce(snapshot_on_hand, ${toPlain(expected)}),
               snapshot_at = coalesce(snapshot_at, now()),
               moves_during_count = ${toPlain(expected.minus(snapshot))}, variance = ${evaluation.variance},
               unit_cost = ${now.unit_cost}, value_impact = ${evaluation.valueImpact},
               within_tolerance = ${evaluation.withinTolerance}, action = ${evaluation.action}::count_line_action,
               outcome = ${evaluation.action === 'none' ? sql`'matched'::count_line_outcome` : sql`outcome`}, updated_at = now()
         where id = ${line.id}`);
    }
    await tx.execute(sql`update cycle_counts set status = 'submitted', submitted_at = now(), submitted_by = ${input.submittedBy},
                                updated_at = now() where id = ${head.id}`);
    return evaluatedLines(tx, Number(head.id));
  });
}

async function evaluatedLines(db: Executor, countId: number): Promise<EvaluatedLine[]> {
  const result = await rows<Record<string, unknown>>(
    db,
    sql`select cl.id::text as line_id, i.sku, l.path, cl.abc_class, ledger_num(cl.counted_quantity) as counted,
               ledger_num(cl.snapshot_on_hand) as snapshot, ledger_num(cl.expected_quantity) as expected,
               ledger_num(cl.moves_during_count) as moves, ledger_num(cl.variance) as variance, ledger_num(cl.unit_cost) as unit_cost,
               ledger_num(cl.value_impact) as value_impact, cl.within_tolerance, cl.action
          from cycle_count_lines cl join items i on i.id = cl.item_id join locations l on l.id = cl.location_id
         where cl.count_id = ${countId} order by cl.sequence`,
  );
  return result.map((r) => ({
    lineId: String(r.line_id),
    sku: String(r.sku),
    location: String(r.path),
    abcClass: r.abc_class as AbcClass,
    counted: String(r.counted),
    snapshot: String(r.snapshot),
    expected: String(r.expected),
    movesDuringCount: String(r.moves),
    variance: String(r.variance),
    unitCost: String(r.unit_cost),
    valueImpact: String(r.value_impact),
    withinTolerance: Boolean(r.within_tolerance),
    action: r.action as CountAction,
  }));
}

export async function countEvaluation(db: Executor, number: string): Promise<EvaluatedLine[]> {
  const [head] = await rows<{ id: number }>(db, sql`select id from cycle_counts where number = ${number}`);
  if (!head) throw new CountError('unknown_count', `No count ${number}`);
  return evaluatedLines(db, Number(head.id));
}

export type PostResult =
  | { lineId: string; ok: true; moveId: string; value: string; /** The item adjusted (the restock trigger checks it). */ sku: string }
  | { lineId: string; ok: false; code: string; message: string };

/**
 * Posts one line's variance as a ledger adjustment (a signed delta, so moves since the count stay
 * correct), keyed by count and line: a retry replays the ledger's first answer.
 */
export async function postLineAdjustment(db: Database, input: { number: string; lineId: string; actor: string }): Promise<PostResult> {
  const [line] = await rows<Record<string, unknown>>(
    db,
    sql`select cl.id::text as line_id, i.sku, l.path, ledger_num(cl.variance) as variance, ledger_num(cl.unit_cost) as unit_cost,
               cl.outcome, cl.adjustment_move_id::text as move_id, ledger_num(cl.value_impact) as value_impact
          from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id
          join items i on i.id = cl.item_id join locations l on l.id = cl.location_id
         where c.number = ${input.number} and cl.id = ${input.lineId}`,
  );
  if (!line) throw new CountError('unknown_line', `Line ${input.lineId} is not on ${input.number}`);
  if (line.outcome === 'adjusted') return { lineId: input.lineId, ok: true, moveId: String(line.move_id), value: String(line.value_impact), sku: String(line.sku) };
  if (dec(String(line.variance)).isZero()) throw new CountError('missing_line', `Line ${input.lineId} has no variance to post`);
  try {
    return await db.transaction(async (tx) => {
      const gain = dec(String(line.variance)).isPositive();
      const result = await adjust(tx, {
        key: `cycle-count:${input.number}:${input.lineId}`,
        sku: String(line.sku),
        location: String(line.path),
        quantity: String(line.variance),
        actor: input.actor,
        document: { type: 'cycle_count', id: input.number },
        ...(gain ? { unitCost: String(line.unit_cost) } : {}),
        note: `Cycle count ${input.number}`,
      });
      await tx.execute(sql`update cycle_count_lines set outcome = 'adjusted', adjustment_move_id = ${result.moveId},
                                  value_impact = ${result.value}, updated_at = now() where id = ${input.lineId}`);
      return { lineId: input.lineId, ok: true as const, moveId: result.moveId, value: result.value, sku: String(line.sku) };
    });
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    await db.execute(sql`update cycle_count_lines set outcome = 'failed', updated_at = now() where id = ${input.lineId}`);
    return { lineId: input.lineId, ok: false, code: error.code, message: error.message };
  }
}

/**
 * The recount document for the lines above tolerance: same aisle, counted again from scratch (a new
 * snapshot), by another counter when there is one. Idempotent by its number.
 */
export async function createRecount(
  db: Database,
  input: { number: string; counters: string[]; dueOn: IsoDate },
): Promise<{ number: string; counter: string | null; lines: number }> {
  const number = recountNumber(input.number);
  return db.transaction(async (tx) => {
    const [existing] = await rows<{ counter: string | null; lines: number }>(
      tx,
      sql`select counter, (select count(*)::int from cycle_count_lines l where l.count_id = c.id) as lines
            from cycle_counts c where number = ${number}`,
    );
    if (existing) return { number, counter: existing.counter, lines: Number(existing.lines) };
    const [head] = await rows<{ id: number; counter: string | null; location_group: string; plan_id: number | null }>(
      tx,
      sql`select id, counter, location_group, plan_id from cycle_counts where number = ${input.number} for update`,
    );
    if (!head) throw new CountError('unknown_count', `No count ${input.number}`);
    const others = input.counters.filter((c) => c !== head.counter);
    const counter = others[0] ?? head.counter ?? input.counters[0] ?? null;
    const [doc] = await rows<{ id: number }>(
      tx,
      sql`insert into cycle_counts (number, plan_id, recount_of_id, location_group, counter, due_on, status)
          values (${number}, ${head.plan_id}, ${head.id}, ${head.location_group}, ${counter}, ${input.dueOn}, 'planned') returning id`,
    );
    await tx.execute(sql`
      insert into cycle_count_lines (count_id, sequence, item_id, location_id, abc_class)
      select ${doc!.id}, row_number() over (order by sequence), item_id, location_id, abc_class
        from cycle_count_lines where count_id = ${head.id} and action = 'recount'`);
    await tx.execute(sql`update cycle_count_lines set outcome = 'recounted', updated_at = now()
                          where count_id = ${head.id} and action = 'recount'`);
    const [{ lines }] = (await rows<{ lines: number }>(
      tx,
      sql`select count(*)::int as lines from cycle_count_lines where count_id = ${doc!.id}`,
    )) as [{ lines: number }];
    return { number, counter, lines: Number(lines) };
  });
}

/** A manager's decision on a recount's lines above tolerance; rejected lines keep the book as it was. */
export async function recordDecision(
  db: Executor,
  input: { number: string; decision: 'approved' | 'rejected'; approver: string; note?: string },
): Promise<void> {
  await db.execute(sql`
    update cycle_counts set approver = ${input.approver}, decided_at = coalesce(decided_at, now()),
           decision_note = ${input.note ?? null}, updated_at = now()
     where number = ${input.number}`);
  if (input.decision === 'rejected') {
    await db.execute(sql`
      update cycle_count_lines cl set outcome = 'rejected', updated_at = now()
        from cycle_counts c where c.id = cl.count_id and c.number = ${input.number} and cl.action = 'approval'
         and cl.outcome = 'pending'`);
  }
}

// ------------------------------------------------------------------------------------------ reports

/** Accuracy per month and class from first counts (recounts excluded), the last `months` months. */
export async function accuracyByMonth(
  db: Executor,
  input: { timeZone: string; months: number; today: IsoDate },
): Promise<{ month: string; abcClass: AbcClass; counts: number; accurate: number }[]> {
  const result = await rows<{ month: string; abc_class: AbcClass; counts: number; accurate: number }>(
    db,
    sql`select to_char(c.submitted_at at time zone ${input.timeZone}, 'YYYY-MM') as month, cl.abc_class,
               count(*)::int as counts, count(*) filter (where cl.within_tolerance)::int as accurate
          from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id
         where c.recount_of_id is null and cl.counted_quantity is not null
           and (c.submitted_at at time zone ${input.timeZone})::date >= (date_trunc('month', ${input.today}::date) - make_interval(months => ${input.months - 1}))::date
         group by 1, 2 order by 1, 2`,
  );
  return result.map((r) => ({ month: r.month, abcClass: r.abc_class, counts: Number(r.counts), accurate: Number(r.accurate) }));
}

export interface CountsDue {
  dueToday: number;
  overdue: number;
  awaitingApproval: number;
  overdueDocuments: { number: string; counter: string | null; dueOn: IsoDate }[];
}

export async function countsDue(db: Executor, today: IsoDate): Promise<CountsDue> {
  const [totals] = await rows<{ due_today: number; overdue: number; awaiting: number }>(
    db,
    sql`select count(*) filter (where status in ('planned', 'assigned', 'counting') and due_on = ${today})::int as due_today,
               count(*) filter (where status in ('planned', 'assigned', 'counting') and due_on < ${today})::int as overdue,
               count(*) filter (where status = 'awaiting_approval')::int as awaiting
          from cycle_counts`,
  );
  const overdue = await rows<{ number: string; counter: string | null; due_on: string }>(
    db,
    sql`select number, counter, to_char(due_on, 'YYYY-MM-DD') as due_on from cycle_counts
         where status in ('planned', 'assigned', 'counting') and due_on < ${today} order by due_on, number limit 10`,
  );
  return {
    dueToday: Number(totals?.due_today ?? 0),
    overdue: Number(totals?.overdue ?? 0),
    awaitingApproval: Number(totals?.awaiting ?? 0),
    overdueDocuments: overdue.map((o) => ({ number: o.number, counter: o.counter, dueOn: o.due_on })),
  };
}

export interface DeadStockRow {
  sku: string;
  name: string;
  onHand: string;
  value: string;
  lastIssuedOn: IsoDate | null;
}

/** Items on hand with no issue in `days` days, most value first. */
export async function deadStock(db: Executor, input: { days: number; asOf: Date; limit?: number }): Promise<{ items: number; value: string; top: DeadStockRow[] }> {
  const result = await rows<{ sku: string; name: string; on_hand: string; value: string; last_issue: string | null; total_items: number; total_value: string }>(
    db,
    sql`with last_issue as (
          select item_id, max(created_at) as at from stock_moves where type = 'issue' group by item_id
        ), dead as (
          select i.sku, i.name, v.on_hand, v.value, li.at
            from item_valuations v join items i on i.id = v.item_id left join last_issue li on li.item_id = v.item_id
           where v.on_hand > 0 and (li.at is null or li.at < ${input.asOf.toISOString()}::timestamptz - make_interval(days => ${input.days}))
        )
        select sku, name, ledger_num(on_hand) as on_hand, ledger_num(value) as value, to_char(at, 'YYYY-MM-DD') as last_issue,
               (select count(*)::int from dead) as total_items, (select ledger_num(coalesce(sum(value), 0)) from dead) as total_value
          from dead order by value desc, sku limit ${input.limit ?? 5}`,
  );
  if (result.length === 0) return { items: 0, value: '0', top: [] };
  return {
    items: Number(result[0]!.total_items),
    value: String(result[0]!.total_value),
    top: result.map((r) => ({ sku: r.sku, name: r.name, onHand: r.on_hand, value: r.value, lastIssuedOn: r.last_issue })),
  };
}
