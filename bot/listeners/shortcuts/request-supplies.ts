import type { Middleware, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { openRequestModal } from '../open-request-modal.js';

/** The global shortcut "Request supplies": the same modal as /request. */
export const requestSuppliesShortcut =
  (deps: BotDeps): Middleware<SlackShortcutMiddlewareArgs> =>
  async ({ ack, shortcut, client, logger }) => {
    await ack();
    try {
      await openRequestModal(deps, client, shortcut.trigger_id);
    } catch (err) {
      logger.error('could not open the request modal', err);
      await client.chat.postMessage({ channel: shortcut.user.id, text: 'Sorry, the request form did not open. Try the shortcut again.' }).catch(() => undefined);
    }
  };
