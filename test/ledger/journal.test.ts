import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { journalExportCommand, periodCloseCommand, reconcileCommand, reconcilePeriod, writeJournal } from '../../cli/journal.js';
import { closePeriod, journalEntries } from '../../db/queries/journal.js';
import * as ledger from '../../db/queries/ledger.js';
import { inventoryValuation } from '../../db/queries/reports.js';
import { assertBalanced, monthBounds, type AccountMap, type JournalEntry } from '../../inventory/journal.js';
import { DEFAULT_SETTINGS } from '../../runtime/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { refusal } from '../helpers/refusal.js';
import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../../bot/app.js';
import { adminAnswer } from '../../bot/listeners/commands/admin.js';
import { assignRole } from '../../db/queries/people.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { createItem } from '../../db/queries/items.js';

/**
 * The journal and period close, on a hand-worked October 2026 with every kind of move, once per valuation
 * method: FIFO, LIFO and weighted average items take the same moves, and the entries below were worked out
 * by hand (a book keeper's T-accounts), not by the code under test.
 */
let t: TestDatabase;
const ACCOUNTS: AccountMap = {
  ...DEFAULT_SETTINGS.accounting,
  inventoryByWarehouse: { Main: '1300', Annex: '1310' },
  expenseByCostCenter: { OFFICE: '6100' },
};
const TZ = 'UTC';
const at = (day: string) => new Date(`${day}T10:00:00Z`);

async function entriesOf(from: Date, to: Date, accounts = ACCOUNTS): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const e of journalEntries(t.sql, { from, to, timeZone: TZ, accounts })) out.push(e);
  return out;
}

const lines = (e: JournalEntry) => e.lines.map((l) => `${l.account} ${l.debit !== '0' ? `Dr ${l.debit}` : `Cr ${l.credit}`}`);

beforeAll(async () => {
  t = await createTestDatabase();
  for (const p of ['Main/Aisle 1/Bin 1', 'Annex/Shelf A']) await ensureLocation(t.db, { path: p });
  await t.sql`insert into cost_centers (code, name) values ('OFFICE', 'Office')`;
  await t.sql`insert into vendors (code, name) values ('ACME', 'Acme Supplies')`;
  for (const [suffix, method] of [['F', 'fifo'], ['L', 'lifo'], ['W', 'wavg']] as const) {
    await createItem(t.db, { sku: `PEN-${suffix}`, name: `Pen ${method}`, uom: 'ea', valuationMethod: method });
    const doc = (type: 'purchase_order' | 'requisition' | 'cycle_count' | 'manual' | 'import', id: string) => ({ type, id: `${id}-${suffix}` });
    const base = { sku: `PEN-${suffix}`, actor: 'U1' };
    // September 30: opening stock, 10 at 1.00 (before the month: it is the opening balance).
    await ledger.receive(t.db, { ...base, key: `open-${suffix}`, location: 'Main/Aisle 1/Bin 1', quantity: '10', unitCost: '1', document: doc('import', 'OPENING'), occurredAt: at('2026-09-30') });
    // October 2: 10 received against a purchase order at 1.50.
    const receipt = await ledger.receive(t.db, { ...base, key: `po-${suffix}`, location: 'Main/Aisle 1/Bin 1', quantity: '10', unitCost: '1.5', document: doc('purchase_order', 'PO-OCT'), occurredAt: at('2026-10-02') });
    // October 5: 15 issued to the office's requisition.
    await t.sql`insert into requisitions (number, submission_key, requester_slack_user_id, cost_center_code, reason, total_value)
                values (${`REQ-OCT-${suffix}`}, ${`sub-${suffix}`}, 'U1', 'OFFICE', 'pens', 20)`;
    await ledger.issue(t.db, { ...base, key: `iss-${suffix}`, location: 'Main/Aisle 1/Bin 1', quantity: '15', document: doc('requisition', 'REQ-OCT'), unreserved: true, occurredAt: at('2026-10-05') });
    // October 10: 2 moved to the annex (another inventory account).
    await ledger.transfer(t.db, { ...base, key: `tr-${suffix}`, from: 'Main/Aisle 1/Bin 1', to: 'Annex/Shelf A', quantity: '2', document: doc('manual', 'MOVE'), occurredAt: at('2026-10-10') });
    // October 15: a count finds one missing in Main, and one more than the book in the annex, at 2.00.
    await ledger.adjust(t.db, { ...base, key: `loss-${suffix}`, location: 'Main/Aisle 1/Bin 1', quantity: '-1', document: doc('cycle_count', 'CC-OCT'), occurredAt: at('2026-10-15') });
    await ledger.adjust(t.db, { ...base, key: `gain-${suffix}`, location: 'Annex/Shelf A', quantity: '1', unitCost: '2', document: doc('cycle_count', 'CC-OCT'), occurredAt: at('2026-10-15') });
    // October 20: the supplier bills the 10 at 1.60: 0.10 a unit of price variance.
    const [po] = await t.sql<{ id: string }[]>`
      insert into purchase_orders (number, creation_key, vendor_id, status, buyer_slack_user_id, created_by)
      values (${`PO-OCT-${suffix}`}, ${`po-${suffix}`}, (select id from vendors where code = 'ACME'), 'received', 'U2', 'U2') returning id`;
    const [line] = await t.sql<{ id: string }[]>`
      insert into purchase_order_lines (purchase_order_id, line_no, item_id, sku, quantity_ordered, quantity_received, unit_price)
      values (${po!.id}, 1, (select id from items where sku = ${`PEN-${suffix}`}), ${`PEN-${suffix}`}, 10, 10, 1.5) returning id`;
    await t.sql`insert into receipts (idempotency_key, purchase_order_id, purchase_order_line_id, item_id, location_id, quantity, unit_cost, received_by, move_id)
                values (${`rc-${suffix}`}, ${po!.id}, ${line!.id}, (select id from items where sku = ${`PEN-${suffix}`}),
                        (select id from locations where path = 'Main/Aisle 1/Bin 1'), 10, 1.5, 'U3', ${receipt.moveId})`;
    const [invoice] = await t.sql<{ id: string }[]>`
      insert into supplier_invoices (idempotency_key, purchase_order_id, vendor_id, invoice_number, total, match_status, entered_by, created_at)
      values (${`inv-${suffix}`}, ${po!.id}, (select id from vendors where code = 'ACME'), ${`INV-${suffix}`}, 16, 'mismatch', 'U2', ${at('2026-10-20').toISOString()}::timestamptz) returning id`;
    await t.sql`insert into supplier_invoice_lines (invoice_id, purchase_order_line_id, quantity, unit_price) values (${invoice!.id}, ${line!.id}, 10, 1.6)`;
  }
});
afterAll(() => t?.drop());

describe('a hand-worked October under each method', () => {
  // What each method makes of the same moves: issue 15 of (10 @ 1.00, 10 @ 1.50); move 2; lose 1; find 1 @ 2.00.
  const expected = {
    F: { issue: '17.5', transfer: '3', loss: '1.5', shrinkageCredit: '0.5' }, // 10 × 1.00 + 5 × 1.50; then 5 left @ 1.50
    L: { issue: '20', transfer: '2', loss: '1', shrinkageCredit: '1' }, // 10 × 1.50 + 5 × 1.00; then 5 left @ 1.00
    W: { issue: '18.75', transfer: '2.5', loss: '1.25', shrinkageCredit: '0.75' }, // average 25 / 20 = 1.25
  } as const;

  test.each(Object.entries(expected))('PEN-%s: every entry, line by line', async (suffix, e) => {
    const { starts, ends } = monthBounds('2026-10', TZ);
    const mine = (await entriesOf(starts, ends)).filter((x) => x.documentId.endsWith(`-${suffix}`));
    const byKind = Object.fromEntries(mine.map((x) => [`${x.kind} ${x.documentId}`, { date: x.date, lines: lines(x) }]));
    expect(byKind).toEqual({
      [`receipt PO-OCT-${suffix}`]: { date: '2026-10-02', lines: ['1300 Dr 15', '2150 Cr 15'] },
      [`issue REQ-OCT-${suffix}`]: { date: '2026-10-05', lines: [`6100 Dr ${e.issue}`, `1300 Cr ${e.issue}`] },
      [`transfer MOVE-${suffix}`]: { date: '2026-10-10', lines: [`1310 Dr ${e.transfer}`, `1300 Cr ${e.transfer}`] },
      // The loss and the gain of one count are one entry: shrinkage nets to the gain's 2.00 less the loss.
      [`adjustment CC-OCT-${suffix}`]: { date: '2026-10-15', lines: ['1310 Dr 2', `1300 Cr ${e.loss}`, `5400 Cr ${e.shrinkageCredit}`] },
      // Received at 1.50, billed at 1.60: goods received not invoiced cleared at 15, payable 16, variance 1.
      [`invoice ACME INV-${suffix}`]: { date: '2026-10-20', lines: ['2150 Dr 15', '5100 Dr 1', '2000 Cr 16'] },
    });
    for (const x of mine) assertBalanced(x);
  });

  test('the month reconciles per item and in total, against the replayed valuation and the journal', async () => {
    const r = await reconcilePeriod(t, '2026-10', ACCOUNTS);
    expect(r.reconciled).toBe(true);
    const f = r.items.find((i) => i.sku === 'PEN-F')!;
    // FIFO: 10 + 15 − 17.50 − 1.50 + 2.00 = 8.00 (5 @ 1.50 less one, 1 @ 2.00 found, 2 @ 1.50 moved but still ours).
    expect(f).toMatchObject({ opening: '10', receipts: '15', issues: '-17.5', adjustments: '0.5', transfers: '0', closing: '8', replayed: '8', balanced: true });
    expect(r.items.find((i) => i.sku === 'PEN-L')).toMatchObject({ opening: '10', issues: '-20', adjustments: '1', closing: '6' });
    expect(r.items.find((i) => i.sku === 'PEN-W')).toMatchObject({ opening: '10', issues: '-18.75', adjustments: '0.75', closing: '7' });
    expect(r.totals).toMatchObject({ opening: '30', receipts: '45', closing: '21' });
    expect(r.journalInventoryMovement).toBe('-9');
  });
});

describe('period close', () => {
  test('months close in order, only once ended; closing twice changes nothing', async () => {
    await expect(closePeriod(t.db, { period: '2026-10', timeZone: TZ, accounts: ACCOUNTS, by: 'U9' })).rejects.toThrow('close 2026-09 first');
    const next = new Date();
    const thisMonth = `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
    await expect(closePeriod(t.db, { period: thisMonth, timeZone: TZ, accounts: ACCOUNTS, by: 'U9' })).rejects.toThrow('has not ended yet');
    expect((await closePeriod(t.db, { period: '2026-09', timeZone: TZ, accounts: ACCOUNTS, by: 'U9' })).alreadyClosed).toBe(false);
    expect((await closePeriod(t.db, { period: '2026-10', timeZone: TZ, accounts: ACCOUNTS, by: 'U9' })).alreadyClosed).toBe(false);
    expect((await closePeriod(t.db, { period: '2026-10', timeZone: TZ, accounts: DEFAULT_SETTINGS.accounting, by: 'U8' })).alreadyClosed).toBe(true);
  });

  test('a closed month refuses moves and invoices dated in it, from the application and from raw SQL, naming the period', async () => {
    const late = { sku: 'PEN-F', actor: 'U1', location: 'Main/Aisle 1/Bin 1', quantity: '1', unitCost: '1', document: { type: 'manual' as const, id: 'LATE' } };
    const refused = await refusal(() => ledger.receive(t.db, { ...late, key: 'late-1', occurredAt: at('2026-10-31') }));
    expect(refused?.message).toMatch(/period 2026-10 is closed/);
    const owner = postgres(t.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const raw = await refusal(
        () => owner`insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at)
                    select i.id, l.id, 'receipt', 1, 1, 1, 'manual', 'raw', 'raw', '2026-09-15T00:00:00Z' from items i, locations l
                     where i.sku = 'PEN-F' and l.path = 'Main/Aisle 1/Bin 1'`,
      );
      expect(raw).toMatchObject({ code: '23514', constraint: 'ledger_period_closed' });
      expect(raw!.message).toMatch(/period 2026-09 is closed/);
      expect(await refusal(() => owner`update supplier_invoice_lines set unit_price = 9 where invoice_id = (select id from supplier_invoices where invoice_number = 'INV-F')`)).toMatchObject({
        constraint: 'ledger_period_closed',
      });
      expect(await refusal(() => t.sql`insert into accounting_periods (period, starts_at, ends_at, time_zone, accounts, closed_by) values ('2026-11', now(), now() + interval '1 day', 'UTC', '{}', 'x')`)).toMatchObject({
        code: '42501',
      });
    } finally {
      await owner.end();
    }
    // Today is in an open month: the same receipt posts.
    await ledger.receive(t.db, { ...late, key: 'late-2' });
  });

  test('a closed month’s journal and valuation never change: same bytes after new moves and a new account map', async () => {
    const { starts, ends } = monthBounds('2026-10', TZ);
    const exportCsv = async (accounts: AccountMap) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeJournal(t.sql, { from: starts, to: ends, timeZone: TZ, accounts, format: 'csv', out });
      return Buffer.concat(chunks).toString();
    };
    const before = await exportCsv(ACCOUNTS);
    const valuation = await inventoryValuation(t.db, { before: ends });
    await ledger.issue(t.db, { key: 'after-close', sku: 'PEN-W', location: 'Main/Aisle 1/Bin 1', quantity: '1', document: { type: 'manual', id: 'NOV' }, actor: 'U1', unreserved: true });
    const other: AccountMap = { ...ACCOUNTS, inventoryByWarehouse: {}, accounts: { ...ACCOUNTS.accounts, inventory: '9999' } };
    expect(await exportCsv(other)).toBe(before);
    expect(before.split('\n')[0]).toBe('entry_id,date,document_type,document_id,description,line,account,debit,credit,moves,first_move_id,last_move_id');
    expect(await inventoryValuation(t.db, { before: ends })).toEqual(valuation);
  });
});

describe('the commands', () => {
  test('journal export, period close and report reconcile from the CLI', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-journal-'));
    try {
      const file = path.join(dir, 'oct.csv');
      const totals = await journalExportCommand({ period: '2026-10', out: file, databaseUrl: t.url });
      expect(totals.debits).toBe(totals.credits);
      expect(totals.entries).toBe(15);
      const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
      expect(rows).toHaveLength(1 + totals.lines);
      const json = path.join(dir, 'oct.jsonl');
      await journalExportCommand({ from: '2026-10-01', to: '2026-11-01', format: 'json', out: json, databaseUrl: t.url });
      const entries = fs.readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
      expect(entries).toHaveLength(15);
      await expect(journalExportCommand({ period: '2026-13', databaseUrl: t.url })).rejects.toThrow('is not a month');
      expect(await periodCloseCommand('2026-10', { databaseUrl: t.url })).toMatch(/already closed/);
      const r = await reconcileCommand({ period: '2026-10', databaseUrl: t.url });
      expect(r.reconciled).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('from Slack', () => {
  test('/stockroom period close: inventory managers and admins close a month; others are told no; bad months are named', async () => {
    const deps = { db: t.db, settings: { ...DEFAULT_SETTINGS, accounting: ACCOUNTS } } as unknown as BotDeps;
    const say = async (who: string, text: string) => (await adminAnswer(deps, {} as WebClient, who, text)).text;
    expect(await say('UNOBODY', 'period close 2026-11')).toBe('Only inventory managers and admins can close a period.');
    await assignRole(t.db, { subject: { kind: 'user', id: 'UFARAH' }, role: 'inventory_manager', grantedBy: 'test' });
    expect(await say('UFARAH', 'period close 2026-11')).toMatch(/^2026-11 is closed: no stock move or supplier invoice can be dated in it/);
    expect(await say('UFARAH', 'period close 2026-11')).toBe('2026-11 was already closed by <@UFARAH>; nothing changed.');
    expect(await say('UFARAH', 'period close 2026-13')).toMatch(/^Use .*stockroom period close YYYY-MM/);
    expect(await say('UFARAH', 'period close 2099-01')).toMatch(/^2099-01 was not closed: period 2099-01 has not ended yet/);
  });
});

describe('any ledger', () => {
  test('every entry balances and every month reconciles, for random moves of random items', async () => {
    // Its own database: the months above are closed, and these moves are dated in 2025.
    const own = await createTestDatabase();
    for (const p of ['Main/Aisle 1/Bin 1', 'Annex/Shelf A']) await ensureLocation(own.db, { path: p });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            item: fc.integer({ min: 0, max: 2 }),
            op: fc.constantFrom('receive', 'issue', 'transfer', 'loss', 'gain'),
            quantity: fc.integer({ min: 1, max: 9 }),
            cost: fc.integer({ min: 1, max: 999 }),
            day: fc.integer({ min: 1, max: 28 }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (ops) => {
          run++;
          const period = `2025-${String(run).padStart(2, '0')}`;
          const skus = ['fifo', 'lifo', 'wavg'].map((method) => ({ sku: `R${run}-${method}`, method: method as 'fifo' | 'lifo' | 'wavg' }));
          for (const s of skus) await createItem(own.db, { sku: s.sku, name: s.sku, valuationMethod: s.method, category: s.method === 'lifo' ? 'Pens' : null });
          let n = 0;
          for (const o of ops.sort((a, b) => a.day - b.day)) {
            const sku = skus[o.item]!.sku;
            const occurredAt = new Date(`${period}-${String(o.day).padStart(2, '0')}T12:00:00Z`);
            const key = `r${run}-${n++}`;
            const document = { type: 'manual' as const, id: `D${o.day}` };
            const base = { key, sku, actor: 'U', document, occurredAt };
            await refusal(() => {
              switch (o.op) {
                case 'receive':
                  return ledger.receive(own.db, { ...base, location: o.day % 2 ? 'Main/Aisle 1/Bin 1' : 'Annex/Shelf A', quantity: String(o.quantity), unitCost: (o.cost / 100).toFixed(2) });
                case 'issue':
                  return ledger.issue(own.db, { ...base, location: 'Main/Aisle 1/Bin 1', quantity: String(o.quantity), unreserved: true });
                case 'transfer':
                  return ledger.transfer(own.db, { ...base, from: 'Main/Aisle 1/Bin 1', to: 'Annex/Shelf A', quantity: String(o.quantity) });
                case 'loss':
                  return ledger.adjust(own.db, { ...base, location: 'Annex/Shelf A', quantity: String(-o.quantity) });
                case 'gain':
                  return ledger.adjust(own.db, { ...base, location: 'Main/Aisle 1/Bin 1', quantity: String(o.quantity), unitCost: (o.cost / 1000).toFixed(3) });
              }
            }); // refused ones (not enough stock) simply post nothing
          }
          const { starts, ends } = monthBounds(period, TZ);
          const ownEntries = async (from: Date, to: Date) => {
            const out: JournalEntry[] = [];
            // Every other run maps by category too and not by warehouse, so both query shapes are exercised.
            const accounts = run % 2 ? ACCOUNTS : { ...ACCOUNTS, inventoryByWarehouse: {}, inventoryByCategory: { Pens: '1350' } };
            for await (const e of journalEntries(own.sql, { from, to, timeZone: TZ, accounts })) out.push(e);
            return out;
          };
          for (const e of await ownEntries(starts, ends)) assertBalanced(e);
          const r = await reconcilePeriod(own, period, ACCOUNTS);
          expect(r.items.filter((i) => !i.balanced)).toEqual([]);
          expect(r.reconciled).toBe(true);
        },
      ),
      { numRuns: 8 },
    );
    await own.drop();
  });
});
