import { describe, expect, test } from 'vitest';
import { invoiceModal, MAX_INVOICE_LINES, parseInvoiceMetadata, readInvoiceSubmission } from '../../bot/blocks/invoice-modal.js';
import {
  filledLines,
  NEW_PO_MAX_LINES,
  newPurchaseOrderErrorBlock,
  newPurchaseOrderModal,
  readNewPurchaseOrderSubmission,
} from '../../bot/blocks/new-purchase-order.js';
import type { ViewStateValues } from '../../bot/blocks/request-modal.js';
import { INVOICE_MODAL, NEW_PO_MODAL } from '../../bot/ids.js';
import { viewProblems } from '../../sandbox/block-kit.js';
import type { PurchaseOrderLineView, PurchaseOrderView } from '../../workflows/purchase-order-messages.js';

const line = (lineNo: number, over: Partial<PurchaseOrderLineView> = {}): PurchaseOrderLineView => ({
  lineNo, sku: `SKU-${lineNo}`, name: 'Copy paper A4, ream'.repeat(20), uom: 'ea', decimals: 0, ordered: '10', received: '4', cancelled: '0', unitPrice: '2.5', ...over,
});
const po = (lines: PurchaseOrderLineView[]): PurchaseOrderView => ({
  number: 'PO-000042', vendorCode: 'ACME', vendorName: 'Acme <Office> & Co', buyer: 'U0BUY', status: 'sent', source: 'manual', totalValue: '25',
  createdAt: '2026-05-01T10:00:00Z', autoApproved: true, lines, approvals: [], receipts: 1, overdueReminders: 0, invoices: [],
});

const text = (value: string | null) => ({ value });
const picked = (value: string) => ({ selected_option: { value, text: { type: 'plain_text', text: value } } });

describe('new purchase order modal', () => {
  test('up to 100 vendors are a list; with more the vendor is typed ahead; both within Slack limits', () => {
    const vendors = (n: number) => Array.from({ length: n }, (_, i) => ({ code: `V${i}`, name: 'A very long vendor name '.repeat(10) }));
    const listed = newPurchaseOrderModal(vendors(100));
    expect(viewProblems(listed)).toEqual([]);
    expect(listed.blocks).toHaveLength(1 + 3 * NEW_PO_MAX_LINES);
    expect((listed.blocks[0] as { element: { type: string; options: unknown[] } }).element).toMatchObject({ type: 'static_select' });
    expect((listed.blocks[0] as { element: { options: unknown[] } }).element.options).toHaveLength(100);
    const typed = newPurchaseOrderModal(vendors(101));
    expect(viewProblems(typed)).toEqual([]);
    expect((typed.blocks[0] as { element: unknown }).element).toEqual({
      type: 'external_select',
      action_id: NEW_PO_MODAL.vendorAction,
      placeholder: { type: 'plain_text', text: 'Who supplies it' },
      min_query_length: 0,
    });
  });

  test('reads filled lines, skips empty ones, and puts each problem under its field', () => {
    const values: ViewStateValues = {
      [NEW_PO_MODAL.vendorBlock]: { [NEW_PO_MODAL.vendorAction]: picked('ACME') },
      [NEW_PO_MODAL.itemBlock(0)]: { [NEW_PO_MODAL.itemAction]: picked('PEN') },
      [NEW_PO_MODAL.quantityBlock(0)]: { [NEW_PO_MODAL.quantityAction]: text(' 20 ') },
      [NEW_PO_MODAL.itemBlock(2)]: { [NEW_PO_MODAL.itemAction]: picked('PAPER') },
      [NEW_PO_MODAL.quantityBlock(2)]: { [NEW_PO_MODAL.quantityAction]: text('3') },
      [NEW_PO_MODAL.priceBlock(2)]: { [NEW_PO_MODAL.priceAction]: text('9.99') },
    };
    expect(readNewPurchaseOrderSubmission(values)).toEqual({
      draft: { vendor: 'ACME', lines: [{ sku: 'PEN', quantity: '20' }, { sku: 'PAPER', quantity: '3', unitPrice: '9.99' }] },
      errors: {},
    });
    expect(filledLines(values)).toEqual([0, 2]);
    // The database's "Line 2" is the third modal line here.
    expect(newPurchaseOrderErrorBlock('quantity', 2, [0, 2])).toBe(NEW_PO_MODAL.quantityBlock(2));
    expect(newPurchaseOrderErrorBlock('unitPrice', 1, [0, 2])).toBe(NEW_PO_MODAL.priceBlock(0));
    expect(newPurchaseOrderErrorBlock('vendor', undefined, [0])).toBe(NEW_PO_MODAL.vendorBlock);
    expect(newPurchaseOrderErrorBlock('lines', undefined, [])).toBe(NEW_PO_MODAL.itemBlock(0));

    const bad: ViewStateValues = {
      [NEW_PO_MODAL.quantityBlock(1)]: { [NEW_PO_MODAL.quantityAction]: text('-1') },
      [NEW_PO_MODAL.priceBlock(1)]: { [NEW_PO_MODAL.priceAction]: text('1.23456') },
      [NEW_PO_MODAL.itemBlock(3)]: { [NEW_PO_MODAL.itemAction]: picked('PEN') },
      [NEW_PO_MODAL.quantityBlock(3)]: { [NEW_PO_MODAL.quantityAction]: text('') },
    };
    expect(readNewPurchaseOrderSubmission(bad).errors).toEqual({
      [NEW_PO_MODAL.vendorBlock]: 'Pick the vendor.',
      [NEW_PO_MODAL.itemBlock(1)]: 'Pick an item for this line, or clear it.',
      [NEW_PO_MODAL.quantityBlock(1)]: 'Enter a quantity above zero.',
      [NEW_PO_MODAL.priceBlock(1)]: 'At most 4 decimals.',
      [NEW_PO_MODAL.quantityBlock(3)]: 'Enter a quantity.',
    });
    expect(readNewPurchaseOrderSubmission({}).errors).toEqual({
      [NEW_PO_MODAL.vendorBlock]: 'Pick the vendor.',
      [NEW_PO_MODAL.itemBlock(0)]: 'Add at least one line: an item and its quantity.',
    });
  });
});

describe('invoice modal', () => {
  test('prefills received quantities and PO prices; a long PO stays within Slack limits', () => {
    const modal = invoiceModal(po([line(1), line(2, { received: '0', unitPrice: '19.5' })]));
    expect(viewProblems(modal)).toEqual([]);
    const inputs = modal.blocks.filter((b) => b.type === 'input') as { block_id: string; element: { initial_value?: string } }[];
    expect(inputs.map((b) => [b.block_id, b.element.initial_value])).toEqual([
      [INVOICE_MODAL.numberBlock, undefined],
      [INVOICE_MODAL.quantityBlock(1), '4'],
      [INVOICE_MODAL.priceBlock(1), '2.5'],
      [INVOICE_MODAL.quantityBlock(2), '0'],
      [INVOICE_MODAL.priceBlock(2), '19.5'],
    ]);
    expect(parseInvoiceMetadata(modal.private_metadata!)).toEqual({ number: 'PO-000042', lineNos: [1, 2] });
    const big = invoiceModal(po(Array.from({ length: 60 }, (_, i) => line(i + 1))));
    expect(viewProblems(big)).toEqual([]);
    expect(parseInvoiceMetadata(big.private_metadata!)!.lineNos).toHaveLength(MAX_INVOICE_LINES);
    expect(parseInvoiceMetadata('nope')).toBeUndefined();
  });

  test('reads billed lines and refuses bad numbers in place', () => {
    const meta = { number: 'PO-000042', lineNos: [1, 2, 3] };
    const values: ViewStateValues = {
      [INVOICE_MODAL.numberBlock]: { [INVOICE_MODAL.numberAction]: text(' INV-9 ') },
      [INVOICE_MODAL.quantityBlock(1)]: { [INVOICE_MODAL.quantityAction]: text('4') },
      [INVOICE_MODAL.priceBlock(1)]: { [INVOICE_MODAL.priceAction]: text('2.50') },
      [INVOICE_MODAL.quantityBlock(2)]: { [INVOICE_MODAL.quantityAction]: text('') },
      [INVOICE_MODAL.quantityBlock(3)]: { [INVOICE_MODAL.quantityAction]: text('0') },
      [INVOICE_MODAL.priceBlock(3)]: { [INVOICE_MODAL.priceAction]: text('1') },
    };
    expect(readInvoiceSubmission(meta, values)).toEqual({
      draft: { invoiceNumber: 'INV-9', lines: [{ lineNo: 1, quantity: '4', unitPrice: '2.50' }, { lineNo: 3, quantity: '0', unitPrice: '1' }] },
      errors: {},
    });
    const bad: ViewStateValues = {
      [INVOICE_MODAL.quantityBlock(1)]: { [INVOICE_MODAL.quantityAction]: text('four') },
      [INVOICE_MODAL.priceBlock(1)]: { [INVOICE_MODAL.priceAction]: text('-2') },
      [INVOICE_MODAL.quantityBlock(2)]: { [INVOICE_MODAL.quantityAction]: text('-1') },
      [INVOICE_MODAL.quantityBlock(3)]: { [INVOICE_MODAL.quantityAction]: text('1') },
    };
    expect(readInvoiceSubmission(meta, bad).errors).toEqual({
      [INVOICE_MODAL.numberBlock]: 'Enter the invoice number.',
      [INVOICE_MODAL.quantityBlock(1)]: '"four" is not a number; use digits and a dot, e.g. 5 or 2.5.',
      [INVOICE_MODAL.priceBlock(1)]: 'A price cannot be negative.',
      [INVOICE_MODAL.quantityBlock(2)]: 'A quantity cannot be negative.',
      [INVOICE_MODAL.priceBlock(2)]: 'Enter the unit price the invoice bills.',
      [INVOICE_MODAL.priceBlock(3)]: 'Enter the unit price the invoice bills.',
    });
    expect(readInvoiceSubmission(meta, { [INVOICE_MODAL.numberBlock]: { [INVOICE_MODAL.numberAction]: text('X') } }).errors).toEqual({
      [INVOICE_MODAL.quantityBlock(1)]: 'An invoice bills at least one line: enter its quantity.',
    });
  });
});
