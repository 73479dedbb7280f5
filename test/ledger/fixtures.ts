import { createItem, type NewItem } from '../../db/queries/items.js';
import { ensureLocation } from '../../db/queries/locations.js';
import type { Executor } from '../../db/client.js';
import type { DocumentRef } from '../../inventory/ledger-input.js';

export const manual = (id = 'test'): DocumentRef => ({ type: 'manual', id });
export const requisition = (id: string): DocumentRef => ({ type: 'requisition', id });

let counter = 0;
/** A unique idempotency key for one call. */
export const key = (label = 'k') => `${label}-${process.pid}-${++counter}`;

/** Items and a small warehouse tree: Main/Aisle 1/Bin 1..3 and Annex/Shelf A. */
export async function seedCatalogue(db: Executor, extra: NewItem[] = []) {
  const paths = ['Main/Aisle 1/Bin 1', 'Main/Aisle 1/Bin 2', 'Main/Aisle 2/Bin 3', 'Annex/Shelf A'];
  for (const path of paths) await ensureLocation(db, { path });
  for (const item of [
    { sku: 'PEN-BLUE', name: 'Ballpoint pen, blue', uom: 'ea', valuationMethod: 'fifo' as const },
    { sku: 'GREASE-1', name: 'Bearing grease', uom: 'kg', valuationMethod: 'wavg' as const, standardCost: '12.5' },
    { sku: 'TONER-7', name: 'Toner cartridge 7', uom: 'ea', valuationMethod: 'lifo' as const, barcode: '4006381333931' },
    { sku: 'OLD-1', name: 'Discontinued binder', uom: 'ea', active: false },
    ...extra,
  ]) {
    await createItem(db, item);
  }
  return { paths };
}

/** Everything a stock operation can write, summarised: equal before and after means nothing was written. */
export async function ledgerFingerprint(db: Executor): Promise<unknown> {
  const { sql } = await import('drizzle-orm');
  const [row] = (await db.execute(sql`
    select (select count(*) from stock_moves)::int as moves,
           (select count(*) from cost_layers)::int as layers,
           (select coalesce(sum(remaining_quantity), 0)::text from cost_layers) as layer_qty,
           (select count(*) from stock_levels)::int as levels,
           (select coalesce(sum(on_hand), 0)::text || '/' || coalesce(sum(reserved), 0)::text from stock_levels) as stock,
           (select coalesce(sum(on_hand), 0)::text || '/' || coalesce(sum(value), 0)::text from item_valuations) as book,
           (select count(*) from item_valuations)::int as books,
           (select count(*) from reservations)::int as reservations,
           (select coalesce(sum(open_quantity), 0)::text from reservations) as open,
           (select count(*) from reservation_requests)::int as requests`)) as unknown as [unknown];
  return row;
}

/**
 * The ledger's invariants, each as a query listing what breaks it (empty = holds):
 * stock per bin = sum of its moves and never negative; reserved = open reservations; the item's book
 * on hand = its bins = its layers' remaining quantity; book value = sum of move values; for FIFO and
 * LIFO items book value = sum of layer values; and replaying the moves under the item's own method
 * (inventory/valuation.ts) gives the book value.
 */
export async function invariantViolations(db: Executor): Promise<string[]> {
  const { sql } = await import('drizzle-orm');
  const { inventoryValuation } = await import('../../db/queries/reports.js');
  const checks: [string, ReturnType<typeof sql>][] = [
    [
      'bin stock differs from its moves',
      sql`select s.item_id, s.location_id, s.on_hand, coalesce(m.total, 0) as moves
            from stock_levels s full join (select item_id, location_id, sum(quantity) as total from stock_moves
                                           group by item_id, location_id) m
              on m.item_id = s.item_id and m.location_id = s.location_id
           where coalesce(s.on_hand, 0) <> coalesce(m.total, 0) or s.on_hand < 0`,
    ],
    [
      'reserved differs from open reservations',
      sql`select s.item_id, s.location_id, s.reserved, coalesce(r.open, 0) as open
            from stock_levels s left join (select item_id, location_id, sum(open_quantity) as open from reservations
                                           group by item_id, location_id) r
              on r.item_id = s.item_id and r.location_id = s.location_id
           where s.reserved <> coalesce(r.open, 0) or s.reserved > s.on_hand or s.reserved < 0`,
    ],
    [
      'book, bins and layers disagree on quantity',
      sql`select i.id, v.on_hand, s.total, l.remaining
            from items i
            left join item_valuations v on v.item_id = i.id
            left join (select item_id, sum(on_hand) as total from stock_levels group by item_id) s on s.item_id = i.id
            left join (select item_id, sum(remaining_quantity) as remaining from cost_layers group by item_id) l
              on l.item_id = i.id
           where coalesce(v.on_hand, 0) <> coalesce(s.total, 0) or coalesce(v.on_hand, 0) <> coalesce(l.remaining, 0)`,
    ],
    [
      'book value differs from the sum of move values',
      sql`select i.id, v.value, m.total from items i
            left join item_valuations v on v.item_id = i.id
            left join (select item_id, sum(total_value) as total from stock_moves group by item_id) m on m.item_id = i.id
           where coalesce(v.value, 0) <> coalesce(m.total, 0)`,
    ],
    [
      'FIFO/LIFO book value differs from its layers',
      sql`select i.id, v.value, l.value as layers from items i
            left join inventory_settings st on st.id
            join item_valuations v on v.item_id = i.id
            left join (select item_id, sum(remaining_value) as value from cost_layers group by item_id) l
              on l.item_id = i.id
           where coalesce(i.valuation_method, st.default_valuation_method) in ('fifo', 'lifo')
             and v.value <> coalesce(l.value, 0)`,
    ],
    [
      'a layer holds value without quantity or the reverse, or its open flag is wrong',
      // Money has 4 decimals, so a sliver can be worth 0.0000 (0.25 kg at 0.0001 each): only a layer
      // worth a tenth of a cent or more at its own unit cost must hold value.
      sql`select id, item_id, move_id, received_quantity, remaining_quantity, remaining_value, unit_cost, open
            from cost_layers
           where (remaining_quantity = 0 and remaining_value <> 0)
              or (remaining_value = 0 and remaining_quantity * unit_cost >= 0.001)
              or open <> (remaining_quantity > 0)`,
    ],
  ];
  const violations: string[] = [];
  for (const [label, query] of checks) {
    const rows = (await db.execute(query)) as unknown as unknown[];
    if (rows.length) violations.push(`${label}: ${JSON.stringify(rows.slice(0, 6))}`);
  }
  const books = (await db.execute(sql`
    select i.sku, ledger_num(v.value) as value from items i join item_valuations v on v.item_id = i.id`)) as unknown as {
    sku: string;
    value: string;
  }[];
  const report = await inventoryValuation(db);
  for (const b of books) {
    const replayed = report.items.find((i) => i.sku === b.sku);
    if ((replayed?.book ?? '0') !== b.value) {
      violations.push(`replay under the item's method differs from the book: ${b.sku} ${b.value} vs ${replayed?.book}`);
    }
  }
  return violations;
}
