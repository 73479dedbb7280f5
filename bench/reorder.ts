/**
 * `npm run bench:reorder`: the reorder check (demand statistics, reorder points, suggestions, the
 * computed figures written back) over 100,000 SKUs with 10 million ledger moves, on a fresh embedded
 * Postgres in a temporary folder, everything generated in SQL (bench/seed-reorder.ts: 12 months of
 * moves in time order, 90 % issues, power-law demand; one reorder policy per item, three computed for
 * one manual, a third with costs for EOQ; stock per item; 1,000 open or draft purchase orders).
 *
 * Times runReorderCheck, the function the daily schedule calls, and, as the floor, one SQL aggregate
 * over the same moves (sum per item over the whole ledger, run warm). Reports wall time and the Node
 * process's peak RSS (process.resourceUsage().maxRSS). Aim: under 10 s and under 300 MB. The last
 * line is one JSON object with every figure.
 */
import postgres from 'postgres';
import { connectDatabase } from '../db/client.js';
import { runReorderCheck } from '../db/queries/reorder-check.js';
import { withScratchPostgres } from './scratch-postgres.js';
import { createLogger } from '../runtime/logger.js';
import { seedReorderBench } from './seed-reorder.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const MOVES = Number(process.env.BENCH_MOVES ?? 10_000_000);

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function main() {
  const logger = createLogger('warn');
  await withScratchPostgres('reorder', logger, async (pg) => {
    const { db, close } = connectDatabase(pg.url, { max: 4 });
    // The seed switches off foreign-key triggers for its session and tunes the throw-away cluster, which
    // only its owner may: it runs on one owner's connection, the check itself as the application.
    const sql = postgres(pg.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      // Loading only: a throw-away cluster need not flush every commit or checkpoint every 1 GB of WAL.
      await sql`alter system set synchronous_commit = off`;
      await sql`alter system set max_wal_size = '8GB'`;
      await sql`alter system set checkpoint_timeout = '30min'`;
      await sql`select pg_reload_conf()`;

      const asOf = new Date();
      const seed = await seedReorderBench(sql, { items: ITEMS, moves: MOVES, asOf, log: (line) => console.log(line) });
      await sql`checkpoint`;

      // The floor: one aggregate over every move, run twice so both measurements see a warm cache.
      const floorQuery = () => sql`select item_id, sum(quantity) as q from stock_moves group by item_id`.execute();
      await floorQuery();
      const floorStarted = process.hrtime.bigint();
      const floorRows = await floorQuery();
      const floorSeconds = seconds(floorStarted);

      const rssBefore = process.memoryUsage().rss / 1024 / 1024;
      const checkStarted = process.hrtime.bigint();
      const summary = await runReorderCheck(db, { asOf });
      const checkSeconds = seconds(checkStarted);
      // The next day's run in steady state: the same figures, so nothing is written back.
      const againStarted = process.hrtime.bigint();
      await runReorderCheck(db, { asOf });
      const againSeconds = seconds(againStarted);
      const nodePeakMb = process.resourceUsage().maxRSS / 1024;
      if (summary.checked !== ITEMS) throw new Error(`checked ${summary.checked} of ${ITEMS} policies`);
      const [saved] = await sql<{ n: number }[]>`select count(*)::int as n from reorder_policies where computed_at is not null`;
      if (saved!.n !== ITEMS) throw new Error(`computed figures saved for ${saved!.n} of ${ITEMS} policies`);
      const [window] = await sql<{ n: number }[]>`
        select count(*)::int as n from stock_moves where type = 'issue' and created_at >= ${asOf.toISOString()}::timestamptz - interval '91 days'`;

      console.log(
        `reorder check over ${ITEMS} items and ${MOVES} moves: ${checkSeconds.toFixed(2)} s (floor: one aggregate over all moves ${floorSeconds.toFixed(2)} s, ${floorRows.length} groups); ` +
          `Node peak RSS ${nodePeakMb.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before); ${summary.low} low, ${summary.stockout} out, ${summary.suggestions.length} orders proposed`,
      );
      console.log(
        JSON.stringify({
          bench: 'reorder',
          items: ITEMS,
          moves: MOVES,
          seed_seconds: Number(seed.seconds.toFixed(1)),
          check_seconds: Number(checkSeconds.toFixed(2)),
          floor_aggregate_seconds: Number(floorSeconds.toFixed(2)),
          check_over_floor: Number((checkSeconds / floorSeconds).toFixed(2)),
          check_again_unchanged_seconds: Number(againSeconds.toFixed(2)),
          node_peak_rss_mb: Math.round(nodePeakMb),
          node_rss_before_check_mb: Math.round(rssBefore),
          policies_checked: summary.checked,
          ok: summary.ok,
          low: summary.low,
          stockout: summary.stockout,
          suggestions: summary.suggestions.length,
          issue_moves_in_90_day_window: window!.n,
          under_10_s: checkSeconds < 10 && againSeconds < 10,
          under_300_mb: nodePeakMb < 300,
        }),
      );
    } finally {
      await sql.end();
      await close();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
