import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { dec } from '../../inventory/decimal.js';
import { defaultUomDecimals } from '../../inventory/units.js';
import { items } from '../../db/schema/index.js';
import { booleanField, integerField, moneyField, textField, valuationMethodField, type Field, type ValuationMethodName } from '../csv/fields.js';
import type { CsvProblem, CsvTable } from '../csv/read-csv.js';
import { chunks, type ImportOptions, type ImportResult } from './result.js';

type ItemRow = typeof items.$inferSelect;

/** An item as the file sets it; undefined = the column is absent, so an update keeps the stored value. */
interface ItemInput {
  line: number;
  sku: string;
  name?: string;
  uom?: string;
  category?: string | null;
  barcode?: string | null;
  defaultVendor?: string | null;
  standardCost?: string | null;
  valuationMethod?: ValuationMethodName | null;
  active?: boolean;
  uomDecimals?: number;
}

/** Checks each row on its own: every problem is collected, none thrown. */
export function parseItemRows(table: CsvTable): { inputs: ItemInput[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const inputs: ItemInput[] = [];
  const has = new Set(table.columns);
  const firstLineOfSku = new Map<string, number>();
  const firstLineOfBarcode = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const before = problems.length;
    const read = <T>(column: string, field: (text: string) => Field<T>, blank: T | undefined): T | undefined => {
      if (!has.has(column)) return undefined;
      const text = cells[column] ?? '';
      if (text === '') return blank;
      const result = field(text);
      if (result.ok) return result.value;
      problems.push({ line, column, reason: result.reason });
      return undefined;
    };
    const required = (column: string, max: number): string | undefined => {
      const text = cells[column] ?? '';
      if (text === '') {
        problems.push({ line, column, reason: 'is required and empty' });
        return undefined;
      }
      return read(column, (t) => textField(t, max), undefined);
    };
    const sku = required('sku', 64);
    if (sku !== undefined && /\s/.test(sku)) problems.push({ line, column: 'sku', reason: `"${sku}" contains spaces; SKUs are single codes like PEN-BL-01` });
    const name = required('name', 200);
    const uom = read('uom', (t) => textField(t, 16), 'ea');
    const input: ItemInput = {
      line,
      sku: sku ?? '',
      name,
      uom,
      category: read('category', (t) => textField(t, 100), null),
      barcode: read('barcode', (t) => textField(t, 64), null),
      defaultVendor: read('default_vendor', (t) => textField(t, 200), null),
      standardCost: read('standard_cost', moneyField, null),
      valuationMethod: read('valuation_method', valuationMethodField, null),
      active: read('active', booleanField, true),
      uomDecimals: read('uom_decimals', (t) => integerField(t, 0, 4), undefined),
    };
    if (sku) {
      const first = firstLineOfSku.get(sku.toLowerCase());
      if (first !== undefined) problems.push({ line, column: 'sku', reason: `SKU ${sku} is already on line ${first} (SKUs ignore case)` });
      else firstLineOfSku.set(sku.toLowerCase(), line);
    }
    if (input.barcode) {
      const first = firstLineOfBarcode.get(input.barcode);
      if (first !== undefined) problems.push({ line, column: 'barcode', reason: `barcode ${input.barcode} is already on line ${first}` });
      else firstLineOfBarcode.set(input.barcode, line);
    }
    if (problems.length === before) inputs.push(input);
  }
  return { inputs, problems };
}

/** The row the file asks for: stored values where a column is absent, defaults for a new item. */
function merge(input: ItemInput, existing: ItemRow | undefined): Omit<ItemRow, 'createdAt' | 'updatedAt'> {
  const uom = input.uom ?? existing?.uom ?? 'ea';
  return {
    id: existing?.id ?? crypto.randomUUID(),
    sku: existing?.sku ?? input.sku, // keep the stored spelling: the SKU matched ignoring case
    name: input.name ?? existing!.name,
    uom,
    uomDecimals: input.uomDecimals ?? (input.uom !== undefined && input.uom !== existing?.uom ? defaultUomDecimals(uom) : existing?.uomDecimals ?? defaultUomDecimals(uom)),
    category: input.category !== undefined ? input.category : (existing?.category ?? null),
    barcode: input.barcode !== undefined ? input.barcode : (existing?.barcode ?? null),
    defaultVendor: input.defaultVendor !== undefined ? input.defaultVendor : (existing?.defaultVendor ?? null),
    standardCost: input.standardCost !== undefined ? input.standardCost : (existing?.standardCost ?? null),
    valuationMethod: input.valuationMethod !== undefined ? input.valuationMethod : (existing?.valuationMethod ?? null),
    active: input.active ?? existing?.active ?? true,
  };
}

const sameNumber = (a: string | null, b: string | null) => (a === null || b === null ? a === b : dec(a).eq(b));

function unchanged(next: ReturnType<typeof merge>, row: ItemRow): boolean {
  return (
    next.name === row.name &&
    next.uom === row.uom &&
    next.uomDecimals === row.uomDecimals &&
    next.category === row.category &&
    next.barcode === row.barcode &&
    next.defaultVendor === row.defaultVendor &&
    sameNumber(next.standardCost, row.standardCost) &&
    next.valuationMethod === row.valuationMethod &&
    next.active === row.active
  );
}

/** Item ids with stock on hand, and how much: a unit or costing change would silently re-mean that stock. */
async function onHandByItem(db: Executor): Promise<Map<string, string>> {
  const rows = await db.execute<{ item_id: string; on_hand: string }>(
    sql`select item_id, trim_scale(sum(on_hand))::text as on_hand from stock_levels group by item_id having sum(on_hand) > 0`,
  );
  return new Map(rows.map((r) => [r.item_id, r.on_hand]));
}

/**
 * Creates the file's new SKUs and updates the existing ones, in one transaction: when any row is bad,
 * every problem is returned and nothing is written. Re-importing the same file changes nothing.
 */
export async function importItems(db: Database, table: CsvTable, opts: ImportOptions = {}): Promise<ImportResult> {
  const { inputs, problems } = parseItemRows(table);
  const result: ImportResult = { kind: 'items', rows: table.rows.length, created: 0, updated: 0, unchanged: 0, problems: [...table.problems, ...problems] };
  if (result.problems.length) return result;

  return db.transaction(async (tx) => {
    // Nobody adds or renames an item between our checks and our writes.
    await tx.execute(sql`lock table items in share row exclusive mode`);
    const stored = await tx.select().from(items);
    const bySku = new Map(stored.map((row) => [row.sku.toLowerCase(), row]));
    const byBarcode = new Map(stored.filter((row) => row.barcode).map((row) => [row.barcode!, row]));
    const stock = await onHandByItem(tx);
    const fileSkus = new Set(inputs.map((i) => i.sku.toLowerCase()));
    const writes: ReturnType<typeof merge>[] = [];

    for (const input of inputs) {
      const existing = bySku.get(input.sku.toLowerCase());
      const next = merge(input, existing);
      const owner = next.barcode ? byBarcode.get(next.barcode) : undefined;
      // Taken by an item this file does not touch (items in the file were checked against each other).
      if (owner && owner.sku.toLowerCase() !== input.sku.toLowerCase() && !fileSkus.has(owner.sku.toLowerCase())) {
        result.problems.push({ line: input.line, column: 'barcode', reason: `barcode ${next.barcode} already belongs to ${owner.sku}` });
      }
      if (existing) {
        const onHand = stock.get(existing.id);
        if (onHand && next.uom !== existing.uom) {
          result.problems.push({ line: input.line, column: 'uom', reason: `cannot change from ${existing.uom} to ${next.uom} while ${onHand} ${existing.uom} are on hand` });
        }
        if (onHand && next.uomDecimals < existing.uomDecimals) {
          result.problems.push({ line: input.line, column: 'uom_decimals', reason: `cannot lower from ${existing.uomDecimals} while ${onHand} ${existing.uom} are on hand` });
        }
        if (onHand && next.valuationMethod !== existing.valuationMethod) {
          result.problems.push({
            line: input.line,
            column: 'valuation_method',
            reason: `cannot change from ${existing.valuationMethod ?? 'the company default'} to ${next.valuationMethod ?? 'the company default'} while ${onHand} ${existing.uom} are on hand (the cost layers were built under the old method)`,
          });
        }
        if (unchanged(next, existing)) {
          result.unchanged++;
          continue;
        }
        result.updated++;
      } else {
        result.created++;
      }
      writes.push(next);
    }
    if (result.problems.length) {
      result.created = result.updated = result.unchanged = 0;
      return result;
    }

    let written = 0;
    for (const batch of chunks(writes, 5000)) {
      // One JSON parameter per batch: far less work in Node than a 5,000-row VALUES list.
      const rows = batch.map((w) => ({ ...w, uom_decimals: w.uomDecimals, default_vendor: w.defaultVendor, standard_cost: w.standardCost, valuation_method: w.valuationMethod }));
      await tx.execute(sql`
        insert into items as i (id, sku, name, uom, uom_decimals, category, barcode, default_vendor, standard_cost, valuation_method, active)
        select id, sku, name, uom, uom_decimals, category, barcode, default_vendor, standard_cost, valuation_method::valuation_method, active
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, sku text, name text, uom text, uom_decimals smallint,
               category text, barcode text, default_vendor text, standard_cost numeric, valuation_method text, active boolean)
        on conflict (id) do update set name = excluded.name, uom = excluded.uom, uom_decimals = excluded.uom_decimals,
          category = excluded.category, barcode = excluded.barcode, default_vendor = excluded.default_vendor,
          standard_cost = excluded.standard_cost, valuation_method = excluded.valuation_method, active = excluded.active,
          updated_at = now()`);
      written += batch.length;
      opts.onProgress?.(written, writes.length);
    }
    return result;
  });
}
