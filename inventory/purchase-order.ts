import { Decimal, dec, formatMoney, parseDecimal, QTY_SCALE, MONEY_SCALE, toPlain } from './decimal.js';

/**
 * Purchase order rules as pure functions over decimal strings, shared by the purchase order
 * workflow (its update validators), the activities and the Slack modal: what may be received,
 * what the PO's status becomes, and the three-way match of a supplier invoice.
 */

export type Qty = string;
export type Money = string;

export type PurchaseOrderStatus =
  | 'draft'
  | 'awaiting_approval'
  | 'approved'
  | 'sent'
  | 'partially_received'
  | 'received'
  | 'closed'
  | 'cancelled';

/** Statuses in which goods may be received. */
export const RECEIVABLE_STATUSES: readonly PurchaseOrderStatus[] = ['sent', 'partially_received'];
/** Statuses in which the PO is over. */
export const FINISHED_STATUSES: readonly PurchaseOrderStatus[] = ['received', 'closed', 'cancelled'];

/** Receiving more than ordered is refused beyond this fraction of the open quantity (5 %). */
export const DEFAULT_OVER_RECEIPT_TOLERANCE = '0.05';

export interface PoLineQuantities {
  lineNo: number;
  sku: string;
  ordered: Qty;
  received: Qty;
  cancelled: Qty;
}

/** Still expected on a line: ordered − cancelled − received, never below zero. */
export const openQuantity = (line: Pick<PoLineQuantities, 'ordered' | 'received' | 'cancelled'>): Qty =>
  toPlain(Decimal.max(dec(line.ordered).minus(line.cancelled).minus(line.received), 0));

/** The most a line may reach in total: (ordered − cancelled) × (1 + tolerance), to unit decimals. */
export const receivableLimit = (line: Pick<PoLineQuantities, 'ordered' | 'cancelled'>, tolerance: string, decimals = QTY_SCALE): Qty =>
  toPlain(dec(line.ordered).minus(line.cancelled).times(dec(1).plus(tolerance)).toDecimalPlaces(decimals, Decimal.ROUND_FLOOR));

export interface ReceiptLineInput {
  lineNo: number;
  /** As typed: validated here. Empty or '0' means "nothing on this line". */
  quantity: string;
  location?: string;
  lot?: string;
  note?: string;
}

export interface ReceiptProblem {
  lineNo: number;
  field: 'quantity' | 'location' | 'line';
  message: string;
}

export type ReceiptCheck = { ok: true; lines: { lineNo: number; quantity: Qty }[] } | { ok: false; problems: ReceiptProblem[] };

/**
 * Checks a receipt against the lines: quantities are positive decimals within the unit's decimals,
 * every received line has a location, and no line goes past ordered × (1 + tolerance). At least
 * one line must carry a quantity.
 */
export function checkReceipt(input: {
  status: PurchaseOrderStatus;
  lines: (PoLineQuantities & { decimals?: number })[];
  receipt: ReceiptLineInput[];
  tolerance?: string;
}): ReceiptCheck {
  const problems: ReceiptProblem[] = [];
  if (!RECEIVABLE_STATUSES.includes(input.status)) {
    return { ok: false, problems: [{ lineNo: 0, field: 'line', message: `Nothing can be received on a purchase order that is ${input.status.replace('_', ' ')}.` }] };
  }
  const tolerance = input.tolerance ?? DEFAULT_OVER_RECEIPT_TOLERANCE;
  const byNo = new Map(input.lines.map((l) => [l.lineNo, l]));
  const accepted: { lineNo: number; quantity: Qty }[] = [];
  const seen = new Set<number>();
  for (const r of input.receipt) {
    const line = byNo.get(r.lineNo);
    if (!line) {
      problems.push({ lineNo: r.lineNo, field: 'line', message: `Line ${r.lineNo} is not on this purchase order.` });
      continue;
    }
    if (seen.has(r.lineNo)) {
      problems.push({ lineNo: r.lineNo, field: 'line', message: `Line ${r.lineNo} appears twice in this receipt.` });
      continue;
    }
    seen.add(r.lineNo);
    const raw = r.quantity.trim();
    if (raw === '' || raw === '0') continue;
    const quantity = parseDecimal(raw);
    const decimals = line.decimals ?? QTY_SCALE;
    if (!quantity || quantity.isNegative()) {
      problems.push({ lineNo: r.lineNo, field: 'quantity', message: `"${raw}" is not a quantity: use digits and a dot, e.g. 12 or 2.5.` });
      continue;
    }
    if (quantity.isZero()) continue;
    if (quantity.decimalPlaces() > decimals) {
      problems.push({
        lineNo: r.lineNo,
        field: 'quantity',
        message: decimals === 0 ? `${line.sku} is counted in whole units.` : `${line.sku} takes at most ${decimals} decimals.`,
      });
      continue;
    }
    const limit = receivableLimit(line, tolerance, decimals);
    const after = quantity.plus(line.received);
    if (after.gt(limit)) {
      const open = openQuantity(line);
      problems.push({
        lineNo: r.lineNo,
        field: 'quantity',
        message:
          `Over-receipt refused: ${line.sku} has ${open} still open (ordered ${toPlain(dec(line.ordered))}, received ${toPlain(dec(line.received))}` +
          `${dec(line.cancelled).isZero() ? '' : `, cancelled ${toPlain(dec(line.cancelled))}`}); ` +
          `at most ${toPlain(Decimal.max(dec(limit).minus(line.received), 0))} can be received with the ${toPlain(dec(tolerance).times(100))} % tolerance.`,
      });
      continue;
    }
    if (!r.location || r.location.trim() === '') {
      problems.push({ lineNo: r.lineNo, field: 'location', message: `Say where ${line.sku} is put away (a location such as Main/Aisle 3/Bin 12).` });
      continue;
    }
    accepted.push({ lineNo: r.lineNo, quantity: toPlain(quantity) });
  }
  if (problems.length) return { ok: false, problems };
  if (accepted.length === 0) return { ok: false, problems: [{ lineNo: 0, field: 'quantity', message: 'Enter a quantity on at least one line.' }] };
  return { ok: true, lines: accepted };
}

/** After receipts: received when nothing is open on any line, partially received otherwise. */
export function statusAfterReceipt(lines: Pick<PoLineQuantities, 'ordered' | 'received' | 'cancelled'>[]): 'received' | 'partially_received' {
  return lines.every((l) => dec(openQuantity(l)).isZero()) ? 'received' : 'partially_received';
}

/** Value of the lines at their unit prices, to money scale. */
export const purchaseOrderTotal = (lines: { quantity: Qty; unitPrice: Money }[]): Money =>
  toPlain(lines.reduce((acc, l) => acc.plus(dec(l.quantity).times(l.unitPrice)), dec(0)).toDecimalPlaces(MONEY_SCALE));

export interface InvoiceLineInput {
  lineNo: number;
  quantity: Qty;
  unitPrice: Money;
}

export interface InvoiceMismatch {
  lineNo: number;
  sku: string;
  field: 'quantity' | 'unit_price' | 'line';
  invoiced: string;
  expected: string;
  message: string;
}

/**
 * Three-way match: each invoiced line against the PO (price) and the receipts (quantity). A price
 * may differ by `priceTolerance` (fraction) and the quantity not at all: billing for goods not
 * received is what the match exists to catch.
 */
export function threeWayMatch(input: {
  lines: (PoLineQuantities & { unitPrice: Money })[];
  invoice: InvoiceLineInput[];
  priceTolerance?: string;
}): { status: 'matched' | 'mismatch'; mismatches: InvoiceMismatch[]; total: Money } {
  const byNo = new Map(input.lines.map((l) => [l.lineNo, l]));
  const tolerance = dec(input.priceTolerance ?? '0');
  const mismatches: InvoiceMismatch[] = [];
  for (const inv of input.invoice) {
    const line = byNo.get(inv.lineNo);
    if (!line) {
      mismatches.push({ lineNo: inv.lineNo, sku: '?', field: 'line', invoiced: inv.quantity, expected: '0', message: `Line ${inv.lineNo} is not on the purchase order.` });
      continue;
    }
    if (!dec(inv.quantity).eq(line.received)) {
      mismatches.push({
        lineNo: inv.lineNo,
        sku: line.sku,
        field: 'quantity',
        invoiced: toPlain(dec(inv.quantity)),
        expected: toPlain(dec(line.received)),
        message: `${line.sku}: invoiced ${toPlain(dec(inv.quantity))}, received ${toPlain(dec(line.received))}.`,
      });
    }
    const allowed = dec(line.unitPrice).times(tolerance);
    if (dec(inv.unitPrice).minus(line.unitPrice).abs().gt(allowed)) {
      mismatches.push({
        lineNo: inv.lineNo,
        sku: line.sku,
        field: 'unit_price',
        invoiced: toPlain(dec(inv.unitPrice)),
        expected: toPlain(dec(line.unitPrice)),
        message: `${line.sku}: invoiced at ${formatMoney(inv.unitPrice)}, ordered at ${formatMoney(line.unitPrice)}.`,
      });
    }
  }
  const invoicedNos = new Set(input.invoice.map((i) => i.lineNo));
  for (const line of input.lines) {
    if (!invoicedNos.has(line.lineNo) && dec(line.received).gt(0)) {
      mismatches.push({
        lineNo: line.lineNo,
        sku: line.sku,
        field: 'quantity',
        invoiced: '0',
        expected: toPlain(dec(line.received)),
        message: `${line.sku}: received ${toPlain(dec(line.received))} but not on the invoice.`,
      });
    }
  }
  const total = purchaseOrderTotal(input.invoice.map((i) => ({ quantity: i.quantity, unitPrice: i.unitPrice })));
  return { status: mismatches.length ? 'mismatch' : 'matched', mismatches, total };
}
