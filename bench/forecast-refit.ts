/**
 * `npm run bench:forecast-refit`: the weekly refit as the Schedule runs it (db/queries/forecasting.ts
 * refitForecasts: one streamed query, fitting in Node, batched upserts) over a seeded ledger of
 * 100,000 items with a reorder policy each and 10 million moves over two years (bench/seed-moves.ts:
 * a power law, so a few items are issued every day and most rarely), on a fresh embedded Postgres.
 * Reports wall time, Node and Postgres CPU, peak memory, and what was fitted. The last line is one JSON object.
 */
import os from 'node:os';
import postgres from 'postgres';
import { connectDatabase } from '../db/client.js';
import { refitForecasts } from '../db/queries/forecasting.js';
import { createLogger } from '../runtime/logger.js';
import { withScratchPostgres } from './scratch-postgres.js';
import { seedMoves } from './seed-moves.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const MOVES = Number(process.env.BENCH_MOVES ?? 10_000_000);

async function main() {
  await withScratchPostgres('forecast-refit', createLogger('warn'), async (pg) => {
    const { db, close } = connectDatabase(pg.url, { max: 3 });
    const sql = postgres(pg.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const asOf = new Date();
      const seed = await seedMoves(sql, { items: ITEMS, moves: MOVES, months: 24, asOf, log: (line) => console.log(line) });
      await sql`insert into reorder_policies (item_id, reorder_point_mode, lead_time_days)
                select id, 'computed', 7 + (hashtext(sku) & 15) from items where sku like 'BENCH-%'`;
      await sql`vacuum analyze reorder_policies`;
      await sql`checkpoint`;
      const nodeCpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      let batches = 0;
      let firstBatch = 0;
      const summary = await refitForecasts(db, {
        asOf,
        onBatch: () => {
          if (batches++ === 0) firstBatch = Number(process.hrtime.bigint() - started) / 1e9;
        },
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(nodeCpu);
      const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const nodePeakMb = process.resourceUsage().maxRSS / 1024;
      const [stored] = await sql<{ n: number; used: number }[]>`
        select count(*)::int as n, count(*) filter (where beats_current)::int as used from demand_forecasts`;
      const load = os.loadavg()[0]!;
      console.log(
        `refit of ${summary.policies} policies (${MOVES} moves over two years): ${seconds.toFixed(1)} s wall, Node CPU ${nodeCpuSeconds.toFixed(1)} s, ` +
          `${batches} batches (the first after ${firstBatch.toFixed(1)} s: the query's aggregation), Node peak RSS ${nodePeakMb.toFixed(0)} MB, load average ${load.toFixed(1)} on ${os.cpus().length} cores; ` +
          `${summary.forecast} forecasts stored (${stored!.n} rows, ${summary.beatsCurrent} beat the current method), ${summary.withoutForecast} without; ` +
          `models ${JSON.stringify(summary.models)}`,
      );
      console.log(
        JSON.stringify({
          bench: 'forecast-refit',
          items: ITEMS,
          moves: MOVES,
          seed_seconds: Number(seed.seconds.toFixed(1)),
          refit_seconds: Number(seconds.toFixed(1)),
          first_batch_seconds: Number(firstBatch.toFixed(1)),
          node_cpu_seconds: Number(nodeCpuSeconds.toFixed(1)),
          node_peak_rss_mb: Math.round(nodePeakMb),
          load_average: Number(load.toFixed(1)),
          policies: summary.policies,
          forecasts: summary.forecast,
          beats_current: summary.beatsCurrent,
          without_forecast: summary.withoutForecast,
        }),
      );
    } finally {
      await close();
      await sql.end();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
