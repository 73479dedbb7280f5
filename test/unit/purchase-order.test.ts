import { describe, expect, test } from 'vitest';
import {
  checkReceipt,
  openQuantity,
  purchaseOrderTotal,
  receivableLimit,
  statusAfterReceipt,
  threeWayMatch,
} from '../../inventory/purchase-order.js';

const lines = [
  { lineNo: 1, sku: 'PEN-01', ordered: '100', received: '40', cancelled: '0', decimals: 0, unitPrice: '0.40' },
  { lineNo: 2, sku: 'GREASE', ordered: '2.5', received: '0', cancelled: '0', decimals: 3, unitPrice: '3.10' },
];

describe('receiving rules', () => {
  test('open quantity and the 5 % limit: 100 ordered → 105 at most in total; 10 cancelled → 94.5 floored to 94 whole units', () => {
    expect(openQuantity(lines[0]!)).toBe('60');
    expect(receivableLimit(lines[0]!, '0.05', 0)).toBe('105');
    expect(receivableLimit({ ordered: '100', cancelled: '10' }, '0.05', 0)).toBe('94');
    expect(openQuantity({ ordered: '10', received: '12', cancelled: '0' })).toBe('0');
  });

  test('a partial receipt with locations passes; empty lines are skipped', () => {
    expect(
      checkReceipt({
        status: 'sent',
        lines,
        receipt: [
          { lineNo: 1, quantity: '25', location: 'Main/A/1' },
          { lineNo: 2, quantity: ' ', location: '' },
        ],
      }),
    ).toEqual({ ok: true, lines: [{ lineNo: 1, quantity: '25' }] });
  });

  test('over-receipt beyond the tolerance is refused with the numbers', () => {
    const result = checkReceipt({ status: 'partially_received', lines, receipt: [{ lineNo: 1, quantity: '66', location: 'Main/A/1' }] });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          lineNo: 1,
          field: 'quantity',
          message:
            'Over-receipt refused: PEN-01 has 60 still open (ordered 100, received 40); at most 65 can be received with the 5 % tolerance.',
        },
      ],
    });
    expect(checkReceipt({ status: 'sent', lines, receipt: [{ lineNo: 1, quantity: '65', location: 'B' }] }).ok).toBe(true);
  });

  test('field problems: bad number, too many decimals, missing location, unknown line, nothing entered, wrong status', () => {
    const bad = checkReceipt({
      status: 'sent',
      lines,
      receipt: [
        { lineNo: 1, quantity: '1.5', location: 'B' },
        { lineNo: 2, quantity: 'abc', location: 'B' },
        { lineNo: 3, quantity: '1', location: 'B' },
      ],
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => [p.lineNo, p.field, p.message])).toEqual([
      [1, 'quantity', 'PEN-01 is counted in whole units.'],
      [2, 'quantity', '"abc" is not a quantity: use digits and a dot, e.g. 12 or 2.5.'],
      [3, 'line', 'Line 3 is not on this purchase order.'],
    ]);
    const noLocation = checkReceipt({ status: 'sent', lines, receipt: [{ lineNo: 2, quantity: '1.25' }] });
    expect(!noLocation.ok && noLocation.problems[0]!.field).toBe('location');
    const nothing = checkReceipt({ status: 'sent', lines, receipt: [{ lineNo: 1, quantity: '0', location: 'B' }] });
    expect(!nothing.ok && nothing.problems[0]!.message).toBe('Enter a quantity on at least one line.');
    const draft = checkReceipt({ status: 'draft', lines, receipt: [{ lineNo: 1, quantity: '1', location: 'B' }] });
    expect(!draft.ok && draft.problems[0]!.message).toMatch(/draft/);
  });

  test('status after receipt and PO total', () => {
    expect(statusAfterReceipt([{ ordered: '10', received: '4', cancelled: '0' }])).toBe('partially_received');
    expect(statusAfterReceipt([{ ordered: '10', received: '4', cancelled: '6' }, { ordered: '1', received: '1.02', cancelled: '0' }])).toBe('received');
    // 100 × 0.40 + 2.5 × 3.10 = 40 + 7.75 = 47.75
    expect(purchaseOrderTotal([{ quantity: '100', unitPrice: '0.40' }, { quantity: '2.5', unitPrice: '3.10' }])).toBe('47.75');
  });
});

describe('three-way match', () => {
  test('invoice equal to receipts at PO prices matches', () => {
    const result = threeWayMatch({ lines, invoice: [{ lineNo: 1, quantity: '40', unitPrice: '0.40' }] });
    expect(result).toEqual({ status: 'matched', mismatches: [], total: '16' });
  });

  test('billing more than received and a higher price are both flagged; a received line missing from the invoice too', () => {
    const received = [lines[0]!, { ...lines[1]!, received: '2.5' }];
    const result = threeWayMatch({ lines: received, invoice: [{ lineNo: 1, quantity: '50', unitPrice: '0.45' }] });
    expect(result.status).toBe('mismatch');
    expect(result.mismatches.map((m) => m.message)).toEqual([
      'PEN-01: invoiced 50, received 40.',
      'PEN-01: invoiced at 0.45, ordered at 0.40.',
      'GREASE: received 2.5 but not on the invoice.',
    ]);
    expect(result.total).toBe('22.5');
  });

  test('a price within the tolerance passes', () => {
    expect(threeWayMatch({ lines, invoice: [{ lineNo: 1, quantity: '40', unitPrice: '0.41' }], priceTolerance: '0.05' }).status).toBe('matched');
  });
});
