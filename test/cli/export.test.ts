import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exportCommand, exportRows, toCsv } from '../../cli/export.js';
import { importFile } from '../../cli/import.js';
import type { CsvKind } from '../../cli/csv/formats.js';
import type { Database } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { csvFolder } from './csv-files.js';

let source: TestDatabase;
let copy: TestDatabase;
const files = csvFolder();

beforeAll(async () => {
  [source, copy] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const load = async (kind: CsvKind, text: string) => {
    const result = await importFile(source.db, kind, files.write(`${kind}.csv`, text));
    expect(result.problems).toEqual([]);
  };
  await load(
    'items',
    `sku,name,uom,category,barcode,default_vendor,standard_cost,valuation_method,active,uom_decimals
PEN-BL,"Ballpoint pen, blue",ea,Writing,4006381333931,Staples,0.35,fifo,true,
GREASE-1,"Grease ""EP2""
400 g",kg,Lubricants,,Würth,12.5,wavg,true,
CABLE-CAT6,Cat 6 patch cable,m,Network,,,0.8,,true,1
OLD-1,Old binder,ea,,,,,lifo,false,
`,
  );
  await load('locations', 'path,kind\nMain/Aisle 1/Bin 1,\nMain/Aisle 1/Bin 2,\nAnnex/Cage 1,area\n');
  await load(
    'stock',
    `sku,location,quantity,unit_cost
PEN-BL,Main/Aisle 1/Bin 1,100,0.30
PEN-BL,Main/Aisle 1/Bin 2,50,0.36
PEN-BL,Main/Aisle 1/Bin 1,25,0.40
GREASE-1,Annex/Cage 1,2.5,
CABLE-CAT6,Annex/Cage 1,30.5,0.75
`,
  );
});
afterAll(async () => {
  await source?.drop();
  await copy?.drop();
  files.remove();
});

const csv = async (db: Database, kind: CsvKind) => toCsv(kind, await exportRows(db, kind));

test('exports write the import formats: header first, one row per item, location and stocked bin', async () => {
  expect(await csv(source.db, 'items')).toBe(
    `sku,name,uom,category,barcode,default_vendor,standard_cost,valuation_method,active,uom_decimals
CABLE-CAT6,Cat 6 patch cable,m,Network,,,0.8,,true,1
GREASE-1,"Grease ""EP2""
400 g",kg,Lubricants,,Würth,12.5,wavg,true,3
OLD-1,Old binder,ea,,,,,lifo,false,0
PEN-BL,"Ballpoint pen, blue",ea,Writing,4006381333931,Staples,0.35,fifo,true,0
`,
  );
  expect(await csv(source.db, 'locations')).toBe(
    'path,kind\nAnnex,warehouse\nAnnex/Cage 1,area\nMain,warehouse\nMain/Aisle 1,aisle\nMain/Aisle 1/Bin 1,bin\nMain/Aisle 1/Bin 2,bin\n',
  );
  // Stock per bin at the item's book unit cost: PEN-BL (30 + 18 + 10) / 175 = 0.3314.
  expect(await csv(source.db, 'stock')).toBe(
    `sku,location,quantity,unit_cost
CABLE-CAT6,Annex/Cage 1,30.5,0.75
GREASE-1,Annex/Cage 1,2.5,12.5
PEN-BL,Main/Aisle 1/Bin 1,125,0.3314
PEN-BL,Main/Aisle 1/Bin 2,50,0.3314
`,
  );
});

test('round trip: what is exported imports into an empty database and exports again unchanged', async () => {
  for (const kind of ['items', 'locations', 'stock'] as const) {
    const file = files.write(`exported-${kind}.csv`, await csv(source.db, kind));
    const result = await importFile(copy.db, kind, file);
    expect(result.problems).toEqual([]);
  }
  for (const kind of ['items', 'locations', 'stock'] as const) {
    expect(await csv(copy.db, kind)).toBe(await csv(source.db, kind));
  }
  // Quantities exactly; value within the rounding of the average unit cost.
  const books = async (db: Database) => db.execute(sql`select i.sku, v.on_hand::text, v.value::text from item_valuations v join items i on i.id = v.item_id order by 1`);
  expect(await books(copy.db)).toEqual([
    { sku: 'CABLE-CAT6', on_hand: '30.5000', value: '22.8750' },
    { sku: 'GREASE-1', on_hand: '2.5000', value: '31.2500' },
    { sku: 'PEN-BL', on_hand: '175.0000', value: '57.9950' },
  ]);
  expect(await books(source.db)).toContainEqual({ sku: 'PEN-BL', on_hand: '175.0000', value: '58.0000' });
});

test('exportCommand writes a file; `stockroom export` without a file writes CSV to stdout', async () => {
  const file = `${files.dir}/out-items.csv`;
  expect(await exportCommand('items', file, { databaseUrl: source.url })).toBe(4);
  expect(fs.readFileSync(file, 'utf8')).toBe(await csv(source.db, 'items'));

  const run = spawnSync(process.execPath, ['cli/bin.js', 'export', 'locations'], {
    env: { ...process.env, DATABASE_URL: source.url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stdout).toBe(await csv(source.db, 'locations'));
  expect(run.status).toBe(0);

  const bad = spawnSync(process.execPath, ['cli/bin.js', 'export', 'vendors'], { env: { ...process.env, DATABASE_URL: source.url }, encoding: 'utf8', timeout: 60_000 });
  expect(bad.stderr).toContain('Unknown kind "vendors": use one of items, locations, stock.');
  expect(bad.status).toBe(1);
});
