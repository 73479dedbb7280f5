import type { Middleware, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { hasRole } from '../../../db/queries/people.js';
import { activeVendors } from '../../../runtime/purchasing.js';
import type { BotDeps } from '../../app.js';
import { SLACK_LIMITS } from '../../blocks/limits.js';
import { newPurchaseOrderModal } from '../../blocks/new-purchase-order.js';
import { replyTo } from '../reply.js';

export const ONLY_BUYERS = ':warning: Only buyers can create purchase orders; ask an admin for the buyer role.';

/** The global shortcut "New purchase order": buyers get the modal, anyone else a DM saying why not. */
export const newPurchaseOrderShortcut =
  (deps: BotDeps): Middleware<SlackShortcutMiddlewareArgs> =>
  async ({ ack, shortcut, client, logger }) => {
    await ack();
    const target = { user: shortcut.user.id };
    try {
      if (!(await hasRole(deps.db, shortcut.user.id, 'buyer'))) return replyTo(client, target, ONLY_BUYERS, deps.logger);
      // One past what a list holds tells the modal to type the vendor ahead instead.
      const vendors = await activeVendors(deps.db, SLACK_LIMITS.selectOptions + 1);
      if (vendors.length === 0) return replyTo(client, target, ':warning: There are no vendors yet; add one with the CLI first.', deps.logger);
      await client.views.open({ trigger_id: shortcut.trigger_id, view: newPurchaseOrderModal(vendors) });
    } catch (err) {
      logger.error('could not open the new purchase order modal', err);
      await replyTo(client, target, 'Sorry, the purchase order form did not open. Try the shortcut again.', deps.logger).catch(() => undefined);
    }
  };
