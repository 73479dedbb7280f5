import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeImport, importCommand, importFile } from '../../cli/import.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { brokenInvariants, csvFolder, tableCounts } from './csv-files.js';

let t: TestDatabase;
const files = csvFolder();

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
  files.remove();
});

const ITEMS = `sku,name,uom,category,barcode,default_vendor,standard_cost,valuation_method,active
PEN-BL,"Ballpoint pen, blue",ea,Writing,4006381333931,Staples,0.35,fifo,true
GREASE-1,"Bearing grease
(lithium, 400 g)",kg,Lubricants,,Würth,12.5,wavg,yes
TONER-7,Toner cartridge 7,ea,Printing,,HP,,lifo,1
OLD-1,Discontinued binder,ea,Filing,,,2,,false
`;

const LOCATIONS = `path,kind
Main/Aisle 1/Bin 1,bin
Main / Aisle 1 / Bin 2,
Main/Aisle 2/Shelf A,
Annex/Cage 1,area
`;

describe('items', () => {
  test('every bad row is reported with its line, column and reason, and nothing is written', async () => {
    const file = files.write(
      'bad-items.csv',
      [
        'SKU,Name,UOM,standard cost,valuation_method,active,colour',
        'OK-1,"A name with, a comma",ea,1.00,fifo,true,red', // line 2: fine, but the header has an unknown column
        ',No SKU,ea,1,,,', // line 3
        'OK-2,"Two-line',
        'name",ea,abc,average,,', // lines 4-5: a bad cost on the record starting at line 4
        'ok-1,Duplicate of line 2,ea,1,mifo,maybe,', // line 6
        'OK-3,,box,-2,,,', // line 7
        'OK-4,Too many fields,ea,1,,,,extra', // line 8
        '',
        'OK-5,Fine,ea,0.12345,,,', // line 10
      ].join('\n'),
    );
    const before = await tableCounts(t.db);
    const result = await importFile(t.db, 'items', file);
    expect(result.problems).toEqual([
      { line: 1, column: 'colour', reason: expect.stringContaining('unknown column for items.csv') },
      { line: 8, reason: 'has 8 fields but the header has 7' },
      { line: 3, column: 'sku', reason: 'is required and empty' },
      { line: 4, column: 'standard_cost', reason: expect.stringContaining('"abc" is not an amount') },
      { line: 6, column: 'valuation_method', reason: expect.stringContaining('"mifo" is not a valuation method') },
      { line: 6, column: 'active', reason: expect.stringContaining('"maybe" is not true or false') },
      { line: 6, column: 'sku', reason: 'SKU ok-1 is already on line 2 (SKUs ignore case)' },
      { line: 7, column: 'name', reason: 'is required and empty' },
      { line: 7, column: 'standard_cost', reason: 'cannot be negative, got -2' },
      { line: 10, column: 'standard_cost', reason: 'at most 4 decimals, got "0.12345"' },
    ]);
    expect(result.created + result.updated).toBe(0);
    expect(await tableCounts(t.db)).toEqual(before);
    const text = describeImport(result, 'bad-items.csv');
    expect(text).toContain('bad-items.csv: nothing imported; 10 problems in 7 lines:');
    expect(text).toContain('  line 6, column valuation_method: "mifo" is not a valuation method');
  });

  test('a good file is imported, and importing it again changes nothing', async () => {
    const file = files.write('items.csv', ITEMS);
    const first = await importFile(t.db, 'items', file);
    expect(first).toMatchObject({ problems: [], rows: 4, created: 4, updated: 0, unchanged: 0 });
    const rows = await t.db.execute(sql`select sku, name, uom, uom_decimals, barcode, standard_cost, valuation_method, active from items order by sku`);
    expect(rows).toEqual([
      { sku: 'GREASE-1', name: 'Bearing grease\n(lithium, 400 g)', uom: 'kg', uom_decimals: 3, barcode: null, standard_cost: '12.5000', valuation_method: 'wavg', active: true },
      { sku: 'OLD-1', name: 'Discontinued binder', uom: 'ea', uom_decimals: 0, barcode: null, standard_cost: '2.0000', valuation_method: null, active: false },
      { sku: 'PEN-BL', name: 'Ballpoint pen, blue', uom: 'ea', uom_decimals: 0, barcode: '4006381333931', standard_cost: '0.3500', valuation_method: 'fifo', active: true },
      { sku: 'TONER-7', name: 'Toner cartridge 7', uom: 'ea', uom_decimals: 0, barcode: null, standard_cost: null, valuation_method: 'lifo', active: true },
    ]);
    const again = await importFile(t.db, 'items', file);
    expect(again).toMatchObject({ problems: [], created: 0, updated: 0, unchanged: 4 });
  });

  test('a file with fewer columns updates only those columns; a SKU matches ignoring case', async () => {
    const file = files.write('prices.csv', 'sku,standard_cost\npen-bl,0.40\nNEW-1,3\n');
    const result = await importFile(t.db, 'items', file);
    expect(result.problems).toEqual([{ line: 1, column: 'name', reason: 'required column is missing from the header' }]);
    const prices = files.write('prices-ok.csv', 'sku,name,standard_cost\npen-bl,"Ballpoint pen, blue",0.40\n');
    expect(await importFile(t.db, 'items', prices)).toMatchObject({ updated: 1, created: 0, problems: [] });
    const [pen] = await t.db.execute<{ sku: string; cost: string; barcode: string }>(sql`select sku, standard_cost::text as cost, barcode from items where sku = 'PEN-BL'`);
    expect(pen).toEqual({ sku: 'PEN-BL', cost: '0.4000', barcode: '4006381333931' });
  });

  test('a barcode already held by an item outside the file is refused', async () => {
    const file = files.write('barcode.csv', 'sku,name,barcode\nPEN-RD,"Ballpoint pen, red",4006381333931\n');
    const result = await importFile(t.db, 'items', file);
    expect(result.problems).toEqual([{ line: 2, column: 'barcode', reason: 'barcode 4006381333931 already belongs to PEN-BL' }]);
  });
});

describe('locations', () => {
  test('bad rows are reported and nothing is written', async () => {
    const file = files.write('bad-locations.csv', 'path,kind\nMain//Bin 1,bin\nMain/Aisle 9,cupboard\nmain/aisle 1/bin 1,\nMAIN/AISLE 1/BIN 1,\n');
    const before = await tableCounts(t.db);
    const result = await importFile(t.db, 'locations', file);
    expect(result.problems).toEqual([
      { line: 2, column: 'path', reason: '"Main//Bin 1" has an empty part; write it like Main/Aisle 3/Bin 12' },
      { line: 3, column: 'kind', reason: expect.stringContaining('"cupboard" is not a location kind') },
      { line: 5, column: 'path', reason: 'MAIN/AISLE 1/BIN 1 is already on line 4 (paths ignore case)' },
    ]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  test('paths create their missing parents, with kinds from the file or the names; re-import is a no-op', async () => {
    const file = files.write('locations.csv', LOCATIONS);
    const result = await importFile(t.db, 'locations', file);
    expect(result).toMatchObject({ problems: [], created: 8, updated: 0 });
    const rows = await t.db.execute(sql`select path, kind, depth from locations order by path`);
    expect(rows).toEqual([
      { path: 'Annex', kind: 'warehouse', depth: 0 },
      { path: 'Annex/Cage 1', kind: 'area', depth: 1 },
      { path: 'Main', kind: 'warehouse', depth: 0 },
      { path: 'Main/Aisle 1', kind: 'aisle', depth: 1 },
      { path: 'Main/Aisle 1/Bin 1', kind: 'bin', depth: 2 },
      { path: 'Main/Aisle 1/Bin 2', kind: 'bin', depth: 2 },
      { path: 'Main/Aisle 2', kind: 'aisle', depth: 1 },
      { path: 'Main/Aisle 2/Shelf A', kind: 'shelf', depth: 2 },
    ]);
    expect(await importFile(t.db, 'locations', file)).toMatchObject({ problems: [], created: 0, updated: 0, unchanged: 4 });
  });
});

describe('stock', () => {
  const STOCK = `sku,location,quantity,unit_cost
PEN-BL,Main/Aisle 1/Bin 1,100,0.30
PEN-BL,Main/Aisle 1/Bin 1,100,0.30
pen-bl,main/aisle 1/bin 2,50,0.36
GREASE-1,Main/Aisle 2/Shelf A,2.5,
TONER-7,Annex/Cage 1,4,61.2
`;

  test('every bad row is reported with its line, column and reason, and nothing is posted', async () => {
    const file = files.write(
      'bad-stock.csv',
      [
        'sku,location,quantity,unit_cost',
        'PEN-BL,Main/Aisle 1/Bin 1,10,0.30', // fine
        'NOPE-1,Main/Aisle 1/Bin 1,1,1',
        'PEN-BL,Main/Aisle 7/Bin 1,1.5,1',
        'TONER-7,Annex/Cage 1,0,',
        'OLD-1,Annex/Cage 1,3,1',
        'GREASE-1,Main/Aisle 2/Shelf A,0.0005,1',
        'PEN-BL,,,1e3',
      ].join('\r\n'),
    );
    const before = await tableCounts(t.db);
    const result = await importFile(t.db, 'stock', file);
    expect(result.problems).toEqual([
      { line: 3, column: 'sku', reason: 'no item has the SKU NOPE-1; import it with `stockroom import items` first' },
      { line: 4, column: 'location', reason: 'no location has the path Main/Aisle 7/Bin 1; import it with `stockroom import locations` first' },
      { line: 4, column: 'quantity', reason: '"1.5" is not a whole number of ea' },
      { line: 5, column: 'quantity', reason: 'must be greater than 0, got 0' },
      { line: 5, column: 'unit_cost', reason: 'is empty and TONER-7 has no standard_cost to fall back on' },
      { line: 6, column: 'sku', reason: 'OLD-1 is inactive; activate it before receiving stock' },
      { line: 7, column: 'quantity', reason: 'kg allows at most 3 decimals, got "0.0005"' },
      { line: 8, column: 'location', reason: 'is required and empty' },
      { line: 8, column: 'quantity', reason: 'is required and empty' },
      { line: 8, column: 'unit_cost', reason: expect.stringContaining('"1e3" is not an amount') },
    ]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  test('opening stock is posted as ledger receipts; re-importing the same file posts nothing', async () => {
    const file = files.write('stock.csv', STOCK);
    const result = await importFile(t.db, 'stock', file, { actor: 'test' });
    expect(result).toMatchObject({ problems: [], rows: 5, created: 5, unchanged: 0, quantity: '256.5', value: '354.05' });
    const levels = await t.db.execute(sql`
      select i.sku, l.path, s.on_hand::text as on_hand from stock_levels s join items i on i.id = s.item_id
        join locations l on l.id = s.location_id order by i.sku, l.path`);
    expect(levels).toEqual([
      { sku: 'GREASE-1', path: 'Main/Aisle 2/Shelf A', on_hand: '2.5000' },
      { sku: 'PEN-BL', path: 'Main/Aisle 1/Bin 1', on_hand: '200.0000' },
      { sku: 'PEN-BL', path: 'Main/Aisle 1/Bin 2', on_hand: '50.0000' },
      { sku: 'TONER-7', path: 'Annex/Cage 1', on_hand: '4.0000' },
    ]);
    const moves = await t.db.execute(sql`
      select m.type, m.document_type, m.actor, m.request->>'unitCost' as cost, m.result->>'onHand' as on_hand
        from stock_moves m order by m.id`);
    expect(moves.map((m) => m.on_hand)).toEqual(['100', '200', '50', '2.5', '4']);
    expect(moves[3]).toMatchObject({ type: 'receipt', document_type: 'import', actor: 'test', cost: '12.5' }); // standard cost
    expect(await t.db.execute(sql`select count(*)::int as n from cost_layers`)).toEqual([{ n: 5 }]);
    expect(await brokenInvariants(t.db)).toEqual([]);

    const before = await tableCounts(t.db);
    const again = await importFile(t.db, 'stock', file, { actor: 'test' });
    expect(again).toMatchObject({ problems: [], created: 0, unchanged: 5 });
    expect(await tableCounts(t.db)).toEqual(before);
    expect(describeImport(again, 'stock.csv')).toBe('stock.csv: 0 receipts posted (quantity 0, value 0.00); 5 rows were already imported and skipped.');

    // A new delivery that repeats a row is posted when it is named as its own batch.
    const delivery = files.write('delivery.csv', 'sku,location,quantity,unit_cost\nPEN-BL,Main/Aisle 1/Bin 1,100,0.30\n');
    expect(await importFile(t.db, 'stock', delivery)).toMatchObject({ created: 0, unchanged: 1 });
    expect(await importFile(t.db, 'stock', delivery, { batch: 'PO-7' })).toMatchObject({ created: 1, unchanged: 0 });
    expect(await brokenInvariants(t.db)).toEqual([]);
  });

  test('an item with stock cannot change its unit or valuation method', async () => {
    const file = files.write('change.csv', 'sku,name,uom,valuation_method\nPEN-BL,"Ballpoint pen, blue",box,lifo\n');
    const result = await importFile(t.db, 'items', file);
    expect(result.problems).toEqual([
      { line: 2, column: 'uom', reason: 'cannot change from ea to box while 350 ea are on hand' },
      { line: 2, column: 'valuation_method', reason: expect.stringContaining('cannot change from fifo to lifo while 350 ea are on hand') },
    ]);
  });
});

describe('the command', () => {
  test('importCommand refuses an unknown kind and a missing file with a clear message', async () => {
    await expect(importCommand('vendors', 'x.csv', { databaseUrl: t.url })).rejects.toThrow('Unknown kind "vendors": use one of items, locations, stock.');
    await expect(importCommand('items', '/nonexistent/items.csv', { databaseUrl: t.url })).rejects.toThrow('/nonexistent/items.csv: no such file.');
  });

  test('`stockroom import` end to end: bad rows on stderr and exit 1, then a good file and exit 0', async () => {
    const bad = files.write('e2e-bad.csv', 'sku,name,standard_cost\nE2E-1,,1\nE2E-2,Fine,x\n');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['cli/bin.js', ...args], { env: { ...process.env, DATABASE_URL: t.url }, encoding: 'utf8', timeout: 60_000 });
    const failed = run('import', 'items', bad);
    expect(failed.stderr).toContain('nothing imported; 2 problems in 2 lines:');
    expect(failed.stderr).toContain('line 2, column name: is required and empty');
    expect(failed.stderr).toContain('line 3, column standard_cost: "x" is not an amount');
    expect(failed.status).toBe(1);
    expect(await t.db.execute(sql`select count(*)::int as n from items where sku like 'E2E-%'`)).toEqual([{ n: 0 }]);

    const good = files.write('e2e-good.csv', 'sku,name,standard_cost\nE2E-1,First,1\nE2E-2,Second,2\n');
    const ok = run('import', 'items', good);
    expect(ok.stdout).toContain('2 rows read; items: 2 created, 0 updated, 0 unchanged.');
    expect(ok.stderr).toBe(''); // not a terminal: no progress bar
    expect(ok.status).toBe(0);
  });

  test('a 100,000-character cell is cut where a message echoes it, in every echoing column', async () => {
    const huge = 'L'.repeat(100_000);
    const file = files.write('huge.csv', `sku,location,quantity,unit_cost\nNOPE,${huge},${'9'.repeat(100_000)}x,${'7'.repeat(100_000)}y\n${huge},Main,1,1\n`);
    const error = await importCommand('stock', file, { databaseUrl: t.url }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('no location has the path LLLL');
    expect(message).toContain('… (100000 characters)');
    expect(message).toContain('column quantity:');
    expect(message).toContain('column unit_cost:');
    expect(message).toContain('no item has the SKU LLLL');
    for (const line of message.split('\n')) expect(line.length, line.slice(0, 80)).toBeLessThan(300);
  });

  test('a file with a header and no rows says so plainly, exits 1 and writes nothing', async () => {
    const before = await tableCounts(t.db);
    for (const [kind, header] of [['items', 'sku,name'], ['locations', 'path'], ['stock', 'sku,location,quantity']] as const) {
      const file = files.write(`empty-${kind}.csv`, `${header}\n`);
      await expect(importCommand(kind, file, { databaseUrl: t.url })).rejects.toThrow(`${file} has no rows: only the header line is there, so nothing was imported.`);
    }
    const run = spawnSync(process.execPath, ['cli/bin.js', 'import', 'stock', files.write('empty.csv', 'sku,location,quantity\r\n')], {
      env: { ...process.env, DATABASE_URL: t.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toContain('has no rows: only the header line is there');
    expect(run.status).toBe(1);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
