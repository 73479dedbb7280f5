import fs from 'node:fs';
import os from 'node:os';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type postgres from 'postgres';
import { getCountingSettings } from '../db/queries/counting.js';
import { closedPeriod, closePeriod, journalEntries, journalSegments, movementByItem, PeriodError, type ReconciliationLine } from '../db/queries/journal.js';
import { inventoryValuation } from '../db/queries/reports.js';
import type { Database } from '../db/client.js';
import { startOfDayIn } from '../inventory/cycle-count.js';
import { Decimal, formatMoney, toPlain } from '../inventory/decimal.js';
import { accountMovements, csvText, fromUnits, inventoryAccounts, isMonth, JOURNAL_CSV_COLUMNS, monthBounds, toUnits, type AccountMap, type JournalEntry } from '../inventory/journal.js';
import { loadSettings } from '../runtime/settings.js';
import { CommandError, openCommandDatabase } from './database.js';
import { renderTable } from './text-table.js';

/** The stockroom's time zone (counting settings, validated when set), in which days and months are reckoned. */
const stockroomTimeZone = async (db: Database): Promise<string> => (await getCountingSettings(db)).timeZone;

function checkPeriod(period: string | undefined, option = 'period'): string {
  if (!period || !isMonth(period)) throw new CommandError(`--${option} "${period ?? ''}" is not a month: write it as YYYY-MM, e.g. 2026-11.`);
  return period;
}

function dayStart(text: string | undefined, option: string, timeZone: string): Date {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new CommandError(`--${option} "${text ?? ''}" is not a date: write it as YYYY-MM-DD.`);
  }
  return startOfDayIn(text, timeZone);
}

export interface JournalTotals {
  entries: number;
  lines: number;
  debits: string;
  credits: string;
}

/** Streams the journal of [from, to) to `out` as CSV or JSON Lines; every entry is checked balanced on the way. */
export async function writeJournal(
  sql: postgres.Sql,
  input: { from: Date; to: Date; timeZone: string; accounts: AccountMap; format: 'csv' | 'json'; out: Writable },
): Promise<JournalTotals> {
  let entries = 0;
  let lines = 0;
  let debits = 0n;
  let credits = 0n;
  // Written in chunks of about 64 kB, waiting for the stream to drain, so memory stays flat.
  let buffer = input.format === 'csv' ? `${JOURNAL_CSV_COLUMNS.join(',')}\n` : '';
  const flush = async () => {
    if (!input.out.write(buffer)) await once(input.out, 'drain');
    buffer = '';
  };
  for (const segment of await journalSegments(sql, { from: input.from, to: input.to, current: input.accounts })) {
    for await (const entry of journalEntries(sql, { ...segment, timeZone: input.timeZone })) {
      entries++;
      lines += entry.lines.length;
      for (const l of entry.lines) {
        if (l.debit !== '0') debits += toUnits(l.debit);
        if (l.credit !== '0') credits += toUnits(l.credit);
      }
      buffer += input.format === 'csv' ? csvText(entry) : `${JSON.stringify(entry)}\n`;
      if (buffer.length > 65_536) await flush();
    }
  }
  await flush();
  return { entries, lines, debits: fromUnits(debits), credits: fromUnits(credits) };
}

/** `stockroom journal export --from YYYY-MM-DD --to YYYY-MM-DD | --period YYYY-MM [--format csv|json] [--out FILE]` */
export async function journalExportCommand(opts: { from?: string; to?: string; period?: string; format?: string; out?: string; databaseUrl?: string }): Promise<JournalTotals> {
  const format = opts.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new CommandError(`--format "${format}": use csv or json.`);
  if (opts.period === undefined && (opts.from === undefined || opts.to === undefined)) {
    throw new CommandError('Say which stretch: --period YYYY-MM, or --from YYYY-MM-DD and --to YYYY-MM-DD (the day after the last one).');
  }
  const settings = loadSettings();
  const handle = await openCommandDatabase({ url: opts.databaseUrl });
  try {
    const timeZone = await stockroomTimeZone(handle.db);
    const { from, to } =
      opts.period !== undefined
        ? (({ starts, ends }) => ({ from: starts, to: ends }))(monthBounds(checkPeriod(opts.period), timeZone))
        : { from: dayStart(opts.from, 'from', timeZone), to: dayStart(opts.to, 'to', timeZone) };
    if (from >= to) throw new CommandError('--to must be after --from (it is exclusive: the day after the last day exported).');
    const out = opts.out && opts.out !== '-' ? fs.createWriteStream(opts.out) : process.stdout;
    const totals = await writeJournal(handle.sql, { from, to, timeZone, accounts: settings.accounting, format, out });
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    process.stderr.write(
      `journal ${from.toISOString()} .. ${to.toISOString()} (${timeZone}): ${totals.entries} entries, ${totals.lines} lines, debits ${totals.debits} = credits ${totals.credits}\n`,
    );
    return totals;
  } finally {
    await handle.close();
  }
}

/** `stockroom period close YYYY-MM` */
export async function periodCloseCommand(period: string, opts: { databaseUrl?: string } = {}): Promise<string> {
  checkPeriod(period, 'period');
  const settings = loadSettings();
  const handle = await openCommandDatabase({ url: opts.databaseUrl });
  try {
    const timeZone = await stockroomTimeZone(handle.db);
    const closed = await closePeriod(handle.db, { period, timeZone, accounts: settings.accounting, by: `cli:${os.userInfo().username}` }).catch((err) => {
      if (err instanceof PeriodError) throw new CommandError(`${period} was not closed: ${err.message}.`);
      throw err;
    });
    const text = closed.alreadyClosed
      ? `${period} was already closed on ${closed.closedAt.toISOString()} by ${closed.closedBy}; nothing changed.`
      : `${period} is closed (${closed.startsAt.toISOString()} .. ${closed.endsAt.toISOString()}, ${timeZone}): no stock move or supplier invoice can be dated in it any more, and its journal keeps today's accounts.`;
    console.log(text);
    return text;
  } finally {
    await handle.close();
  }
}

export interface Reconciliation {
  period: string;
  from: string;
  to: string;
  items: (ReconciliationLine & { replayed: string; balanced: boolean })[];
  totals: { opening: string; receipts: string; issues: string; adjustments: string; transfers: string; closing: string };
  /** Inventory value under each method at the period's two ends (replayed from the moves). */
  methods: { fifo: { opening: string; closing: string }; lifo: { opening: string; closing: string }; wavg: { opening: string; closing: string } };
  /** Net debit of the inventory accounts in the period's journal. */
  journalInventoryMovement: string;
  reconciled: boolean;
}

/** Opening + receipts − issues ± adjustments (+ transfers, zero per item) = closing, per item and in total, held against the replayed valuation and the journal. */
export async function reconcilePeriod(handle: { db: Database; sql: postgres.Sql }, period: string, accounts: AccountMap): Promise<Reconciliation> {
  const timeZone = await stockroomTimeZone(handle.db);
  const { starts, ends } = monthBounds(period, timeZone);
  const closed = await closedPeriod(handle.db, period);
  const map = closed?.accounts ?? accounts;
  const [lines, before, after] = await Promise.all([
    movementByItem(handle.sql, { from: starts, to: ends }),
    inventoryValuation(handle.db, { before: starts }),
    inventoryValuation(handle.db, { before: ends }),
  ]);
  const replayed = new Map(after.items.map((i) => [i.sku, i.book]));
  const sum = (pick: (l: ReconciliationLine) => string) => toPlain(lines.reduce((s, l) => s.plus(pick(l)), new Decimal(0)));
  const items = lines.map((l) => {
    const computed = new Decimal(l.opening).plus(l.receipts).plus(l.issues).plus(l.adjustments).plus(l.transfers);
    return { ...l, replayed: replayed.get(l.sku) ?? '0', balanced: computed.eq(l.closing) && new Decimal(replayed.get(l.sku) ?? '0').eq(l.closing) };
  });
  const entries: JournalEntry[] = [];
  for await (const e of journalEntries(handle.sql, { from: starts, to: ends, timeZone, accounts: map })) entries.push(e);
  const movements = accountMovements(entries);
  const inventory = [...inventoryAccounts(map)].reduce((s, a) => s.plus(movements.get(a) ?? 0), new Decimal(0));
  const totals = { opening: sum((l) => l.opening), receipts: sum((l) => l.receipts), issues: sum((l) => l.issues), adjustments: sum((l) => l.adjustments), transfers: sum((l) => l.transfers), closing: sum((l) => l.closing) };
  const reconciled =
    items.every((i) => i.balanced) &&
    new Decimal(totals.closing).minus(totals.opening).eq(inventory) &&
    new Decimal(after.totals.book).eq(totals.closing) &&
    new Decimal(before.totals.book).eq(totals.opening);
  return {
    period,
    from: starts.toISOString(),
    to: ends.toISOString(),
    items,
    totals,
    methods: {
      fifo: { opening: before.totals.fifo, closing: after.totals.fifo },
      lifo: { opening: before.totals.lifo, closing: after.totals.lifo },
      wavg: { opening: before.totals.wavg, closing: after.totals.wavg },
    },
    journalInventoryMovement: toPlain(inventory),
    reconciled,
  };
}

/** `stockroom report reconcile --period YYYY-MM [--json]`; exits 1 when something does not reconcile. */
export async function reconcileCommand(opts: { period?: string; json?: boolean; databaseUrl?: string }): Promise<Reconciliation> {
  const period = checkPeriod(opts.period);
  const settings = loadSettings();
  const handle = await openCommandDatabase({ url: opts.databaseUrl });
  try {
    const r = await reconcilePeriod(handle, period, settings.accounting);
    const text = opts.json ? JSON.stringify(r, null, 2) : renderReconciliation(r);
    if (!r.reconciled) throw new CommandError(`${text}\nThe period does not reconcile: see the lines marked ✗.`);
    console.log(text);
    return r;
  } finally {
    await handle.close();
  }
}

export function renderReconciliation(r: Reconciliation): string {
  const m = (v: string) => formatMoney(v);
  const table = renderTable(
    [
      { header: 'SKU', max: 24 },
      { header: 'method' },
      ...['opening', 'receipts', 'issues', 'adjustments', 'transfers', 'closing', 'replayed'].map((header) => ({ header, align: 'right' as const })),
      { header: '' },
    ],
    [
      ...r.items.map((i) => [i.sku, i.method, m(i.opening), m(i.receipts), m(i.issues), m(i.adjustments), m(i.transfers), m(i.closing), m(i.replayed), i.balanced ? '✓' : '✗']),
      null,
      ['total', '', m(r.totals.opening), m(r.totals.receipts), m(r.totals.issues), m(r.totals.adjustments), m(r.totals.transfers), m(r.totals.closing), '', ''],
    ],
  );
  const methods = (['fifo', 'lifo', 'wavg'] as const).map((k) => `${k.toUpperCase()} ${m(r.methods[k].opening)} → ${m(r.methods[k].closing)}`).join(' · ');
  return [
    `Period ${r.period} (${r.from} .. ${r.to}), book value under each item's own method:`,
    table,
    `Opening + receipts + issues + adjustments + transfers = closing (issues and losses are negative).`,
    `Journal: inventory accounts moved ${m(r.journalInventoryMovement)}; closing − opening = ${m(toPlain(new Decimal(r.totals.closing).minus(r.totals.opening)))}.`,
    `Whole stock under each method (opening → closing): ${methods}.`,
    r.reconciled ? 'Reconciled.' : 'NOT reconciled.',
  ].join('\n');
}
