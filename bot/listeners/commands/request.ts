import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { openRequestModal } from '../open-request-modal.js';

/** `/request [item]`: acks at once, then opens the request modal (pre-filled from the text when it finds the item). */
export const requestCommand =
  (deps: BotDeps): Middleware<SlackCommandMiddlewareArgs> =>
  async ({ ack, command, client, respond, logger }) => {
    await ack();
    try {
      await openRequestModal(deps, client, command.trigger_id, command.text);
    } catch (err) {
      logger.error('could not open the request modal', err);
      await respond({ response_type: 'ephemeral', text: 'Sorry, the request form did not open. Try `/request` again.' });
    }
  };
