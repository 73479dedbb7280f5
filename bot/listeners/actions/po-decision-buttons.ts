import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { purchaseOrderClick } from '../../../runtime/purchasing.js';
import { approvePurchaseOrder } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { parsePoValue, poRejectModal } from '../../blocks/purchase-order.js';
import { replyTo } from '../reply.js';
import { BROKEN_PO_BUTTON, clickTarget, FAILED } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Approve on a PO's approval DM: acked, then the approve Update; the validator's refusal or the result is told to the clicker. */
export const poApproveClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_PO_BUTTON, deps.logger);
    try {
      const answer = await purchaseOrderClick({ db: deps.db, client: deps.temporal }, value.number, approvePurchaseOrder, {
        actor: body.user.id,
        ...(value.level !== undefined ? { level: value.level } : {}),
      });
      await replyTo(client, target, answer.ok ? `:white_check_mark: ${answer.result.message}` : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error('PO approve click failed', err);
      await replyTo(client, target, FAILED, deps.logger);
    }
  };

/** Reject: acked, then a modal asks the reason (the Update goes out on its submission). */
export const poRejectClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_PO_BUTTON, deps.logger);
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: poRejectModal(value) });
    } catch (err) {
      logger.error('could not open the PO reject modal', err);
      await replyTo(client, target, 'The reject form did not open; click Reject again.', deps.logger);
    }
  };
