import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { countUpdate } from '../../../runtime/counting.js';
import { decideCount } from '../../../workflows/cycle-count-messages.js';
import type { BotDeps } from '../../app.js';
import { replyTo } from '../reply.js';
import { clickTarget } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** A manager's Approve / Reject on a recount above tolerance: the workflow checks who may decide. */
export const countDecisionClicked =
  (deps: BotDeps, decision: 'approve' | 'reject'): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const number = action.value ?? '';
    try {
      const answer = await countUpdate(deps.temporal, number, decideCount, { by: body.user.id, decision });
      const done = decision === 'approve' ? 'approved: the adjustment is being posted' : 'rejected: the book stays as it is';
      await replyTo(client, target, answer.ok ? `:white_check_mark: Count ${number} ${done}.` : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error('count decision failed', err);
      await replyTo(client, target, 'Sorry, that did not go through; try again in a minute.', deps.logger);
    }
  };
