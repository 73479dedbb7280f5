import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { confirmPick } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { noticeModal } from '../../blocks/notice.js';
import { decodePickMetadata, readPickSubmission } from '../../blocks/pick-modal.js';
import { withinBudget } from '../budget.js';
import { replyTo } from '../reply.js';
import { startClick } from '../update-click.js';

/**
 * Picked quantities: checked here (numbers, not above reserved), then the confirmPick Update, whose
 * validator has the last word (warehouse role, stale round, already confirmed): a refusal replaces the modal.
 * Once accepted the modal closes; the handler returns after the ledger has issued the lines, and that
 * result follows as a reply where the pick task was clicked.
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
    const started = await withinBudget(startClick(deps, metadata.number, confirmPick, { actor: body.user.id, round: metadata.round, lines }));
    if (started.settled && started.ok && started.value.decided && !started.value.answer.ok) {
      return ack({ response_action: 'update', view: noticeModal({ title: 'Not confirmed', text: `:warning: ${started.value.answer.message}` }) });
    }
    await ack();
    try {
      const click = started.settled ? (started.ok ? started.value : Promise.reject(started.error)) : started.later;
      const outcome = await (await click).answer;
      await replyTo(client, target, outcome.ok ? `:package: ${outcome.result.message}` : `:warning: ${outcome.message}`, deps.logger);
    } catch (err) {
      logger.error('pick confirmation failed', err);
      await replyTo(client, target, `Sorry, confirming the pick of ${metadata.number} did not go through. Try again in a minute.`, deps.logger);
    }
  };
