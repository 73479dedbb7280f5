import type { ActionsBlock, ContextBlock, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { formatMoney } from '../../inventory/decimal.js';
import type { RequisitionStatus } from '../../workflows/requisition-messages.js';
import { HOME_ACTIONS, REQUISITION_ACTIONS } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { slackDate, truncate } from './mrkdwn.js';
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
  currency?: string;
}

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
  return { type: 'home', blocks };
}
