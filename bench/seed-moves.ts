import type postgres from 'postgres';

/**
 * Seeds a large ledger entirely inside Postgres (generate_series, no rows through Node), for the
 * benchmarks that read stock_moves: bench:abc, and bench:reorder may reuse it.
 *
 * Shape: `items` active items BENCH-000000…, `locations` flat bins, `moves` ledger moves spread over the
 * `months` before `asOf`: 10 % receipts, 90 % issues. Which item a move touches follows a power law
 * (random()^3), so a few items carry most of the value as in a real stockroom and ABC has work to do.
 * Quantities and costs are exact numerics. The bench database is throw-away, so stock_moves' secondary
 * indexes are dropped for the load and rebuilt after it (ten times faster than maintaining them).
 */
export interface SeedOptions {
  items: number;
  moves: number;
  locations?: number;
  months?: number;
  asOf?: Date;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface SeedFigures {
  items: number;
  moves: number;
  seconds: number;
}

export async function seedMoves(sql: postgres.Sql, opts: SeedOptions): Promise<SeedFigures> {
  const started = process.hrtime.bigint();
  const log = opts.log ?? (() => {});
  const locations = opts.locations ?? 200;
  const months = opts.months ?? 12;
  const asOf = (opts.asOf ?? new Date()).toISOString();

  await sql`insert into locations (name, path, kind, depth)
            select 'BIN-' || g, 'BIN-' || g, 'bin', 0 from generate_series(1, ${locations}::int) g`;
  await sql`insert into items (sku, name, uom, standard_cost)
            select 'BENCH-' || lpad(g::text, 6, '0'), 'Bench part ' || g, 'ea', round((0.5 + random() * 200)::numeric, 2)
              from generate_series(0, ${opts.items - 1}::int) g`;
  await sql`create temporary table bench_items as
            select (row_number() over (order by sku))::int as n, id, standard_cost from items where sku like 'BENCH-%'`;
  await sql`create temporary table bench_locations as
            select (row_number() over (order by path))::int as n, id from locations where path like 'BIN-%'`;
  await sql`create unique index on bench_items (n)`;
  await sql`analyze bench_items`;
  log(`seed: ${opts.items} items, ${locations} locations`);

  const indexes = (await sql`select indexname, indexdef from pg_indexes
                              where tablename = 'stock_moves' and indexname <> 'stock_moves_pkey'`) as unknown as {
    indexname: string;
    indexdef: string;
  }[];
  for (const index of indexes) await sql.unsafe(`drop index ${index.indexname}`);

  const batch = 1_000_000;
  for (let from = 0; from < opts.moves; from += batch) {
    const to = Math.min(opts.moves, from + batch) - 1;
    await sql`
      insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at, recorded_at)
      select i.id, l.id, s.type::move_type, s.qty, i.standard_cost, s.qty * i.standard_cost, 'demo', 'BENCH-' || s.g, 'bench', s.at, s.at
        from (select g,
                     1 + floor(${opts.items}::int * power(random(), 3))::int as item_n,
                     1 + floor(${locations}::int * random())::int as location_n,
                     case when random() < 0.1 then 'receipt' else 'issue' end as type,
                     ${asOf}::timestamptz - random() * (${months}::int * interval '1 month') as at,
                     (1 + floor(random() * 20))::numeric as q
                from generate_series(${from}::bigint, ${to}::bigint) g) s0
        cross join lateral (select s0.g, s0.item_n, s0.location_n, s0.type, s0.at,
                                   case when s0.type = 'receipt' then s0.q * 10 else -s0.q end as qty) s
        join bench_items i on i.n = s.item_n
        join bench_locations l on l.n = s.location_n`;
    log(`seed: ${to + 1} moves`);
  }
  for (const index of indexes) await sql.unsafe(index.indexdef);
  // A live ledger has long been vacuumed (autovacuum): hint bits set and the visibility map current.
  // Without this the first reader of freshly loaded rows pays for writing every page once.
  await sql`vacuum analyze stock_moves`;
  await sql`vacuum analyze items`;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`seed: done in ${seconds.toFixed(1)} s`);
  return { items: opts.items, moves: opts.moves, seconds };
}
