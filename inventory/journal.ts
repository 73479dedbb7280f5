import { startOfDayIn } from './cycle-count.js';
import { Decimal, toPlain } from './decimal.js';

/**
 * Journal entries for the accounting system, from the stock ledger: pure functions, no I/O.
 *
 * The ledger already values every move under its item's own method (FIFO, LIFO or weighted average), so
 * an entry only says which accounts a move's value lands on:
 * - receipt: inventory against goods received not invoiced (a purchase order) or opening balance (imports);
 * - issue: the cost center's expense (else cost of goods) against inventory;
 * - count adjustment: inventory against shrinkage (a loss debits shrinkage, a gain credits it);
 * - transfer: the destination's inventory account against the source's, when they differ;
 * - supplier invoice: goods received not invoiced at the receipt cost against accounts payable at the
 *   invoice price, the difference to price variance.
 * One entry per day, document and kind of move; every line carries how many moves it sums and their id
 * range, so it can be traced back to the ledger.
 */

export interface AccountMap {
  accounts: {
    inventory: string;
    goodsReceivedNotInvoiced: string;
    accountsPayable: string;
    costOfGoods: string;
    shrinkage: string;
    priceVariance: string;
    openingBalance: string;
  };
  inventoryByWarehouse: Record<string, string>;
  inventoryByCategory: Record<string, string>;
  expenseByCostCenter: Record<string, string>;
}

export type MoveKind = 'receipt' | 'issue' | 'transfer' | 'adjustment';

/** Moves of one day, document, kind and account-deciding attributes, summed (db/queries/journal.ts). */
export interface MoveGroup {
  /** YYYY-MM-DD in the stockroom's time zone. */
  day: string;
  kind: MoveKind;
  documentType: string;
  documentId: string;
  /** The first part of the location's path. */
  warehouse: string;
  category: string | null;
  costCenter: string | null;
  /** Signed sum of the moves' values (in > 0, out < 0). */
  value: string;
  moves: number;
  firstMoveId: string;
  lastMoveId: string;
}

/** A supplier invoice's three-way match in money: what was received at receipt cost, what is billed. */
export interface InvoiceMatch {
  invoiceId: string;
  invoiceNumber: string;
  vendorCode: string;
  purchaseOrder: string;
  day: string;
  /** Σ invoiced quantity × the receipt moves' unit cost. */
  receivedValue: string;
  /** Σ invoiced quantity × invoiced unit price. */
  invoicedValue: string;
}

export interface JournalLine {
  account: string;
  debit: string;
  credit: string;
  moves: number;
  firstMoveId: string | null;
  lastMoveId: string | null;
}

export interface JournalEntry {
  id: string;
  date: string;
  documentType: string;
  documentId: string;
  kind: MoveKind | 'invoice';
  description: string;
  lines: JournalLine[];
}

export const inventoryAccount = (map: AccountMap, warehouse: string, category: string | null): string =>
  map.inventoryByWarehouse[warehouse] ?? (category === null ? undefined : map.inventoryByCategory[category]) ?? map.accounts.inventory;

/** The account a move's value is set against; none for a transfer (inventory to inventory). */
export function counterAccount(map: AccountMap, group: Pick<MoveGroup, 'kind' | 'documentType' | 'costCenter'>): string | undefined {
  switch (group.kind) {
    case 'receipt':
      return group.documentType === 'purchase_order' ? map.accounts.goodsReceivedNotInvoiced : map.accounts.openingBalance;
    case 'issue':
      return (group.costCenter === null ? undefined : map.expenseByCostCenter[group.costCenter]) ?? map.accounts.costOfGoods;
    case 'adjustment':
      return map.accounts.shrinkage;
    case 'transfer':
      return undefined;
  }
}

/**
 * Money as an exact count of ten-thousandths (the ledger's numeric(18,4)) in a BigInt: sums of millions of
 * lines stay exact and cost a fraction of a decimal.js operation, which matters on a month's export.
 */
export function toUnits(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) throw new RangeError(`"${text}" is not an amount with at most 4 decimals`);
  const units = BigInt(m[2]! + (m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -units : units;
}

/** Units back to a plain decimal string without trailing zeros ("17.5", "15", "-0.25"), as toPlain() writes. */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(5, '0');
  const whole = digits.slice(0, -4);
  const fraction = digits.slice(-4).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

interface Tally {
  amount: bigint;
  moves: number;
  first: bigint | null;
  last: bigint | null;
}

const DESCRIPTIONS: Record<MoveKind, string> = {
  receipt: 'Stock received',
  issue: 'Stock issued',
  transfer: 'Stock transferred',
  adjustment: 'Count adjustment',
};

/** One entry from the groups of one day, document and kind: debits and credits per account, balanced. */
export function entryFromGroups(map: AccountMap, groups: readonly MoveGroup[]): JournalEntry | undefined {
  const first = groups[0];
  if (!first) return undefined;
  const tallies = new Map<string, Tally>();
  const add = (account: string, amount: bigint, g: MoveGroup) => {
    const t = tallies.get(account) ?? { amount: 0n, moves: 0, first: null, last: null };
    t.amount += amount;
    t.moves += g.moves;
    const lo = BigInt(g.firstMoveId);
    const hi = BigInt(g.lastMoveId);
    t.first = t.first === null || lo < t.first ? lo : t.first;
    t.last = t.last === null || hi > t.last ? hi : t.last;
    tallies.set(account, t);
  };
  let minMove: bigint | null = null;
  for (const g of groups) {
    const value = toUnits(g.value);
    add(inventoryAccount(map, g.warehouse, g.category), value, g);
    const counter = counterAccount(map, g);
    if (counter !== undefined) add(counter, -value, g);
    const lo = BigInt(g.firstMoveId);
    if (minMove === null || lo < minMove) minMove = lo;
  }
  checkTallies(tallies, minMove);
  const lines = linesOf(tallies);
  if (lines.length === 0) return undefined; // nothing of value moved (zero-cost items, a transfer within one account)
  const entry: JournalEntry = {
    id: `SR-M${minMove}`,
    date: first.day,
    documentType: first.documentType,
    documentId: first.documentId,
    kind: first.kind,
    description: `${DESCRIPTIONS[first.kind]}: ${first.documentType} ${first.documentId}`,
    lines,
  };
  return entry;
}

/** Debits equal credits: the tallies, debit positive, sum to nothing (checked on the exact units, before any text). */
function checkTallies(tallies: Map<string, Tally>, id: bigint | string | null): void {
  let sum = 0n;
  for (const t of tallies.values()) sum += t.amount;
  if (sum !== 0n) throw new UnbalancedEntryError(`entry ${String(id)}: debits and credits differ by ${fromUnits(sum)}`);
}

/** The invoice's entry: GRNI cleared at receipt cost, payable at invoice price, the difference to price variance. */
export function entryFromInvoice(map: AccountMap, invoice: InvoiceMatch): JournalEntry | undefined {
  const received = toUnits(invoice.receivedValue);
  const invoiced = toUnits(invoice.invoicedValue);
  const tallies = new Map<string, Tally>();
  const add = (account: string, amount: bigint) => {
    const t = tallies.get(account) ?? { amount: 0n, moves: 0, first: null, last: null };
    t.amount += amount;
    tallies.set(account, t);
  };
  add(map.accounts.goodsReceivedNotInvoiced, received);
  add(map.accounts.accountsPayable, -invoiced);
  add(map.accounts.priceVariance, invoiced - received);
  checkTallies(tallies, invoice.invoiceId);
  const lines = linesOf(tallies);
  if (lines.length === 0) return undefined;
  const entry: JournalEntry = {
    id: `SR-INV-${invoice.invoiceId}`,
    date: invoice.day,
    documentType: 'supplier_invoice',
    documentId: `${invoice.vendorCode} ${invoice.invoiceNumber}`,
    kind: 'invoice',
    description: `Supplier invoice ${invoice.invoiceNumber} from ${invoice.vendorCode} for ${invoice.purchaseOrder}`,
    lines,
  };
  return entry;
}

function linesOf(tallies: Map<string, Tally>): JournalLine[] {
  const lines: JournalLine[] = [];
  const sorted = [...tallies].sort(([a, ta], [b, tb]) => Number(tb.amount > 0n) - Number(ta.amount > 0n) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [account, t] of sorted) {
    if (t.amount === 0n) continue;
    lines.push({
      account,
      debit: t.amount > 0n ? fromUnits(t.amount) : '0',
      credit: t.amount < 0n ? fromUnits(-t.amount) : '0',
      moves: t.moves,
      firstMoveId: t.first === null ? null : String(t.first),
      lastMoveId: t.last === null ? null : String(t.last),
    });
  }
  return lines;
}

export class UnbalancedEntryError extends Error {
  override readonly name = 'UnbalancedEntryError';
}

/** Debits equal credits, exactly; throws otherwise (a bug, never a user's input). */
export function assertBalanced(entry: JournalEntry): void {
  const debits = entry.lines.reduce((s, l) => s + toUnits(l.debit), 0n);
  const credits = entry.lines.reduce((s, l) => s + toUnits(l.credit), 0n);
  if (debits !== credits) throw new UnbalancedEntryError(`entry ${entry.id}: debits ${fromUnits(debits)} ≠ credits ${fromUnits(credits)}`);
}

/** The key groups of one entry share; rows arrive sorted by it. */
export const entryKey = (g: Pick<MoveGroup, 'day' | 'kind' | 'documentType' | 'documentId'>): string =>
  `${g.day}\u0000${g.kind}\u0000${g.documentType}\u0000${g.documentId}`;

/** Turns groups sorted by entryKey into entries, one per key, as they stream past. */
export async function* entriesFromGroups(map: AccountMap, groups: AsyncIterable<MoveGroup>): AsyncGenerator<JournalEntry> {
  let key: string | undefined;
  let pending: MoveGroup[] = [];
  for await (const g of groups) {
    const k = entryKey(g);
    if (k !== key && pending.length) {
      const entry = entryFromGroups(map, pending);
      if (entry) yield entry;
      pending = [];
    }
    key = k;
    pending.push(g);
  }
  const entry = entryFromGroups(map, pending);
  if (entry) yield entry;
}

/** The net movement of each account over some entries (debit positive): the reconciliation's other side. */
export function accountMovements(entries: Iterable<JournalEntry>): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const e of entries) {
    for (const l of e.lines) out.set(l.account, (out.get(l.account) ?? new Decimal(0)).plus(l.debit).minus(l.credit));
  }
  return out;
}

/** Every inventory account the map can post to. */
export const inventoryAccounts = (map: AccountMap): Set<string> =>
  new Set([map.accounts.inventory, ...Object.values(map.inventoryByWarehouse), ...Object.values(map.inventoryByCategory)]);

export const JOURNAL_CSV_COLUMNS = [
  'entry_id',
  'date',
  'document_type',
  'document_id',
  'description',
  'line',
  'account',
  'debit',
  'credit',
  'moves',
  'first_move_id',
  'last_move_id',
] as const;

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * An entry as CSV text (RFC 4180: quoted where needed), one row per line. Written by hand rather than
 * through csv-stringify: a month is millions of rows, and this is the export's hot path.
 */
export const csvText = (e: JournalEntry): string => {
  const head = `${csvField(e.id)},${e.date},${csvField(e.documentType)},${csvField(e.documentId)},${csvField(e.description)},`;
  let out = '';
  e.lines.forEach((l, i) => {
    out += `${head}${i + 1},${csvField(l.account)},${l.debit},${l.credit},${l.moves},${l.firstMoveId ?? ''},${l.lastMoveId ?? ''}\n`;
  });
  return out;
};

/** Whether the text names a calendar month, 'YYYY-MM' (an accounting period). */
export const isMonth = (text: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(text);

/** A calendar month 'YYYY-MM' as [start, end) instants in a time zone (an IANA name). */
export function monthBounds(period: string, timeZone: string): { starts: Date; ends: Date } {
  if (!isMonth(period)) throw new RangeError(`"${period}" is not a month: write it as YYYY-MM, e.g. 2026-11`);
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return { starts: startOfDayIn(`${period}-01`, timeZone), ends: startOfDayIn(next, timeZone) };
}
