import type { KnownBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import {
  approvalClosedMessage,
  approvalReminderMessage,
  approvalRequestMessage,
  lineList,
  MAX_LINES_SHOWN,
  parseApprovalButtonValue,
  parseCancelButtonValue,
  parsePickButtonValue,
  pickTaskClosedMessage,
  pickTaskMessage,
  requesterEventMessage,
  requisitionCard,
  type SlackMessage,
} from '../../bot/blocks/requisition.js';
import { SLACK_LIMITS } from '../../bot/blocks/limits.js';
import { escapeText } from '../../bot/blocks/mrkdwn.js';
import { REQUISITION_ACTIONS } from '../../bot/ids.js';
import { blockProblems } from '../../sandbox/block-kit.js';
import type { RequisitionEvent, RequisitionLineView, RequisitionView } from '../../workflows/requisition-messages.js';

const line = (n: number, over: Partial<RequisitionLineView> = {}): RequisitionLineView => ({
  lineNo: n,
  sku: `SKU-${n}`,
  name: `Item number ${n}`,
  uom: 'ea',
  requested: '10',
  reserved: '0',
  picked: '0',
  issued: '0',
  backordered: '0',
  cancelled: '0',
  unitCost: '2.5',
  issuedValue: '0',
  allocations: [],
  ...over,
});

const baseView = (over: Partial<RequisitionView> = {}): RequisitionView => ({
  number: 'REQ-000042',
  requester: 'U0REQ',
  costCenter: 'OPS',
  reason: 'Paper for the <printer> & toner',
  status: 'awaiting_approval',
  totalValue: '6500',
  issuedValue: '0',
  submittedAt: '2026-06-01T09:00:00.000Z',
  autoApproved: false,
  lines: [line(1), line(2, { sku: 'PAPER', requested: '30' })],
  approvals: [
    {
      level: 1,
      name: 'Manager',
      requiredLimit: '5000',
      state: 'waiting',
      asked: ['U0MGR'],
      passedOver: [{ slackUserId: 'U0LEAD', limit: '1000', reason: 'limit_below_amount' }],
      reminders: 0,
      escalations: 0,
      exhausted: false,
    },
    { level: 2, name: 'Director', requiredLimit: '6500', state: 'pending', asked: [], passedOver: [], reminders: 0, escalations: 0, exhausted: false },
  ],
  awaiting: { kind: 'approval', level: 1, approvers: ['U0MGR'] },
  pickRound: 0,
  ...over,
});

/** Everything Slack would refuse, in the local Slack's wording (sandbox/block-kit.ts), plus the fallback text limit. */
function problems(message: SlackMessage): string[] {
  const list = blockProblems(message.blocks, 'message');
  if (message.text.length > SLACK_LIMITS.messageText) list.push('text too long');
  return list;
}

const allText = (blocks: KnownBlock[]) => JSON.stringify(blocks);
const actionIds = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : undefined)) : []));

describe('approval request DM', () => {
  const ctx = {
    level: 1,
    currency: '$',
    available: { 'SKU-1': '40', PAPER: '12' },
    budget: { amount: '10000', used: '4000', remaining: '6000', periodStart: '2026-01-01', periodEnd: '2027-01-01' },
  };

  test('shows lines, value, stock, budget used and remaining, and the purchase order of short lines', () => {
    const message = approvalRequestMessage(baseView(), ctx);
    expect(problems(message)).toEqual([]);
    const text = allText(message.blocks);
    expect(text).toContain('Approve REQ-000042? $6,500.00');
    expect(text).toContain('*SKU-1* Item number 1: 10 ea × $2.50 = $25.00 · 40 available');
    expect(text).toContain('*PAPER* Item number 2: 30 ea × $2.50 = $75.00 · 12 available · short 18: not yet on a purchase order');
    expect(text).toContain('$4,000.00 used of $10,000.00; $6,000.00 left');
    expect(text).toContain('After this: -$500.00 (over budget)');
    expect(text).toContain('1 of 2: Manager (needs a limit of $5,000.00)');
    expect(text).toContain('Passed over <@U0LEAD>: their limit $1,000.00 is below this amount.');
    const onPo = allText(approvalRequestMessage(baseView(), { ...ctx, purchaseOrders: { PAPER: 'PO-000007' } }).blocks);
    expect(onPo).toContain('short 18: on purchase order PO-000007');
  });

  test('Approve and Reject carry the requisition and level; user text is escaped', () => {
    const message = approvalRequestMessage(baseView(), { ...ctx, escalatedFrom: 'U0MGR' });
    expect(actionIds(message.blocks)).toEqual([REQUISITION_ACTIONS.approve, REQUISITION_ACTIONS.reject]);
    const actions = message.blocks.find((b) => b.type === 'actions')!;
    const values = actions.type === 'actions' ? actions.elements.map((e) => ('value' in e ? e.value : '')) : [];
    expect(values.map((v) => parseApprovalButtonValue(v!))).toEqual([
      { number: 'REQ-000042', level: 1 },
      { number: 'REQ-000042', level: 1 },
    ]);
    expect(allText(message.blocks)).toContain('Paper for the &lt;printer&gt; &amp; toner');
    expect(allText(message.blocks)).toContain('Sent to you because <@U0MGR> has not decided yet.');
  });

  test('no budget for the period and unknown stock are said plainly', () => {
    const text = allText(approvalRequestMessage(baseView(), { level: 1, available: {} }).blocks);
    expect(text).toContain('No budget set for this period');
    expect(text).toContain('stock unknown');
  });

  test('closed: no buttons, who decided and when', () => {
    const decided = baseView({
      approvals: [{ ...baseView().approvals[0]!, state: 'approved', decidedBy: 'U0MGR', decidedAt: '2026-06-01T10:00:00.000Z' }, baseView().approvals[1]!],
    });
    const message = approvalClosedMessage(decided, { level: 1, currency: '$' });
    expect(problems(message)).toEqual([]);
    expect(actionIds(message.blocks)).toEqual([]);
    expect(allText(message.blocks)).toContain('Level 1 approved by <@U0MGR> · <!date^1780308000^{date_short_pretty} at {time}|2026-06-01 10:00 UTC>');
    const cancelled = approvalClosedMessage(baseView({ status: 'cancelled', cancelled: { by: 'U0REQ', at: '2026-06-02T08:00:00.000Z' } }), { level: 1 });
    expect(allText(cancelled.blocks)).toContain('Cancelled by <@U0REQ>');
    expect(approvalReminderMessage(baseView(), { level: 1, currency: '$' }).text).toBe(
      'Reminder: REQ-000042 from <@U0REQ> ($6,500.00) is still waiting for your decision on level 1.',
    );
  });
});

describe('long requisitions are summarised within Slack limits', () => {
  const long = baseView({
    reason: 'x'.repeat(600),
    lines: Array.from({ length: 50 }, (_, i) =>
      line(i + 1, { name: `A very long item description that goes on ${'and on '.repeat(40)}`, reserved: '10', allocations: [{ location: `Main/Aisle ${i}/Bin 1`, quantity: '10' }] }),
    ),
  });

  test('every message for a 50-line requisition is valid Block Kit', () => {
    const ctx = { level: 1, available: {} };
    const messages = [
      approvalRequestMessage(long, ctx),
      approvalClosedMessage(long, { level: 1 }),
      requisitionCard(long),
      pickTaskMessage({ ...long, status: 'picking' }, { round: 1 }),
      pickTaskClosedMessage({ ...long, lines: long.lines.map((l) => ({ ...l, issued: '10' })) }, { round: 1, outcome: 'confirmed', by: 'U0WH' }),
      requesterEventMessage({ ...long, lines: long.lines.map((l) => ({ ...l, issued: '10' })) }, { kind: 'ready', round: 1 }),
    ];
    for (const message of messages) expect(problems(message)).toEqual([]);
  });

  test('the line list stops at the cap and says how many more', () => {
    const text = lineList(long.lines, (l) => `• ${l.sku}`);
    expect(text.split('\n')).toHaveLength(MAX_LINES_SHOWN + 1);
    expect(text.endsWith(`…and ${50 - MAX_LINES_SHOWN} more lines`)).toBe(true);
    const tight = lineList(long.lines, (l) => `• ${l.sku} ${'y'.repeat(300)}`);
    expect(tight.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(tight).toMatch(/…and \d+ more lines$/);
  });
});

describe('requester thread and pick task', () => {
  test('the card shows status, who is awaited, and a Cancel button only while cancellable', () => {
    const card = requisitionCard(baseView(), { currency: '$' });
    expect(problems(card)).toEqual([]);
    expect(allText(card.blocks)).toContain('REQ-000042 · Awaiting approval');
    expect(allText(card.blocks)).toContain('Waiting for <@U0MGR> to approve level 1 (Manager).');
    expect(actionIds(card.blocks)).toEqual([REQUISITION_ACTIONS.cancel]);
    const cancelButton = card.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))[0]!;
    expect(parseCancelButtonValue('value' in cancelButton ? cancelButton.value! : '')).toEqual({ number: 'REQ-000042' });
    expect(actionIds(requisitionCard(baseView({ status: 'issued', awaiting: { kind: 'nothing' } })).blocks)).toEqual([]);
  });

  test('every event has a sentence', () => {
    const events: RequisitionEvent[] = [
      { kind: 'submitted' },
      { kind: 'auto_approved' },
      { kind: 'awaiting_approval', level: 1, approver: 'U0MGR' },
      { kind: 'awaiting_approval', level: 1 },
      { kind: 'level_approved', level: 1, by: 'U0MGR' },
      { kind: 'approved' },
      { kind: 'rejected', by: 'U0MGR', reason: 'Over <budget>' },
      { kind: 'escalated', level: 1, from: 'U0MGR', to: 'U0DIR' },
      { kind: 'no_approver', level: 2 },
      { kind: 'backordered', skus: ['PAPER'] },
      { kind: 'picking', round: 2 },
      { kind: 'ready', round: 1 },
      { kind: 'cancelled', by: 'U0REQ', reason: 'Not needed' },
    ];
    for (const event of events) {
      const message = requesterEventMessage(baseView(), event, { currency: '$' });
      expect(problems(message)).toEqual([]);
      expect(message.text.length).toBeGreaterThan(10);
    }
    expect(requesterEventMessage(baseView(), { kind: 'rejected', by: 'U0MGR', reason: 'Over <budget>' }).text).toBe(
      'REQ-000042 was rejected by <@U0MGR>: Over &lt;budget&gt;',
    );
  });

  test('the pick task lists bins and quantities, and its button carries the round', () => {
    const view = baseView({
      status: 'picking',
      lines: [
        line(1, { reserved: '10', allocations: [{ location: 'Main/A/1', quantity: '6' }, { location: 'Main/A/2', quantity: '4' }] }),
        line(2, { reserved: '0', backordered: '10' }),
      ],
    });
    const message = pickTaskMessage(view, { round: 2 });
    expect(problems(message)).toEqual([]);
    expect(allText(message.blocks)).toContain('*SKU-1* Item number 1: pick 10 ea from Main/A/1 × 6, Main/A/2 × 4');
    expect(allText(message.blocks)).not.toContain('SKU-2');
    const button = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))[0]!;
    expect('action_id' in button && button.action_id).toBe(REQUISITION_ACTIONS.confirmPick);
    expect(parsePickButtonValue('value' in button ? button.value! : '')).toEqual({ number: 'REQ-000042', round: 2 });
    const cancelled = pickTaskClosedMessage(view, { round: 2, outcome: 'cancelled', by: 'U0REQ' });
    expect(actionIds(cancelled.blocks)).toEqual([]);
    expect(allText(cancelled.blocks)).toContain('do not pick');
  });

  test('button values that are not ours parse to undefined', () => {
    expect(parseApprovalButtonValue('nope')).toBeUndefined();
    expect(parseApprovalButtonValue('{"number":"REQ-1"}')).toBeUndefined();
    expect(parsePickButtonValue('{"number":"REQ-1","round":"1"}')).toBeUndefined();
    expect(escapeText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});
