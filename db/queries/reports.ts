import { sql } from 'drizzle-orm';
import { Decimal, toPlain } from '../../inventory/decimal.js';
import { checkSku, LedgerError, normaliseLocationPath, type Money, type Qty } from '../../inventory/ledger-input.js';
import { replayAllMethods, type ValuationEvent, type ValuationMethod } from '../../inventory/valuation.js';
import type { Executor } from '../client.js';

/**
 * Read-only reports over the ledger: stock on hand rolled up the location tree, inventory value
 * under FIFO, LIFO and weighted average side by side, cost of goods issued in a period, and the
 * movement history of one item. Quantities and money are canonical decimal strings.
 */

const rowsOf = <T>(result: unknown): T[] => result as T[];

export interface StockAtLocation {
  location: string;
  kind: string;
  depth: number;
  sku: string;
  name: string;
  uom: string;
  /** Everything at this location and below it. */
  onHand: Qty;
  reserved: Qty;
  available: Qty;
}
export interface StockOfItem {
  sku: string;
  name: string;
  uom: string;
  onHand: Qty;
  reserved: Qty;
  available: Qty;
}

/**
 * Stock per item at every location holding some, summed up the hierarchy: a bin's stock also counts
 * in its zone and warehouse. `under` limits it to one subtree, `sku` to one item.
 */
export async function stockOnHand(
  db: Executor,
  input: { sku?: string; under?: string } = {},
): Promise<{ locations: StockAtLocation[]; items: StockOfItem[] }> {
  const sku = input.sku === undefined ? null : checkSku(input.sku);
  const under = input.under === undefined ? null : normaliseLocationPath(input.under).toLowerCase();
  const rows = rowsOf<{
    path: string;
    kind: string;
    depth: number;
    sku: string;
    name: string;
    uom: string;
    on_hand: string;
    reserved: string;
  }>(
    await db.execute(sql`
      with levels as (
        select s.item_id, s.on_hand, s.reserved, string_to_array(l.path, '/') as parts
          from stock_levels s join locations l on l.id = s.location_id
          join items i on i.id = s.item_id
         where s.on_hand > 0 and (${sku}::text is null or lower(i.sku) = lower(${sku}::text))),
      ancestors as (
        select lv.item_id, lv.on_hand, lv.reserved, lower(array_to_string(lv.parts[1:n], '/')) as path
          from levels lv, generate_series(1, cardinality(lv.parts)) n)
      select a.path, a.kind, a.depth, i.sku, i.name, i.uom,
             ledger_num(sum(x.on_hand)) as on_hand, ledger_num(sum(x.reserved)) as reserved
        from ancestors x
        join locations a on lower(a.path) = x.path
        join items i on i.id = x.item_id
       where ${under}::text is null or x.path = ${under}::text or starts_with(x.path, ${under}::text || '/')
       group by a.id, a.path, a.kind, a.depth, i.id, i.sku, i.name, i.uom
       order by a.path, i.sku`),
  );
  const locations = rows.map((r) => ({
    location: r.path,
    kind: r.kind,
    depth: r.depth,
    sku: r.sku,
    name: r.name,
    uom: r.uom,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: toPlain(new Decimal(r.on_hand).minus(r.reserved)),
  }));
  // Item totals: the top-most rows (the subtree root when `under` is given, else the warehouses).
  const topDepth = under === null ? 0 : under.split('/').length - 1;
  const totals = new Map<string, StockOfItem>();
  for (const r of locations) {
    if (r.depth !== topDepth) continue;
    const t = totals.get(r.sku) ?? { sku: r.sku, name: r.name, uom: r.uom, onHand: '0', reserved: '0', available: '0' };
    t.onHand = toPlain(new Decimal(t.onHand).plus(r.onHand));
    t.reserved = toPlain(new Decimal(t.reserved).plus(r.reserved));
    t.available = toPlain(new Decimal(t.onHand).minus(t.reserved));
    totals.set(r.sku, t);
  }
  return { locations, items: [...totals.values()].sort((a, b) => a.sku.localeCompare(b.sku)) };
}

export interface ItemValuation {
  sku: string;
  name: string;
  /** The method the item posts with (its own, else the company default). */
  method: ValuationMethod;
  onHand: Qty;
  /** Value in the books (what the item's method posted); equals the replay under that method. */
  book: Money;
  fifo: Money;
  lifo: Money;
  wavg: Money;
}
export interface ValuationReport {
  asOf: string | null;
  items: ItemValuation[];
  totals: { book: Money; fifo: Money; lifo: Money; wavg: Money };
}

/**
 * Inventory value per item and in total under FIFO, LIFO and weighted average side by side, by
 * replaying each item's receipts, issues and adjustments through inventory/valuation.ts (transfers
 * move no value). `asOf` values the stock as it stood at that moment.
 */
export async function inventoryValuation(
  db: Executor,
  input: { sku?: string; asOf?: string | Date; before?: Date } = {},
): Promise<ValuationReport> {
  const sku = input.sku === undefined ? null : checkSku(input.sku);
  const asOf = input.asOf === undefined ? null : new Date(input.asOf).toISOString();
  // A period's end is exclusive: `before` values the stock as it stood just before that instant.
  const before = input.before?.toISOString();
  const items = rowsOf<{ id: string; sku: string; name: string; method: ValuationMethod }>(
    await db.execute(sql`
      select i.id, i.sku, i.name, coalesce(i.valuation_method, s.default_valuation_method, 'fifo') as method
        from items i left join inventory_settings s on s.id
       where (${sku}::text is null or lower(i.sku) = lower(${sku}::text))
         and exists (select 1 from stock_moves m where m.item_id = i.id)
       order by i.sku`),
  );
  const moves = rowsOf<{ item_id: string; type: string; quantity: string; unit_cost: string; total_value: string }>(
    await db.execute(sql`
      select m.item_id, m.type, m.quantity, m.unit_cost, m.total_value
        from stock_moves m join items i on i.id = m.item_id
       where m.type not in ('transfer_out', 'transfer_in')
         and (${sku}::text is null or lower(i.sku) = lower(${sku}::text))
         and (${asOf}::timestamptz is null or m.created_at <= ${asOf}::timestamptz)
         and (${before ?? null}::timestamptz is null or m.created_at < ${before ?? null}::timestamptz)
       order by m.item_id, m.id`),
  );
  const eventsByItem = new Map<string, ValuationEvent[]>();
  for (const m of moves) {
    const events = eventsByItem.get(m.item_id) ?? [];
    const quantity = new Decimal(m.quantity);
    events.push(
      quantity.isPositive()
        ? { kind: 'in', quantity: m.quantity, unitCost: m.unit_cost, value: m.total_value }
        : { kind: 'out', quantity: quantity.negated() },
    );
    eventsByItem.set(m.item_id, events);
  }
  const totals = { book: new Decimal(0), fifo: new Decimal(0), lifo: new Decimal(0), wavg: new Decimal(0) };
  const result: ItemValuation[] = [];
  for (const item of items) {
    const all = replayAllMethods(eventsByItem.get(item.id) ?? []);
    const book = all[item.method].value;
    totals.book = totals.book.plus(book);
    totals.fifo = totals.fifo.plus(all.fifo.value);
    totals.lifo = totals.lifo.plus(all.lifo.value);
    totals.wavg = totals.wavg.plus(all.wavg.value);
    result.push({
      sku: item.sku,
      name: item.name,
      method: item.method,
      onHand: toPlain(all.fifo.onHand),
      book: toPlain(book),
      fifo: toPlain(all.fifo.value),
      lifo: toPlain(all.lifo.value),
      wavg: toPlain(all.wavg.value),
    });
  }
  return {
    asOf,
    items: result,
    totals: { book: toPlain(totals.book), fifo: toPlain(totals.fifo), lifo: toPlain(totals.lifo), wavg: toPlain(totals.wavg) },
  };
}

export interface CostOfGoodsReport {
  from: string;
  to: string;
  /** Cost of goods issued (issue moves) in [from, to). */
  total: Money;
  items: { sku: string; name: string; quantity: Qty; cost: Money }[];
  /** Stock written off by count losses in the same period, reported apart from issues. */
  writeOffs: Money;
}

/** Cost of goods issued in [from, to), per item, as posted under each item's method. */
export async function costOfGoodsIssued(
  db: Executor,
  input: { from: string | Date; to: string | Date },
): Promise<CostOfGoodsReport> {
  const from = new Date(input.from).toISOString();
  const to = new Date(input.to).toISOString();
  const items = rowsOf<{ sku: string; name: string; quantity: string; cost: string }>(
    await db.execute(sql`
      select i.sku, i.name, ledger_num(-sum(m.quantity)) as quantity, ledger_num(-sum(m.total_value)) as cost
        from stock_moves m join items i on i.id = m.item_id
       where m.type = 'issue' and m.created_at >= ${from}::timestamptz and m.created_at < ${to}::timestamptz
       group by i.id, i.sku, i.name
       order by i.sku`),
  );
  const [writeOffs] = rowsOf<{ value: string }>(
    await db.execute(sql`
      select ledger_num(coalesce(-sum(m.total_value), 0)) as value
        from stock_moves m
       where m.type = 'adjustment' and m.quantity < 0
         and m.created_at >= ${from}::timestamptz and m.created_at < ${to}::timestamptz`),
  );
  const total = items.reduce((acc, i) => acc.plus(i.cost), new Decimal(0));
  return { from, to, total: toPlain(total), items, writeOffs: writeOffs!.value };
}

export interface MovementLine {
  moveId: string;
  at: string;
  type: 'receipt' | 'issue' | 'transfer_out' | 'transfer_in' | 'adjustment';
  location: string;
  /** Signed: receipts add, issues subtract. */
  quantity: Qty;
  unitCost: Money;
  value: Money;
  document: { type: string; id: string };
  /** Who posted it: a Slack user id, or a system name ('import', 'demo', …). */
  actor: string;
  /** That person's name when the actor is someone Stockroom knows. */
  actorName: string | null;
  note: string | null;
  /** The item's total on hand right after this move. */
  balance: Qty;
}

/** The movement history of one item, newest first, with the running balance. */
export async function itemHistory(
  db: Executor,
  input: { sku: string; limit?: number },
): Promise<{ sku: string; name: string; moves: MovementLine[] }> {
  const sku = checkSku(input.sku);
  const limit = Math.max(1, Math.min(input.limit ?? 100, 10_000));
  const [item] = rowsOf<{ id: string; sku: string; name: string }>(
    await db.execute(sql`select id, sku, name from items where lower(sku) = lower(${sku})`),
  );
  if (!item) throw new LedgerError('unknown_sku', `No item has the SKU ${sku}`);
  const rows = rowsOf<{
    id: string;
    at: Date | string;
    type: MovementLine['type'];
    location: string;
    quantity: string;
    unit_cost: string;
    value: string;
    document_type: string;
    document_id: string;
    actor: string;
    actor_name: string | null;
    note: string | null;
    balance: string;
  }>(
    await db.execute(sql`
      select h.*, p.display_name as actor_name from (
        select m.id::text as id, m.created_at as at, m.type, l.path as location, ledger_num(m.quantity) as quantity,
               ledger_num(m.unit_cost) as unit_cost, ledger_num(m.total_value) as value, m.document_type,
               m.document_id, m.actor, m.note, m.id as seq,
               ledger_num(sum(m.quantity) over (order by m.id)) as balance
          from stock_moves m join locations l on l.id = m.location_id
         where m.item_id = ${item.id}) h
        left join people p on p.slack_user_id = h.actor
       order by h.seq desc
       limit ${limit}`),
  );
  return {
    sku: item.sku,
    name: item.name,
    moves: rows.map((r) => ({
      moveId: r.id,
      at: new Date(r.at).toISOString(),
      type: r.type,
      location: r.location,
      quantity: r.quantity,
      unitCost: r.unit_cost,
      value: r.value,
      document: { type: r.document_type, id: r.document_id },
      actor: r.actor,
      actorName: r.actor_name,
      note: r.note,
      balance: r.balance,
    })),
  };
}
