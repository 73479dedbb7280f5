/**
 * `npm run bench:journal`: the journal export of one month of 10 million moves over 100,000 items (streamed to
 * a file, as `stockroom journal export --period` does), its wall time and peak memory against the aims
 * (under 30 s, under 300 MB), and the floor: one bare aggregate pass over the same month's moves in Postgres,
 * measured in the same run. Last line one JSON object.
 *
 * The month is generated inside Postgres (generate_series): two warehouses of bins, documents of about five
 * moves (purchase-order receipts 10 %, requisition issues to 20 cost centers 86 %, count adjustments 4 %),
 * inventory mapped by warehouse and expense by cost center. BENCH_MOVES / BENCH_ITEMS make it smaller.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { writeJournal } from '../cli/journal.js';
import { connectDatabase } from '../db/client.js';
import { monthBounds, type AccountMap } from '../inventory/journal.js';
import { createLogger } from '../runtime/logger.js';
import { DEFAULT_SETTINGS } from '../runtime/settings.js';
import { withScratchPostgres } from './scratch-postgres.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const MOVES = Number(process.env.BENCH_MOVES ?? 10_000_000);
const PERIOD = '2026-10';
const ACCOUNTS: AccountMap = {
  ...DEFAULT_SETTINGS.accounting,
  inventoryByWarehouse: { Main: '1300', Annex: '1310' },
  expenseByCostCenter: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`CC${i}`, String(6100 + i)])),
};
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function seed(owner: postgres.Sql, from: Date, to: Date) {
  const started = process.hrtime.bigint();
  await owner`set session_replication_role = replica`; // a throw-away cluster: no foreign keys or books for the load
  await owner`insert into cost_centers (code, name) select 'CC' || g, 'Cost center ' || g from generate_series(0, 19) g`;
  await owner`insert into locations (name, path, kind, depth) values ('Main', 'Main', 'warehouse', 0), ('Annex', 'Annex', 'warehouse', 0)`;
  await owner`insert into locations (parent_id, name, path, kind, depth)
              select w.id, 'Bin ' || g, w.path || '/Bin ' || g, 'bin', 1 from locations w, generate_series(1, 100) g where w.depth = 0`;
  await owner`insert into items (sku, name, uom, standard_cost)
              select 'J-' || lpad(g::text, 6, '0'), 'Part ' || g, 'ea', round((0.5 + random() * 200)::numeric, 2) from generate_series(1, ${ITEMS}::int) g`;
  await owner`create temporary table j_items as select (row_number() over (order by sku))::int as n, id, standard_cost from items`;
  await owner`create temporary table j_locations as select (row_number() over (order by path))::int as n, id from locations where depth = 1`;
  await owner`create unique index on j_items (n)`;
  const docs = Math.ceil(MOVES / 5);
  await owner`insert into requisitions (number, submission_key, requester_slack_user_id, cost_center_code, reason, total_value)
              select 'REQ-' || g, 'j-' || g, 'UBENCH', 'CC' || (g % 20), 'bench', 0 from generate_series(0, ${docs}::int) g where g % 50 < 43`;
  const indexes = (await owner`select indexname, indexdef from pg_indexes where tablename = 'stock_moves' and indexname <> 'stock_moves_pkey'`) as unknown as {
    indexname: string;
    indexdef: string;
  }[];
  for (const index of indexes) await owner.unsafe(`drop index ${index.indexname}`);
  const span = (to.getTime() - from.getTime()) / 1000;
  for (let lo = 0; lo < MOVES; lo += 1_000_000) {
    const hi = Math.min(MOVES, lo + 1_000_000) - 1;
    // Document d = g / 5; by d: 43 in 50 are requisitions (issues), 5 purchase orders (receipts), 2 counts (adjustments).
    await owner`
      insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at, recorded_at)
      select i.id, l.id, s.type::move_type, s.qty, i.standard_cost, s.qty * i.standard_cost, s.doc_type::document_type, s.doc, 'bench', s.at, s.at
        from (select g, g / 5 as d,
                     1 + floor(${ITEMS}::int * power(random(), 3))::int as item_n,
                     1 + ((g / 5) % 2) * 100 + floor(100 * random())::int as location_n,
                     ${from.toISOString()}::timestamptz + ((g::float8 / ${MOVES}) * ${span}) * interval '1 second' as at
                from generate_series(${lo}::bigint, ${hi}::bigint) g) s0
        cross join lateral (
          select s0.at,
                 case when s0.d % 50 < 43 then 'issue' when s0.d % 50 < 48 then 'receipt' else 'adjustment' end as type,
                 case when s0.d % 50 < 43 then 'requisition' when s0.d % 50 < 48 then 'purchase_order' else 'cycle_count' end as doc_type,
                 case when s0.d % 50 < 43 then 'REQ-' when s0.d % 50 < 48 then 'PO-' else 'CC-' end || s0.d as doc,
                 case when s0.d % 50 < 43 then -(1 + s0.g % 7) when s0.d % 50 < 48 then 10 * (1 + s0.g % 9)
                      when s0.g % 2 = 0 then 1 else -1 end::numeric as qty) s
        join j_items i on i.n = s0.item_n
        join j_locations l on l.n = s0.location_n`;
    console.log(`seed: ${hi + 1} moves`);
  }
  for (const index of indexes) await owner.unsafe(index.indexdef);
  await owner`vacuum analyze stock_moves`;
  await owner`vacuum analyze requisitions`;
  await owner`set session_replication_role = origin`;
  return seconds(started);
}

async function main() {
  const logger = createLogger('warn');
  const { starts, ends } = monthBounds(PERIOD, 'UTC');
  await withScratchPostgres('journal', logger, async (pg) => {
    const owner = postgres(pg.ownerUrl, { max: 1, onnotice: () => {} });
    const handle = connectDatabase(pg.url, { max: 2 });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-journal-')), `${PERIOD}.csv`);
    try {
      await owner`alter system set max_wal_size = '8GB'`;
      await owner`select pg_reload_conf()`;
      const seedSeconds = await seed(owner, starts, ends);
      console.log(`seeded ${MOVES} moves over ${ITEMS} items in ${PERIOD} in ${round(seedSeconds)} s`);

      // The floor: Postgres summing the month's moves per document and day, nothing sent.
      const floorQuery = () => owner`select count(*) from (select m.document_id, sum(m.total_value) from stock_moves m
                                      where m.created_at >= ${starts.toISOString()}::timestamptz and m.created_at < ${ends.toISOString()}::timestamptz
                                      group by m.created_at::date, m.document_type, m.document_id) x`;
      await floorQuery();
      const floorStarted = process.hrtime.bigint();
      await floorQuery();
      const floorSeconds = seconds(floorStarted);

      const rssBefore = process.memoryUsage().rss / 1024 / 1024;
      const stream = fs.createWriteStream(out);
      const started = process.hrtime.bigint();
      const totals = await writeJournal(handle.sql, { from: starts, to: ends, timeZone: 'UTC', accounts: ACCOUNTS, format: 'csv', out: stream });
      stream.end();
      await new Promise<void>((resolve) => stream.on('finish', () => resolve()));
      const exportSeconds = seconds(started);
      const peakMb = process.resourceUsage().maxRSS / 1024;
      const bytes = fs.statSync(out).size;
      console.log(
        `journal ${PERIOD}: ${totals.entries} entries, ${totals.lines} lines, ${round(bytes / 1e6)} MB of CSV in ${round(exportSeconds)} s; ` +
          `debits ${totals.debits} = credits ${totals.credits}; peak RSS ${round(peakMb)} MB (${round(rssBefore)} MB before); ` +
          `floor (one aggregate pass in Postgres) ${round(floorSeconds)} s, ratio ${round(floorSeconds / exportSeconds, 2)}`,
      );
      console.log(
        JSON.stringify({
          benchmark: 'journal-export',
          period: PERIOD,
          moves: MOVES,
          items: ITEMS,
          entries: totals.entries,
          lines: totals.lines,
          csvMegabytes: round(bytes / 1e6),
          seconds: round(exportSeconds, 2),
          floorSeconds: round(floorSeconds, 2),
          floorRatio: round(floorSeconds / exportSeconds, 3),
          peakRssMb: round(peakMb),
          balanced: totals.debits === totals.credits,
          under_30_s: exportSeconds < 30,
          under_300_mb: peakMb < 300,
        }),
      );
    } finally {
      await handle.close();
      await owner.end();
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
