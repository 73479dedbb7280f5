import type { ActionsBlock, Button, InputBlock, KnownBlock, ModalView } from '@slack/types';
import { dec, formatMoney } from '../../inventory/decimal.js';
import { openQuantity, RECEIVABLE_STATUSES } from '../../inventory/purchase-order.js';
import type { PurchaseOrderEvent, PurchaseOrderStatus, PurchaseOrderView } from '../../workflows/purchase-order-messages.js';
import { PO_REJECT_MODAL, PURCHASING_ACTIONS, RECEIVE_MODAL } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, slackDate, truncate } from './mrkdwn.js';
import type { SlackMessage } from './requisition.js';

/**
 * Block Kit for purchase orders: the buyer's card (status, lines, the buttons the status allows),
 * its thread replies, the approver's DM, and the receiving and reject modals. Pure functions of
 * the workflow's view.
 */

export const PO_STATUS_LABEL: Record<PurchaseOrderStatus, string> = {
  draft: 'Draft',
  awaiting_approval: 'Awaiting approval',
  approved: 'Approved',
  sent: 'Sent: waiting for goods',
  partially_received: 'Partially received',
  received: 'Received',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** Lines shown in a message or the receiving modal before summarising (modal: 100 blocks, 2 per line). */
export const MAX_PO_LINES_SHOWN = 15;
export const MAX_RECEIVE_LINES = 40;

export interface PoButtonValue {
  number: string;
  level?: number;
}

export const encodePoValue = (value: PoButtonValue): string => JSON.stringify(value);

export function parsePoValue(value: string): PoButtonValue | undefined {
  try {
    const o = JSON.parse(value) as { number?: unknown; level?: unknown };
    if (typeof o?.number !== 'string' || !o.number) return undefined;
    return Number.isInteger(o.level) ? { number: o.number, level: o.level as number } : { number: o.number };
  } catch {
    return undefined;
  }
}

const button = (actionId: string, text: string, value: PoButtonValue, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
  value: encodePoValue(value),
  ...(style ? { style } : {}),
});

const money = (value: string, currency: string) => formatMoney(value, currency);

function lineRows(view: PurchaseOrderView, currency: string): string {
  const rows = view.lines.slice(0, MAX_PO_LINES_SHOWN).map((l) => {
    const received = dec(l.received).gt(0) ? `, received ${l.received}` : '';
    const cancelled = dec(l.cancelled).gt(0) ? `, cancelled ${l.cancelled}` : '';
    return truncate(`${l.lineNo}. \`${escapeText(l.sku)}\` ${escapeText(l.name)}: ${l.ordered} ${l.uom} × ${money(l.unitPrice, currency)}${received}${cancelled}`, 300);
  });
  if (view.lines.length > MAX_PO_LINES_SHOWN) rows.push(`…and ${view.lines.length - MAX_PO_LINES_SHOWN} more lines`);
  return truncate(rows.join('\n'), SLACK_LIMITS.sectionText);
}

function summary(view: PurchaseOrderView, currency: string): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${view.number} · ${view.vendorName}`, SLACK_LIMITS.headerText) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${PO_STATUS_LABEL[view.status]}` },
        { type: 'mrkdwn', text: `*Value*\n${money(view.totalValue, currency)}` },
        { type: 'mrkdwn', text: `*Buyer*\n<@${view.buyer}>` },
        { type: 'mrkdwn', text: `*Expected*\n${view.expectedAt ?? 'not yet sent'}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: lineRows(view, currency) } },
  ];
}

/** Statuses whose card offers "Enter invoice" (the workflow also takes invoices once closed, from the CLI). */
export const INVOICE_ENTRY_STATUSES: readonly PurchaseOrderStatus[] = ['sent', 'partially_received', 'received'];

/** The buyer's card: the buttons follow the status (submit or cancel a draft, receive when sent). */
export function purchaseOrderCard(view: PurchaseOrderView, opts: { currency?: string } = {}): SlackMessage {
  const currency = opts.currency ?? '';
  const blocks = summary(view, currency);
  const elements: Button[] = [];
  if (view.status === 'draft') elements.push(button(PURCHASING_ACTIONS.submit, 'Submit for approval', { number: view.number }, 'primary'));
  if (RECEIVABLE_STATUSES.includes(view.status)) elements.push(button(PURCHASING_ACTIONS.receive, 'Receive', { number: view.number }, 'primary'));
  if (INVOICE_ENTRY_STATUSES.includes(view.status)) elements.push(button(PURCHASING_ACTIONS.enterInvoice, 'Enter invoice', { number: view.number }));
  if (['draft', 'awaiting_approval', 'approved', 'sent', 'partially_received'].includes(view.status)) {
    elements.push(button(PURCHASING_ACTIONS.cancel, dec(view.lines.reduce((a, l) => a.plus(l.received), dec(0))).gt(0) ? 'Close short' : 'Cancel', { number: view.number }, 'danger'));
  }
  if (elements.length) blocks.push({ type: 'actions', block_id: `po_${view.number}`, elements } satisfies ActionsBlock);
  if (view.rejected) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`Rejected by <@${view.rejected.by}>: ${escapeText(view.rejected.reason)}`, 2000) }] });
  return { text: `${view.number} (${escapeText(view.vendorName)}): ${PO_STATUS_LABEL[view.status]}, ${money(view.totalValue, currency)}`, blocks };
}

/** The approver's DM: the PO and Approve / Reject for one level. */
export function poApprovalRequestMessage(view: PurchaseOrderView, opts: { level: number; currency?: string }): SlackMessage {
  const currency = opts.currency ?? '';
  const level = view.approvals.find((a) => a.level === opts.level);
  const blocks = summary(view, currency);
  blocks.splice(1, 0, {
    type: 'section',
    text: { type: 'mrkdwn', text: `<@${view.submittedBy ?? view.buyer}> asks you to approve this purchase order${level ? ` (level ${level.level}, ${escapeText(level.name)})` : ''}.` },
  });
  blocks.push({
    type: 'actions',
    block_id: `po_approval_${view.number}_${opts.level}`,
    elements: [
      button(PURCHASING_ACTIONS.approve, 'Approve', { number: view.number, level: opts.level }, 'primary'),
      button(PURCHASING_ACTIONS.reject, 'Reject', { number: view.number, level: opts.level }, 'danger'),
    ],
  });
  return { text: `Approval requested: ${view.number} from ${escapeText(view.vendorName)}, ${money(view.totalValue, currency)}`, blocks };
}

/** The approver's DM once the level is no longer waiting: no buttons, the outcome. */
export function poApprovalClosedMessage(view: PurchaseOrderView, opts: { level: number; currency?: string }): SlackMessage {
  const level = view.approvals.find((a) => a.level === opts.level);
  const outcome =
    level?.state === 'approved' || level?.state === 'rejected'
      ? `${level.state === 'approved' ? 'Approved' : 'Rejected'} by <@${level.decidedBy}>${level.decidedAt ? ` · ${slackDate(level.decidedAt)}` : ''}`
      : `No longer waiting: ${PO_STATUS_LABEL[view.status]}`;
  const blocks = summary(view, opts.currency ?? '');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] });
  return { text: `${view.number}: ${outcome}`, blocks };
}

export function poEventMessage(view: PurchaseOrderView, event: PurchaseOrderEvent): SlackMessage {
  const text = ((): string => {
    switch (event.kind) {
      case 'created':
        return `${view.number} drafted for ${escapeText(view.vendorName)}.`;
      case 'submitted':
        return `<@${event.by}> submitted ${view.number} for approval.`;
      case 'auto_approved':
        return `${view.number} is under the approval threshold: approved automatically.`;
      case 'awaiting_approval':
        return event.approver ? `Waiting for <@${event.approver}> to approve level ${event.level}.` : `Level ${event.level} has no approver who may decide it; ask an admin to grant one.`;
      case 'approved':
        return `${view.number} is approved.`;
      case 'rejected':
        return `<@${event.by}> rejected ${view.number}: ${escapeText(event.reason)}`;
      case 'escalated':
        return `No decision yet: level ${event.level} now also goes to <@${event.to}>.`;
      case 'no_approver':
        return `Nobody else can decide level ${event.level}; still waiting on those asked.`;
      case 'sent':
        return `${view.number} is sent to ${escapeText(view.vendorName)}; goods expected by ${event.expectedAt}.`;
      case 'overdue':
        return `:hourglass: ${view.number} is overdue: goods were expected by ${event.expectedAt} and ${openSummary(view)} are still open. Chase ${escapeText(view.vendorName)}, or close it short.`;
      case 'received':
        return `<@${event.by}> received ${event.lines.map((l) => `${l.quantity} ${escapeText(l.sku)} into ${escapeText(l.location)}`).join(', ')}${event.complete ? `; ${view.number} is fully received.` : '.'}`;
      case 'cancelled':
        return `<@${event.by}> ${event.closed ? 'closed' : 'cancelled'} ${view.number}${event.reason ? `: ${escapeText(event.reason)}` : ''}.`;
      case 'invoice_mismatch':
        return `:warning: Invoice ${escapeText(event.invoiceNumber)} does not match ${view.number}: ${event.problems.map(escapeText).join(' ')}`;
      case 'invoice_matched':
        return `Invoice ${escapeText(event.invoiceNumber)} matches ${view.number} (ordered, received and invoiced agree).`;
    }
  })();
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } }] };
}

function openSummary(view: PurchaseOrderView): string {
  const open = view.lines.filter((l) => dec(openQuantity(l)).gt(0));
  return open.length === 1 ? `${openQuantity(open[0]!)} ${open[0]!.sku}` : `${open.length} lines`;
}

/** The requester of a backordered requisition whose purchase order line was cancelled. */
export function linkedRequisitionToldMessage(input: { purchaseOrder: string; requisition: string; sku: string; quantity: string }): SlackMessage {
  const text = `${input.purchaseOrder} no longer brings ${input.quantity} ${escapeText(input.sku)} for ${input.requisition}: that line was cancelled. Your requisition stays backordered until stock arrives.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export interface ReceiveModalMetadata {
  number: string;
  /** Line numbers shown, in order (the submission maps block ids back to lines). */
  lineNos: number[];
}

/**
 * The receiving modal: per open line a quantity (prefilled with what is still expected) and a putaway
 * location (prefilled with the line's default), then lot and note. Lines beyond the modal's room are
 * left for a second receipt, and the modal says so.
 */
export function receiveModal(view: PurchaseOrderView): ModalView {
  const open = view.lines.filter((l) => dec(openQuantity(l)).gt(0));
  const shown = open.slice(0, MAX_RECEIVE_LINES);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${view.number}* from ${escapeText(view.vendorName)}. Enter what arrived and where it is put away; leave a line empty if nothing came.`, SLACK_LIMITS.sectionText) },
    },
  ];
  for (const line of shown) {
    blocks.push({
      type: 'input',
      block_id: RECEIVE_MODAL.quantityBlock(line.lineNo),
      optional: true,
      label: { type: 'plain_text', text: truncate(`${line.lineNo}. ${line.sku} ${line.name} (${line.uom})`, SLACK_LIMITS.inputLabel) },
      hint: { type: 'plain_text', text: `Open: ${openQuantity(line)} of ${line.ordered} ordered` },
      element: { type: 'plain_text_input', action_id: RECEIVE_MODAL.quantityAction, initial_value: openQuantity(line) },
    } satisfies InputBlock);
    blocks.push({
      type: 'input',
      block_id: RECEIVE_MODAL.locationBlock(line.lineNo),
      optional: true,
      label: { type: 'plain_text', text: 'Put away to' },
      element: {
        type: 'plain_text_input',
        action_id: RECEIVE_MODAL.locationAction,
        placeholder: { type: 'plain_text', text: 'Main/Aisle 3/Bin 12' },
        ...(line.defaultLocation ? { initial_value: line.defaultLocation } : {}),
      },
    } satisfies InputBlock);
  }
  if (open.length > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${open.length - shown.length} more open lines: receive them in a second receipt.` }] });
  }
  blocks.push(
    {
      type: 'input',
      block_id: RECEIVE_MODAL.lotBlock,
      optional: true,
      label: { type: 'plain_text', text: 'Lot / batch' },
      element: { type: 'plain_text_input', action_id: RECEIVE_MODAL.lotAction, max_length: 100 },
    },
    {
      type: 'input',
      block_id: RECEIVE_MODAL.noteBlock,
      optional: true,
      label: { type: 'plain_text', text: 'Note' },
      element: { type: 'plain_text_input', action_id: RECEIVE_MODAL.noteAction, multiline: true, max_length: 500 },
    },
  );
  const metadata: ReceiveModalMetadata = { number: view.number, lineNos: shown.map((l) => l.lineNo) };
  return {
    type: 'modal',
    callback_id: RECEIVE_MODAL.callbackId,
    title: { type: 'plain_text', text: truncate(`Receive ${view.number}`, SLACK_LIMITS.viewTitle) },
    submit: { type: 'plain_text', text: 'Receive' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** /receive without a number: asks which purchase order. */
export function receivePickModal(openOrders: { number: string; vendor: string }[]): ModalView {
  // Nothing to receive: say so and offer no Next that could only lead to an error.
  if (openOrders.length === 0) {
    return {
      type: 'modal',
      callback_id: RECEIVE_MODAL.pickCallbackId,
      title: { type: 'plain_text', text: 'Receive goods' },
      close: { type: 'plain_text', text: 'Close' },
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'No purchase order is waiting for goods. A purchase order can be received once it is sent to the vendor: buyers create them from a stock alert or with the *New purchase order* shortcut.',
          },
        },
      ],
    };
  }
  return {
    type: 'modal',
    callback_id: RECEIVE_MODAL.pickCallbackId,
    title: { type: 'plain_text', text: 'Receive goods' },
    submit: { type: 'plain_text', text: 'Next' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: RECEIVE_MODAL.poBlock,
        label: { type: 'plain_text', text: 'Purchase order' },
        element: {
          type: 'plain_text_input',
          action_id: RECEIVE_MODAL.poAction,
          placeholder: { type: 'plain_text', text: openOrders[0]?.number ?? 'PO-000123' },
        },
        hint: {
          type: 'plain_text',
          text: truncate(openOrders.length ? `Waiting for goods: ${openOrders.map((o) => `${o.number} (${o.vendor})`).join(', ')}` : 'No purchase order is waiting for goods.', SLACK_LIMITS.inputHint),
        },
      },
    ],
  };
}

export function parseReceiveMetadata(raw: string): ReceiveModalMetadata | undefined {
  try {
    const o = JSON.parse(raw) as { number?: unknown; lineNos?: unknown };
    if (typeof o.number !== 'string' || !Array.isArray(o.lineNos) || !o.lineNos.every((n) => Number.isInteger(n))) return undefined;
    return { number: o.number, lineNos: o.lineNos as number[] };
  } catch {
    return undefined;
  }
}

type ViewValues = Record<string, Record<string, { value?: string | null }>>;

/** What the receiving modal submitted, as the receive Update's lines (empty quantities left out). */
export function readReceiveSubmission(meta: ReceiveModalMetadata, values: ViewValues): { lines: { lineNo: number; quantity: string; location?: string; lot?: string; note?: string }[] } {
  const text = (block: string, action: string) => values[block]?.[action]?.value?.trim() ?? '';
  const lot = text(RECEIVE_MODAL.lotBlock, RECEIVE_MODAL.lotAction);
  const note = text(RECEIVE_MODAL.noteBlock, RECEIVE_MODAL.noteAction);
  const lines = meta.lineNos
    .map((lineNo) => ({
      lineNo,
      quantity: text(RECEIVE_MODAL.quantityBlock(lineNo), RECEIVE_MODAL.quantityAction),
      location: text(RECEIVE_MODAL.locationBlock(lineNo), RECEIVE_MODAL.locationAction) || undefined,
      ...(lot ? { lot } : {}),
      ...(note ? { note } : {}),
    }))
    .filter((l) => l.quantity !== '' && l.quantity !== '0');
  return { lines };
}

export function poRejectModal(value: PoButtonValue): ModalView {
  return {
    type: 'modal',
    callback_id: PO_REJECT_MODAL.callbackId,
    title: { type: 'plain_text', text: truncate(`Reject ${value.number}`, SLACK_LIMITS.viewTitle) },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodePoValue(value),
    blocks: [
      {
        type: 'input',
        block_id: PO_REJECT_MODAL.reasonBlock,
        label: { type: 'plain_text', text: 'Why?' },
        element: { type: 'plain_text_input', action_id: PO_REJECT_MODAL.reasonAction, multiline: true, max_length: 500 },
      },
    ],
  };
}
