import { hasRole } from '../../../db/queries/people.js';
import { getPurchaseOrder } from '../../../db/queries/purchasing.js';
import { purchaseOrderClick, viewFromRecord } from '../../../runtime/purchasing.js';
import { cancelPurchaseOrder, submitPurchaseOrder } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { invoiceModal } from '../../blocks/invoice-modal.js';
import { loadingModal, noticeModal } from '../../blocks/notice.js';
import { INVOICE_ENTRY_STATUSES } from '../../blocks/purchase-order.js';
import { openReceiveModal } from '../open-receive-modal.js';
import { FAILED } from './click.js';
import { poButton } from './document-button.js';

/** Submit for approval / Cancel (Close short) on the buyer's PO card: the Update; the card itself is updated by the workflow. */
export const poCardClicked = (deps: BotDeps, which: 'submit' | 'cancel') =>
  poButton(deps, { what: `PO ${which} click failed`, failed: FAILED }, async ({ value, body }) => {
    const clients = { db: deps.db, client: deps.temporal };
    const answer =
      which === 'submit'
        ? await purchaseOrderClick(clients, value.number, submitPurchaseOrder, { actor: body.user.id })
        : await purchaseOrderClick(clients, value.number, cancelPurchaseOrder, { actor: body.user.id });
    return answer.ok ? answer.result.message : `:warning: ${answer.message}`;
  });

/** Receive on the PO card: the receiving modal. */
export const poReceiveClicked = (deps: BotDeps) =>
  poButton(deps, { what: 'could not open the receiving modal', failed: 'The receiving form did not open; click Receive again.' }, async ({ value, body, client }) => {
    await openReceiveModal(deps, client, body.trigger_id, value.number);
    return undefined;
  });

/** Enter invoice on the PO card (buyers only): a loading modal turned into the invoice form. */
export const poInvoiceClicked = (deps: BotDeps) =>
  poButton(deps, { what: 'could not open the invoice modal', failed: 'The invoice form did not open; click Enter invoice again.' }, async ({ value, body, client }) => {
    if (!(await hasRole(deps.db, body.user.id, 'buyer'))) return ':warning: Only buyers can enter supplier invoices.';
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal('Enter invoice', 'the purchase order') });
    if (!opened.view?.id) return undefined;
    const record = await getPurchaseOrder(deps.db, value.number);
    const view = !record
      ? noticeModal({ title: 'Enter invoice', text: `There is no purchase order ${value.number}.` })
      : !INVOICE_ENTRY_STATUSES.includes(record.status)
        ? noticeModal({ title: 'Enter invoice', text: `${record.number} is ${record.status.replace('_', ' ')}: no invoice can be entered on it here.` })
        : invoiceModal(viewFromRecord(record));
    await client.views.update({ view_id: opened.view.id, view });
    return undefined;
  });
