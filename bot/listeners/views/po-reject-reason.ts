import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { purchaseOrderClick } from '../../../runtime/purchasing.js';
import { rejectPurchaseOrder } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { parsePoValue } from '../../blocks/purchase-order.js';
import { PO_REJECT_MODAL } from '../../ids.js';
import { replyTo } from '../reply.js';

const MAX_REASON = 500;

/** The PO reject reason: checked in place, then the reject Update; its answer goes to the approver. */
export const poRejectSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const value = parsePoValue(view.private_metadata);
    const reason = (view.state.values[PO_REJECT_MODAL.reasonBlock]?.[PO_REJECT_MODAL.reasonAction]?.value ?? '').trim();
    if (!reason) return ack({ response_action: 'errors', errors: { [PO_REJECT_MODAL.reasonBlock]: 'Say why; the buyer sees it.' } });
    if (reason.length > MAX_REASON) return ack({ response_action: 'errors', errors: { [PO_REJECT_MODAL.reasonBlock]: `Keep it under ${MAX_REASON} characters.` } });
    await ack();
    if (!value) return;
    try {
      const answer = await purchaseOrderClick({ db: deps.db, client: deps.temporal }, value.number, rejectPurchaseOrder, {
        actor: body.user.id,
        reason,
        ...(value.level !== undefined ? { level: value.level } : {}),
      });
      await replyTo(client, { user: body.user.id }, answer.ok ? `:x: ${answer.result.message}` : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error('PO reject failed', err);
      await replyTo(client, { user: body.user.id }, `Sorry, rejecting ${value.number} did not go through. Try again in a minute.`, deps.logger);
    }
  };
