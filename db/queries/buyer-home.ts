import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';

/**
 * A buyer's work, for their App Home: purchase orders still to submit (drafts), goods due (sent, soonest
 * first, overdue ones on top), and received orders whose invoice is missing or did not match. All buyers
 * share the list, as they share the purchase orders (any buyer may submit, cancel and enter invoices).
 */

export interface BuyerPurchaseOrder {
  number: string;
  vendor: string;
  status: string;
  totalValue: string;
  /** Due date of the goods ('2026-12-10'), once sent. */
  expectedAt: string | null;
  /** For invoices to match: 'missing', or 'mismatch' when the latest invoice did not match. */
  invoice?: 'missing' | 'mismatch';
}

export interface BuyerWork {
  toSubmit: BuyerPurchaseOrder[];
  receiptsDue: BuyerPurchaseOrder[];
  invoicesToMatch: BuyerPurchaseOrder[];
}

type Row = { number: string; vendor: string; status: string; total_value: string; expected_at: string | null; invoice: string | null };

const toOrder = (r: Row): BuyerPurchaseOrder => ({
  number: r.number,
  vendor: r.vendor,
  status: r.status,
  totalValue: r.total_value,
  expectedAt: r.expected_at,
  ...(r.invoice === 'missing' || r.invoice === 'mismatch' ? { invoice: r.invoice } : {}),
});

/** Up to `limit` of each list (one more tells the Home there are more). */
export async function buyerWork(db: Executor, limit = 10): Promise<BuyerWork> {
  const select = sql`select po.number, v.name as vendor, po.status::text as status, po.total_value::text as total_value,
                            po.expected_at::text as expected_at`;
  const toSubmit = (await db.execute(sql`${select}, null as invoice
      from purchase_orders po join vendors v on v.id = po.vendor_id
     where po.status = 'draft'
     order by po.created_at
     limit ${limit}`)) as unknown as Row[];
  const receiptsDue = (await db.execute(sql`${select}, null as invoice
      from purchase_orders po join vendors v on v.id = po.vendor_id
     where po.status in ('sent', 'partially_received')
     order by po.expected_at nulls last, po.created_at
     limit ${limit}`)) as unknown as Row[];
  const invoicesToMatch = (await db.execute(sql`${select},
           coalesce((select i.match_status::text from supplier_invoices i
                      where i.purchase_order_id = po.id order by i.created_at desc limit 1), 'missing') as invoice
      from purchase_orders po join vendors v on v.id = po.vendor_id
     where po.status in ('partially_received', 'received', 'closed')
       and not exists (select 1 from supplier_invoices i where i.purchase_order_id = po.id and i.match_status = 'matched')
     order by coalesce(po.received_at, po.updated_at)
     limit ${limit}`)) as unknown as Row[];
  return { toSubmit: toSubmit.map(toOrder), receiptsDue: receiptsDue.map(toOrder), invoicesToMatch: invoicesToMatch.map(toOrder) };
}
