import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { upsertPerson } from '../../db/queries/people.js';
import { importFile } from '../../cli/import.js';
import { renderReport } from '../../cli/report.js';
import { renderTable } from '../../cli/text-table.js';
import { issue } from '../../db/queries/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { csvFolder } from './csv-files.js';

test('renderTable pads columns, aligns numbers right and draws a rule before totals', () => {
  const text = renderTable(
    [{ header: 'SKU' }, { header: 'Name', max: 8 }, { header: 'Value', align: 'right' }],
    [['PEN-BL', 'Ballpoint pen, blue', '12.50'], ['TONER-7', 'Toner', '1,204.00'], null, ['Total', '', '1,216.50']],
  );
  expect(text).toBe(
    ['SKU      Name         Value', '-------  --------  --------', 'PEN-BL   Ballpoi…     12.50', 'TONER-7  Toner     1,204.00', '-------  --------  --------', 'Total              1,216.50'].join('\n'),
  );
});

describe('stockroom report', () => {
  let t: TestDatabase;
  const files = csvFolder();

  beforeAll(async () => {
    t = await createTestDatabase();
    const load = async (kind: 'items' | 'locations' | 'stock', text: string) =>
      expect((await importFile(t.db, kind, files.write(`${kind}.csv`, text))).problems).toEqual([]);
    await load('items', 'sku,name,uom,valuation_method\nPEN-BL,"Ballpoint pen, blue",ea,fifo\nGREASE-1,Bearing grease,kg,wavg\n');
    await load('locations', 'path\nMain/Aisle 1/Bin 1\nWorkshop/Shelf 1\n');
    // Rising prices, then an issue: FIFO keeps the dear units, LIFO the cheap ones.
    await load('stock', 'sku,location,quantity,unit_cost\nPEN-BL,Main/Aisle 1/Bin 1,100,10\nPEN-BL,Main/Aisle 1/Bin 1,100,12\nGREASE-1,Workshop/Shelf 1,2.5,8\n');
    await issue(t.db, { key: 'r-1', document: { type: 'manual', id: 'test' }, sku: 'PEN-BL', location: 'Main/Aisle 1/Bin 1', quantity: '150', actor: 'U0WHS00001', unreserved: true });
  });
  afterAll(async () => {
    await t?.drop();
    files.remove();
  });

  test('value: the book and FIFO, LIFO and weighted average side by side, with totals', async () => {
    const text = await renderReport(t.db, 'value');
    expect(text).toContain('Inventory value now');
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('PEN-BL'))).toMatch(/^PEN-BL\s+Ballpoint pen, blue\s+FIFO\s+50\s+600\.00\s+600\.00\s+500\.00\s+550\.00$/);
    expect(lines.find((l) => l.startsWith('GREASE-1'))).toMatch(/WAVG\s+2\.5\s+20\.00\s+20\.00\s+20\.00\s+20\.00$/);
    expect(lines.at(-1)).toMatch(/^Total\s+620\.00\s+620\.00\s+520\.00\s+570\.00$/);
  });

  test('stock: per item, and per location rolled up the tree', async () => {
    const items = await renderReport(t.db, 'stock');
    expect(items).toMatch(/PEN-BL\s+Ballpoint pen, blue\s+50\s+0\s+50\s+ea/);
    expect(items).toContain('2 items in stock.');
    const tree = await renderReport(t.db, 'stock', { locations: true });
    expect(tree.split('\n').map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'Location SKU Name On hand Reserved Available UoM',
      expect.stringMatching(/^-+/),
      'Main PEN-BL Ballpoint pen, blue 50 0 50 ea',
      'Main/Aisle 1 PEN-BL Ballpoint pen, blue 50 0 50 ea',
      'Main/Aisle 1/Bin 1 PEN-BL Ballpoint pen, blue 50 0 50 ea',
      'Workshop GREASE-1 Bearing grease 2.5 0 2.5 kg',
      'Workshop/Shelf 1 GREASE-1 Bearing grease 2.5 0 2.5 kg',
    ]);
    expect(await renderReport(t.db, 'stock', { under: 'Workshop' })).not.toContain('PEN-BL');
  });

  test('cogs and history', async () => {
    const cogs = await renderReport(t.db, 'cogs');
    expect(cogs).toMatch(/PEN-BL\s+Ballpoint pen, blue\s+150\s+1,600\.00/);
    expect(cogs).toMatch(/Total\s+1,600\.00/);
    await upsertPerson(t.db, { slackUserId: 'U0WHS00001', displayName: 'Wanda Warehouse' });
    const history = await renderReport(t.db, 'history', { sku: 'pen-bl' });
    expect(history).toContain('PEN-BL Ballpoint pen, blue: the last 3 moves, newest first.');
    expect(history).toMatch(/issue\s+Main\/Aisle 1\/Bin 1\s+-150\s+10\.6667\s+-1,600\.00\s+50\s+manual test\s+Wanda Warehouse/);
    expect(JSON.parse(await renderReport(t.db, 'history', { sku: 'PEN-BL', json: true, limit: '1' })).moves).toHaveLength(1);
  });

  test('bad input: a clear message and exit 1', async () => {
    await expect(renderReport(t.db, 'history', {})).rejects.toThrow('Which item? `stockroom report history SKU`.');
    await expect(renderReport(t.db, 'history', { sku: 'NOPE' })).rejects.toThrow('No item has the SKU NOPE');
    await expect(renderReport(t.db, 'cogs', { from: 'yesterday' })).rejects.toThrow('--from "yesterday" is not a date');
    const run = (...args: string[]) => spawnSync(process.execPath, ['cli/bin.js', 'report', ...args], { env: { ...process.env, DATABASE_URL: t.url }, encoding: 'utf8', timeout: 60_000 });
    const bad = run('profit');
    expect(bad.stderr).toContain('Unknown report "profit": use one of stock, value, cogs, history.');
    expect(bad.status).toBe(1);
    const ok = run('value', 'PEN-BL');
    expect(ok.stdout).toMatch(/PEN-BL.*600\.00/);
    expect(ok.status).toBe(0);
  });
});
