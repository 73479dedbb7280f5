/**
 * `npm run bench:abc`: ABC classification over 100,000 SKUs and 10 million ledger moves on a fresh
 * embedded Postgres in a temporary folder. Seeds in SQL (bench/seed-moves.ts), then times
 * runAbcClassification, the function the monthly schedule and `stockroom abc --run` call. Reports
 * wall time, the Node process's peak RSS and the peak private memory of the Postgres processes during
 * the run. Aim: under 10 s and under 300 MB. The last line is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { connectDatabase } from '../db/client.js';
import { abcRunItems, runAbcClassification } from '../db/queries/abc.js';
import { withScratchPostgres } from './scratch-postgres.js';
import { createLogger } from '../runtime/logger.js';
import { seedMoves } from './seed-moves.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const MOVES = Number(process.env.BENCH_MOVES ?? 10_000_000);

const pgrep = (args: string[]): string[] => {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

/** Sum of private (anonymous) memory of this Postgres: the postmaster (found by its data folder) and its backends, in MB. */
function postgresPrivateMb(dataDir: string): number {
  let total = 0;
  const postmasters = pgrep(['-f', dataDir]);
  const pids = [...postmasters, ...postmasters.flatMap((pid) => pgrep(['-P', pid]))];
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const anon = /RssAnon:\s+(\d+) kB/.exec(status);
      if (anon) total += Number(anon[1]) / 1024;
    } catch {
      // the process ended between pgrep and the read
    }
  }
  return total;
}

/**
 * CPU seconds spent by this Postgres so far: every live process's own time, plus what the postmaster
 * reaped from children that already exited (the parallel workers of a query), in clock ticks of 1/100 s.
 */
function postgresCpuSeconds(dataDir: string): number {
  const stat = (pid: string): number[] => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return [11, 12, 13, 14].map((i) => Number(fields[i])); // utime stime cutime cstime
    } catch {
      return [0, 0, 0, 0];
    }
  };
  let ticks = 0;
  for (const postmaster of pgrep(['-f', dataDir])) {
    const [u, s, cu, cs] = stat(postmaster);
    ticks += u! + s! + cu! + cs!;
    for (const child of pgrep(['-P', postmaster])) {
      const [cu2, cs2] = stat(child);
      ticks += cu2! + cs2!;
    }
  }
  return ticks / 100;
}

async function main() {
  const logger = createLogger('warn');
  await withScratchPostgres('abc', logger, async (pg) => {
    const { db, close } = connectDatabase(pg.url, { max: 2 });
    // The seed drops and rebuilds indexes, which only the owner may; the classification runs as the application.
    const sql = postgres(pg.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const asOf = new Date();
      const seed = await seedMoves(sql, { items: ITEMS, moves: MOVES, asOf, log: (line) => console.log(line) });
      await sql`checkpoint`;

      let pgPeakMb = 0;
      const sampler = setInterval(() => (pgPeakMb = Math.max(pgPeakMb, postgresPrivateMb(pg.dir))), 100);
      const rssBefore = process.memoryUsage().rss / 1024 / 1024;
      const pgCpuBefore = postgresCpuSeconds(pg.dir);
      const nodeCpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const summary = await runAbcClassification(db, { key: 'bench', trigger: 'manual', asOf });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const nodeCpu = process.cpuUsage(nodeCpuBefore);
      const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
      const pgCpuSeconds = postgresCpuSeconds(pg.dir) - pgCpuBefore;
      clearInterval(sampler);
      pgPeakMb = Math.max(pgPeakMb, postgresPrivateMb(pg.dir));
      const nodePeakMb = process.resourceUsage().maxRSS / 1024;

      const rows = await abcRunItems(db, summary.runId);
      if (rows.length !== ITEMS || summary.itemCount !== ITEMS) throw new Error(`classified ${summary.itemCount} of ${ITEMS} items`);
      for (const row of summary.pareto) {
        console.log(
          `${row.abcClass}  ${String(row.itemCount).padStart(7)} items  ${(Number(row.itemShare) * 100).toFixed(1).padStart(5)} % of items  ${(Number(row.valueShare) * 100).toFixed(1).padStart(5)} % of value`,
        );
      }
      const load = os.loadavg()[0]!;
      console.log(
        `ABC over ${ITEMS} items and ${MOVES} moves: ${seconds.toFixed(2)} s wall (Postgres CPU ${pgCpuSeconds.toFixed(2)} s, ` +
          `Node CPU ${nodeCpuSeconds.toFixed(2)} s, load average ${load.toFixed(1)} on ${os.cpus().length} cores); ` +
          `Node peak RSS ${nodePeakMb.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before); Postgres private memory peak ${pgPeakMb.toFixed(0)} MB`,
      );
      console.log(
        JSON.stringify({
          bench: 'abc',
          items: ITEMS,
          moves: MOVES,
          seed_seconds: Number(seed.seconds.toFixed(1)),
          classify_seconds: Number(seconds.toFixed(2)),
          postgres_cpu_seconds: Number(pgCpuSeconds.toFixed(2)),
          node_cpu_seconds: Number(nodeCpuSeconds.toFixed(2)),
          load_average: Number(load.toFixed(1)),
          node_peak_rss_mb: Math.round(nodePeakMb),
          postgres_peak_private_mb: Math.round(pgPeakMb),
          items_a: summary.pareto[0]!.itemCount,
          items_b: summary.pareto[1]!.itemCount,
          items_c: summary.pareto[2]!.itemCount,
          under_10_s: seconds < 10,
          under_300_mb: nodePeakMb < 300 && pgPeakMb < 300,
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
