import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { dec, formatMoney } from '../../inventory/decimal.js';
import type {
  ApprovalLevelView,
  RequisitionEvent,
  RequisitionLineView,
  RequisitionStatus,
  RequisitionView,
} from '../../workflows/requisition-messages.js';
import { REQUISITION_ACTIONS } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, mention, slackDate, truncate, withoutEmphasis } from './mrkdwn.js';

/**
 * Block Kit for requisitions: the requester's thread card and its replies, the approver's DM, the
 * warehouse pick task, and their closed forms. Pure functions of the workflow's view; long
 * requisitions are summarised to stay inside Slack's limits rather than be refused by Slack.
 */

export interface SlackMessage {
  /** Notification and screen-reader text; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks: KnownBlock[];
}

/** Lines listed in full before "…and N more"; beyond ~15 a message stops being read. */
export const MAX_LINES_SHOWN = 15;

export const STATUS_LABEL: Record<RequisitionStatus, string> = {
  submitted: 'Submitted',
  awaiting_approval: 'Awaiting approval',
  approved: 'Approved',
  backordered: 'Backordered: waiting for stock',
  picking: 'Being picked',
  issued: 'Issued: ready for collection',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

const CANCELLABLE: readonly RequisitionStatus[] = ['submitted', 'awaiting_approval', 'approved', 'backordered', 'picking'];

// ---- small pieces ----

/** $1,234.50, and -$500.00 rather than $-500.00. */
const money = (value: string, currency: string): string =>
  dec(value).isNegative() ? `-${formatMoney(dec(value).abs(), currency)}` : formatMoney(value, currency);
/** "· Today at 09:14" in the reader's time zone and words (see slackDate), or nothing when the moment is unknown. */
const when = (iso: string | undefined): string => (iso ? `· ${slackDate(iso)}` : '');
const quantity = (value: string, uom: string): string => `${value} ${uom}`;
const isPositive = (value: string | undefined): boolean => value !== undefined && dec(value).gt(0);

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true } };
}

function section(markdown: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(markdown, SLACK_LIMITS.sectionText) } };
}

function fields(pairs: [string, string][]): SectionBlock {
  return {
    type: 'section',
    fields: pairs
      .slice(0, SLACK_LIMITS.sectionFields)
      .map(([label, value]) => ({ type: 'mrkdwn' as const, text: truncate(`*${label}*\n${value}`, SLACK_LIMITS.sectionFieldText) })),
  };
}

function context(markdown: string[]): ContextBlock {
  return {
    type: 'context',
    elements: markdown.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, SLACK_LIMITS.sectionText) })),
  };
}

/**
 * Renders lines one per row until the list would pass the shown-lines cap or the section's text
 * limit, then says how many more there are: a 50-line requisition still fits one section.
 */
export function lineList(lines: RequisitionLineView[], render: (line: RequisitionLineView) => string, limit = SLACK_LIMITS.sectionText): string {
  const rows: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const remaining = lines.length - i;
    const more = `\n…and ${remaining} more line${remaining === 1 ? '' : 's'}`;
    const row = truncate(render(line), 400);
    const budget = limit - more.length;
    if (i >= MAX_LINES_SHOWN || length + row.length + 1 > budget) {
      rows.push(more.trimStart());
      break;
    }
    rows.push(row);
    length += row.length + 1;
  }
  return rows.join('\n');
}

// ---- button values (the bot parses what the builders encode) ----

export interface ApprovalButtonValue {
  number: string;
  level: number;
}
export interface PickButtonValue {
  number: string;
  round: number;
}
export interface CancelButtonValue {
  number: string;
}

export const encodeButtonValue = (value: ApprovalButtonValue | PickButtonValue | CancelButtonValue): string => JSON.stringify(value);

function parseObject(value: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function parseApprovalButtonValue(value: string): ApprovalButtonValue | undefined {
  const o = parseObject(value);
  return typeof o?.number === 'string' && Number.isInteger(o.level) ? { number: o.number, level: o.level as number } : undefined;
}

export function parsePickButtonValue(value: string): PickButtonValue | undefined {
  const o = parseObject(value);
  return typeof o?.number === 'string' && Number.isInteger(o.round) ? { number: o.number, round: o.round as number } : undefined;
}

export function parseCancelButtonValue(value: string): CancelButtonValue | undefined {
  const o = parseObject(value);
  return typeof o?.number === 'string' ? { number: o.number } : undefined;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.buttonText) }, action_id: actionId, value, ...(style ? { style } : {}) };
}

// ---- who is awaited ----

export function awaitingText(view: RequisitionView): string {
  const a = view.awaiting;
  switch (a.kind) {
    case 'approval': {
      const level = view.approvals.find((l) => l.level === a.level);
      const who = a.approvers.length ? a.approvers.map(mention).join(', ') : 'an approver (nobody can approve this amount yet: an admin must grant the role)';
      return `Waiting for ${who} to approve level ${a.level}${level ? ` (${escapeText(level.name)})` : ''}.`;
    }
    case 'stock':
      return `Waiting for stock of ${a.skus.map((s) => `*${escapeText(s)}*`).join(', ')}.`;
    case 'pick':
      return `Waiting for the warehouse to pick (round ${a.round}).`;
    case 'nothing':
      return view.status === 'issued' ? 'Done.' : STATUS_LABEL[view.status];
  }
}

/** Why a requisition ended without being issued, on the card itself: who, when and the reason they gave. */
function closedText(view: RequisitionView): string | undefined {
  if (view.status === 'rejected' && view.rejected) {
    return `:x: Rejected at level ${view.rejected.level} by ${mention(view.rejected.by)} ${when(view.rejected.at)}: _${escapeText(view.rejected.reason)}_`;
  }
  if (view.status === 'cancelled' && view.cancelled) {
    return `:no_entry_sign: Cancelled by ${mention(view.cancelled.by)} ${when(view.cancelled.at)}${view.cancelled.reason ? `: _${escapeText(view.cancelled.reason)}_` : ''}`;
  }
  return undefined;
}

function lineProgress(line: RequisitionLineView): string {
  const parts = [`*${escapeText(line.sku)}* ${escapeText(line.name)}: ${quantity(line.requested, line.uom)}`];
  if (isPositive(line.issued)) parts.push(`issued ${line.issued}`);
  if (isPositive(line.reserved)) parts.push(`reserved ${line.reserved}`);
  if (isPositive(line.backordered)) parts.push(`backordered ${line.backordered}`);
  if (isPositive(line.cancelled)) parts.push(`cancelled ${line.cancelled}`);
  if (line.neededBy) parts.push(`needed by ${line.neededBy}`);
  return `• ${parts.join(' · ')}`;
}

// ---- the requester's thread ----

/** The card at the top of the requester's thread, updated in place at every status change. */
export function requisitionCard(view: RequisitionView, opts: { currency?: string } = {}): SlackMessage {
  const currency = opts.currency ?? '';
  const blocks: KnownBlock[] = [
    header(`${view.number} · ${STATUS_LABEL[view.status]}`),
    fields([
      ['Cost center', escapeText(view.costCenter)],
      ['Value', money(view.totalValue, currency)],
      ['Reason', escapeText(view.reason)],
      ['Requested by', mention(view.requester)],
    ]),
    section(lineList(view.lines, lineProgress)),
    context([closedText(view) ?? awaitingText(view)]),
  ];
  if (CANCELLABLE.includes(view.status) && !view.cancelled) {
    const cancel: Button = {
      ...button('Cancel requisition', REQUISITION_ACTIONS.cancel, encodeButtonValue({ number: view.number })),
      confirm: {
        title: { type: 'plain_text', text: 'Cancel this requisition?' },
        text: { type: 'plain_text', text: `${view.number} will be cancelled and any reserved stock released.` },
        confirm: { type: 'plain_text', text: 'Cancel it' },
        deny: { type: 'plain_text', text: 'Keep it' },
        style: 'danger',
      },
    };
    blocks.push({ type: 'actions', elements: [cancel] } satisfies ActionsBlock);
  }
  return { text: `${view.number}: ${STATUS_LABEL[view.status]} (${money(view.totalValue, currency)})`, blocks };
}

/** One reply in the requester's thread per event. */
export function requesterEventMessage(view: RequisitionView, event: RequisitionEvent, opts: { currency?: string } = {}): SlackMessage {
  const currency = opts.currency ?? '';
  const text = eventSentence(view, event, currency);
  return { text: truncate(withoutEmphasis(text), 3000), blocks: [section(text)] };
}

function eventSentence(view: RequisitionView, event: RequisitionEvent, currency: string): string {
  const n = view.number;
  switch (event.kind) {
    case 'submitted':
      return `${n} submitted: ${view.lines.length} line${view.lines.length === 1 ? '' : 's'}, ${money(view.totalValue, currency)}.`;
    case 'auto_approved':
      return `${n} is approved automatically (under the approval threshold). Reserving stock now.`;
    case 'awaiting_approval':
      return event.approver
        ? `${n} is waiting for ${mention(event.approver)} to approve (level ${event.level}).`
        : `${n} needs level ${event.level} approval but nobody can approve this amount yet; an admin has to grant the role.`;
    case 'level_approved':
      return `Level ${event.level} approved by ${mention(event.by)}.`;
    case 'approved':
      return `${n} is approved. Reserving stock now.`;
    case 'rejected':
      return `${n} was rejected by ${mention(event.by)}: _${escapeText(event.reason)}_`;
    case 'escalated':
      return `No decision yet, so ${n} was also sent to ${mention(event.to)} (level ${event.level}).`;
    case 'no_approver':
      return `Nobody else can approve level ${event.level} of ${n}; still waiting on those already asked.`;
    case 'backordered':
      return `Not enough stock of ${event.skus.map((s) => `*${escapeText(s)}*`).join(', ')}: backordered. You will hear from me as soon as it arrives.`;
    case 'picking':
      return `The warehouse is picking ${n}${event.round > 1 ? ` (round ${event.round})` : ''}.`;
    case 'ready': {
      const issued = view.lines.filter((l) => isPositive(l.issued)).map((l) => `${quantity(l.issued, l.uom)} *${escapeText(l.sku)}*`);
      const waiting = view.lines.filter((l) => isPositive(l.backordered)).map((l) => `*${escapeText(l.sku)}*`);
      return (
        `${n} is ready for collection: ${issued.length ? issued.join(', ') : 'nothing could be picked'}.` +
        (waiting.length ? ` Still backordered: ${waiting.join(', ')}.` : '')
      );
    }
    case 'cancelled':
      return `${n} was cancelled by ${mention(event.by)}${event.reason ? `: _${escapeText(event.reason)}_` : ''}. Reserved stock was released.`;
  }
}

// ---- the approver's DM ----

export interface BudgetLine {
  amount: string;
  used: string;
  remaining: string;
  periodStart: string;
  periodEnd: string;
}

export interface ApprovalContext {
  level: number;
  currency?: string;
  /** Available stock by SKU (upper case), as the ledger says now. */
  available: Record<string, string>;
  /** Purchase order the short quantity is on, by SKU (upper case); absent: not yet on one. */
  purchaseOrders?: Record<string, string>;
  /** The requester's cost center budget for the current period; absent: none set. */
  budget?: BudgetLine;
  /** Why this approver: escalated after no decision, or designated approvers passed over. */
  escalatedFrom?: string;
}

function approvalLine(line: RequisitionLineView, ctx: ApprovalContext, currency: string): string {
  const key = line.sku.toUpperCase();
  const available = ctx.available[key];
  const value = dec(line.requested).times(line.unitCost);
  const parts = [`• *${escapeText(line.sku)}* ${escapeText(line.name)}: ${quantity(line.requested, line.uom)} × ${money(line.unitCost, currency)} = ${money(value.toFixed(), currency)}`];
  if (available === undefined) parts.push('stock unknown');
  else {
    parts.push(`${available} available`);
    const short = dec(line.requested).minus(available);
    if (short.gt(0)) {
      const po = ctx.purchaseOrders?.[key];
      parts.push(`short ${short.toFixed()}: ${po ? `on purchase order ${escapeText(po)}` : 'not yet on a purchase order'}`);
    }
  }
  return parts.join(' · ');
}

function budgetText(budget: BudgetLine | undefined, total: string, currency: string): string {
  if (!budget) return 'No budget set for this period';
  const after = dec(budget.remaining).minus(total);
  return (
    `${money(budget.used, currency)} used of ${money(budget.amount, currency)}; ${money(budget.remaining, currency)} left` +
    `\nAfter this: ${money(after.toFixed(), currency)}${after.isNegative() ? ' (over budget)' : ''}`
  );
}

function levelLabel(view: RequisitionView, level: ApprovalLevelView | undefined, currency: string): string {
  if (!level) return '';
  return `${level.level} of ${view.approvals.length}: ${escapeText(level.name)} (needs a limit of ${money(level.requiredLimit, currency)})`;
}

/** The DM asking an approver to decide one level, with everything needed to decide. */
export function approvalRequestMessage(view: RequisitionView, ctx: ApprovalContext): SlackMessage {
  const currency = ctx.currency ?? '';
  const level = view.approvals.find((l) => l.level === ctx.level);
  const value = encodeButtonValue({ number: view.number, level: ctx.level });
  const notes: string[] = [];
  if (ctx.escalatedFrom) notes.push(`Sent to you because ${mention(ctx.escalatedFrom)} has not decided yet.`);
  for (const skipped of level?.passedOver ?? []) {
    if (skipped.reason === 'limit_below_amount') {
      notes.push(`Passed over ${mention(skipped.slackUserId)}: their limit ${money(skipped.limit, currency)} is below this amount.`);
    }
  }
  const blocks: KnownBlock[] = [
    header(`Approve ${view.number}? ${money(view.totalValue, currency)}`),
    section(`${mention(view.requester)} asks for supplies on *${escapeText(view.costCenter)}*: _${escapeText(view.reason)}_`),
    fields([
      ['Value', money(view.totalValue, currency)],
      ['Approval level', levelLabel(view, level, currency)],
      [`Budget ${escapeText(view.costCenter)}`, budgetText(ctx.budget, view.totalValue, currency)],
      ['Submitted', view.submittedAt ? slackDate(view.submittedAt) : 'not yet'],
    ]),
    section(lineList(view.lines, (line) => approvalLine(line, ctx, currency))),
  ];
  if (notes.length) blocks.push(context(notes));
  blocks.push({
    type: 'actions',
    elements: [button('Approve', REQUISITION_ACTIONS.approve, value, 'primary'), button('Reject', REQUISITION_ACTIONS.reject, value, 'danger')],
  });
  return { text: `Approve ${view.number} from ${mention(view.requester)}: ${money(view.totalValue, currency)}?`, blocks };
}

/** What an approval DM becomes once its level is decided or the requisition is over: no buttons, the outcome. */
export function approvalClosedMessage(view: RequisitionView, opts: { level: number; currency?: string }): SlackMessage {
  const currency = opts.currency ?? '';
  const level = view.approvals.find((l) => l.level === opts.level);
  const outcome = approvalOutcome(view, level);
  return {
    text: `${view.number}: ${withoutEmphasis(outcome)}`,
    blocks: [
      header(`${view.number} · ${money(view.totalValue, currency)}`),
      section(`${mention(view.requester)} on *${escapeText(view.costCenter)}*: _${escapeText(view.reason)}_`),
      section(outcome),
      context([`Status: ${STATUS_LABEL[view.status]}`]),
    ],
  };
}

function approvalOutcome(view: RequisitionView, level: ApprovalLevelView | undefined): string {
  if (level?.state === 'approved') return `:white_check_mark: Level ${level.level} approved by ${mention(level.decidedBy!)} ${when(level.decidedAt)}`;
  if (level?.state === 'rejected') {
    return `:x: Rejected by ${mention(level.decidedBy!)} ${when(level.decidedAt)}: _${escapeText(level.reason ?? '')}_`;
  }
  if (view.cancelled) return `:no_entry_sign: Cancelled by ${mention(view.cancelled.by)} ${when(view.cancelled.at)}. Nothing to decide.`;
  if (view.rejected) return `:x: Rejected at level ${view.rejected.level} by ${mention(view.rejected.by)}. Nothing to decide.`;
  return `No longer waiting for a decision (${STATUS_LABEL[view.status]}).`;
}

export function approvalReminderMessage(view: RequisitionView, opts: { level: number; currency?: string }): SlackMessage {
  const text = `Reminder: ${view.number} from ${mention(view.requester)} (${money(view.totalValue, opts.currency ?? '')}) is still waiting for your decision on level ${opts.level}.`;
  return { text, blocks: [section(text)] };
}

// ---- the warehouse pick task ----

function pickLine(line: RequisitionLineView): string {
  const bins = line.allocations.map((a) => `${escapeText(a.location)} × ${a.quantity}`).join(', ');
  return `• *${escapeText(line.sku)}* ${escapeText(line.name)}: pick ${quantity(line.reserved, line.uom)} from ${bins || 'no bin'}`;
}

/** Posted to the warehouse channel: what to pick from which bins, and the button to confirm it. */
export function pickTaskMessage(view: RequisitionView, opts: { round: number }): SlackMessage {
  const toPick = view.lines.filter((l) => isPositive(l.reserved));
  const neededBy = view.lines.map((l) => l.neededBy).filter((d): d is string => !!d).sort()[0];
  return {
    text: `Pick ${view.number} for ${mention(view.requester)}: ${toPick.length} line${toPick.length === 1 ? '' : 's'}`,
    blocks: [
      header(`Pick ${view.number}${opts.round > 1 ? ` (round ${opts.round})` : ''}`),
      section(`For ${mention(view.requester)} · cost center *${escapeText(view.costCenter)}*${neededBy ? ` · needed by ${neededBy}` : ''}`),
      section(lineList(toPick, pickLine)),
      context(['Short? Confirm what you picked; the rest is backordered or cancelled.']),
      {
        type: 'actions',
        elements: [button('Confirm pick', REQUISITION_ACTIONS.confirmPick, encodeButtonValue({ number: view.number, round: opts.round }), 'primary')],
      },
    ],
  };
}

export function pickTaskClosedMessage(view: RequisitionView, opts: { round: number; outcome: 'confirmed' | 'cancelled'; by?: string }): SlackMessage {
  const outcome =
    opts.outcome === 'cancelled'
      ? `:no_entry_sign: Cancelled by the requester${opts.by ? ` (${mention(opts.by)})` : ''}: do not pick; put back anything already picked.`
      : `:white_check_mark: Picked${opts.by ? ` by ${mention(opts.by)}` : ''} and issued.`;
  const picked = view.lines.filter((l) => isPositive(l.issued) || isPositive(l.backordered) || isPositive(l.cancelled));
  return {
    text: `Pick ${view.number}: ${opts.outcome}`,
    blocks: [
      header(`Pick ${view.number}${opts.round > 1 ? ` (round ${opts.round})` : ''}`),
      section(outcome),
      ...(opts.outcome === 'confirmed' && picked.length ? [section(lineList(picked, lineProgress))] : []),
    ],
  };
}
