import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { hasRole } from '../../../db/queries/people.js';
import { requisitionHandle } from '../../../runtime/requisitions.js';
import { getStatus, type RequisitionView } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { loadingModal, noticeModal } from '../../blocks/notice.js';
import { pickModal } from '../../blocks/pick-modal.js';
import { parsePickButtonValue, STATUS_LABEL } from '../../blocks/requisition.js';
import { withinBudget } from '../budget.js';
import { replyTo } from '../reply.js';
import { BROKEN_BUTTON, clickTarget } from './click.js';

export const NOT_WAREHOUSE = 'Only warehouse staff can confirm picks. If you pick for the stockroom, ask an admin for the warehouse role.';

/** Why this pick task cannot be confirmed now (undefined: it can). */
export function pickNotOpen(view: RequisitionView, round: number): string | undefined {
  if (view.awaiting.kind === 'pick' && view.awaiting.round === round) return undefined;
  if (view.awaiting.kind === 'pick') return `That pick task was round ${round}; ${view.number} is now on round ${view.awaiting.round}. Use the newer task.`;
  if (view.status === 'picking' || view.pickRound > round) return `Round ${round} of ${view.number} was already confirmed.`;
  return `${view.number} is not waiting for a pick: it is ${STATUS_LABEL[view.status].toLowerCase()}.`;
}

/**
 * "Confirm pick": non-warehouse clickers are told so without a modal (the confirmPick validator checks
 * again). Otherwise a loading modal opens at once (the trigger lives 3 s) and is replaced by the pick
 * list read from the workflow, or by why the task is no longer open.
 */
export const confirmPickClicked =
  (deps: BotDeps): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parsePickButtonValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_BUTTON, deps.logger);
    const role = await withinBudget(hasRole(deps.db, body.user.id, 'warehouse'), 1_000);
    if (role.settled && role.ok && !role.value) return replyTo(client, target, `:warning: ${NOT_WAREHOUSE}`, deps.logger);

    const title = `Pick ${value.number}`;
    let opened;
    try {
      opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal(title, 'the pick list') });
    } catch (err) {
      logger.error('could not open the pick modal', err);
      return replyTo(client, target, 'The pick form did not open; click Confirm pick again.', deps.logger);
    }
    const viewId = opened.view?.id;
    if (!viewId) return;
    let next;
    try {
      const view = await requisitionHandle(deps.temporal, value.number).query(getStatus);
      const closed = pickNotOpen(view, value.round);
      next = closed
        ? noticeModal({ title, text: `:warning: ${closed}` })
        : pickModal(view, { round: value.round, ...(target.responseUrl ? { responseUrl: target.responseUrl } : {}) });
    } catch (err) {
      logger.error('could not read the requisition for its pick', err);
      next = noticeModal({ title, text: `:warning: Could not read ${value.number} just now; close this and try again in a minute.` });
    }
    await client.views.update({ view_id: viewId, ...(opened.view?.hash ? { hash: opened.view.hash } : {}), view: next }).catch((err) => {
      logger.error('could not show the pick list', err);
    });
  };
