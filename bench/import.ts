/**
 * `npm run bench:import`: how fast `stockroom import` takes large files, on a fresh embedded Postgres.
 * Writes 100,000 items, 100,000 locations (bins) and 100,000 stock rows as CSV, imports each through the same
 * function the CLI runs, then imports the stock file again (which must post nothing). Prints each figure
 * in rows/s; the last line is one JSON object with all of them.
 *
 * The machine is shared, so wall time depends on what else runs. Each step also reports the CPU time it
 * took in Node and in the Postgres processes (read from /proc): their sum is what the import costs
 * whatever the load, and roughly its wall time on an idle machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connectDatabase, type Database } from '../db/client.js';
import { withScratchPostgres } from './scratch-postgres.js';
import { createLogger } from '../runtime/logger.js';
import { importFile } from '../cli/import.js';
import type { ImportResult } from '../cli/import/result.js';
import { createProgress } from '../cli/progress.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const STOCK_ROWS = Number(process.env.BENCH_STOCK_ROWS ?? 100_000);
const WAREHOUSES = 4;
const AISLES = 50;
const BINS = Number(process.env.BENCH_BINS ?? 500);

function writeFiles(dir: string) {
  const items = ['sku,name,uom,category,barcode,default_vendor,standard_cost,valuation_method,active'];
  const methods = ['fifo', 'lifo', 'wavg', ''];
  for (let i = 0; i < ITEMS; i++) {
    const cents = 50 + ((i * 7919) % 50_000);
    items.push(
      `BENCH-${String(i).padStart(6, '0')},"Bench part ${i}, size ${i % 17}",ea,Bench,${String(4_000_000_000_000 + i)},Vendor ${i % 40},${(cents / 100).toFixed(2)},${methods[i % 4]},true`,
    );
  }
  const locations = ['path,kind'];
  const bins: string[] = [];
  for (let w = 1; w <= WAREHOUSES; w++) {
    for (let a = 1; a <= AISLES; a++) {
      for (let b = 1; b <= BINS; b++) {
        const bin = `WH${w}/Aisle ${a}/Bin ${b}`;
        bins.push(bin);
        locations.push(`${bin},bin`);
      }
    }
  }
  const stock = ['sku,location,quantity,unit_cost'];
  for (let r = 0; r < STOCK_ROWS; r++) {
    const item = (r * 48_271) % ITEMS;
    const bin = bins[(r * 16_807) % bins.length]!;
    stock.push(`BENCH-${String(item).padStart(6, '0')},${bin},${1 + (r % 250)},${(1 + (r % 997) / 100).toFixed(2)}`);
  }
  const files = { items: path.join(dir, 'items.csv'), locations: path.join(dir, 'locations.csv'), stock: path.join(dir, 'stock.csv') };
  fs.writeFileSync(files.items, `${items.join('\n')}\n`);
  fs.writeFileSync(files.locations, `${locations.join('\n')}\n`);
  fs.writeFileSync(files.stock, `${stock.join('\r\n')}\r\n`);
  return files;
}

/** CPU milliseconds used so far by every Postgres process of this server (backends and background workers). */
async function postgresCpuMs(db: Database): Promise<number> {
  const rows = await db.execute<{ pid: number }>(sql`select pid from pg_stat_activity`);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
    } catch {
      // a process that just ended
    }
  }
  return ms;
}

async function main() {
  const logger = createLogger('warn');
  const figures: Record<string, number> = {};
  await withScratchPostgres('import', logger, async (pg) => {
    const files = writeFiles(pg.dir);
    const { db, close } = connectDatabase(pg.url, { max: 2 });
    const run = async (label: string, kind: 'items' | 'locations' | 'stock', file: string, expect: (r: ImportResult) => boolean) => {
      const pgBefore = await postgresCpuMs(db);
      const nodeBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const result = await importFile(db, kind, file, { actor: 'bench', progress: createProgress() });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const node = process.cpuUsage(nodeBefore);
      const nodeCpu = (node.user + node.system) / 1e6;
      const pgCpu = ((await postgresCpuMs(db)) - pgBefore) / 1000;
      if (result.problems.length || !expect(result)) {
        throw new Error(`${label}: unexpected result ${JSON.stringify({ ...result, problems: result.problems.slice(0, 5) })}`);
      }
      const rate = Math.round(result.rows / seconds);
      figures[`${label}_rows`] = result.rows;
      figures[`${label}_seconds`] = Number(seconds.toFixed(2));
      figures[`${label}_rows_per_s`] = rate;
      figures[`${label}_cpu_node_s`] = Number(nodeCpu.toFixed(2));
      figures[`${label}_cpu_postgres_s`] = Number(pgCpu.toFixed(2));
      figures[`${label}_rows_per_cpu_s`] = Math.round(result.rows / (nodeCpu + pgCpu));
      console.log(
        `${label.padEnd(16)} ${String(result.rows).padStart(7)} rows in ${seconds.toFixed(2).padStart(6)} s = ${String(rate).padStart(7)} rows/s` +
          `   cpu: node ${nodeCpu.toFixed(2)} s + postgres ${pgCpu.toFixed(2)} s = ${String(figures[`${label}_rows_per_cpu_s`]).padStart(7)} rows per cpu-s`,
      );
    };
    try {
      await run('items', 'items', files.items, (r) => r.created === ITEMS);
      await run('locations', 'locations', files.locations, (r) => r.created === WAREHOUSES * (1 + AISLES * (1 + BINS)));
      await run('stock', 'stock', files.stock, (r) => r.created === STOCK_ROWS);
      await run('stock_reimport', 'stock', files.stock, (r) => r.created === 0 && r.unchanged === STOCK_ROWS);
      await run('items_reimport', 'items', files.items, (r) => r.unchanged === ITEMS);
    } finally {
      await close();
    }
  });
  console.log(`load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  figures.load_average_1m = Number(os.loadavg()[0]!.toFixed(2));
  console.log(JSON.stringify(figures));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
