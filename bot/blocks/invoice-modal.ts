import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { QTY_SCALE, parseDecimal } from '../../inventory/decimal.js';
import type { PurchaseOrderView } from '../../workflows/purchase-order-messages.js';
import { INVOICE_MODAL } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { priceProblem } from './new-purchase-order.js';
import type { FieldErrors, ViewStateValues } from './request-modal.js';
import { escapeText, truncate } from './mrkdwn.js';

/**
 * "Enter invoice" on a PO card: the supplier's invoice number, then what it bills per PO line (quantity
 * prefilled with what was received, unit price with the PO's). The workflow does the three-way match.
 */

/** Lines in one invoice modal: 2 blocks each, under Slack's 100 with the header and number. */
export const MAX_INVOICE_LINES = 40;

export interface InvoiceModalMetadata {
  number: string;
  lineNos: number[];
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });

export function invoiceModal(view: PurchaseOrderView): ModalView {
  const shown = view.lines.slice(0, MAX_INVOICE_LINES);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${view.number}* from ${escapeText(view.vendorName)}. Enter what the invoice bills; leave a line's quantity empty if it is not on the invoice.`, SLACK_LIMITS.sectionText) },
    },
    {
      type: 'input',
      block_id: INVOICE_MODAL.numberBlock,
      label: plain('Invoice number', SLACK_LIMITS.inputLabel),
      element: { type: 'plain_text_input', action_id: INVOICE_MODAL.numberAction, max_length: 100 },
    },
  ];
  for (const line of shown) {
    blocks.push(
      {
        type: 'input',
        block_id: INVOICE_MODAL.quantityBlock(line.lineNo),
        optional: true,
        label: plain(`${line.lineNo}. ${line.sku} ${line.name} (${line.uom}): quantity`, SLACK_LIMITS.inputLabel),
        hint: plain(`Ordered ${line.ordered}, received ${line.received}`, SLACK_LIMITS.inputHint),
        element: { type: 'plain_text_input', action_id: INVOICE_MODAL.quantityAction, initial_value: line.received },
      } satisfies InputBlock,
      {
        type: 'input',
        block_id: INVOICE_MODAL.priceBlock(line.lineNo),
        optional: true,
        label: plain(`${line.lineNo}. unit price`, SLACK_LIMITS.inputLabel),
        element: { type: 'plain_text_input', action_id: INVOICE_MODAL.priceAction, initial_value: line.unitPrice },
      } satisfies InputBlock,
    );
  }
  if (view.lines.length > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${view.lines.length - shown.length} more lines are not shown: enter this invoice from the CLI.` }] });
  }
  const metadata: InvoiceModalMetadata = { number: view.number, lineNos: shown.map((l) => l.lineNo) };
  return {
    type: 'modal',
    callback_id: INVOICE_MODAL.callbackId,
    title: plain(`Invoice ${view.number}`, SLACK_LIMITS.viewTitle),
    submit: plain('Record', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

export function parseInvoiceMetadata(raw: string): InvoiceModalMetadata | undefined {
  try {
    const o = JSON.parse(raw) as { number?: unknown; lineNos?: unknown };
    if (typeof o.number !== 'string' || !Array.isArray(o.lineNos) || !o.lineNos.every((n) => Number.isInteger(n))) return undefined;
    return { number: o.number, lineNos: o.lineNos as number[] };
  } catch {
    return undefined;
  }
}

export interface InvoiceDraft {
  invoiceNumber: string;
  lines: { lineNo: number; quantity: string; unitPrice: string }[];
}

/** Reads the submission: an invoice number, per billed line a quantity (zero or more) and a price. */
export function readInvoiceSubmission(meta: InvoiceModalMetadata, values: ViewStateValues): { draft: InvoiceDraft; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const text = (block: string, action: string) => (values[block]?.[action]?.value ?? '').trim();
  const invoiceNumber = text(INVOICE_MODAL.numberBlock, INVOICE_MODAL.numberAction);
  if (!invoiceNumber) errors[INVOICE_MODAL.numberBlock] = 'Enter the invoice number.';
  const lines: InvoiceDraft['lines'] = [];
  for (const lineNo of meta.lineNos) {
    const quantity = text(INVOICE_MODAL.quantityBlock(lineNo), INVOICE_MODAL.quantityAction);
    const unitPrice = text(INVOICE_MODAL.priceBlock(lineNo), INVOICE_MODAL.priceAction);
    if (!quantity) continue;
    const q = parseDecimal(quantity);
    if (!q) errors[INVOICE_MODAL.quantityBlock(lineNo)] = `"${truncate(quantity, 20)}" is not a number; use digits and a dot, e.g. 5 or 2.5.`;
    else if (q.isNegative()) errors[INVOICE_MODAL.quantityBlock(lineNo)] = 'A quantity cannot be negative.';
    else if (q.decimalPlaces() > QTY_SCALE) errors[INVOICE_MODAL.quantityBlock(lineNo)] = `At most ${QTY_SCALE} decimals.`;
    const pp = unitPrice ? priceProblem(unitPrice) : 'Enter the unit price the invoice bills.';
    if (pp) errors[INVOICE_MODAL.priceBlock(lineNo)] = pp;
    lines.push({ lineNo, quantity, unitPrice });
  }
  const first = meta.lineNos[0];
  if (lines.length === 0 && first !== undefined) errors[INVOICE_MODAL.quantityBlock(first)] = 'An invoice bills at least one line: enter its quantity.';
  return { draft: { invoiceNumber, lines }, errors };
}
