import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { dec, parseDecimal, QTY_SCALE, toPlain } from '../../inventory/decimal.js';
import type { PickedLine, RequisitionView } from '../../workflows/requisition-messages.js';
import { PICK_MODAL } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';

/**
 * The warehouse's pick confirmation: per line to pick, the quantity picked (the reserved quantity to
 * start with; less is a short pick) and what becomes of that line's rest if it is short: backordered
 * or cancelled, line by line. Lines past what a modal holds are confirmed in full and said so.
 */

/** Blocks besides the lines' two each: the intro and the "more lines" note. */
const OTHER_BLOCKS = 2;
export const MAX_PICK_INPUTS = Math.floor((SLACK_LIMITS.viewBlocks - OTHER_BLOCKS) / 2);

export interface PickModalMetadata {
  number: string;
  round: number;
  /** [lineNo, reserved] of every line on the task, shown or not. */
  lines: [number, string][];
  /** How many of `lines` have an input (the rest are picked in full). */
  shown: number;
  responseUrl?: string;
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });

const REMAINDER_OPTIONS: PlainTextOption[] = [
  { text: plain('Backordered: delivered when stock arrives', SLACK_LIMITS.optionText), value: 'backorder' },
  { text: plain('Cancelled', SLACK_LIMITS.optionText), value: 'cancel' },
];

export function pickModal(view: RequisitionView, opts: { round: number; responseUrl?: string }): ModalView {
  const toPick = view.lines.filter((l) => dec(l.reserved).gt(0));
  const shown = toPick.slice(0, MAX_PICK_INPUTS);
  const metadata: PickModalMetadata = {
    number: view.number,
    round: opts.round,
    lines: toPick.map((l) => [l.lineNo, l.reserved]),
    shown: shown.length,
    ...(opts.responseUrl ? { responseUrl: opts.responseUrl } : {}),
  };
  const inputs: InputBlock[] = shown.flatMap((line): InputBlock[] => [
    {
      type: 'input',
      block_id: PICK_MODAL.lineBlock(line.lineNo),
      label: plain(`${line.lineNo}. ${line.sku} · ${line.name} (${line.uom})`, SLACK_LIMITS.inputLabel),
      hint: plain(
        `Reserved ${line.reserved} ${line.uom}: ${line.allocations.map((a) => `${a.location} × ${a.quantity}`).join(', ') || 'no bin'}`,
        SLACK_LIMITS.inputHint,
      ),
      element: { type: 'plain_text_input', action_id: PICK_MODAL.quantityAction, initial_value: line.reserved },
    },
    {
      type: 'input',
      block_id: PICK_MODAL.remainderBlock(line.lineNo),
      label: plain(`If line ${line.lineNo} is short, the rest is`, SLACK_LIMITS.inputLabel),
      element: { type: 'static_select', action_id: PICK_MODAL.remainderAction, options: REMAINDER_OPTIONS, initial_option: REMAINDER_OPTIONS[0] },
    },
  ]);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${escapeText(view.number)}* for <@${view.requester}>${opts.round > 1 ? ` (round ${opts.round})` : ''}. ` +
            'Enter what you actually picked; less than reserved is a short pick.',
          SLACK_LIMITS.sectionText,
        ),
      },
    },
    ...inputs,
  ];
  if (toPick.length > shown.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${toPick.length - shown.length} more lines are confirmed as picked in full.` }],
    });
  }
  return {
    type: 'modal',
    callback_id: PICK_MODAL.callbackId,
    title: plain(`Pick ${view.number}`, SLACK_LIMITS.viewTitle),
    submit: plain('Confirm pick', SLACK_LIMITS.viewSubmit),
    close: plain('Back', SLACK_LIMITS.viewClose),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

export function decodePickMetadata(raw: string | undefined): PickModalMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<PickModalMetadata>;
    if (typeof parsed.number !== 'string' || !Number.isInteger(parsed.round) || !Array.isArray(parsed.lines)) return undefined;
    const lines = parsed.lines.filter((l): l is [number, string] => Array.isArray(l) && Number.isInteger(l[0]) && typeof l[1] === 'string');
    return {
      number: parsed.number,
      round: parsed.round!,
      lines,
      shown: Number.isInteger(parsed.shown) ? parsed.shown! : lines.length,
      ...(typeof parsed.responseUrl === 'string' ? { responseUrl: parsed.responseUrl } : {}),
    };
  } catch {
    return undefined;
  }
}

type PickValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** The picked quantities as the confirmPick update takes them, or field errors keyed by block_id. */
export function readPickSubmission(values: PickValues, metadata: PickModalMetadata): { lines: PickedLine[]; errors: Record<string, string> } {
  const remainderOf = (lineNo: number) =>
    values[PICK_MODAL.remainderBlock(lineNo)]?.[PICK_MODAL.remainderAction]?.selected_option?.value === 'cancel' ? 'cancel' : 'backorder';
  const errors: Record<string, string> = {};
  const lines: PickedLine[] = metadata.lines.map(([lineNo, reserved], i) => {
    if (i >= metadata.shown) return { lineNo, picked: reserved };
    const block = PICK_MODAL.lineBlock(lineNo);
    const text = (values[block]?.[PICK_MODAL.quantityAction]?.value ?? '').trim();
    const picked = parseDecimal(text);
    if (!picked) errors[block] = `"${truncate(text, 20)}" is not a number; enter 0 if you found none.`;
    else if (picked.isNegative()) errors[block] = 'Picked cannot be below zero.';
    else if (picked.gt(reserved)) errors[block] = `At most the ${reserved} reserved; receive any extra separately.`;
    else if (picked.decimalPlaces() > QTY_SCALE) errors[block] = `At most ${QTY_SCALE} decimals.`;
    const quantity = picked && !errors[block] ? toPlain(picked) : text;
    return { lineNo, picked: quantity, ...(picked && picked.lt(reserved) ? { remainder: remainderOf(lineNo) } : {}) };
  });
  return { lines, errors };
}
