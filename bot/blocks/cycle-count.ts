import type { ActionsBlock, Button, ContextBlock, InputBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { AbcRunSummary } from '../../db/queries/abc.js';
import { formatShare } from '../../inventory/abc.js';
import { formatMoney, sum } from '../../inventory/decimal.js';
import type { BlindCountLine, CountLineResult } from '../../workflows/cycle-count-messages.js';
import { COUNT_IDS, countLineBlockId } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';

/**
 * Block Kit for cycle counts: the counter's DM and the blind count modal (no expected quantity, ever),
 * the result a counter sees (no variances either: the book quantity would leak through them), the
 * manager's approval DM (which does show counted vs book), and the /count answers. Pure functions.
 */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export type AbcRunSummaryLike = Pick<AbcRunSummary, 'periodStart' | 'periodEnd' | 'itemCount' | 'pareto' | 'cutoffs' | 'changedCount'>;

const section = (markdown: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(markdown, SLACK_LIMITS.sectionText) },
});
const context = (markdown: string): ContextBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(markdown, 2_000) }] });
const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

export type CountNotice = 'assigned' | 'reassigned' | 'reminder' | 'recount';

export interface CountSummaryForCounter {
  number: string;
  dueOn: string;
  locationGroup: string;
  lineCount: number;
  remindersSent?: number;
}

/** The counter's DM: what to count, where, by when, and the button that opens the blind count. */
export function countAssignmentMessage(count: CountSummaryForCounter, notice: CountNotice): SlackMessage {
  const what = `${count.lineCount} line${count.lineCount === 1 ? '' : 's'} in *${escapeText(count.locationGroup)}*`;
  const lead: Record<CountNotice, string> = {
    assigned: `:clipboard: Cycle count *${count.number}* for you: ${what}, due ${count.dueOn}.`,
    reassigned: `:clipboard: Cycle count *${count.number}* was passed to you: ${what}, due ${count.dueOn}.`,
    reminder: `:alarm_clock: Cycle count *${count.number}* is overdue (due ${count.dueOn}): ${what}.`,
    recount: `:mag: Recount *${count.number}*: some bins did not match the book. Please count again: ${what}, due ${count.dueOn}.`,
  };
  return {
    text: lead[notice].replace(/\*/g, ''),
    blocks: [
      section(lead[notice]),
      context('Count what is on the shelf; the book quantity is hidden on purpose. Open the count when you are at the aisle.'),
      { type: 'actions', elements: [button('Start count', COUNT_IDS.start, count.number, 'primary')] } satisfies ActionsBlock,
    ],
  };
}

/** After a reassignment, the previous counter's DM loses its button. */
export function countPassedOnMessage(number: string, to: string): SlackMessage {
  const text = `Cycle count ${number} was passed to <@${to}>; nothing more to do for you.`;
  return { text, blocks: [section(`:arrow_right: ${text}`)] };
}

export interface CountModalInput {
  number: string;
  locationGroup: string;
  dueOn: string;
  lines: readonly BlindCountLine[];
}

/** Lines a modal can take: 100 blocks, minus the intro. counting_settings caps documents at 90 lines. */
export const MAX_MODAL_LINES = SLACK_LIMITS.viewBlocks - 2;

/** The modal's private metadata: what the submission handler needs to check the fields without a lookup. */
export interface CountModalMetadata {
  number: string;
  /** [lineId, uomDecimals, uom] */
  lines: [string, number, string][];
}

/**
 * The blind count modal: one text field per item × location, labelled with SKU and location, hinted with
 * the name and barcode. The expected quantity is not in it, not even in the metadata.
 */
export function countModal(input: CountModalInput): ModalView {
  const lines = input.lines.slice(0, MAX_MODAL_LINES);
  const metadata: CountModalMetadata = { number: input.number, lines: lines.map((l) => [l.lineId, l.uomDecimals, l.uom]) };
  const blocks: KnownBlock[] = [
    context(`*${escapeText(input.locationGroup)}* · due ${input.dueOn} · count what you see, 0 for an empty bin.`),
    ...lines.map(
      (line): InputBlock => ({
        type: 'input',
        block_id: countLineBlockId(line.lineId),
        label: { type: 'plain_text', text: truncate(`${line.sku} · ${line.location}`, SLACK_LIMITS.inputLabel), emoji: false },
        hint: {
          type: 'plain_text',
          text: truncate(
            `${line.name}${line.barcode ? ` · barcode ${line.barcode}` : ''} · in ${line.uom}${line.uomDecimals ? ` (up to ${line.uomDecimals} decimals)` : ''}`,
            SLACK_LIMITS.inputHint,
          ),
        },
        element: {
          type: 'plain_text_input',
          action_id: COUNT_IDS.quantityInput,
          placeholder: { type: 'plain_text', text: truncate(`Counted ${line.uom}`, SLACK_LIMITS.placeholder) },
        },
      }),
    ),
  ];
  return {
    type: 'modal',
    callback_id: COUNT_IDS.modal,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: truncate(`Count ${input.number}`, SLACK_LIMITS.viewTitle) },
    submit: { type: 'plain_text', text: 'Submit count' },
    close: { type: 'plain_text', text: 'Later' },
    blocks,
  };
}

/** The counter's thanks: how the lines settled, without variances (they would reveal the book). */
export function countResultForCounter(number: string, results: readonly CountLineResult[], recountNumber?: string): SlackMessage {
  const matched = results.filter((r) => r.outcome === 'matched').length;
  const adjusted = results.filter((r) => r.outcome === 'adjusted').length;
  const recount = results.filter((r) => r.outcome === 'recount').length;
  const review = results.filter((r) => r.outcome === 'awaiting_approval' || r.outcome === 'failed').length;
  const parts = [
    `${matched} matched the book`,
    adjusted ? `${adjusted} corrected within tolerance` : '',
    recount ? `${recount} go${recount === 1 ? 'es' : ''} to a recount${recountNumber ? ` (${recountNumber})` : ''}` : '',
    review ? `${review} for the inventory manager` : '',
  ].filter(Boolean);
  const text = `Thanks, count ${number} is in: ${parts.join(', ')}.`;
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

export interface ApprovalRequest {
  number: string;
  counter: string | null;
  recountOf: string | null;
  currency?: string;
  lines: readonly CountLineResult[];
}

/** Lines listed in an approval DM before "…and N more". */
export const MAX_APPROVAL_LINES = 15;

/** The inventory manager's DM: the recount still differs from the book; approve to post, or reject. */
export function countApprovalMessage(request: ApprovalRequest): SlackMessage {
  const lines = request.lines.filter((l) => l.action === 'approval');
  const total = sum(lines.map((l) => l.valueImpact));
  const rows = lines
    .slice(0, MAX_APPROVAL_LINES)
    .map(
      (l) =>
        `• *${escapeText(l.sku)}* at ${escapeText(l.location)} (class ${l.abcClass}): counted ${l.counted}, book ${l.expected}, variance *${signed(l.variance)}* (${signedMoney(l.valueImpact, request.currency)})`,
    );
  if (lines.length > MAX_APPROVAL_LINES) rows.push(`…and ${lines.length - MAX_APPROVAL_LINES} more`);
  const text = `Recount ${request.number} still differs from the book on ${lines.length} line${lines.length === 1 ? '' : 's'}: approve the adjustment?`;
  return {
    text,
    blocks: [
      section(
        `:scales: *${request.number}*${request.recountOf ? ` (recount of ${request.recountOf})` : ''}${request.counter ? ` by <@${request.counter}>` : ''} still differs from the book above tolerance.`,
      ),
      section(rows.join('\n')),
      context(`Approving posts these variances as ledger adjustments (${signedMoney(total.toFixed(), request.currency)} in total). Rejecting keeps the book as it is.`),
      {
        type: 'actions',
        elements: [
          button('Approve adjustment', COUNT_IDS.approve, request.number, 'primary'),
          button('Reject', COUNT_IDS.reject, request.number, 'danger'),
        ],
      },
    ],
  };
}

/** The approval DM once decided: the buttons go, the decision stays. */
export function countDecidedMessage(number: string, decision: 'approved' | 'rejected', approver: string): SlackMessage {
  const text =
    decision === 'approved'
      ? `Count ${number}: adjustment approved by <@${approver}> and posted.`
      : `Count ${number}: adjustment rejected by <@${approver}>; the book is unchanged.`;
  return { text, blocks: [section(`${decision === 'approved' ? ':white_check_mark:' : ':no_entry_sign:'} ${text}`)] };
}

export function countEscalationMessage(number: string, counter: string | null, dueOn: string, reminders: number): SlackMessage {
  const text = `Cycle count ${number}${counter ? ` (<@${counter}>)` : ''} is still not counted after ${reminders} reminders (due ${dueOn}). Reassign it from /count or talk to the counter.`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

export function countUnassignedMessage(number: string, dueOn: string): SlackMessage {
  const text = `Cycle count ${number} (due ${dueOn}) has nobody to count it: give someone the warehouse role, then \`/count pass ${number} @person\`.`;
  return { text, blocks: [section(`:bust_in_silhouette: ${text}`)] };
}

export function adjustmentFailedMessage(number: string, failures: readonly CountLineResult[]): SlackMessage {
  const rows = failures.map((f) => `• *${escapeText(f.sku)}* at ${escapeText(f.location)}: ${escapeText(f.failure ?? 'refused')}`);
  const text = `Count ${number}: the ledger refused ${failures.length} adjustment${failures.length === 1 ? '' : 's'}.`;
  return { text, blocks: [section(`:warning: ${text}`), section(rows.join('\n'))] };
}

export interface OpenCountRow {
  number: string;
  dueOn: string;
  locationGroup: string;
  lines: number;
}

/** /count: the person's open counts, each with its start button. */
export function openCountsMessage(counts: readonly OpenCountRow[], today: string): SlackMessage {
  if (counts.length === 0) return { text: 'You have no open cycle counts.', blocks: [section('You have no open cycle counts. :tada:')] };
  const blocks: KnownBlock[] = [section(`You have ${counts.length} open cycle count${counts.length === 1 ? '' : 's'}:`)];
  for (const c of counts.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${c.number}* · ${escapeText(c.locationGroup)} · ${c.lines} line${c.lines === 1 ? '' : 's'} · due ${c.dueOn}${c.dueOn < today ? ' *(overdue)*' : ''}`,
      },
      accessory: button('Start count', COUNT_IDS.start, c.number, 'primary'),
    });
  }
  return { text: `You have ${counts.length} open cycle counts.`, blocks };
}

/** /count abc: the Pareto table of the latest ABC run. */
export function paretoMessage(summary: AbcRunSummaryLike | undefined, currency = ''): SlackMessage {
  if (!summary) {
    const text = 'No ABC analysis has run yet. It runs on the 1st of each month, or now with `stockroom abc --run`.';
    return { text, blocks: [section(text)] };
  }
  const rows = summary.pareto.map(
    (r) =>
      `*${r.abcClass}*  ${String(r.itemCount).padStart(6)} items (${formatShare(r.itemShare)})  ·  ${formatMoney(r.value, currency)} (${formatShare(r.valueShare)} of value)`,
  );
  const changes = summary.changedCount ? `${summary.changedCount} item${summary.changedCount === 1 ? '' : 's'} changed class since the previous run.` : 'No item changed class since the previous run.';
  const text = `ABC analysis of ${summary.periodEnd.slice(0, 10)}: ${summary.pareto.map((r) => `${r.abcClass} ${r.itemCount}`).join(', ')}`;
  return {
    text,
    blocks: [
      section(`:bar_chart: *ABC analysis* · consumption ${summary.periodStart.slice(0, 10)} to ${summary.periodEnd.slice(0, 10)} · ${summary.itemCount} items`),
      section(rows.join('\n')),
      context(`Cut-offs: A to ${formatShare(summary.cutoffs.a)}, B to ${formatShare(summary.cutoffs.b)} of annual consumption value. ${changes}`),
    ],
  };
}

const signed = (value: string): string => (value.startsWith('-') ? value : `+${value}`);
const signedMoney = (value: string, currency = ''): string =>
  value.startsWith('-') ? `-${formatMoney(value.slice(1), currency)}` : `+${formatMoney(value, currency)}`;
