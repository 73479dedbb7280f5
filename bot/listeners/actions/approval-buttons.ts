import { clickAnswer } from '../../../runtime/requisitions.js';
import { approve } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { rejectModal } from '../../blocks/reject-modal.js';
import { parseApprovalButtonValue } from '../../blocks/requisition.js';
import { publishHome } from '../events/app-home.js';
import { replyTo } from '../reply.js';
import { BROKEN_BUTTON, clickedInHome, FAILED } from './click.js';
import { documentButton } from './document-button.js';

const approvalButton = { read: parseApprovalButtonValue, broken: BROKEN_BUTTON };

/**
 * Approve: the approve Update; its validator (own requisition, limit, stale level, already decided)
 * or its result is told to the clicker. The DM itself is updated by the workflow.
 */
export const approveClicked = (deps: BotDeps) =>
  documentButton(deps, { ...approvalButton, what: 'approve click failed', failed: FAILED }, async ({ value, body, client, target }) => {
    const answer = await clickAnswer({ db: deps.db, client: deps.temporal }, value.number, approve, { actor: body.user.id, level: value.level });
    await replyTo(client, target, answer.ok ? `:white_check_mark: ${answer.result.message}` : `:warning: ${answer.message}`, deps.logger);
    if (clickedInHome(body)) await publishHome(deps, client, body.user.id);
    return undefined;
  });

/** Reject: a modal asks the reason (the Update goes out on its submission). */
export const rejectClicked = (deps: BotDeps) =>
  documentButton(
    deps,
    { ...approvalButton, what: 'could not open the reject modal', failed: 'The reject form did not open; click Reject again.' },
    async ({ value, body, client, target }) => {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: rejectModal({
          number: value.number,
          level: value.level,
          ...(target.responseUrl ? { responseUrl: target.responseUrl } : {}),
          ...(clickedInHome(body) ? { fromHome: true } : {}),
        }),
      });
      return undefined;
    },
  );
