import type { Database } from '../db/client.js';
import { costOfGoodsIssued, inventoryValuation, itemHistory, stockOnHand } from '../db/queries/reports.js';
import { formatMoney } from '../inventory/decimal.js';
import { LedgerError } from '../inventory/ledger-input.js';
import { CommandError, withCommandDatabase } from './database.js';
import { renderTable } from './text-table.js';

export const REPORT_KINDS = ['stock', 'value', 'cogs', 'history'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportOptions {
  sku?: string;
  /** stock: only this location and what is below it. */
  under?: string;
  /** stock: one row per location (rolled up the tree) instead of per item. */
  locations?: boolean;
  /** value: as the stock stood at this moment. */
  asOf?: string;
  /** cogs: the period [from, to); defaults to the last 30 days. */
  from?: string;
  to?: string;
  /** history: how many moves, newest first. */
  limit?: string;
  json?: boolean;
}

const DAY = 86_400_000;

function checkReportKind(kind: string): asserts kind is ReportKind {
  if (!(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new CommandError(`Unknown report "${kind}": use one of ${REPORT_KINDS.join(', ')}.`);
  }
}

function date(text: string | undefined, option: string): Date | undefined {
  if (text === undefined) return undefined;
  const value = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(value.getTime())) throw new CommandError(`--${option} "${text}" is not a date; use YYYY-MM-DD or an ISO date and time.`);
  return value;
}

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** The report as text (or JSON); what `stockroom report` prints. */
export async function renderReport(db: Database, kind: string, opts: ReportOptions = {}): Promise<string> {
  checkReportKind(kind);
  try {
    switch (kind) {
      case 'stock':
        return await stockReport(db, opts);
      case 'value':
        return await valueReport(db, opts);
      case 'cogs':
        return await cogsReport(db, opts);
      case 'history':
        return await historyReport(db, opts);
    }
  } catch (err) {
    // Unknown SKU or location: the ledger's sentence is the message.
    if (err instanceof LedgerError) throw new CommandError(err.message);
    throw err;
  }
}

async function stockReport(db: Database, opts: ReportOptions): Promise<string> {
  const report = await stockOnHand(db, { sku: opts.sku, under: opts.under });
  if (opts.json) return JSON.stringify(report, null, 2);
  if (report.locations.length === 0) return `No stock${opts.sku ? ` of ${opts.sku}` : ''}${opts.under ? ` under ${opts.under}` : ''}.`;
  if (opts.locations) {
    const top = Math.min(...report.locations.map((r) => r.depth));
    return renderTable(
      [{ header: 'Location' }, { header: 'SKU' }, { header: 'Name', max: 40 }, { header: 'On hand', align: 'right' }, { header: 'Reserved', align: 'right' }, { header: 'Available', align: 'right' }, { header: 'UoM' }],
      report.locations.map((r) => [`${'  '.repeat(r.depth - top)}${r.location}`, r.sku, r.name, r.onHand, r.reserved, r.available, r.uom]),
    );
  }
  return (
    renderTable(
      [{ header: 'SKU' }, { header: 'Name', max: 48 }, { header: 'On hand', align: 'right' }, { header: 'Reserved', align: 'right' }, { header: 'Available', align: 'right' }, { header: 'UoM' }],
      report.items.map((r) => [r.sku, r.name, r.onHand, r.reserved, r.available, r.uom]),
    ) + `\n\n${report.items.length} item${report.items.length === 1 ? '' : 's'} in stock${opts.under ? ` under ${opts.under}` : ''}.`
  );
}

async function valueReport(db: Database, opts: ReportOptions): Promise<string> {
  const asOf = date(opts.asOf, 'as-of');
  const report = await inventoryValuation(db, { sku: opts.sku, asOf });
  if (opts.json) return JSON.stringify(report, null, 2);
  const method = { fifo: 'FIFO', lifo: 'LIFO', wavg: 'WAVG' } as const;
  const rows: (string[] | null)[] = report.items.map((i) => [i.sku, i.name, method[i.method], i.onHand, formatMoney(i.book), formatMoney(i.fifo), formatMoney(i.lifo), formatMoney(i.wavg)]);
  rows.push(null, ['Total', '', '', '', formatMoney(report.totals.book), formatMoney(report.totals.fifo), formatMoney(report.totals.lifo), formatMoney(report.totals.wavg)]);
  return [
    `Inventory value ${report.asOf ? `as of ${minute(report.asOf)} UTC` : 'now'}: the books (each item's own method) and each method side by side.`,
    '',
    renderTable(
      [{ header: 'SKU' }, { header: 'Name', max: 36 }, { header: 'Method' }, { header: 'On hand', align: 'right' }, { header: 'Book', align: 'right' }, { header: 'FIFO', align: 'right' }, { header: 'LIFO', align: 'right' }, { header: 'Weighted avg', align: 'right' }],
      rows,
    ),
  ].join('\n');
}

async function cogsReport(db: Database, opts: ReportOptions): Promise<string> {
  const to = date(opts.to, 'to') ?? new Date();
  const from = date(opts.from, 'from') ?? new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw new CommandError('--from must be before --to.');
  const report = await costOfGoodsIssued(db, { from, to });
  if (opts.json) return JSON.stringify(report, null, 2);
  const rows: (string[] | null)[] = report.items.map((i) => [i.sku, i.name, i.quantity, formatMoney(i.cost)]);
  rows.push(null, ['Total', '', '', formatMoney(report.total)]);
  return [
    `Cost of goods issued from ${minute(report.from)} to ${minute(report.to)} UTC (each item at its own valuation method).`,
    '',
    renderTable([{ header: 'SKU' }, { header: 'Name', max: 48 }, { header: 'Quantity', align: 'right' }, { header: 'Cost', align: 'right' }], rows),
    '',
    `Written off by counts in the same period: ${formatMoney(report.writeOffs)}.`,
  ].join('\n');
}

async function historyReport(db: Database, opts: ReportOptions): Promise<string> {
  if (!opts.sku) throw new CommandError('Which item? `stockroom report history SKU`.');
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CommandError(`--limit "${opts.limit}" is not a positive whole number.`);
  const report = await itemHistory(db, { sku: opts.sku, limit });
  if (opts.json) return JSON.stringify(report, null, 2);
  if (report.moves.length === 0) return `${report.sku} ${report.name}: no moves yet.`;
  const type = { receipt: 'receipt', issue: 'issue', transfer_out: 'transfer out', transfer_in: 'transfer in', adjustment: 'adjustment' } as const;
  return [
    `${report.sku} ${report.name}: the last ${report.moves.length} move${report.moves.length === 1 ? '' : 's'}, newest first.`,
    '',
    renderTable(
      [{ header: 'When (UTC)' }, { header: 'Move' }, { header: 'Location', max: 28 }, { header: 'Quantity', align: 'right' }, { header: 'Unit cost', align: 'right' }, { header: 'Value', align: 'right' }, { header: 'Balance', align: 'right' }, { header: 'Document', max: 32 }, { header: 'By' }],
      report.moves.map((m) => [minute(m.at), type[m.type], m.location, m.quantity, m.unitCost, formatMoney(m.value), m.balance, `${m.document.type} ${m.document.id}`, m.actorName ?? m.actor]),
    ),
  ].join('\n');
}

/** `stockroom report stock|value|cogs|history` */
export async function reportCommand(kind: string, sku: string | undefined, opts: ReportOptions & { databaseUrl?: string } = {}): Promise<string> {
  checkReportKind(kind); // before starting a database for nothing
  const text = await withCommandDatabase(opts.databaseUrl, (db) => renderReport(db, kind, { ...opts, sku: sku ?? opts.sku }));
  console.log(text);
  return text;
}
