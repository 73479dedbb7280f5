import { describe, expect, test } from 'vitest';
import {
  countApprovalMessage,
  countAssignmentMessage,
  countDecidedMessage,
  countModal,
  countResultForCounter,
  MAX_APPROVAL_LINES,
  MAX_MODAL_LINES,
  openCountsMessage,
  paretoMessage,
  type CountModalMetadata,
} from '../../bot/blocks/cycle-count.js';
import { digestMessage } from '../../bot/blocks/digest.js';
import { SLACK_LIMITS } from '../../bot/blocks/limits.js';
import { COUNT_IDS, countLineBlockId } from '../../bot/ids.js';
import type { ManagerDigest } from '../../db/queries/digest.js';
import type { BlindCountLine, CountLineResult } from '../../workflows/cycle-count-messages.js';

const line = (i: number, extra: Record<string, unknown> = {}): BlindCountLine =>
  ({
    lineId: String(1000 + i),
    sku: `SKU-${i}`,
    name: `Part number ${i}`,
    barcode: i % 2 ? `40063813${String(i).padStart(5, '0')}` : null,
    uom: i % 3 ? 'ea' : 'kg',
    uomDecimals: i % 3 ? 0 : 3,
    location: `Main/Aisle 4/Bin ${i}`,
    ...extra,
  }) as BlindCountLine;

describe('countModal (blind count)', () => {
  test('one field per item × location with SKU and location, name and barcode as hint, and nothing of the book', () => {
    // Lines carrying book figures (as a careless caller might pass) must not leak them into the view.
    const lines = [line(1, { expected: '9137', onHand: '9137' }), line(3, { snapshotOnHand: '8848.125' })];
    const view = countModal({ number: 'CC-20261125-001', locationGroup: 'Main/Aisle 4', dueOn: '2026-11-25', lines });
    const json = JSON.stringify(view);
    expect(json).not.toContain('9137');
    expect(json).not.toContain('8848');
    expect(json).not.toMatch(/expected|on hand|book/i);
    expect(view.callback_id).toBe(COUNT_IDS.modal);
    const inputs = view.blocks.filter((b) => b.type === 'input') as Array<{ block_id: string; label: { text: string }; hint: { text: string }; element: { action_id: string; type: string } }>;
    expect(inputs.map((b) => b.block_id)).toEqual([countLineBlockId('1001'), countLineBlockId('1003')]);
    expect(inputs[0]!.label.text).toBe('SKU-1 · Main/Aisle 4/Bin 1');
    expect(inputs[0]!.hint.text).toContain('barcode 4006381300001');
    expect(inputs[1]!.hint.text).toContain('in kg (up to 3 decimals)');
    expect(inputs.every((b) => b.element.action_id === COUNT_IDS.quantityInput && b.element.type === 'plain_text_input')).toBe(true);
    const metadata = JSON.parse(view.private_metadata!) as CountModalMetadata;
    expect(metadata).toEqual({ number: 'CC-20261125-001', lines: [['1001', 0, 'ea'], ['1003', 3, 'kg']] });
  });

  test('stays inside Slack limits at the largest document', () => {
    const lines = Array.from({ length: 120 }, (_, i) => line(i + 1));
    const view = countModal({ number: 'CC-20261125-001-R', locationGroup: 'Main/Aisle 4', dueOn: '2026-11-25', lines });
    expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(view.blocks.filter((b) => b.type === 'input')).toHaveLength(MAX_MODAL_LINES);
    expect(view.private_metadata!.length).toBeLessThanOrEqual(SLACK_LIMITS.privateMetadata);
    expect(view.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.viewTitle);
  });
});

const result = (over: Partial<CountLineResult>): CountLineResult => ({
  lineId: '1',
  sku: 'DRILL',
  location: 'Main/Aisle 2/Bin 1',
  abcClass: 'A',
  counted: '4',
  expected: '6',
  variance: '-2',
  valueImpact: '-240',
  withinTolerance: false,
  action: 'approval',
  outcome: 'awaiting_approval',
  ...over,
});

describe('count messages', () => {
  test('the assignment DM carries the start button for that count', () => {
    const msg = countAssignmentMessage({ number: 'CC-20261125-001', dueOn: '2026-11-25', locationGroup: 'Main/Aisle 4', lineCount: 12 }, 'assigned');
    expect(msg.text).toContain('12 lines in Main/Aisle 4, due 2026-11-25');
    expect(JSON.stringify(msg.blocks)).toContain(`"action_id":"${COUNT_IDS.start}","value":"CC-20261125-001"`);
    expect(countAssignmentMessage({ number: 'X', dueOn: 'd', locationGroup: 'g', lineCount: 1 }, 'reminder').text).toMatch(/overdue/);
  });

  test("the counter's result shows how lines settled but no variance (it would reveal the book)", () => {
    const msg = countResultForCounter(
      'CC-1',
      [result({ outcome: 'matched', variance: '0' }), result({ outcome: 'adjusted', variance: '-3' }), result({ outcome: 'recount', variance: '+17' })],
      'CC-1-R',
    );
    expect(msg.text).toBe('Thanks, count CC-1 is in: 1 matched the book, 1 corrected within tolerance, 1 goes to a recount (CC-1-R).');
    expect(JSON.stringify(msg)).not.toMatch(/-3|17|240|\b6\b/);
  });

  test("the manager's approval DM shows counted vs book, value, and the two decision buttons", () => {
    const lines = Array.from({ length: MAX_APPROVAL_LINES + 3 }, (_, i) => result({ lineId: String(i), sku: `S${i}` }));
    const msg = countApprovalMessage({ number: 'CC-1-R', counter: 'U0WHS00001', recountOf: 'CC-1', currency: '$', lines });
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain('counted 4, book 6, variance *-2* (-$240.00)');
    expect(json).toContain('…and 3 more');
    expect(json).toContain(`"action_id":"${COUNT_IDS.approve}","value":"CC-1-R"`);
    expect(json).toContain(`"action_id":"${COUNT_IDS.reject}","value":"CC-1-R"`);
    expect(json).toContain('-$4,320.00 in total');
    expect(countDecidedMessage('CC-1-R', 'rejected', 'U0INV00001').text).toContain('rejected by <@U0INV00001>');
    expect(JSON.stringify(countDecidedMessage('CC-1-R', 'approved', 'U0INV00001').blocks)).not.toContain('action_id');
  });

  test('/count lists open counts with start buttons and flags overdue ones', () => {
    const msg = openCountsMessage(
      [
        { number: 'CC-1', dueOn: '2026-11-20', locationGroup: 'Main/Aisle 1', lines: 3 },
        { number: 'CC-2', dueOn: '2026-11-25', locationGroup: 'Main/Aisle 2', lines: 1 },
      ],
      '2026-11-25',
    );
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain('*CC-1* · Main/Aisle 1 · 3 lines · due 2026-11-20 *(overdue)*');
    expect(json).toContain('*CC-2* · Main/Aisle 2 · 1 line · due 2026-11-25"');
    expect(openCountsMessage([], '2026-11-25').text).toBe('You have no open cycle counts.');
  });

  test('the Pareto table: class, item count, share of items, share of value', () => {
    const msg = paretoMessage(
      {
        periodStart: '2025-11-01T00:00:00.000Z',
        periodEnd: '2026-11-01T00:00:00.000Z',
        itemCount: 9,
        changedCount: 1,
        cutoffs: { a: '0.8', b: '0.95' },
        pareto: [
          { abcClass: 'A', itemCount: 4, itemShare: '0.4444', value: '900', valueShare: '0.9000' },
          { abcClass: 'B', itemCount: 1, itemShare: '0.1111', value: '60', valueShare: '0.0600' },
          { abcClass: 'C', itemCount: 4, itemShare: '0.4444', value: '40', valueShare: '0.0400' },
        ],
      },
      '$',
    );
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain('*A*       4 items (44.4 %)  ·  $900.00 (90.0 % of value)');
    expect(json).toContain('1 item changed class');
    expect(paretoMessage(undefined).text).toMatch(/No ABC analysis has run yet/);
  });
});

test('the digest message names every section and stays inside Slack limits', () => {
  const digest: ManagerDigest = {
    week: '2026-W48',
    today: '2026-11-23',
    timeZone: 'Europe/Berlin',
    counts: { dueToday: 3, overdue: 2, awaitingApproval: 1, overdueDocuments: [{ number: 'CC-20261120-001', counter: 'U0WHS00001', dueOn: '2026-11-20' }, { number: 'CC-20261120-002', counter: null, dueOn: '2026-11-20' }] },
    accuracy: [
      { month: '2026-10', abcClass: 'A', counts: 10, accurate: 7, accuracy: '0.7000' },
      { month: '2026-11', abcClass: 'A', counts: 8, accurate: 8, accuracy: '1.0000' },
      { month: '2026-11', abcClass: 'C', counts: 2, accurate: 1, accuracy: '0.5000' },
    ],
    waiting: { reorderSuggestions: 4, openStockAlerts: 2, requisitionApprovals: 1, purchaseOrderApprovals: 0, countApprovals: 1 },
    valueByClass: [
      { abcClass: 'A', value: '12000.5', items: 10 },
      { abcClass: 'B', value: '3000', items: 20 },
      { abcClass: 'C', value: '999.5', items: 70 },
    ],
    deadStock: { days: 180, items: 1, value: '225', top: [{ sku: 'BINDER', name: 'Ring binder', onHand: '75', value: '225', lastIssuedOn: '2025-07-01' }] },
    abc: undefined,
  };
  const msg = digestMessage(digest, '$');
  const json = JSON.stringify(msg.blocks);
  expect(msg.text).toBe('Stockroom weekly digest 2026-W48: 3 counts due today, 2 overdue; 90.0 % of 10 lines within tolerance in 2026-11 (A 100.0 % · C 50.0 %).');
  expect(json).toContain('CC-20261120-002 (unassigned)');
  expect(json).toContain('4 reorder suggestions to review');
  expect(json).toContain('1 count adjustment awaiting your decision');
  expect(json).toContain('*A*  $12,000.50 (75.0 %) in 10 items');
  expect(json).toContain('$16,000.00 in all');
  expect(json).toContain('*BINDER* Ring binder: 75 on hand, $225.00, last issued 2025-07-01');
  expect(json).toContain('No ABC analysis yet');
  expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
});
