import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { hasRole } from '../../../db/queries/people.js';
import { PurchasingError } from '../../../db/queries/purchasing.js';
import { signalRestock } from '../../../activities/restock-trigger.js';
import { draftFromSuggestions } from '../../../runtime/purchasing.js';
import type { BotDeps } from '../../app.js';
import { escapeText } from '../../blocks/mrkdwn.js';
import { parseCreatePoValue } from '../../blocks/stock-alert.js';
import { replyTo } from '../reply.js';
import { clickTarget, FAILED } from './click.js';

/**
 * "Create purchase order" on a stock alert: a buyer's click drafts one PO for the item's vendor with
 * every item of that vendor due for an order (keyed by the alert message, so a double click is one
 * PO), starts its workflow, and the item's restock workflow hears of it (the alert shows the PO).
 */
export const createPurchaseOrderClicked =
  (deps: BotDeps): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parseCreatePoValue(action.value ?? '');
    if (!value) return replyTo(client, target, 'That button does not say which item it is for.', deps.logger);
    try {
      if (!(await hasRole(deps.db, body.user.id, 'buyer'))) {
        return replyTo(client, target, ':warning: Only buyers can create purchase orders; ask an admin for the buyer role.', deps.logger);
      }
      const message = body.container as { channel_id?: string; message_ts?: string } | undefined;
      const key = `alert/${message?.channel_id ?? 'x'}/${message?.message_ts ?? value.sku}`;
      const started = await draftFromSuggestions({ db: deps.db, client: deps.temporal }, { key, sku: value.sku, buyer: body.user.id });
      await signalRestock(deps.temporal, value.sku, 'purchase_order');
      const lines = started.record.lines.map((l) => `${l.ordered} ${escapeText(l.sku)}`).join(', ');
      await replyTo(
        client,
        target,
        started.created
          ? `:memo: Drafted ${started.number} for ${escapeText(started.record.vendorName)}: ${lines}. Review and submit it from its card in your DMs.`
          : `${started.number} was already drafted from this alert (${lines}).`,
        deps.logger,
      );
    } catch (err) {
      if (err instanceof PurchasingError) return replyTo(client, target, `:warning: ${err.message}`, deps.logger);
      logger.error('create purchase order failed', err);
      await replyTo(client, target, FAILED, deps.logger);
    }
  };
