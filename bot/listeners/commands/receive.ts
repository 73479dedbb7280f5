import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { openReceiveModal } from '../open-receive-modal.js';

/** `/receive [PO-000123]`: acked at once, then the receiving modal (or the PO picker) opens. */
export const receiveCommand =
  (deps: BotDeps): Middleware<SlackCommandMiddlewareArgs> =>
  async ({ ack, command, client, logger, respond }) => {
    await ack();
    try {
      await openReceiveModal(deps, client, command.trigger_id, command.text.trim() || undefined);
    } catch (err) {
      logger.error('could not open the receiving modal', err);
      await respond({ response_type: 'ephemeral', text: 'The receiving form did not open; try /receive again.' });
    }
  };
