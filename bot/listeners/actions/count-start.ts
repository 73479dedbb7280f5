import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { getCountDocument } from '../../../db/queries/counting.js';
import { countUpdate } from '../../../runtime/counting.js';
import { OPEN_COUNT_STATUSES, startCount } from '../../../workflows/cycle-count-messages.js';
import type { BotDeps } from '../../app.js';
import { countModal } from '../../blocks/cycle-count.js';
import { replyTo } from '../reply.js';
import { clickTarget } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/**
 * "Start count": the blind modal opens at once (the trigger id lives 3 seconds), built from the document
 * (never the book quantity); then the startCount Update takes the snapshot the variance is measured from.
 */
export const countStartClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const number = action.value ?? '';
    try {
      const doc = await getCountDocument(deps.db, number);
      if (!doc) return replyTo(client, target, `There is no count ${number}.`, deps.logger);
      if (doc.counter !== body.user.id) return replyTo(client, target, `Count ${number} is assigned to <@${doc.counter}>.`, deps.logger);
      if (!OPEN_COUNT_STATUSES.includes(doc.status)) {
        return replyTo(client, target, `Count ${number} is ${doc.status.replace('_', ' ')}: nothing to count.`, deps.logger);
      }
      await client.views.open({ trigger_id: body.trigger_id, view: countModal(doc) });
      const started = await countUpdate(deps.temporal, number, startCount, { by: body.user.id });
      if (!started.ok) await replyTo(client, target, `:warning: ${started.message}`, deps.logger);
    } catch (err) {
      logger.error('count start failed', err);
      await replyTo(client, target, 'Sorry, the count did not open; click Start count again.', deps.logger);
    }
  };
