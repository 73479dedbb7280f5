import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Executor } from '../client.js';
import { Decimal, toPlain } from '../../inventory/decimal.js';
import {
  entriesFromGroups,
  entryFromInvoice,
  monthBounds,
  type AccountMap,
  type InvoiceMatch,
  type JournalEntry,
  type MoveGroup,
} from '../../inventory/journal.js';

/** Rows a cursor fetches at a time: big enough to keep the round trips few, small enough to keep memory flat. */
const BATCH = 5000;

/**
 * The journal for [from, to): move groups summed in Postgres (one pass over the period's moves, nothing
 * per move crosses to Node), turned into entries as they stream past, then the supplier invoices' entries.
 * Memory stays flat whatever the period's size.
 */
export async function* journalEntries(
  sql: postgres.Sql,
  input: { from: Date; to: Date; timeZone: string; accounts: AccountMap },
): AsyncGenerator<JournalEntry> {
  const groups = moveGroups(sql, input);
  yield* entriesFromGroups(input.accounts, groups);
  for await (const invoice of invoiceMatches(sql, input)) {
    const entry = entryFromInvoice(input.accounts, invoice);
    if (entry) yield entry;
  }
}

/** Which attributes decide an account under this map: moves are summed only by those (fewer, larger groups). */
const decidingAttributes = (map: AccountMap) => ({
  warehouse: Object.keys(map.inventoryByWarehouse).length > 0,
  category: Object.keys(map.inventoryByCategory).length > 0,
  costCenter: Object.keys(map.expenseByCostCenter).length > 0,
});

async function* moveGroups(sql: postgres.Sql, input: { from: Date; to: Date; timeZone: string; accounts: AccountMap }): AsyncGenerator<MoveGroup> {
  const by = decidingAttributes(input.accounts);
  // One pass over the month's moves, summed in a hash aggregate by day, document, kind and the attributes
  // accounts depend on (joining only the tables those need); only the sums are sorted and sent, each
  // learning its requisition's cost center.
  const conn = await sql.reserve();
  try {
    await conn`set work_mem = '128MB'`; // the first sum is a hash aggregate: room for a month's documents
    const cursor = conn<
      { day: string; kind: MoveGroup['kind']; document_type: string; document_id: string; warehouse: string; category: string | null; cost_center: string | null; value: string; moves: number; first: string; last: string }[]
    >`

      with g as (
        select (m.created_at at time zone ${input.timeZone})::date as day, m.type, m.document_type, m.document_id,
               ${by.warehouse ? conn`split_part(l.path, '/', 1)` : conn`''`} as warehouse,
               ${by.category ? conn`i.category` : conn`null::text`} as category,
               sum(m.total_value) as value, count(*)::int as moves, min(m.id) as first, max(m.id) as last
          from stock_moves m
          ${by.warehouse ? conn`join locations l on l.id = m.location_id` : conn``}
          ${by.category ? conn`join items i on i.id = m.item_id` : conn``}
         where m.created_at >= ${input.from.toISOString()}::timestamptz and m.created_at < ${input.to.toISOString()}::timestamptz
         group by 1, 2, 3, 4, 5, 6
      )
      select g.day::text as day,
             case when g.type in ('transfer_out', 'transfer_in') then 'transfer' else g.type::text end as kind,
             g.document_type::text as document_type, g.document_id, g.warehouse, g.category, r.cost_center_code as cost_center,
             g.value::text as value, g.moves, g.first::text as first, g.last::text as last
        from g
        ${by.costCenter ? conn`left join requisitions r on g.document_type = 'requisition' and r.number = g.document_id` : conn`cross join (select null::text as cost_center_code) r`}
       order by 1, 2, 3, 4, 5, 6`.cursor(BATCH);
    for await (const batch of cursor) {
      for (const r of batch) {
        yield {
          day: r.day,
          kind: r.kind,
          documentType: r.document_type,
          documentId: r.document_id,
          warehouse: r.warehouse,
          category: r.category,
          costCenter: r.cost_center,
          value: r.value,
          moves: r.moves,
          firstMoveId: r.first,
          lastMoveId: r.last,
        };
      }
    }
  } finally {
    await conn`reset work_mem`.catch(() => {});
    conn.release();
  }
}

/**
 * Each supplier invoice entered in [from, to): the invoiced quantities at the cost the receipts were
 * posted at (their ledger moves; the PO price where nothing was received yet) against the invoiced prices.
 */
async function* invoiceMatches(sql: postgres.Sql, input: { from: Date; to: Date; timeZone: string }): AsyncGenerator<InvoiceMatch> {
  const cursor = sql<{ id: string; number: string; vendor: string; po: string; day: string; received: string; invoiced: string }[]>`
    select si.id, si.invoice_number as number, v.code as vendor, po.number as po,
           to_char(si.created_at at time zone ${input.timeZone}, 'YYYY-MM-DD') as day,
           coalesce(sum(round(sil.quantity * coalesce(rc.unit_cost, pol.unit_price), 4)), 0)::text as received,
           coalesce(sum(round(sil.quantity * sil.unit_price, 4)), 0)::text as invoiced
      from supplier_invoices si
      join vendors v on v.id = si.vendor_id
      join purchase_orders po on po.id = si.purchase_order_id
      join supplier_invoice_lines sil on sil.invoice_id = si.id
      join purchase_order_lines pol on pol.id = sil.purchase_order_line_id
      left join lateral (
        select sum(m.total_value) / nullif(sum(m.quantity), 0) as unit_cost
          from receipts rc join stock_moves m on m.id = rc.move_id
         where rc.purchase_order_line_id = sil.purchase_order_line_id) rc on true
     where si.created_at >= ${input.from.toISOString()}::timestamptz and si.created_at < ${input.to.toISOString()}::timestamptz
     group by si.id, v.code, po.number
     order by si.created_at, si.id`.cursor(BATCH);
  for await (const rows of cursor) {
    for (const r of rows) {
      yield { invoiceId: r.id, invoiceNumber: r.number, vendorCode: r.vendor, purchaseOrder: r.po, day: r.day, receivedValue: r.received, invoicedValue: r.invoiced };
    }
  }
}

export interface ClosedPeriod {
  period: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  accounts: AccountMap;
  closedBy: string;
  closedAt: Date;
}

/** accounting_periods as selected: through drizzle's driver dates and jsonb may come back as text. */
interface PeriodRow {
  period: string;
  starts_at: Date | string;
  ends_at: Date | string;
  time_zone: string;
  accounts: AccountMap | string;
  closed_by: string;
  closed_at: Date | string;
}

const closedPeriodOf = (row: PeriodRow): ClosedPeriod => ({
  period: row.period,
  startsAt: new Date(row.starts_at),
  endsAt: new Date(row.ends_at),
  timeZone: row.time_zone,
  accounts: typeof row.accounts === 'string' ? (JSON.parse(row.accounts) as AccountMap) : row.accounts,
  closedBy: row.closed_by,
  closedAt: new Date(row.closed_at),
});

export async function closedPeriod(db: Executor, period: string): Promise<ClosedPeriod | undefined> {
  const [row] = (await db.execute(sql`select * from accounting_periods where period = ${period}`)) as unknown as PeriodRow[];
  return row && closedPeriodOf(row);
}

/**
 * The stretches of [from, to) and the accounts each is journalled with: a closed month with the mapping it
 * was closed with (so re-exporting it gives the same entries), the rest with `current` (stockroom.config.json).
 */
export async function journalSegments(
  sql: postgres.Sql,
  input: { from: Date; to: Date; current: AccountMap },
): Promise<{ from: Date; to: Date; accounts: AccountMap }[]> {
  const rows = await sql<PeriodRow[]>`
    select * from accounting_periods
     where ends_at > ${input.from.toISOString()}::timestamptz and starts_at < ${input.to.toISOString()}::timestamptz order by starts_at`;
  const segments: { from: Date; to: Date; accounts: AccountMap }[] = [];
  let cursor = input.from;
  for (const p of rows.map(closedPeriodOf)) {
    if (p.startsAt > cursor) segments.push({ from: cursor, to: p.startsAt, accounts: input.current });
    const end = p.endsAt < input.to ? p.endsAt : input.to;
    segments.push({ from: p.startsAt > cursor ? p.startsAt : cursor, to: end, accounts: p.accounts });
    cursor = end;
  }
  if (cursor < input.to) segments.push({ from: cursor, to: input.to, accounts: input.current });
  return segments;
}

export class PeriodError extends Error {
  override readonly name = 'PeriodError';
}

/**
 * Closes a month (db function ledger_close_period): from then on no move or invoice may be dated in it,
 * and its journal keeps the accounts it was closed with. Closing it again changes nothing.
 */
export async function closePeriod(
  db: Executor,
  input: { period: string; timeZone: string; accounts: AccountMap; by: string },
): Promise<ClosedPeriod & { alreadyClosed: boolean }> {
  const { starts, ends } = monthBounds(input.period, input.timeZone);
  try {
    const [{ already }] = (await db.execute(sql`
      select (ledger_close_period(${input.period}, ${starts.toISOString()}::timestamptz, ${ends.toISOString()}::timestamptz,
                                  ${input.timeZone}, ${JSON.stringify(input.accounts)}::jsonb, ${input.by}) ->> 'alreadyClosed')::boolean as already`)) as unknown as [
      { already: boolean },
    ];
    return { ...(await closedPeriod(db, input.period))!, alreadyClosed: already };
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string; message: string } };
    const code = e.cause?.code ?? e.code;
    if (code === 'SR903') throw new PeriodError(e.cause?.message ?? (err as Error).message);
    throw err;
  }
}

/** Per item over [from, to): the book's value at each end and what each kind of move changed it by. */
export interface ReconciliationLine {
  sku: string;
  method: string;
  opening: string;
  receipts: string;
  issues: string;
  adjustments: string;
  transfers: string;
  closing: string;
}

export async function movementByItem(sql: postgres.Sql, input: { from: Date; to: Date }): Promise<ReconciliationLine[]> {
  const rows = await sql<ReconciliationLine[]>`
    select i.sku, coalesce(i.valuation_method, s.default_valuation_method)::text as method,
           coalesce(sum(m.total_value) filter (where m.created_at < ${input.from.toISOString()}::timestamptz), 0)::text as opening,
           coalesce(sum(m.total_value) filter (where m.created_at >= ${input.from.toISOString()}::timestamptz and m.type = 'receipt'), 0)::text as receipts,
           coalesce(sum(m.total_value) filter (where m.created_at >= ${input.from.toISOString()}::timestamptz and m.type = 'issue'), 0)::text as issues,
           coalesce(sum(m.total_value) filter (where m.created_at >= ${input.from.toISOString()}::timestamptz and m.type = 'adjustment'), 0)::text as adjustments,
           coalesce(sum(m.total_value) filter (where m.created_at >= ${input.from.toISOString()}::timestamptz and m.type in ('transfer_out', 'transfer_in')), 0)::text as transfers,
           coalesce(sum(m.total_value), 0)::text as closing
      from stock_moves m
      join items i on i.id = m.item_id
      cross join inventory_settings s
     where s.id and m.created_at < ${input.to.toISOString()}::timestamptz
     group by i.sku, i.valuation_method, s.default_valuation_method
     order by i.sku`;
  return rows.map((r) => ({ ...r, opening: plain(r.opening), receipts: plain(r.receipts), issues: plain(r.issues), adjustments: plain(r.adjustments), transfers: plain(r.transfers), closing: plain(r.closing) }));
}

const plain = (v: string) => toPlain(new Decimal(v));
