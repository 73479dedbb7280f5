import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { clickAnswer } from '../../../runtime/requisitions.js';
import { confirmPick } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { noticeModal } from '../../blocks/notice.js';
import { decodePickMetadata, readPickSubmission } from '../../blocks/pick-modal.js';
import { withinBudget } from '../budget.js';
import { replyTo } from '../reply.js';

/**
 * Picked quantities: checked here (numbers, not above reserved), then the confirmPick Update, whose
 * validator has the last word (warehouse role, stale round, already confirmed). Its handler returns once
 * the ledger has issued the lines, so a slow issue closes the modal and the result follows as a reply.
 */
export const pickConfirmed =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const metadata = decodePickMetadata(view.private_metadata);
    if (!metadata) {
      return ack({ response_action: 'update', view: noticeModal({ title: 'Not confirmed', text: 'This form lost track of its pick task; click Confirm pick again.' }) });
    }
    const { lines, errors } = readPickSubmission(view.state.values, metadata);
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });
    const target = { user: body.user.id, ...(metadata.responseUrl ? { responseUrl: metadata.responseUrl } : {}) };
    const answer = await withinBudget(
      clickAnswer({ db: deps.db, client: deps.temporal }, metadata.number, confirmPick, { actor: body.user.id, round: metadata.round, lines }),
    );
    if (answer.settled && answer.ok && !answer.value.ok) {
      return ack({ response_action: 'update', view: noticeModal({ title: 'Not confirmed', text: `:warning: ${answer.value.message}` }) });
    }
    await ack();
    try {
      const outcome = await (answer.settled ? (answer.ok ? answer.value : Promise.reject(answer.error)) : answer.later);
      await replyTo(client, target, outcome.ok ? `:package: ${outcome.result.message}` : `:warning: ${outcome.message}`, deps.logger);
    } catch (err) {
      logger.error('pick confirmation failed', err);
      await replyTo(client, target, `Sorry, confirming the pick of ${metadata.number} did not go through. Try again in a minute.`, deps.logger);
    }
  };
