import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createRequisition, RequisitionValidationError, type NewRequisition } from '../../../db/queries/requisitions.js';
import { submitRequisition } from '../../../runtime/requisitions.js';
import type { BotDeps } from '../../app.js';
import { blockErrors, decodeMetadata, lateProblemsText, readRequestSubmission, type ViewStateValues } from '../../blocks/request-modal.js';
import { REQUEST_MODAL } from '../../ids.js';
import { withinBudget } from '../budget.js';

/** The submission key of a modal: Slack's retries and double clicks carry the same view id. */
export const submissionKeyFor = (viewId: string): string => `slack-view-${viewId}`;

/**
 * "Today" for the needed-by check: the date where it is earliest on Earth (UTC-12). Slack's datepicker
 * gives the person's local date and the payload does not say their time zone, so nobody's today is
 * refused as past.
 */
export const earliestToday = (now = Date.now()): string => new Date(now - 12 * 3_600_000).toISOString().slice(0, 10);

/** How long starting the workflow is retried after the ack (Temporal briefly unreachable) before the requester is told. */
const START_RETRY_MS = 60_000;

async function startWithRetry<T>(start: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + START_RETRY_MS;
  for (let wait = 500; ; wait = Math.min(wait * 2, 8_000)) {
    try {
      return await start();
    } catch (err) {
      if (err instanceof RequisitionValidationError || Date.now() + wait > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * The request modal's submission. Within the ack: the checks that need no database, then the
 * requisition is validated and recorded (createRequisition, idempotent by the view id) if the database
 * answers within the budget; field errors go back under their blocks and nothing is started. After the
 * ack: the workflow starts (a second start of the same requisition finds the first). The workflow posts
 * the requester's thread, so a double submission gives one workflow and one message.
 */
export const requestSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const metadata = decodeMetadata(view.private_metadata);
    const today = earliestToday();
    const { draft, errors } = readRequestSubmission(view.state.values as ViewStateValues, metadata, { today });
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });

    const requester = body.user.id;
    const input: NewRequisition = { submissionKey: submissionKeyFor(view.id), requester, ...draft, today };
    const recorded = await withinBudget(createRequisition(deps.db, input));
    if (recorded.settled && !recorded.ok) {
      if (recorded.error instanceof RequisitionValidationError) {
        return ack({ response_action: 'errors', errors: blockErrors(recorded.error.errors, metadata) });
      }
      // The database failed: keep the modal and what was typed, so submitting again is one click.
      logger.error('could not record a requisition', recorded.error);
      return ack({ response_action: 'errors', errors: { [REQUEST_MODAL.reasonBlock]: 'Sorry, that did not go through on our side. Submit again in a moment.' } });
    }
    await ack();

    let number: string | undefined;
    try {
      number = recorded.settled ? recorded.value.number : (await recorded.later).number;
      await startWithRetry(() => submitRequisition({ db: deps.db, client: deps.temporal }, input));
    } catch (err) {
      if (!(err instanceof RequisitionValidationError)) logger.error('request submission failed after the ack', err);
      const text =
        err instanceof RequisitionValidationError
          ? lateProblemsText(err.errors)
          : number
            ? `Sorry, ${number} was recorded but could not be sent on: something on our side failed. It goes to its approvers by itself within minutes of our side recovering; nothing to do.`
            : 'Sorry, your request could not be submitted: something on our side failed. Open /request and try again.';
      await client.chat.postMessage({ channel: requester, text }).catch((e) => logger.error('could not tell the requester', e));
    }
  };
