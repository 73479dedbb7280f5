import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { type BulkReceipt, receiveInBulk } from '../../db/queries/bulk-receive.js';
import { Decimal, sum, toPlain } from '../../inventory/decimal.js';
import { receivePayload } from '../../inventory/ledger-input.js';
import { moneyField, normaliseLocationPath, quantityField, shown } from '../csv/fields.js';
import type { CsvProblem, CsvTable } from '../csv/read-csv.js';
import { chunks, type ImportOptions, type ImportResult } from './result.js';

export interface StockImportOptions extends ImportOptions {
  /**
   * Names a separate delivery. Rows are keyed by their content (and how often that content repeats in
   * the file), so re-importing a file posts nothing twice; a genuinely new receipt that happens to repeat
   * an earlier row needs its own batch name.
   */
  batch?: string;
}

interface ItemFacts {
  id: string;
  sku: string;
  uom: string;
  uomDecimals: number;
  active: boolean;
  standardCost: string | null;
}

async function loadItems(db: Executor): Promise<Map<string, ItemFacts>> {
  const rows = await db.execute<{ id: string; sku: string; uom: string; uom_decimals: number; active: boolean; standard_cost: string | null }>(
    sql`select id, sku, uom, uom_decimals, active, standard_cost from items`,
  );
  return new Map(
    rows.map((r) => [
      r.sku.toLowerCase(),
      { id: r.id, sku: r.sku, uom: r.uom, uomDecimals: r.uom_decimals, active: r.active, standardCost: r.standard_cost },
    ]),
  );
}

async function loadLocations(db: Executor): Promise<Map<string, { id: string; path: string }>> {
  const rows = await db.execute<{ id: string; path: string }>(sql`select id, path from locations`);
  return new Map(rows.map((r) => [r.path.toLowerCase(), r]));
}

/** The idempotency key of a stock row: its content, and which repeat of that content it is. */
export function stockRowKey(parts: { sku: string; location: string; quantity: string; unitCost: string; occurrence: number; batch?: string }): string {
  const content = [parts.batch ?? '', parts.sku.toLowerCase(), parts.location.toLowerCase(), parts.quantity, parts.unitCost, parts.occurrence].join('\u001f');
  return `import:stock:${crypto.createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}

/** Checks every row against the items and locations, and turns the good ones into ledger receipts. */
export function planStockRows(
  table: CsvTable,
  known: { items: Map<string, ItemFacts>; locations: Map<string, { id: string; path: string }> },
  opts: { actor: string; batch?: string },
): { receipts: BulkReceipt[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const receipts: BulkReceipt[] = [];
  const occurrences = new Map<string, number>();
  const document = { type: 'import' as const, id: opts.batch ? `stock import ${opts.batch}` : 'stock import' };
  for (const { line, cells } of table.rows) {
    const before = problems.length;
    const skuText = cells.sku ?? '';
    const locationText = cells.location ?? '';
    const quantityText = cells.quantity ?? '';
    const costText = cells.unit_cost ?? '';
    const item = skuText ? known.items.get(skuText.toLowerCase()) : undefined;
    if (!skuText) problems.push({ line, column: 'sku', reason: 'is required and empty' });
    else if (!item) problems.push({ line, column: 'sku', reason: `no item has the SKU ${shown(skuText)}; import it with \`stockroom import items\` first` });
    else if (!item.active) problems.push({ line, column: 'sku', reason: `${item.sku} is inactive; activate it before receiving stock` });
    const location = normaliseLocationPath(locationText);
    const stored = known.locations.get(location.toLowerCase());
    if (!locationText) problems.push({ line, column: 'location', reason: 'is required and empty' });
    else if (!stored) {
      problems.push({ line, column: 'location', reason: `no location has the path ${shown(location)}; import it with \`stockroom import locations\` first` });
    }
    let quantity: string | undefined;
    if (!quantityText) problems.push({ line, column: 'quantity', reason: 'is required and empty' });
    else {
      const field = quantityField(quantityText, item?.uomDecimals ?? 4, item?.uom ?? 'units');
      if (field.ok) quantity = field.value;
      else problems.push({ line, column: 'quantity', reason: field.reason });
    }
    let unitCost: string | undefined;
    if (costText) {
      const field = moneyField(costText);
      if (field.ok) unitCost = field.value;
      else problems.push({ line, column: 'unit_cost', reason: field.reason });
    } else if (item && item.standardCost === null) {
      problems.push({ line, column: 'unit_cost', reason: `is empty and ${item.sku} has no standard_cost to fall back on` });
    } else if (item) {
      unitCost = toPlain(new Decimal(item.standardCost!));
    }
    if (problems.length > before || !item || !stored || quantity === undefined || unitCost === undefined) continue;
    const rowContent = { sku: item.sku, location, quantity, unitCost: costText ? unitCost : '' };
    const contentKey = JSON.stringify(rowContent).toLowerCase();
    const occurrence = (occurrences.get(contentKey) ?? 0) + 1;
    occurrences.set(contentKey, occurrence);
    try {
      const payload = receivePayload({
          key: stockRowKey({ ...rowContent, occurrence, batch: opts.batch }),
          sku: item.sku,
          location,
          quantity,
          unitCost,
          document,
          actor: opts.actor,
        note: `opening stock, line ${line}`,
      });
      receipts.push({ payload, itemId: item.id, sku: item.sku, locationId: stored.id, path: stored.path });
    } catch (err) {
      // The ledger's own checks (value too large for one move, …) speak for themselves.
      problems.push({ line, reason: (err as Error).message });
    }
  }
  return { receipts, problems };
}

/**
 * Posts opening stock as ledger receipts (moves, cost layers, stock levels and the item book) through the
 * ledger's bulk receipt path (db/queries/bulk-receive.ts, equivalent to ledger_receive), in one transaction.
 * Every row is checked first; one bad row and nothing is posted. Rows an earlier import already posted
 * (same key) are skipped, so re-importing the same file is a no-op.
 */
export async function importStock(db: Database, table: CsvTable, opts: StockImportOptions = {}): Promise<ImportResult> {
  const result: ImportResult = { kind: 'stock', rows: table.rows.length, created: 0, updated: 0, unchanged: 0, problems: [...table.problems] };
  return db.transaction(async (tx) => {
    // One stock import at a time: two overlapping files would otherwise race on the same keys.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('stockroom:import:stock', 0))`);
    const known = { items: await loadItems(tx), locations: await loadLocations(tx) };
    const plan = planStockRows(table, known, { actor: opts.actor ?? 'stockroom import', batch: opts.batch });
    result.problems.push(...plan.problems);
    if (result.problems.length) return result;

    const posted = await existingKeys(tx, plan.receipts.map((r) => r.payload.key));
    const fresh = plan.receipts.filter((r) => !posted.has(r.payload.key));
    result.unchanged = plan.receipts.length - fresh.length;
    const posts = await receiveInBulk(tx, fresh, (done) => opts.onProgress?.(done, fresh.length));
    result.quantity = toPlain(sum(posts.map((p) => p.quantity)));
    result.value = toPlain(sum(posts.map((p) => p.value)));
    result.created = fresh.length;
    return result;
  });
}

async function existingKeys(db: Executor, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const batch of chunks(keys, 10_000)) {
    const rows = await db.execute<{ k: string }>(
      sql`select idempotency_key as k from stock_moves where idempotency_key in (select jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb))`,
    );
    for (const r of rows) found.add(r.k);
  }
  return found;
}
