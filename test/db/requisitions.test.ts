import { afterAll, beforeAll, expect, test } from 'vitest';
import { upsertCostCenter } from '../../db/queries/cost-centers.js';
import {
  backorderedRequisitionNumbers,
  createRequisition,
  getRequisition,
  RequisitionValidationError,
  saveRequisitionState,
} from '../../db/queries/requisitions.js';
import { items } from '../../db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await upsertCostCenter(database.db, { code: 'OPS', name: 'Operations' });
  await database.db.insert(items).values([
    { sku: 'PEN-BLUE', name: 'Blue pen', standardCost: '1.25' },
    { sku: 'TAPE-M', name: 'Tape by the metre', uom: 'm', uomDecimals: 2, standardCost: '0.5' },
    { sku: 'OLD-1', name: 'Retired', active: false },
  ]);
});
afterAll(async () => {
  await database?.drop();
});

const base = { requester: 'U0REQ', costCenter: 'ops', reason: 'Office restock', today: '2026-06-01' };

test('a requisition gets a REQ- number, priced lines and a total; the same submission key returns it again', async () => {
  const { db } = database;
  const input = { ...base, submissionKey: 'view-1', lines: [{ sku: 'pen-blue', quantity: '10' }, { sku: 'TAPE-M', quantity: '2.5', neededBy: '2026-06-03' }] };
  const first = await createRequisition(db, input);
  expect(first).toMatchObject({ totalValue: '13.75', created: true });
  expect(first.number).toMatch(/^REQ-\d{6}$/);
  expect(await createRequisition(db, input)).toEqual({ ...first, created: false });

  const record = await getRequisition(db, first.number);
  expect(record).toMatchObject({ costCenter: 'OPS', status: 'submitted', requester: 'U0REQ' });
  expect(record!.lines.map((l) => [l.lineNo, l.sku, l.requested, l.unitCost, l.neededBy])).toEqual([
    [1, 'PEN-BLUE', '10', '1.25', undefined],
    [2, 'TAPE-M', '2.5', '0.5', '2026-06-03'],
  ]);
  const second = await createRequisition(db, { ...input, submissionKey: 'view-2' });
  expect(Number(second.number.slice(4))).toBeGreaterThan(Number(first.number.slice(4)));
});

test('every field error is reported at once, with the line it is on, and nothing is written', async () => {
  const { db } = database;
  const attempt = createRequisition(db, {
    ...base,
    costCenter: 'NOPE',
    reason: '  ',
    submissionKey: 'bad-1',
    lines: [
      { sku: 'PEN-BLUE', quantity: '1.5' },
      { sku: 'GHOST', quantity: '1' },
      { sku: 'TAPE-M', quantity: '-1', neededBy: '2026-05-31' },
      { sku: 'old-1', quantity: '1' },
      { sku: 'pen-blue', quantity: '2' },
    ],
  });
  await expect(attempt).rejects.toBeInstanceOf(RequisitionValidationError);
  const errors = await attempt.catch((e: RequisitionValidationError) => e.errors);
  expect(errors).toEqual([
    { field: 'costCenter', message: 'Unknown cost center "NOPE".' },
    { field: 'reason', message: 'Say what the supplies are for.' },
    { field: 'quantity', line: 0, message: 'PEN-BLUE is counted in whole ea.' },
    { field: 'sku', line: 1, message: 'No active item "GHOST".' },
    { field: 'quantity', line: 2, message: '"-1" is not a quantity above zero.' },
    { field: 'neededBy', line: 2, message: 'Needed-by must be today or later.' },
    { field: 'sku', line: 3, message: 'No active item "old-1".' },
    { field: 'sku', line: 4, message: 'PEN-BLUE is already on line 1; put the whole quantity on one line.' },
  ]);
  expect(await createRequisition(db, { ...base, submissionKey: 'bad-1', lines: [{ sku: 'PEN-BLUE', quantity: '1' }] })).toMatchObject({ created: true });
});

test('backordered requisitions are found by SKU ignoring case, only while open', async () => {
  const { db } = database;
  const a = await createRequisition(db, { ...base, submissionKey: 'bo-a', lines: [{ sku: 'TAPE-M', quantity: '5' }] });
  const b = await createRequisition(db, { ...base, submissionKey: 'bo-b', lines: [{ sku: 'TAPE-M', quantity: '5' }] });
  const line = { lineNo: 1, reserved: '0', picked: '0', issued: '0', backordered: '5', cancelled: '0', issuedValue: '0' };
  await saveRequisitionState(db, { number: a.number, status: 'backordered', currentLevel: null, awaiting: [], issuedValue: '0', lines: [line] });
  await saveRequisitionState(db, { number: b.number, status: 'cancelled', currentLevel: null, awaiting: [], issuedValue: '0', lines: [line] });
  expect(await backorderedRequisitionNumbers(db, 'tape-m')).toEqual([a.number]);
});
