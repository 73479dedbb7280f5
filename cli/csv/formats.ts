/**
 * The three CSV formats `stockroom import` reads and `stockroom export` writes. Columns may come in any
 * order; header names ignore case, surrounding spaces, and treat spaces and hyphens as underscores.
 * Export writes them in the order listed here, so an exported file imports back unchanged.
 */
export type CsvKind = 'items' | 'locations' | 'stock';
export const CSV_KINDS: readonly CsvKind[] = ['items', 'locations', 'stock'];

export interface ColumnSpec {
  name: string;
  required: boolean;
  /** One line for `--help` and the README. */
  description: string;
}

export const CSV_FORMATS: Record<CsvKind, readonly ColumnSpec[]> = {
  items: [
    { name: 'sku', required: true, description: 'unique stock-keeping unit, case-insensitive (existing SKUs are updated)' },
    { name: 'name', required: true, description: 'what people search for and see' },
    { name: 'uom', required: false, description: "unit of measure, default 'ea'" },
    { name: 'category', required: false, description: 'free text, e.g. Paper or Fasteners' },
    { name: 'barcode', required: false, description: 'EAN/UPC or any code; unique when given' },
    { name: 'default_vendor', required: false, description: 'who it is usually bought from' },
    { name: 'standard_cost', required: false, description: 'unit cost, up to 4 decimals; also the cost of stock rows without one' },
    { name: 'valuation_method', required: false, description: 'fifo, lifo or wavg (weighted average); blank = company default' },
    { name: 'active', required: false, description: 'true/false (yes/no, 1/0), default true' },
    { name: 'uom_decimals', required: false, description: 'decimals a quantity may have, 0-4; blank = by unit (kg 3, m 2, ea 0, …)' },
  ],
  locations: [
    { name: 'path', required: true, description: "warehouse/zone/…/bin, e.g. 'Main/Aisle 3/Bin 12'; missing parents are created" },
    { name: 'kind', required: false, description: 'warehouse, zone, aisle, rack, shelf, bin or area; blank = guessed from the name' },
  ],
  stock: [
    { name: 'sku', required: true, description: 'an existing item' },
    { name: 'location', required: true, description: 'an existing location path' },
    { name: 'quantity', required: true, description: 'on hand to receive, > 0, no more decimals than the unit allows' },
    { name: 'unit_cost', required: false, description: "cost per unit, up to 4 decimals; blank = the item's standard_cost" },
  ],
};

export const columnNames = (kind: CsvKind): string[] => CSV_FORMATS[kind].map((c) => c.name);

/** 'Default Vendor' → 'default_vendor'. */
export const normaliseHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export function describeFormat(kind: CsvKind): string {
  return CSV_FORMATS[kind].map((c) => `  ${c.name.padEnd(17)}${c.required ? 'required' : 'optional'}  ${c.description}`).join('\n');
}

/** The formats for `stockroom import --help`. */
export const formatsHelp = (): string =>
  `\n${CSV_KINDS.map((kind) => `${kind}.csv\n${describeFormat(kind)}`).join('\n\n')}\n\n` +
  'Header names ignore case; columns may come in any order; optional columns may be left out.\n' +
  'Import order: items and locations first, then stock (opening stock, posted as ledger receipts).\n';
