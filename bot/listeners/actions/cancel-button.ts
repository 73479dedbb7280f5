import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { clickAnswer } from '../../../runtime/requisitions.js';
import { cancel } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { parseCancelButtonValue } from '../../blocks/requisition.js';
import { replyTo } from '../reply.js';
import { BROKEN_BUTTON, clickTarget, FAILED } from './click.js';

/** The requester's Cancel (Slack already asked "are you sure?"): the cancel Update; only the requester passes its validator. */
export const cancelClicked =
  (deps: BotDeps): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parseCancelButtonValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_BUTTON, deps.logger);
    try {
      const answer = await clickAnswer({ db: deps.db, client: deps.temporal }, value.number, cancel, { actor: body.user.id });
      await replyTo(client, target, answer.ok ? answer.result.message : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error('cancel click failed', err);
      await replyTo(client, target, FAILED, deps.logger);
    }
  };
