import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';

/**
 * Demand statistics straight from the ledger, in SQL: issues summed per calendar day (UTC), days
 * without issues counted as zero, mean and sample σ over the window. Nothing but the per-item
 * result crosses into Node, whatever the number of moves.
 *
 * The window is the `windowDays` complete days before `asOf`'s day (today's partial day is left
 * out, so the figures do not sag every morning). Averages and σ are rounded to 6 decimals.
 */

export interface ItemDemand {
  itemId: string;
  days: number;
  total: string;
  averageDaily: string;
  stdDevDaily: string;
}

/** Midnight UTC of asOf's day: the exclusive end of every window. */
export const windowEnd = (asOf: Date): string => asOf.toISOString().slice(0, 10);

/**
 * One item (optionally only the stock under one warehouse path), zero-filled with generate_series
 * and aggregated with avg / stddev_samp in one pass: the readable reference for the bulk query.
 */
export async function itemDemand(
  db: Executor,
  input: { itemId: string; windowDays: number; asOf?: Date; warehousePath?: string | null },
): Promise<ItemDemand> {
  const end = windowEnd(input.asOf ?? new Date());
  const scope = input.warehousePath
    ? sql`and exists (select 1 from locations l where l.id = m.location_id
          and (lower(l.path) = lower(${input.warehousePath}) or lower(l.path) like lower(${input.warehousePath}) || '/%'))`
    : sql``;
  const rows = await db.execute<{ days: number; total: string; average: string; sd: string }>(sql`
    with days as (
      select d::date as day
      from generate_series(${end}::date - ${input.windowDays}::int, ${end}::date - 1, interval '1 day') as d
    ),
    daily as (
      select (m.created_at at time zone 'UTC')::date as day, -sum(m.quantity) as qty
      from stock_moves m
      where m.item_id = ${input.itemId}
        and m.type = 'issue'
        and m.created_at >= (${end}::date - ${input.windowDays}::int)::timestamp at time zone 'UTC'
        and m.created_at < ${end}::date::timestamp at time zone 'UTC'
        ${scope}
      group by 1
    )
    select count(*)::int as days,
           coalesce(sum(coalesce(daily.qty, 0)), 0)::text as total,
           round(coalesce(avg(coalesce(daily.qty, 0)), 0), 6)::text as average,
           round(coalesce(stddev_samp(coalesce(daily.qty, 0)), 0), 6)::text as sd
    from days left join daily using (day)`);
  const row = rows[0]!;
  return { itemId: input.itemId, days: row.days, total: trim(row.total), averageDaily: trim(row.average), stdDevDaily: trim(row.sd) };
}

/** '5.000000' → '5': canonical strings like the rest of the code base. */
export const trim = (value: string): string => (value.includes('.') ? value.replace(/\.?0+$/, '') : value);

/**
 * Learned lead time per vendor × item: days from the PO being sent to each receipt against it,
 * averaged over the most recent `recent` receipts. Used in place of the hand-set value once
 * `samples` reaches the minimum (3).
 */
export async function learnedLeadTime(
  db: Executor,
  input: { itemId: string; vendorId: string; recent?: number },
): Promise<{ days?: string; samples: number }> {
  const rows = await db.execute<{ days: string | null; samples: number }>(sql`
    select round(avg(lead_days), 2)::text as days, count(*)::int as samples
    from (
      select extract(epoch from (r.received_at - po.sent_at)) / 86400 as lead_days
      from receipts r
      join purchase_orders po on po.id = r.purchase_order_id
      where r.item_id = ${input.itemId} and po.vendor_id = ${input.vendorId} and po.sent_at is not null
        and r.received_at >= po.sent_at
      order by r.received_at desc
      limit ${input.recent ?? 10}
    ) recent`);
  const row = rows[0]!;
  return row.days === null ? { samples: row.samples } : { days: trim(row.days), samples: row.samples };
}
