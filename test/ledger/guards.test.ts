import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as ledger from '../../db/queries/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { refusal } from '../helpers/refusal.js';
import { invariantViolations, ledgerFingerprint, manual, seedCatalogue } from './fixtures.js';

/**
 * The ledger's invariants hold for any writer, not only for our functions: each write below is tried as
 * the application's role (what a bug or a stolen app password could do) and as the database owner, the
 * cluster's superuser (what a hand-typed SQL session does), and refused by the database, naming the
 * constraint. Nothing of a refused write stays.
 */
let t: TestDatabase;
let app: postgres.Sql;
let owner: postgres.Sql;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedCatalogue(t.db);
  await ledger.receive(t.db, { key: 'g-pen', sku: 'PEN-BLUE', location: 'Main/Aisle 1/Bin 1', quantity: '10', unitCost: '2', document: manual(), actor: 'u' });
  await ledger.receive(t.db, { key: 'g-grease', sku: 'GREASE-1', location: 'Main/Aisle 1/Bin 2', quantity: '4', unitCost: '12.5', document: manual(), actor: 'u' });
  app = postgres(t.url, { max: 1, onnotice: () => {} });
  owner = postgres(t.ownerUrl, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await app?.end();
  await owner?.end();
  await t?.drop();
});

const ids = async (sql: postgres.Sql) => {
  const [row] = await sql<{ item: string; location: string }[]>`
    select i.id as item, l.id as location from items i, locations l where i.sku = 'PEN-BLUE' and l.path = 'Main/Aisle 1/Bin 1'`;
  return row!;
};

const writers = [
  ['the application role', () => app],
  ['the owner (superuser)', () => owner],
] as const;

describe.each(writers)('as %s', (_who, connection) => {
  test('a negative book is refused (item_valuations_not_negative)', async () => {
    const before = await ledgerFingerprint(t.db);
    const { item } = await ids(connection());
    expect(await refusal(() => connection()`update item_valuations set on_hand = -5 where item_id = ${item}`)).toMatchObject({
      code: '23514',
      constraint: 'item_valuations_not_negative',
    });
    expect(await ledgerFingerprint(t.db)).toEqual(before);
  });

  test('a receipt with a negative quantity and cost is refused (stock_moves_signs_by_type)', async () => {
    const before = await ledgerFingerprint(t.db);
    const { item, location } = await ids(connection());
    const insert = (type: string, quantity: string, unitCost: string, value: string) =>
      connection()`insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor)
                   values (${item}, ${location}, ${type}, ${quantity}, ${unitCost}, ${value}, 'manual', 'raw', 'raw')`;
    for (const [type, quantity, unitCost, value] of [
      ['receipt', '-7', '-1', '7'],
      ['receipt', '7', '-1', '-7'],
      ['receipt', '7', '1', '-7'],
      ['issue', '3', '1', '3'],
      ['issue', '-3', '1', '3'],
      ['transfer_out', '2', '1', '0'],
      ['transfer_in', '-2', '1', '0'],
      ['adjustment', '0', '1', '0'],
      ['adjustment', '-1', '1', '1'],
    ] as const) {
      expect(await refusal(() => insert(type, quantity, unitCost, value)), `${type} ${quantity} @ ${unitCost} = ${value}`).toMatchObject({
        code: '23514',
        constraint: 'stock_moves_signs_by_type',
      });
    }
    expect(await ledgerFingerprint(t.db)).toEqual(before);
  });

  test('a cost layer holding more than it received, less than nothing or value without quantity is refused (cost_layers_remaining_valid)', async () => {
    const before = await ledgerFingerprint(t.db);
    for (const change of [
      'remaining_quantity = received_quantity + 1',
      'remaining_quantity = -1',
      'remaining_value = -1',
      'remaining_quantity = 0, remaining_value = 3, open = false',
      'open = false',
    ]) {
      expect(await refusal(() => connection().unsafe(`update cost_layers set ${change}`)), change).toMatchObject({
        code: '23514',
        constraint: 'cost_layers_remaining_valid',
      });
    }
    expect(await ledgerFingerprint(t.db)).toEqual(before);
  });

  test('a book, its bins and its layers that disagree are refused at commit (ledger_books_balance)', async () => {
    const before = await ledgerFingerprint(t.db);
    const { item } = await ids(connection());
    for (const statements of [
      [`update stock_levels set on_hand = on_hand + 1 where item_id = '${item}'`],
      [`update item_valuations set on_hand = on_hand + 1 where item_id = '${item}'`],
      [`update cost_layers set remaining_quantity = remaining_quantity - 1, remaining_value = remaining_value - 2 where item_id = '${item}'`],
      // A FIFO item's book worth more than its layers, quantities all agreeing.
      [`update item_valuations set value = value + 1 where item_id = '${item}'`],
      // Stock appearing everywhere at once but without a layer.
      [`update stock_levels set on_hand = on_hand + 1 where item_id = '${item}'`, `update item_valuations set on_hand = on_hand + 1 where item_id = '${item}'`],
      // Bins and layers agreeing with each other but not with the book.
      [
        `update stock_levels set on_hand = on_hand + 1 where item_id = '${item}'`,
        `update cost_layers set remaining_quantity = remaining_quantity + 1, received_quantity = received_quantity + 1, remaining_value = remaining_value + 2 where item_id = '${item}'`,
      ],
      // A bin handed to another item: both items are out of balance.
      [`update stock_levels set item_id = (select id from items where sku = 'TONER-7') where item_id = '${item}'`],
    ]) {
      const result = await refusal(() =>
        connection().begin(async (tx) => {
          for (const statement of statements) await tx.unsafe(statement);
        }),
      );
      expect(result, statements.join('; ')).toMatchObject({ code: '23514', constraint: 'ledger_books_balance' });
    }
    expect(await ledgerFingerprint(t.db)).toEqual(before);
    expect(await invariantViolations(t.db)).toEqual([]);
  });
});

test('the application role may not rewrite or empty the ledger, nor switch its guards off', async () => {
  const denied = { code: '42501' };
  expect(await refusal(() => app`update stock_moves set note = 'x'`)).toMatchObject(denied);
  expect(await refusal(() => app`delete from stock_moves`)).toMatchObject(denied);
  for (const table of ['stock_moves', 'stock_levels', 'item_valuations', 'cost_layers', 'reservations']) {
    expect(await refusal(() => app.unsafe(`truncate ${table} cascade`)), table).toMatchObject(denied);
  }
  expect(await refusal(() => app`set session_replication_role = replica`)).toMatchObject(denied);
  expect(await refusal(() => app`alter table stock_moves disable trigger all`)).toMatchObject(denied);
  expect(await refusal(() => app`alter table item_valuations drop constraint item_valuations_not_negative`)).toMatchObject(denied);
  const [role] = await app<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean; owns: number }[]>`
    select r.rolsuper, r.rolcreaterole, r.rolcreatedb,
           (select count(*) from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace)::int as owns
      from pg_roles r where r.rolname = current_user`;
  expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, owns: 0 });
});

test('the ledger’s own operations run as stockroom_ledger, which nobody can become, with search_path pinned', async () => {
  const functions = await owner<{ name: string; owner: string; definer: boolean; config: string[] | null }[]>`
    select p.proname as name, pg_get_userbyid(p.proowner) as owner, p.prosecdef as definer, p.proconfig as config
      from pg_proc p where p.proname in ('ledger_receive', 'ledger_issue', 'ledger_reserve', 'ledger_release', 'ledger_transfer', 'ledger_adjust', 'ledger_issue_group')
     order by p.proname`;
  expect(functions).toHaveLength(7);
  for (const f of functions) {
    expect({ owner: f.owner, definer: f.definer }, f.name).toEqual({ owner: 'stockroom_ledger', definer: true });
    expect(f.config, f.name).toContain('search_path=public, pg_temp');
  }
  const [role] = await owner<{ login: boolean }[]>`select rolcanlogin as login from pg_roles where rolname = 'stockroom_ledger'`;
  expect(role?.login).toBe(false);
  expect(await refusal(() => app`set role stockroom_ledger`)).toMatchObject({ code: '42501' });
});

test('TRUNCATE of any table holding stock is refused on purpose, even for the owner', async () => {
  for (const table of ['stock_moves', 'stock_levels', 'item_valuations', 'cost_layers', 'reservations']) {
    const result = await refusal(() => owner.unsafe(`truncate ${table} cascade`));
    expect(result, table).toMatchObject({ code: 'SR900' });
    expect(result!.message).toMatch(/TRUNCATE refused/);
  }
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('a table a later migration creates is the application’s to use by default, still without ownership', async () => {
  await owner`create table later_feature (id int primary key, note text)`;
  try {
    await app`insert into later_feature values (1, 'ok')`;
    expect(await app`select note from later_feature`).toEqual([{ note: 'ok' }]);
    expect(await refusal(() => app`truncate later_feature`)).toMatchObject({ code: '42501' });
  } finally {
    await owner`drop table later_feature`;
  }
});

test('the ledger’s own operations still post every kind of move under the guards', async () => {
  const document = manual('guards');
  await ledger.reserve(t.db, { key: 'g-res', sku: 'PEN-BLUE', location: 'Main/Aisle 1/Bin 1', quantity: '2', document, actor: 'u' });
  await ledger.issue(t.db, { key: 'g-iss', sku: 'PEN-BLUE', location: 'Main/Aisle 1/Bin 1', quantity: '2', document, actor: 'u' });
  await ledger.transfer(t.db, { key: 'g-tr', sku: 'PEN-BLUE', from: 'Main/Aisle 1/Bin 1', to: 'Annex/Shelf A', quantity: '3', document, actor: 'u' });
  await ledger.adjust(t.db, { key: 'g-adj-down', sku: 'GREASE-1', location: 'Main/Aisle 1/Bin 2', quantity: '-1', document, actor: 'u' });
  await ledger.adjust(t.db, { key: 'g-adj-up', sku: 'GREASE-1', location: 'Main/Aisle 1/Bin 2', quantity: '2', document, actor: 'u' });
  expect(await invariantViolations(t.db)).toEqual([]);
});
