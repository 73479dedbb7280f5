import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { adminHelp } from '../../bot/blocks/admin.js';
import { homeView } from '../../bot/blocks/home.js';
import { escapeText, slackDate, withoutEmphasis } from '../../bot/blocks/mrkdwn.js';
import { poApprovalClosedMessage, poApprovalRequestMessage, purchaseOrderCard } from '../../bot/blocks/purchase-order.js';
import { approvalClosedMessage, requesterEventMessage, requisitionCard } from '../../bot/blocks/requisition.js';
import { parseAdminCommand } from '../../bot/listeners/commands/admin-parse.js';
import type { PurchaseOrderView } from '../../workflows/purchase-order-messages.js';
import type { RequisitionView } from '../../workflows/requisition-messages.js';

/**
 * Text that reaches Slack's mrkdwn: escaped in one place (bot/blocks/mrkdwn.ts), moments as Slack date
 * tokens rather than ISO strings, and a rejected requisition's reason on its card.
 */

/** Every mrkdwn text object in a tree of blocks (sections, fields, context elements). */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
}

/** `<…>` that Slack would read as something other than the mention, channel, group, date or link we meant. */
const SLACK_TOKEN = /^<(@[UW][A-Z0-9]+|#C[A-Z0-9]+|!subteam\^S[A-Z0-9]+|!date\^\d+\^[^|>]+\|[^<>]+|!here|!channel|https?:\/\/[^>]+)>$/;
const strayAngles = (texts: string[]) => texts.flatMap((t) => (t.match(/<[^>]*>?/g) ?? []).filter((m) => !SLACK_TOKEN.test(m)));

const requisition = (over: Partial<RequisitionView> = {}): RequisitionView => ({
  number: 'REQ-000042',
  requester: 'U0REQ',
  costCenter: 'OPS',
  reason: 'Toner for the <big> printer & more',
  status: 'awaiting_approval',
  totalValue: '320',
  issuedValue: '0',
  submittedAt: '2026-12-06T00:05:00.000Z',
  autoApproved: false,
  lines: [
    { lineNo: 1, sku: 'TON-HP26A', name: 'Toner <HP> 26A', uom: 'ea', requested: '3', reserved: '0', picked: '0', issued: '0', backordered: '0', cancelled: '0', unitCost: '80', issuedValue: '0', allocations: [] },
  ],
  approvals: [
    { level: 1, name: 'Manager', requiredLimit: '500', state: 'waiting', asked: ['U0APR'], passedOver: [], reminders: 0, escalations: 0, exhausted: false },
  ],
  awaiting: { kind: 'approval', level: 1, approvers: ['U0APR'] },
  pickRound: 0,
  ...over,
});

const DECIDED_AT = '2026-12-06T00:07:44.353Z';

/** The requisition rejected at level 1, at DECIDED_AT. */
const rejectedBy = (by: string, reason: string): RequisitionView =>
  requisition({
    status: 'rejected',
    approvals: [{ ...requisition().approvals[0]!, state: 'rejected', decidedBy: by, decidedAt: DECIDED_AT, reason }],
    rejected: { by, at: DECIDED_AT, reason, level: 1 },
    awaiting: { kind: 'nothing' },
  });
const DECIDED_TOKEN = '<!date^1796515664^{date_short_pretty} at {time}|2026-12-06 00:07 UTC>';
const ISO_MOMENT = /\d{4}-\d\d-\d\dT\d\d:\d\d/;

describe('one escape for mrkdwn', () => {
  test('/stockroom help shows <role> as text, not as a link Slack would swallow', () => {
    const help = adminHelp(['approver', 'warehouse']);
    const texts = mrkdwnTexts(help.blocks);
    expect(strayAngles(texts)).toEqual([]);
    expect(texts.join('\n')).toContain('`/stockroom role add @person &lt;role&gt; [limit]`');
    expect(texts.join('\n')).toContain('`/stockroom role remove @person &lt;role&gt;`');
  });

  test('refusals of /stockroom escape the usage and what was typed', () => {
    for (const typed of ['role grant', 'role add <@U0AAA> <wizard>', 'frobnicate<x>']) {
      const parsed = parseAdminCommand(typed);
      expect(parsed.kind).toBe('invalid');
      if (parsed.kind === 'invalid') expect(strayAngles([parsed.message])).toEqual([]);
    }
  });

  test('people\'s text on cards and DMs is escaped; our mentions and dates stay tokens', () => {
    const view = rejectedBy('U0APR', 'Not <now> & not here');
    const texts = [
      ...mrkdwnTexts(requisitionCard(view).blocks),
      ...mrkdwnTexts(approvalClosedMessage(view, { level: 1 }).blocks),
      ...mrkdwnTexts(requesterEventMessage(view, { kind: 'rejected', by: 'U0APR', reason: 'Not <now> & not here' }).blocks),
    ];
    expect(strayAngles(texts)).toEqual([]);
    expect(texts.join('\n')).toContain('Not &lt;now&gt; &amp; not here');
  });

  test('bot/ has one escape helper, in bot/blocks/mrkdwn.ts', () => {
    const files = fs.readdirSync('bot', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const escaping = files.filter((f) => fs.readFileSync(path.join('bot', f), 'utf8').includes(".replace(/</g, '&lt;')"));
    expect(escaping).toEqual([path.join('blocks', 'mrkdwn.ts')]);
    expect(escapeText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});

describe('moments as Slack dates', () => {
  test('slackDate: unix seconds, the format, and a readable UTC fallback', () => {
    expect(slackDate(DECIDED_AT)).toBe(DECIDED_TOKEN);
    expect(slackDate(new Date(DECIDED_AT), '{date_short_pretty}')).toBe('<!date^1796515664^{date_short_pretty}|2026-12-06 00:07 UTC>');
    expect(withoutEmphasis(`*Approved* by <@U1> · ${DECIDED_TOKEN} _ok_`)).toBe(`Approved by <@U1> · ${DECIDED_TOKEN} ok`);
  });

  test('the approver\'s DM after the decision: no ISO timestamp, a date token instead', () => {
    const approved = requisition({
      status: 'approved',
      approvals: [{ ...requisition().approvals[0]!, state: 'approved', decidedBy: 'U0APR', decidedAt: DECIDED_AT }],
      awaiting: { kind: 'nothing' },
    });
    const message = approvalClosedMessage(approved, { level: 1 });
    const body = mrkdwnTexts(message.blocks).join('\n');
    expect(body).toContain(`Level 1 approved by <@U0APR> · ${DECIDED_TOKEN}`);
    expect(body).not.toMatch(ISO_MOMENT);
    expect(message.text).toContain(DECIDED_TOKEN); // the token survives the notification text's clean-up
    const cancelled = approvalClosedMessage(requisition({ status: 'cancelled', cancelled: { by: 'U0REQ', at: DECIDED_AT } }), { level: 1 });
    expect(mrkdwnTexts(cancelled.blocks).join('\n')).toContain(`Cancelled by <@U0REQ> · ${DECIDED_TOKEN}`);
  });

  test('purchase order approval DM and Home: no ISO timestamps', () => {
    const po: PurchaseOrderView = {
      number: 'PO-000007',
      vendorCode: 'ACME',
      vendorName: 'Acme <Office>',
      buyer: 'U0BUY',
      status: 'sent',
      source: 'manual',
      totalValue: '100',
      createdAt: '2026-12-01T08:00:00.000Z',
      lines: [],
      approvals: [{ level: 1, name: 'Manager', requiredLimit: '500', state: 'approved', asked: ['U0APR'], passedOver: [], reminders: 0, escalations: 0, exhausted: false, decidedBy: 'U0APR', decidedAt: DECIDED_AT }],
      receipts: [],
      overdueReminders: 0,
      invoices: [],
      autoApproved: false,
    } as unknown as PurchaseOrderView;
    const closed = mrkdwnTexts(poApprovalClosedMessage(po, { level: 1 }).blocks).join('\n');
    expect(closed).toContain(`Approved by <@U0APR> · ${DECIDED_TOKEN}`);
    expect(closed).not.toMatch(ISO_MOMENT);
    // Notification texts are mrkdwn too: the vendor's name is escaped there as well.
    expect(strayAngles([poApprovalRequestMessage(po, { level: 1 }).text, purchaseOrderCard(po).text])).toEqual([]);
    const home = homeView({ user: 'U0REQ', roles: [], mine: [{ number: 'REQ-000042', status: 'issued', totalValue: '320', createdAt: new Date(DECIDED_AT) }], awaiting: [] });
    const homeText = mrkdwnTexts(home.blocks).join('\n');
    expect(homeText).toContain('submitted <!date^1796515664^{date_short_pretty}|2026-12-06 00:07 UTC>');
    expect(homeText).not.toMatch(/\d{4}-\d\d-\d\d(?! 00:07 UTC)/);
  });
});

describe('a rejected requisition', () => {
  test('its card says who rejected it, when and why', () => {
    const view = rejectedBy('U0APR', 'Over budget this quarter');
    const card = requisitionCard(view);
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: 'REQ-000042 · Rejected' } });
    expect(mrkdwnTexts(card.blocks).join('\n')).toContain(`:x: Rejected at level 1 by <@U0APR> · ${DECIDED_TOKEN}: _Over budget this quarter_`);
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  test('a cancelled one says who cancelled it and the reason when one was given', () => {
    const card = requisitionCard(requisition({ status: 'cancelled', cancelled: { by: 'U0REQ', at: DECIDED_AT, reason: 'Found some in a drawer' }, awaiting: { kind: 'nothing' } }));
    expect(mrkdwnTexts(card.blocks).join('\n')).toContain(`Cancelled by <@U0REQ> · ${DECIDED_TOKEN}: _Found some in a drawer_`);
  });
});
