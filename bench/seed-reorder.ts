import type postgres from 'postgres';

/**
 * The reorder benchmark's data, generated inside Postgres (generate_series, nothing through Node):
 * `items` items with one reorder policy each, `moves` ledger moves over the `days` before `asOf`
 * written in time order as a real append-only ledger is (so a window of recent days is a recent
 * stretch of the table), 90 % issues and 10 % receipts, with power-law demand (random()^3: a few
 * items carry most of it). Then stock per item, 50 vendors and 1,000 open or draft purchase orders.
 *
 * Ids are derived from the sequence numbers (item n ↔ uuid …n), so moves need no join to find their
 * item. The bench cluster is throw-away: foreign-key triggers are off for the load
 * (session_replication_role = replica; the ledger's append-only trigger only guards UPDATE and
 * DELETE anyway) and stock_moves' secondary indexes are built after it.
 */
export interface ReorderSeedOptions {
  items: number;
  moves: number;
  days?: number;
  asOf: Date;
  log?: (line: string) => void;
}

const itemId = (n: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const binId = (n: string) => `('00000000-0000-4000-9000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
/** Standard cost of item n: 0.50 … 200.49, exact. */
const cost = (n: string) => `(50 + (${n} * 7919) % 20000)::numeric / 100`;

export async function seedReorderBench(sql: postgres.Sql, opts: ReorderSeedOptions): Promise<{ seconds: number }> {
  const started = process.hrtime.bigint();
  const log = opts.log ?? (() => {});
  const days = opts.days ?? 365;
  const bins = 200;
  const asOf = opts.asOf.toISOString();
  await sql`set session_replication_role = replica`;

  await sql.unsafe(`insert into locations (id, name, path, kind, depth)
                    select ${binId('g')}, 'BIN-' || g, 'BIN-' || g, 'bin', 0 from generate_series(1, ${bins}) g`);
  await sql.unsafe(`insert into items (id, sku, name, uom, uom_decimals, standard_cost)
                    select ${itemId('g')}, 'BENCH-' || lpad(g::text, 6, '0'), 'Bench part ' || g, 'ea', 0, ${cost('g')}
                      from generate_series(1, ${opts.items}) g`);
  log(`seed: ${opts.items} items, ${bins} bins`);

  const indexes = (await sql`select indexname, indexdef from pg_indexes
                              where tablename = 'stock_moves' and indexname <> 'stock_moves_pkey'`) as unknown as { indexname: string; indexdef: string }[];
  for (const index of indexes) await sql.unsafe(`drop index ${index.indexname}`);
  const batch = 2_000_000;
  for (let from = 1; from <= opts.moves; from += batch) {
    const to = Math.min(opts.moves, from + batch - 1);
    // Move g happens at asOf − days × (1 − g / moves): in order, the last one just before asOf.
    await sql.unsafe(`
      insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at, recorded_at)
      select ${itemId('s.item_n')}, ${binId('s.bin_n')}, s.type::move_type, s.qty, ${cost('s.item_n')}, s.qty * ${cost('s.item_n')},
             'demo', 'BENCH', 'bench', s.at, s.at
        from (select 1 + floor(${opts.items} * power(random(), 3))::int as item_n,
                     1 + floor(${bins} * random())::int as bin_n,
                     case when r < 0.1 then 'receipt' else 'issue' end as type,
                     case when r < 0.1 then (1 + floor(random() * 20)) * 10 else -(1 + floor(random() * 20)) end::numeric as qty,
                     '${asOf}'::timestamptz - ${days} * interval '1 day' * (1 - g::float8 / ${opts.moves}) as at
                from (select g, random() as r from generate_series(${from}::bigint, ${to}::bigint) g) x) s`);
    log(`seed: ${to} moves`);
  }
  for (const index of indexes) await sql.unsafe(index.indexdef);
  log('seed: stock_moves indexes rebuilt');

  await sql`insert into vendors (code, name, default_lead_time_days)
            select 'V' || lpad(g::text, 3, '0'), 'Vendor ' || g, 7 from generate_series(1, 50) g`;
  // Three computed policies for one manual; a third with ordering and holding costs (EOQ); mixed
  // service levels, lead times, maxima and order multiples.
  await sql.unsafe(`
    insert into reorder_policies (item_id, vendor_id, reorder_point_mode, min, max, reorder_point, service_level,
                                  lead_time_days, order_multiple, unit_price, ordering_cost, holding_cost_per_unit_year)
    select ${itemId('g')}, v.id,
           (case when g % 4 = 0 then 'manual' else 'computed' end)::reorder_point_mode,
           case when g % 4 = 0 then 10 end,
           case when g % 3 = 0 then null else 200 + (g % 7) * 50 end,
           case when g % 4 = 0 then 20 + g % 30 end,
           (array[0.9, 0.95, 0.975, 0.99])[1 + g % 4],
           3 + g % 12,
           (array[null, 1, 6, 12, 24])[1 + g % 5],
           ${cost('g')},
           case when g % 3 = 0 then 25 + g % 50 end,
           case when g % 3 = 0 then round(${cost('g')} * 0.2, 4) end
      from generate_series(1, ${opts.items}) g
      join (select id, (row_number() over (order by code))::int - 1 as k from vendors) v on v.k = g % 50`);
  // Stock in one bin per item, 10 % of it reserved.
  await sql.unsafe(`
    insert into stock_levels (item_id, location_id, on_hand, reserved)
    select ${itemId('g')}, ${binId('1 + g % ' + bins)}, s.on_hand, floor(s.on_hand * 0.1)
      from generate_series(1, ${opts.items}) g cross join lateral (select floor(random() * 400 + 0 * g)::numeric as on_hand offset 0) s`);
  await sql`
    insert into purchase_orders (creation_key, vendor_id, status, buyer_slack_user_id, created_by)
    select 'bench-' || g, (select id from vendors order by code offset g % 50 limit 1),
           (array['draft', 'sent', 'partially_received', 'approved'])[1 + g % 4]::purchase_order_status, 'UBENCH', 'UBENCH'
      from generate_series(1, 1000) g`;
  await sql.unsafe(`
    insert into purchase_order_lines (purchase_order_id, line_no, item_id, sku, quantity_ordered, unit_price)
    select po.id, k, ${itemId('n')}, 'BENCH-' || lpad(n::text, 6, '0'), 50 + k * 10, 1
      from (select id, (row_number() over (order by creation_key))::int as p from purchase_orders) po
      cross join generate_series(1, 5) k
      cross join lateral (select 1 + ((po.p * 5 + k) * 17) % ${opts.items} as n) c`);
  await sql`set session_replication_role = origin`;
  await sql`analyze`;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`seed: done in ${seconds.toFixed(1)} s`);
  return { seconds };
}
