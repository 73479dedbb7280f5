import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.js';
import { ensureLocation } from '../db/queries/locations.js';
import { ensureVendor, upsertReorderPolicy } from '../db/queries/purchasing.js';
import { items } from '../db/schema/index.js';
import { Decimal, toPlain } from '../inventory/decimal.js';
import { adjustPayload, issuePayload, type LedgerPayload, receivePayload, transferPayload } from '../inventory/ledger-input.js';
import { DEMO_PEOPLE } from '../sandbox/people.js';
import { seedSandboxPeople } from '../sandbox/seed.js';
import { CommandError, withCommandDatabase } from './database.js';
import { DEMO_VENDORS, demoCatalogue, demoLocations } from './demo/catalogue.js';
import { DEMO_KEY_PREFIX, demoHistory, type DemoOperation } from './demo/history.js';
import { chunks } from './import/result.js';
import { createProgress, type Progress } from './progress.js';

export interface DemoSummary {
  /** False when the demo was already loaded: nothing was written. */
  loaded: boolean;
  items: number;
  locations: number;
  operations: number;
  people: number;
}

export interface DemoOptions {
  /** The last day of the history (its moves end the day before); defaults to now. */
  today?: Date;
  /** Seed the sandbox's people, their roles and cost centers (default true). */
  people?: boolean;
  progress?: Progress;
}

/** Operations per statement: each is one ledger function call, run in order inside one SELECT. */
const BATCH = 500;

/**
 * Loads the demo catalogue and its history in one transaction, through the ledger's own functions
 * (receive, issue, transfer, adjust, back-dated with occurredAt), so the data obeys every ledger rule.
 * Idempotent: when the demo's first move exists the demo is already in and nothing is written (it all
 * commits together). The sandbox's people are seeded afterwards by sandbox/seed.ts, which is idempotent.
 */
export async function loadDemo(db: Database, opts: DemoOptions = {}): Promise<DemoSummary> {
  const today = opts.today ?? new Date();
  const progress = opts.progress ?? createProgress();
  const catalogue = demoCatalogue();
  const locations = demoLocations();
  try {
    const summary: DemoSummary = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('stockroom:demo', 0))`);
      // Every item's first move is its opening receipt, so the first item's tells whether the demo is in.
      const [existing] = await tx.execute<{ n: number }>(
        sql`select count(*)::int as n from stock_moves where idempotency_key = ${`${DEMO_KEY_PREFIX}${catalogue[0]!.sku}:1`}`,
      );
      if (existing!.n > 0) return { loaded: false, items: catalogue.length, locations: locations.length, operations: 0, people: 0 };

      for (const location of locations) await ensureLocation(tx, location);
      await tx
        .insert(items)
        .values(
          catalogue.map((item) => ({
            sku: item.sku,
            name: item.name,
            uom: item.uom,
            uomDecimals: item.uomDecimals,
            category: item.category,
            barcode: item.barcode,
            defaultVendor: item.vendor,
            standardCost: item.standardCost,
            valuationMethod: item.valuationMethod,
          })),
        )
        .onConflictDoNothing();
      await checkItemsUsable(tx, catalogue.map((i) => i.sku));

      const { operations, outcomes } = demoHistory(catalogue, today);
      progress.phase('history', operations.length, 'moves');
      let done = 0;
      for (const batch of chunks(operations, BATCH)) {
        await post(tx, batch);
        progress.update((done += batch.length));
      }
      progress.stop();

      for (const vendor of DEMO_VENDORS) {
        await ensureVendor(tx, { code: vendor.code, name: vendor.name, email: vendor.email, defaultLeadTimeDays: String(vendor.leadTimeDays) });
      }
      // Policies after the history, so nothing reacts to the back-dated moves as if they were new.
      for (const [i, item] of catalogue.entries()) {
        const vendor = DEMO_VENDORS.find((v) => v.code === item.vendor)!;
        await upsertReorderPolicy(tx, {
          sku: item.sku,
          vendor: vendor.code,
          reorderPointMode: 'computed',
          leadTimeDays: String(vendor.leadTimeDays),
          unitPrice: outcomes[i]!.lastUnitCost,
          orderingCost: '25',
          // A fifth of the price per unit and year: the usual rule of thumb for holding cost.
          holdingCostPerUnitYear: toPlain(new Decimal(outcomes[i]!.lastUnitCost).times('0.2').toDecimalPlaces(4)),
        });
      }
      return { loaded: true, items: catalogue.length, locations: locations.length, operations: operations.length, people: 0 };
    });
    // The sandbox's own seeding (idempotent upserts, its own transaction): roles, limits, groups, cost centers.
    if (summary.loaded && opts.people !== false) {
      await seedSandboxPeople(db, today);
      summary.people = DEMO_PEOPLE.length;
    }
    return summary;
  } finally {
    progress.stop();
  }
}

/** A demo SKU that already existed must still take stock: active, and counted in the same unit. */
async function checkItemsUsable(tx: Tx, skus: string[]): Promise<void> {
  const rows = await tx.execute<{ sku: string }>(sql`
    select sku from items where lower(sku) in (select lower(jsonb_array_elements_text(${JSON.stringify(skus)}::jsonb))) and not active`);
  if (rows.length) {
    throw new CommandError(`The demo uses SKUs that exist here as inactive items (${rows.map((r) => r.sku).join(', ')}); activate them or load the demo into another database.`);
  }
}

const PAYLOADS: { [K in DemoOperation['op']]: (input: Extract<DemoOperation, { op: K }>['input']) => LedgerPayload } = {
  receive: receivePayload,
  issue: issuePayload,
  transfer: transferPayload,
  adjust: adjustPayload,
};

/** Runs the operations in order in one statement: a function scan feeds the ledger functions row by row. */
async function post(tx: Tx, batch: DemoOperation[]): Promise<void> {
  const rows = batch.map(({ op, input }) => ({ op, p: (PAYLOADS[op] as (i: typeof input) => LedgerPayload)(input) }));
  try {
    await tx.execute(sql`
      select case t.e->>'op'
               when 'receive' then ledger_receive(t.e->'p')
               when 'issue' then ledger_issue(t.e->'p')
               when 'transfer' then ledger_transfer(t.e->'p')
               when 'adjust' then ledger_adjust(t.e->'p')
             end
        from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as t(e)`);
  } catch (err) {
    const e = err as { code?: string; detail?: string; message?: string; cause?: { code?: string; detail?: string; message?: string } };
    const pg = e.cause ?? e;
    throw new Error(`The demo history was refused by the ledger (${pg.message}${pg.detail ? `: ${pg.detail}` : ''}); nothing was loaded.`, { cause: err });
  }
}

/** `stockroom demo` */
export async function demoCommand(opts: { people?: boolean; databaseUrl?: string } = {}): Promise<DemoSummary> {
  const started = Date.now();
  const summary = await withCommandDatabase(opts.databaseUrl, (db) => loadDemo(db, { people: opts.people }));
  if (!summary.loaded) {
    console.log('The demo is already loaded; nothing changed.');
    return summary;
  }
  console.log(
    `Demo loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.items} items, ${summary.locations} locations, ` +
      `${summary.operations} stock moves over six months` +
      (summary.people ? `, ${summary.people} sandbox people with their roles and 4 cost centers.` : '.'),
  );
  console.log('Try: stockroom report value · stockroom report stock --under Workshop · stockroom report history TON-HP26A');
  return summary;
}
