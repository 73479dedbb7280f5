import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { clickAnswer } from '../../../runtime/requisitions.js';
import { approve } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { rejectModal } from '../../blocks/reject-modal.js';
import { parseApprovalButtonValue } from '../../blocks/requisition.js';
import { publishHome } from '../events/app-home.js';
import { replyTo } from '../reply.js';
import { BROKEN_BUTTON, clickedInHome, clickTarget, FAILED } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/**
 * Approve: acked at once, then the approve Update; its validator (own requisition, limit, stale level,
 * already decided) or its result is told to the clicker. The DM itself is updated by the workflow.
 */
export const approveClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parseApprovalButtonValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_BUTTON, deps.logger);
    try {
      const answer = await clickAnswer({ db: deps.db, client: deps.temporal }, value.number, approve, { actor: body.user.id, level: value.level });
      await replyTo(client, target, answer.ok ? `:white_check_mark: ${answer.result.message}` : `:warning: ${answer.message}`, deps.logger);
      if (clickedInHome(body)) await publishHome(deps, client, body.user.id);
    } catch (err) {
      logger.error('approve click failed', err);
      await replyTo(client, target, FAILED, deps.logger);
    }
  };

/** Reject: acked at once, then a modal asks the reason (the Update goes out on its submission). */
export const rejectClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parseApprovalButtonValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_BUTTON, deps.logger);
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: rejectModal({
          number: value.number,
          level: value.level,
          ...(target.responseUrl ? { responseUrl: target.responseUrl } : {}),
          ...(clickedInHome(body) ? { fromHome: true } : {}),
        }),
      });
    } catch (err) {
      logger.error('could not open the reject modal', err);
      await replyTo(client, target, 'The reject form did not open; click Reject again.', deps.logger);
    }
  };
