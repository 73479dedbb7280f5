import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Database } from '../../../db/client.js';
import { getLocation } from '../../../db/queries/locations.js';
import { hasRole } from '../../../db/queries/people.js';
import { getPurchaseOrder } from '../../../db/queries/purchasing.js';
import { checkReceipt } from '../../../inventory/purchase-order.js';
import { purchaseOrderClick } from '../../../runtime/purchasing.js';
import { overReceiptTolerance } from '../../../runtime/settings.js';
import { receiveGoods, type ReceiveLineInput } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { noticeModal } from '../../blocks/notice.js';
import { parseReceiveMetadata, readReceiveSubmission } from '../../blocks/purchase-order.js';
import { RECEIVE_MODAL } from '../../ids.js';
import { replyTo } from '../reply.js';

/**
 * The receiving modal's submission: checked against the PO as the database has it (quantities,
 * over-receipt tolerance, putaway locations, who may receive) and answered with field errors in
 * place; a clean receipt is acked and sent as the receive Update, keyed by the modal so a retried
 * submission posts nothing twice. The workflow checks it all again under the PO's lock.
 */
export const receiveSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const meta = parseReceiveMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'update', view: noticeModal({ title: 'Not received', text: 'This form lost track of its purchase order; open it again.' }) });
    const { lines } = readReceiveSubmission(meta, view.state.values);
    const errors = await receiveFieldErrors(deps.db, {
      number: meta.number,
      actor: body.user.id,
      lines,
      firstLine: meta.lineNos[0] ?? 1,
      tolerance: overReceiptTolerance(deps.settings),
    });
    if (errors) return ack({ response_action: 'errors', errors });
    await ack();
    const target = { user: body.user.id };
    try {
      const answer = await purchaseOrderClick({ db: deps.db, client: deps.temporal }, meta.number, receiveGoods, { actor: body.user.id, key: `receive/${view.id}`, lines });
      await replyTo(client, target, answer.ok ? `:package: ${answer.result.message}` : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error('receipt failed', err);
      await replyTo(client, target, `Sorry, the receipt for ${meta.number} did not go through. Try again in a minute.`, deps.logger);
    }
  };

/** Field errors by block id, or undefined when the receipt may go. */
export async function receiveFieldErrors(
  db: Database,
  input: { number: string; actor: string; lines: ReceiveLineInput[]; firstLine: number; tolerance?: string },
): Promise<Record<string, string> | undefined> {
  const first = RECEIVE_MODAL.quantityBlock(input.firstLine);
  const record = await getPurchaseOrder(db, input.number);
  if (!record) return { [first]: `There is no purchase order ${input.number}.` };
  if (!(await hasRole(db, input.actor, 'warehouse')) && !(await hasRole(db, input.actor, 'buyer')) && record.buyer !== input.actor) {
    return { [first]: 'Only warehouse staff and buyers can receive goods.' };
  }
  const check = checkReceipt({ status: record.status, lines: record.lines, receipt: input.lines, tolerance: input.tolerance });
  const errors: Record<string, string> = {};
  if (!check.ok) {
    for (const p of check.problems) {
      const block = p.lineNo === 0 ? first : p.field === 'location' ? RECEIVE_MODAL.locationBlock(p.lineNo) : RECEIVE_MODAL.quantityBlock(p.lineNo);
      errors[block] ??= p.message;
    }
    return errors;
  }
  for (const line of input.lines) {
    if (line.location && !(await getLocation(db, { path: line.location }).catch(() => undefined))) {
      errors[RECEIVE_MODAL.locationBlock(line.lineNo)] = `No location ${line.location}: use a path such as Main/Aisle 3/Bin 12.`;
    }
  }
  return Object.keys(errors).length ? errors : undefined;
}
