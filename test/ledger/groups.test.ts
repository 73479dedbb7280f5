import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as ledger from '../../db/queries/ledger.js';
import { LedgerError } from '../../db/queries/ledger.js';
import { issuePayload, type IssueInput } from '../../inventory/ledger-input.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { invariantViolations, key, manual, requisition, seedCatalogue } from './fixtures.js';

/**
 * Issues that arrive together are posted as one group (ledger_issue_group): the usual ones set-based,
 * the rest one by one. These tests send groups straight to the function, so the mix is known, and
 * check each answer against the textbook and against the same issue posted alone.
 */
let t: TestDatabase;
const bin = 'Main/Aisle 1/Bin 1';
const shelf = 'Annex/Shelf A';

beforeAll(async () => {
  t = await createTestDatabase({ max: 40 });
  await seedCatalogue(t.db, [
    { sku: 'G-FIFO', name: 'Group FIFO', valuationMethod: 'fifo' },
    { sku: 'G-LIFO', name: 'Group LIFO', valuationMethod: 'lifo' },
    { sku: 'G-WAVG', name: 'Group weighted average', valuationMethod: 'wavg' },
    { sku: 'G-MULTI', name: 'Group, two layers needed', valuationMethod: 'fifo' },
    { sku: 'G-RES', name: 'Group, reserved', valuationMethod: 'fifo' },
    { sku: 'G-TWICE', name: 'Group, two issues of one item', valuationMethod: 'fifo' },
    { sku: 'G-SHORT', name: 'Group, not enough', valuationMethod: 'fifo' },
    { sku: 'G-OFF', name: 'Group, deactivated', valuationMethod: 'fifo' },
    { sku: 'G-NEVER', name: 'Group, never received', valuationMethod: 'fifo' },
  ]);
  const receipts: [string, string, string][] = [
    ['G-FIFO', '10', '2'],
    ['G-FIFO', '10', '3'],
    ['G-LIFO', '10', '2'],
    ['G-LIFO', '10', '3'],
    ['G-WAVG', '10', '2'],
    ['G-WAVG', '10', '4'],
    ['G-MULTI', '3', '1'],
    ['G-MULTI', '10', '2'],
    ['G-RES', '5', '7'],
    ['G-TWICE', '10', '1'],
    ['G-SHORT', '2', '5'],
    ['G-OFF', '4', '1'],
  ];
  for (const [sku, quantity, unitCost] of receipts) {
    await ledger.receive(t.db, { key: key('seed'), sku, location: bin, quantity, unitCost, document: manual(), actor: 'u' });
  }
  await ledger.reserve(t.db, { key: key('seed'), sku: 'G-RES', location: bin, quantity: '3', document: requisition('REQ-G1'), actor: 'u' });
  await t.db.execute(sql`update items set active = false where sku = 'G-OFF'`);
});
afterAll(() => t?.drop());

type Answer = { n: number; ok?: Record<string, string>; error?: { code: string; message: string; detail: string | null } };

async function group(inputs: IssueInput[]): Promise<Answer[]> {
  const payloads = JSON.stringify(inputs.map(issuePayload));
  const [row] = (await t.db.execute(sql`select ledger_issue_group(${payloads}::jsonb) as r`)) as unknown as [{ r: Answer[] }];
  return row.r.sort((a, b) => a.n - b.n);
}

const unreserved = (sku: string, quantity: string, k = key('g')): IssueInput => ({
  key: k,
  sku,
  location: bin,
  quantity,
  document: manual('walk-up'),
  actor: 'u',
  unreserved: true,
});

test('one group mixes usual issues, ones posted one by one and refusals; each gets its own answer', async () => {
  const repeated = key('twice');
  const answers = await group([
    unreserved('G-FIFO', '4'),
    unreserved('G-LIFO', '4'),
    unreserved('G-WAVG', '5'),
    unreserved('G-MULTI', '5'),
    { key: key('g'), sku: 'G-RES', location: bin, quantity: '2', document: requisition('REQ-G1'), actor: 'u' },
    unreserved('G-TWICE', '1'),
    unreserved('G-TWICE', '2'),
    unreserved('G-SHORT', '3'),
    unreserved('NO-SUCH-SKU', '1'),
    unreserved('G-OFF', '1'),
    unreserved('G-NEVER', '1'),
    unreserved('G-FIFO', '1', repeated),
    unreserved('G-FIFO', '1', repeated),
    { key: key('g'), sku: 'G-RES', location: bin, quantity: '2', document: requisition('REQ-NOT-RESERVED'), actor: 'u' },
  ]);
  expect(answers.map((a) => a.n)).toEqual(Array.from({ length: 14 }, (_, n) => n + 1));
  const ok = (n: number) => answers[n - 1]!.ok!;
  const refusal = (n: number) => answers[n - 1]!.error!;
  // Textbook costs: FIFO takes the older layer, LIFO the newer, weighted average (20 + 40) / 20 = 3.
  expect(ok(1)).toMatchObject({ sku: 'G-FIFO', cost: '8', unitCost: '2', onHand: '16', method: 'fifo' });
  expect(ok(2)).toMatchObject({ sku: 'G-LIFO', cost: '12', unitCost: '3', onHand: '16', method: 'lifo' });
  expect(ok(3)).toMatchObject({ sku: 'G-WAVG', cost: '15', unitCost: '3', onHand: '15', method: 'wavg' });
  expect(ok(4)).toMatchObject({ sku: 'G-MULTI', cost: '7', unitCost: '1.4', onHand: '8' });
  expect(ok(5)).toMatchObject({ sku: 'G-RES', cost: '14', onHand: '3' });
  expect([ok(6).onHand, ok(7).onHand].sort()).toEqual(['7', '9']);
  expect(refusal(8)).toMatchObject({ code: 'SR001', message: 'insufficient_stock' });
  expect(refusal(9)).toMatchObject({ code: 'SR001', message: 'unknown_sku' });
  expect(refusal(10)).toMatchObject({ code: 'SR001', message: 'inactive_item' });
  expect(refusal(11)).toMatchObject({ code: 'SR001', message: 'insufficient_stock' });
  // The same key twice in one group: one move, the same answer twice.
  expect(ok(13)).toEqual(ok(12));
  expect(refusal(14)).toMatchObject({ code: 'SR001', message: 'insufficient_reservation' });

  const [moves] = (await t.db.execute(sql`
    select count(*)::int as n, count(distinct created_at)::int as commits from stock_moves
     where idempotency_key like 'g-%' or idempotency_key like 'twice-%'`)) as unknown as [{ n: number; commits: number }];
  expect(moves).toEqual({ n: 8, commits: 1 });
  expect(await ledger.availability(t.db, { sku: 'G-RES' })).toMatchObject({ onHand: '3', reserved: '1' });
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('a group answers a key it already posted with the first answer, and refuses a key reused for something else', async () => {
  const first = unreserved('G-FIFO', '1', key('again'));
  const [posted] = await group([first]);
  const answers = await group([first, { ...first, quantity: '2' }, unreserved('G-LIFO', '1')]);
  expect(answers[0]!.ok).toEqual(posted!.ok);
  expect(answers[1]!.error).toMatchObject({ code: 'SR001', message: 'key_reused' });
  expect(answers[2]!.ok).toMatchObject({ sku: 'G-LIFO', cost: '3' });
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('issues posted in a group answer as the same issues posted alone', async () => {
  // Twin items with the same receipts: one gets its issues alone, the other in groups.
  for (const twin of ['ALONE', 'GROUPED']) {
    for (const [n, method] of (['fifo', 'lifo', 'wavg'] as const).entries()) {
      await t.db.execute(sql`insert into items (sku, name, valuation_method) values (${`T-${twin}-${n}`}, 'Twin', ${method})`);
      for (const [quantity, unitCost] of [['7', '1.25'], ['5', '2.5'], ['9', '3.3333']]) {
        await ledger.receive(t.db, { key: key('tw'), sku: `T-${twin}-${n}`, location: shelf, quantity: quantity!, unitCost: unitCost!, document: manual(), actor: 'u' });
      }
    }
  }
  const rounds = [['3', '2', '4'], ['4', '6', '1'], ['5', '1', '2'], ['10', '9', '15']];
  const strip = (r: Record<string, unknown>) => ({ ...r, moveId: undefined, sku: undefined });
  for (const round of rounds) {
    const alone = [];
    for (const [n, quantity] of round.entries()) {
      try {
        alone.push({ ok: strip(await ledger.issue(t.db, { ...unreserved(`T-ALONE-${n}`, quantity), location: shelf }) as never) });
      } catch (error) {
        alone.push({ refused: (error as LedgerError).code });
      }
    }
    const grouped = (await group(round.map((quantity, n) => ({ ...unreserved(`T-GROUPED-${n}`, quantity), location: shelf })))).map((a) =>
      a.ok ? { ok: strip(a.ok) } : { refused: a.error!.message },
    );
    expect(grouped).toEqual(alone);
  }
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('concurrent issue() calls share commits and each caller still gets its own answer', async () => {
  await t.db.execute(sql`insert into items (sku, name) select 'C-' || n, 'Concurrent ' || n from generate_series(1, 48) n`);
  for (let n = 1; n <= 48; n++) {
    await ledger.receive(t.db, { key: key('c'), sku: `C-${n}`, location: bin, quantity: '2', unitCost: String(n), document: manual(), actor: 'u' });
  }
  // 48 items, three issues each of one unit against two on hand: 96 issued, 48 refused.
  const calls = Array.from({ length: 144 }, (_, i) => ledger.issue(t.db, unreserved(`C-${(i % 48) + 1}`, '1', key('conc'))));
  const results = await Promise.allSettled(calls);
  const issued = results.filter((r): r is PromiseFulfilledResult<ledger.IssueResult> => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(issued).toHaveLength(96);
  expect(refused.every((r) => r.reason instanceof LedgerError && r.reason.code === 'insufficient_stock')).toBe(true);
  for (const r of issued) expect(r.value.cost).toBe(r.value.sku.slice(2));
  const [{ commits }] = (await t.db.execute(sql`
    select count(distinct created_at)::int as commits from stock_moves where idempotency_key like 'conc-%'`)) as unknown as [
    { commits: number },
  ];
  expect(commits).toBeLessThan(96);
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('an issue whose connection the server cut goes through on a new one', async () => {
  await t.db.execute(sql`insert into items (sku, name) values ('CUT-1', 'Cut connection')`);
  await ledger.receive(t.db, { key: key('cut'), sku: 'CUT-1', location: bin, quantity: '5', unitCost: '1', document: manual(), actor: 'u' });
  await ledger.issue(t.db, unreserved('CUT-1', '1'));
  // The server ends the connection the issue went through (its last statement says which).
  const [cut] = (await t.db.execute(sql`
    select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() and query like 'select ledger_issue(%'`)) as unknown as [
    { n: number },
  ];
  expect(cut.n).toBe(1);
  const again = await ledger.issue(t.db, unreserved('CUT-1', '1'));
  expect(again.onHand).toBe('3');
  expect((await ledger.availability(t.db, { sku: 'CUT-1' })).onHand).toBe('3');
});
