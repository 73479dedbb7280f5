import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { purchaseOrderClick } from '../../../runtime/purchasing.js';
import { cancelPurchaseOrder, submitPurchaseOrder } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { parsePoValue } from '../../blocks/purchase-order.js';
import { openReceiveModal } from '../open-receive-modal.js';
import { replyTo } from '../reply.js';
import { clickTarget, FAILED } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
const BROKEN = 'That button does not say which purchase order it is for.';

/** Submit for approval / Cancel (Close short) on the buyer's PO card: acked, then the Update; the card itself is updated by the workflow. */
export const poCardClicked =
  (deps: BotDeps, which: 'submit' | 'cancel'): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN, deps.logger);
    try {
      const clients = { db: deps.db, client: deps.temporal };
      const answer =
        which === 'submit'
          ? await purchaseOrderClick(clients, value.number, submitPurchaseOrder, { actor: body.user.id })
          : await purchaseOrderClick(clients, value.number, cancelPurchaseOrder, { actor: body.user.id });
      await replyTo(client, target, answer.ok ? answer.result.message : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error(`PO ${which} click failed`, err);
      await replyTo(client, target, FAILED, deps.logger);
    }
  };

/** Receive on the PO card: acked, then the receiving modal. */
export const poReceiveClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, clickTarget(body), BROKEN, deps.logger);
    try {
      await openReceiveModal(deps, client, body.trigger_id, value.number);
    } catch (err) {
      logger.error('could not open the receiving modal', err);
      await replyTo(client, clickTarget(body), 'The receiving form did not open; click Receive again.', deps.logger);
    }
  };
