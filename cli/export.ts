import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { columnNames, type CsvKind } from './csv/formats.js';
import { withCommandDatabase } from './database.js';
import { checkKind } from './import.js';

/**
 * The rows of one format, as `stockroom import` reads them back. Stock is what is on hand per item and
 * bin now, each at the item's book unit cost (book value / on hand, 4 decimals): the cost layers
 * collapse to that average, so a re-import keeps quantities exactly and value to within rounding.
 */
export async function exportRows(db: Executor, kind: CsvKind): Promise<string[][]> {
  if (kind === 'items') {
    const rows = await db.execute<Record<string, string | null>>(sql`
      select sku, name, uom, coalesce(category, '') as category, coalesce(barcode, '') as barcode,
             coalesce(default_vendor, '') as default_vendor, coalesce(trim_scale(standard_cost)::text, '') as standard_cost,
             coalesce(valuation_method::text, '') as valuation_method, active::text as active, uom_decimals::text as uom_decimals
        from items order by lower(sku)`);
    return rows.map((r) => columnNames('items').map((c) => r[c] ?? ''));
  }
  if (kind === 'locations') {
    const rows = await db.execute<{ path: string; kind: string }>(sql`select path, kind::text as kind from locations order by lower(path)`);
    return rows.map((r) => [r.path, r.kind]);
  }
  const rows = await db.execute<{ sku: string; location: string; quantity: string; unit_cost: string }>(sql`
    select i.sku, l.path as location, trim_scale(s.on_hand)::text as quantity,
           trim_scale(case when v.on_hand > 0 then round(v.value / v.on_hand, 4) else coalesce(i.standard_cost, 0) end)::text
             as unit_cost
      from stock_levels s
      join items i on i.id = s.item_id
      join locations l on l.id = s.location_id
      left join item_valuations v on v.item_id = s.item_id
     where s.on_hand > 0
     order by lower(i.sku), lower(l.path)`);
  return rows.map((r) => [r.sku, r.location, r.quantity, r.unit_cost]);
}

export function toCsv(kind: CsvKind, rows: string[][]): string {
  return stringify(rows, { header: true, columns: columnNames(kind), record_delimiter: 'unix' });
}

/** `stockroom export items|locations|stock [FILE]`: to FILE, or to stdout when FILE is omitted or '-'. */
export async function exportCommand(kind: string, file: string | undefined, opts: { databaseUrl?: string } = {}): Promise<number> {
  const csvKind = checkKind(kind);
  const rows = await withCommandDatabase(opts.databaseUrl, (db) => exportRows(db, csvKind));
  const text = toCsv(csvKind, rows);
  if (file && file !== '-') {
    await fs.promises.writeFile(file, text);
    console.error(`Wrote ${rows.length} row${rows.length === 1 ? '' : 's'} of ${csvKind} to ${file}.`);
  } else {
    process.stdout.write(text);
  }
  return rows.length;
}
