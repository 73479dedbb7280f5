/**
 * Ledger issue benchmark (`npm run bench:ledger`). Starts its own embedded Postgres in a temp dir,
 * migrates, seeds 10,000 SKUs plus hot SKUs, then measures issue() (unreserved issue: validation,
 * stock-level row lock, FIFO cost layers, item book, append-only move with its idempotency key)
 * with 1, 8 and 32 concurrent callers on one hot SKU and spread across 10,000 SKUs (concurrent
 * callers' issues are grouped into shared commits by db/queries/ledger-groups.ts). In the same run,
 * on the same server and connection pool, it measures the ceiling: the same number of bare
 * `UPDATE … SET qty = qty - n WHERE qty >= n` on a plain table. Hot SKUs are stocked 1% short of
 * the demand so the last callers are refused; `oversold` counts units issued beyond stock (must be 0).
 * The two run in alternating slices so both see the same machine. The last line printed is one
 * JSON object with every figure.
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { connectDatabase, type DatabaseHandle } from '../db/client.js';
import { insertItems } from '../db/queries/items.js';
import { issue, LedgerError } from '../db/queries/ledger.js';
import { ensureLocation } from '../db/queries/locations.js';
import { withScratchPostgres } from './scratch-postgres.js';
import { createLogger } from '../runtime/logger.js';

const SPREAD_SKUS = 10_000;
const CONCURRENCY = [1, 8, 32] as const;
/** Operations per measurement, by concurrency: enough to last a few seconds each. */
const OPS: Record<(typeof CONCURRENCY)[number], number> = { 1: 1_500, 8: 5_000, 32: 8_000 };
const LOCATION = 'Bench/Aisle 1/Bin 1';
const SPREAD_STOCK = 100_000;

interface Figures {
  ops: number;
  succeeded: number;
  refused: number;
  seconds: number;
  movesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

interface Sample {
  latencies: number[];
  succeeded: number;
  seconds: number;
}

/** Runs calls one(from) … one(to - 1) with `concurrency` callers; one(i) resolves true when the unit was issued. */
async function run(from: number, to: number, concurrency: number, one: (i: number) => Promise<boolean>, into: Sample) {
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < to; i = next++) {
        const t0 = performance.now();
        if (await one(i)) into.succeeded++;
        into.latencies.push(performance.now() - t0);
      }
    }),
  );
  into.seconds += (performance.now() - started) / 1000;
}

function figures(sample: Sample): Figures {
  const sorted = sample.latencies.sort((a, b) => a - b);
  const ops = sorted.length;
  return {
    ops,
    succeeded: sample.succeeded,
    refused: ops - sample.succeeded,
    seconds: round(sample.seconds, 3),
    movesPerSecond: round(ops / sample.seconds, 0),
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
  };
}

/**
 * Ours and the ceiling in alternating slices of the same run, so both see the same machine (the
 * disk's flush latency and other load drift over seconds).
 */
async function measurePair(
  ops: number,
  concurrency: number,
  ours: (i: number) => Promise<boolean>,
  ceiling: (i: number) => Promise<boolean>,
  slices = 6,
): Promise<{ ours: Figures; ceiling: Figures }> {
  const o: Sample = { latencies: [], succeeded: 0, seconds: 0 };
  const c: Sample = { latencies: [], succeeded: 0, seconds: 0 };
  for (let s = 0; s < slices; s++) {
    const from = Math.floor((s * ops) / slices);
    const to = Math.floor(((s + 1) * ops) / slices);
    await run(from, to, concurrency, ceiling, c);
    await run(from, to, concurrency, ours, o);
  }
  return { ours: figures(o), ceiling: figures(c) };
}

async function seed(handle: DatabaseHandle, owner: postgres.Sql) {
  const { db, sql } = handle;
  await ensureLocation(db, { path: LOCATION });
  const hot = CONCURRENCY.map((c) => `HOT-C${c}`);
  await insertItems(db, [
    ...hot.map((sku) => ({ sku, name: `Hot SKU ${sku}`, valuationMethod: 'fifo' as const })),
    ...Array.from({ length: SPREAD_SKUS }, (_, i) => ({
      sku: spreadSku(i),
      name: `Spread SKU ${i}`,
      valuationMethod: (['fifo', 'lifo', 'wavg'] as const)[i % 3],
    })),
  ]);
  // Stock through the ledger itself (one statement per batch; seeding bypasses only the TS input checks).
  const receipts = [
    ...hot.map((sku, n) => ({ sku, quantity: Math.floor(OPS[CONCURRENCY[n]!] * 0.99) })),
    ...Array.from({ length: SPREAD_SKUS }, (_, i) => ({ sku: spreadSku(i), quantity: SPREAD_STOCK })),
  ];
  for (let i = 0; i < receipts.length; i += 1000) {
    const batch = receipts.slice(i, i + 1000).map((r, n) => ({
      key: `seed-${i + n}`,
      sku: r.sku,
      location: LOCATION,
      quantity: String(r.quantity),
      unitCost: String(((i + n) % 97) + 1),
      documentType: 'import',
      documentId: 'bench-seed',
      actor: 'bench',
    }));
    await sql`select count(ledger_receive(p)) from jsonb_array_elements(${JSON.stringify(batch)}::jsonb) as e(p)`;
  }
  // The ceiling's plain table: the same stock, no ledger. Made by the owner, as a migration would, so
  // the application reaches it through the same default grants as its own tables.
  await owner`create table bench_stock (sku text primary key, qty numeric(18,4) not null)`;
  await sql`insert into bench_stock select sku, quantity from jsonb_to_recordset(${JSON.stringify(receipts)}::jsonb)
              as r(sku text, quantity numeric)`;
  await owner`vacuum analyze`; // the owner's: the application may vacuum nothing
  return { hot, stockOf: new Map(receipts.map((r) => [r.sku, r.quantity])) };
}

const spreadSku = (i: number) => `SKU-${String(i).padStart(5, '0')}`;

async function main() {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
  const startedAt = performance.now();
  await withScratchPostgres('ledger', logger, async (pg) => {
    const handle = connectDatabase(pg.url, { max: Math.max(...CONCURRENCY) });
    const owner = postgres(pg.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const { hot, stockOf } = await seed(handle, owner);
      await owner.end();
      const { db, sql } = handle;
      const [{ version }] = (await sql`select current_setting('server_version') as version`) as unknown as [{ version: string }];
      console.log(`seeded ${SPREAD_SKUS} SKUs + ${hot.length} hot SKUs on Postgres ${version} in ${round((performance.now() - startedAt) / 1000, 1)} s`);

      const document = { type: 'manual' as const, id: 'bench' };
      const ours = (scenario: string, skuOf: (i: number) => string) => async (i: number) => {
        try {
          await issue(db, { key: `${scenario}-${i}`, sku: skuOf(i), location: LOCATION, quantity: '1', document, actor: 'bench', unreserved: true });
          return true;
        } catch (error) {
          if (error instanceof LedgerError && error.code === 'insufficient_stock') return false;
          throw error;
        }
      };
      const ceiling = (skuOf: (i: number) => string) => async (i: number) => {
        const rows = await sql`update bench_stock set qty = qty - ${1} where sku = ${skuOf(i)} and qty >= ${1}`;
        return rows.count === 1;
      };

      // Warm both paths on every pooled connection (plan caches are per session).
      const warm = (i: number) => spreadSku((i * 7919) % SPREAD_SKUS);
      await measurePair(640, 32, ours('warm', warm), ceiling(warm), 1);

      const scenarios: Record<string, { ours: Figures; ceiling: Figures; ratio: number }> = {};
      const issuedBySku = new Map<string, number>();
      for (const spread of [false, true]) {
        for (const [n, concurrency] of CONCURRENCY.entries()) {
          const name = `${spread ? 'spread' : 'hot'}_c${concurrency}`;
          const ops = OPS[concurrency];
          // A multiplicative walk over the 10,000 SKUs: neighbours in time hit different rows.
          const skuOf = spread ? (i: number) => spreadSku((i * 7919 + n * 104_729) % SPREAD_SKUS) : () => hot[n]!;
          const { ours: o, ceiling: c } = await measurePair(ops, concurrency, ours(name, skuOf), ceiling(skuOf));
          if (!spread) issuedBySku.set(hot[n]!, o.succeeded);
          const ratio = round(o.movesPerSecond / c.movesPerSecond, 3);
          scenarios[name] = { ours: o, ceiling: c, ratio };
          console.log(
            `${name.padEnd(11)} ours ${String(o.movesPerSecond).padStart(6)} moves/s  p50 ${o.p50Ms.toFixed(2)} ms  p99 ${o.p99Ms.toFixed(2)} ms` +
              `  (${o.refused} refused) | ceiling ${String(c.movesPerSecond).padStart(6)}/s  p50 ${c.p50Ms.toFixed(2)} ms` +
              `  p99 ${c.p99Ms.toFixed(2)} ms | ratio ${ratio.toFixed(2)}`,
          );
        }
      }

      // Oversell: units issued beyond what was on hand, from the results and from the database.
      let oversold = 0;
      for (const [sku, issued] of issuedBySku) oversold += Math.max(0, issued - stockOf.get(sku)!);
      const [check] = (await sql`
        select (select count(*) from stock_levels where on_hand < 0 or reserved > on_hand)::int as negative,
               (select count(*) from (select s.item_id from stock_levels s
                  join (select item_id, location_id, sum(quantity) as q from stock_moves group by 1, 2) m
                    on m.item_id = s.item_id and m.location_id = s.location_id where m.q <> s.on_hand) x)::int as drift,
               (select count(*) from item_valuations v
                  join (select item_id, sum(remaining_quantity) as q from cost_layers group by 1) l on l.item_id = v.item_id
                 where l.q <> v.on_hand)::int as layer_drift,
               (select count(*) from bench_stock where qty < 0)::int as ceiling_negative`) as unknown as [
        { negative: number; drift: number; layer_drift: number; ceiling_negative: number },
      ];
      oversold += check.negative;
      const spreadRatios = CONCURRENCY.map((c) => scenarios[`spread_c${c}`]!.ratio);
      const summary = {
        benchmark: 'ledger-issue',
        postgres: version,
        spreadSkus: SPREAD_SKUS,
        scenarios,
        minSpreadRatio: Math.min(...spreadRatios),
        oversold,
        invariants: { negativeStock: check.negative, stockVsMoves: check.drift, layersVsBook: check.layer_drift, ceilingNegative: check.ceiling_negative },
        totalSeconds: round((performance.now() - startedAt) / 1000, 1),
      };
      console.log(`oversold ${oversold}; invariants ${JSON.stringify(summary.invariants)}; min ratio across SKUs ${summary.minSpreadRatio}`);
      console.log(JSON.stringify(summary));
      if (oversold > 0 || check.drift > 0 || check.layer_drift > 0) process.exitCode = 1;
    } finally {
      await handle.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
