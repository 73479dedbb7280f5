import type { ActionsBlock, ContextBlock, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { formatMoney } from '../../inventory/decimal.js';
import type { BuyerPurchaseOrder, BuyerWork } from '../../db/queries/buyer-home.js';
import type { RequisitionStatus } from '../../workflows/requisition-messages.js';
import { HOME_ACTIONS, REQUISITION_ACTIONS } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, slackDate, truncate } from './mrkdwn.js';
import { encodeButtonValue, STATUS_LABEL } from './requisition.js';

/**
 * App Home: the person's own requisitions and those waiting for their approval, with live status (the
 * workflow writes each status change to the database). Long lists are cut to the newest rows and say so,
 * keeping the view well inside Slack's 100 blocks.
 */

export const MAX_HOME_MINE = 15;
export const MAX_HOME_AWAITING = 10;

export interface HomeRequisition {
  number: string;
  status: RequisitionStatus;
  totalValue: string;
  createdAt: Date;
}

export interface HomeAwaiting {
  number: string;
  requester: string;
  totalValue: string;
  currentLevel: number | null;
  createdAt: Date;
}

export interface HomeInput {
  user: string;
  roles: string[];
  approvalLimit?: string;
  /** Newest first; one more than shown tells that there are more. */
  mine: HomeRequisition[];
  awaiting: HomeAwaiting[];
  /** Buyers' work (purchase orders to submit, goods due, invoices to match); shown to buyers. */
  purchasing?: BuyerWork;
  /** Today in the stockroom ('2026-12-06'), to say which goods are overdue. */
  today?: string;
  currency?: string;
}

/** Rows listed per purchasing list; the query fetches one more to say there are more. */
export const MAX_HOME_PURCHASING = 10;

const STATUS_EMOJI: Record<RequisitionStatus, string> = {
  submitted: ':inbox_tray:',
  awaiting_approval: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  backordered: ':truck:',
  picking: ':package:',
  issued: ':tada:',
  rejected: ':x:',
  cancelled: ':no_entry_sign:',
};

const day = (d: Date) => slackDate(d, '{date_short_pretty}');
const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } });
const context = (text: string): ContextBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) }] });

function rolesText(input: HomeInput, currency: string): string {
  const roles = input.roles.map((r) => (r === 'approver' && input.approvalLimit ? `approver (up to ${formatMoney(input.approvalLimit, currency)})` : r.replace('_', ' ')));
  return roles.length ? `You are: ${roles.join(', ')}.` : 'You can request supplies.';
}

export function homeView(input: HomeInput): HomeView {
  const currency = input.currency ?? '';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Stockroom' } },
    section(`Hi <@${input.user}>. ${rolesText(input, currency)}`),
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: HOME_ACTIONS.newRequest, text: { type: 'plain_text', text: 'Request supplies' }, style: 'primary' },
        { type: 'button', action_id: HOME_ACTIONS.refresh, text: { type: 'plain_text', text: 'Refresh' } },
      ],
    } satisfies ActionsBlock,
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'My requisitions' } },
  ];
  const mine = input.mine.slice(0, MAX_HOME_MINE);
  if (mine.length === 0) blocks.push(section('Nothing yet. Use `/request` or the button above.'));
  for (const r of mine) {
    blocks.push(
      section(`${STATUS_EMOJI[r.status]} *${r.number}* · ${STATUS_LABEL[r.status]}\n${formatMoney(r.totalValue, currency)} · submitted ${day(r.createdAt)}`),
    );
  }
  if (input.mine.length > MAX_HOME_MINE) blocks.push(context(`Showing your ${MAX_HOME_MINE} most recent requisitions.`));

  const awaiting = input.awaiting.slice(0, MAX_HOME_AWAITING);
  if (awaiting.length || input.roles.includes('approver')) {
    blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: 'Waiting for my approval' } });
    if (awaiting.length === 0) blocks.push(section('Nothing is waiting for you.'));
    for (const r of awaiting) {
      const level = r.currentLevel ?? 1;
      const value = encodeButtonValue({ number: r.number, level });
      blocks.push(
        section(`*${r.number}* from <@${r.requester}> · ${formatMoney(r.totalValue, currency)} · level ${level} · since ${day(r.createdAt)}`),
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: REQUISITION_ACTIONS.approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value },
            { type: 'button', action_id: REQUISITION_ACTIONS.reject, text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value },
          ],
        },
      );
    }
    if (input.awaiting.length > MAX_HOME_AWAITING) {
      blocks.push(context(`Showing the ${MAX_HOME_AWAITING} oldest; decide those first, or find the rest in your DMs.`));
    }
  }
  if (input.purchasing && input.roles.includes('buyer')) blocks.push(...purchasingBlocks(input.purchasing, input.today, currency));
  return { type: 'home', blocks };
}

function purchasingList(title: string, orders: BuyerPurchaseOrder[], none: string, detail: (o: BuyerPurchaseOrder) => string, currency: string): SectionBlock {
  const shown = orders.slice(0, MAX_HOME_PURCHASING);
  const rows = shown.map((o) => `• *${o.number}* · ${escapeText(o.vendor)} · ${formatMoney(o.totalValue, currency)} · ${detail(o)}`);
  if (orders.length > MAX_HOME_PURCHASING) rows.push(`…and more: the oldest ${MAX_HOME_PURCHASING} are shown.`);
  return section(`*${title}*\n${rows.length ? rows.join('\n') : `_${none}_`}`);
}

/** A buyer's lists: what to submit, what is due in, what to invoice; the cards in their DMs carry the buttons. */
function purchasingBlocks(work: BuyerWork, today: string | undefined, currency: string): KnownBlock[] {
  return [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Purchasing' } },
    purchasingList('Drafts to submit for approval', work.toSubmit, 'No drafts waiting.', () => 'draft', currency),
    purchasingList(
      'Goods due',
      work.receiptsDue,
      'Nothing on its way.',
      (o) =>
        `${o.status === 'partially_received' ? 'partly received, ' : ''}${o.expectedAt ? `due ${o.expectedAt}${today && o.expectedAt < today ? ' *(overdue)*' : ''}` : 'no due date'}`,
      currency,
    ),
    purchasingList('Invoices to match', work.invoicesToMatch, 'No received order is waiting for its invoice.', (o) => (o.invoice === 'mismatch' ? ':warning: invoice does not match' : 'no invoice yet'), currency),
    context('Submit, receive (`/receive`) and enter invoices from each purchase order\'s card in your DMs with Stockroom.'),
  ];
}
