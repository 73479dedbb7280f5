import { purchaseOrderClick } from '../../../runtime/purchasing.js';
import { approvePurchaseOrder } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { poRejectModal } from '../../blocks/purchase-order.js';
import { FAILED } from './click.js';
import { poButton } from './document-button.js';

/** Approve on a PO's approval DM: the approve Update; the validator's refusal or the result is told to the clicker. */
export const poApproveClicked = (deps: BotDeps) =>
  poButton(deps, { what: 'PO approve click failed', failed: FAILED }, async ({ value, body }) => {
    const answer = await purchaseOrderClick({ db: deps.db, client: deps.temporal }, value.number, approvePurchaseOrder, {
      actor: body.user.id,
      ...(value.level !== undefined ? { level: value.level } : {}),
    });
    return answer.ok ? `:white_check_mark: ${answer.result.message}` : `:warning: ${answer.message}`;
  });

/** Reject: a modal asks the reason (the Update goes out on its submission). */
export const poRejectClicked = (deps: BotDeps) =>
  poButton(deps, { what: 'could not open the PO reject modal', failed: 'The reject form did not open; click Reject again.' }, async ({ value, body, client }) => {
    await client.views.open({ trigger_id: body.trigger_id, view: poRejectModal(value) });
    return undefined;
  });
