import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { MAX_REASON_LENGTH } from '../../../db/queries/requisitions.js';
import { reject } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { noticeModal } from '../../blocks/notice.js';
import { decodeRejectMetadata } from '../../blocks/reject-modal.js';
import { REJECT_MODAL } from '../../ids.js';
import { withinBudget } from '../budget.js';
import { publishHome } from '../events/app-home.js';
import { replyTo } from '../reply.js';
import { startClick } from '../update-click.js';

/**
 * The reject reason: checked here, then the reject Update. A refusal that arrives within the budget
 * (already decided, not yours to decide) replaces the modal with the reason; an acceptance closes it;
 * a slow answer closes it and is told to the approver where they clicked.
 */
export const rejectReasonSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const metadata = decodeRejectMetadata(view.private_metadata);
    if (!metadata) {
      return ack({ response_action: 'update', view: noticeModal({ title: 'Not rejected', text: 'This form lost track of its requisition; click Reject again.' }) });
    }
    const reason = (view.state.values[REJECT_MODAL.reasonBlock]?.[REJECT_MODAL.reasonAction]?.value ?? '').trim();
    if (!reason) return ack({ response_action: 'errors', errors: { [REJECT_MODAL.reasonBlock]: 'Say why; the requester sees it.' } });
    if (reason.length > MAX_REASON_LENGTH) {
      return ack({ response_action: 'errors', errors: { [REJECT_MODAL.reasonBlock]: `Keep it under ${MAX_REASON_LENGTH} characters.` } });
    }
    const target = { user: body.user.id, ...(metadata.responseUrl ? { responseUrl: metadata.responseUrl } : {}) };
    const started = await withinBudget(startClick(deps, metadata.number, reject, { actor: body.user.id, level: metadata.level, reason }));
    if (started.settled && started.ok && started.value.decided && !started.value.answer.ok) {
      return ack({ response_action: 'update', view: noticeModal({ title: 'Not rejected', text: `:warning: ${started.value.answer.message}` }) });
    }
    await ack();
    try {
      const click = started.settled ? (started.ok ? started.value : Promise.reject(started.error)) : started.later;
      const outcome = await (await click).answer;
      await replyTo(client, target, outcome.ok ? `:x: ${outcome.result.message}` : `:warning: ${outcome.message}`, deps.logger);
      if (metadata.fromHome) await publishHome(deps, client, body.user.id);
    } catch (err) {
      logger.error('reject failed', err);
      await replyTo(client, target, `Sorry, rejecting ${metadata.number} did not go through. Try again in a minute.`, deps.logger);
    }
  };
