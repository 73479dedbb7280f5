import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { hasRole } from '../../../db/queries/people.js';
import { getPurchaseOrder } from '../../../db/queries/purchasing.js';
import { purchaseOrderClick, viewFromRecord } from '../../../runtime/purchasing.js';
import { cancelPurchaseOrder, submitPurchaseOrder } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { invoiceModal } from '../../blocks/invoice-modal.js';
import { loadingModal, noticeModal } from '../../blocks/notice.js';
import { INVOICE_ENTRY_STATUSES, parsePoValue } from '../../blocks/purchase-order.js';
import { openReceiveModal } from '../open-receive-modal.js';
import { replyTo } from '../reply.js';
import { BROKEN_PO_BUTTON, clickTarget, FAILED } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Submit for approval / Cancel (Close short) on the buyer's PO card: acked, then the Update; the card itself is updated by the workflow. */
export const poCardClicked =
  (deps: BotDeps, which: 'submit' | 'cancel'): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_PO_BUTTON, deps.logger);
    try {
      const clients = { db: deps.db, client: deps.temporal };
      const answer =
        which === 'submit'
          ? await purchaseOrderClick(clients, value.number, submitPurchaseOrder, { actor: body.user.id })
          : await purchaseOrderClick(clients, value.number, cancelPurchaseOrder, { actor: body.user.id });
      await replyTo(client, target, answer.ok ? answer.result.message : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error(`PO ${which} click failed`, err);
      await replyTo(client, target, FAILED, deps.logger);
    }
  };

/** Receive on the PO card: acked, then the receiving modal. */
export const poReceiveClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, clickTarget(body), BROKEN_PO_BUTTON, deps.logger);
    try {
      await openReceiveModal(deps, client, body.trigger_id, value.number);
    } catch (err) {
      logger.error('could not open the receiving modal', err);
      await replyTo(client, clickTarget(body), 'The receiving form did not open; click Receive again.', deps.logger);
    }
  };

/** Enter invoice on the PO card (buyers only): acked, then a loading modal turned into the invoice form. */
export const poInvoiceClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = parsePoValue(action.value ?? '');
    if (!value) return replyTo(client, target, BROKEN_PO_BUTTON, deps.logger);
    try {
      if (!(await hasRole(deps.db, body.user.id, 'buyer'))) return replyTo(client, target, ':warning: Only buyers can enter supplier invoices.', deps.logger);
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal('Enter invoice', 'the purchase order') });
      if (!opened.view?.id) return;
      const record = await getPurchaseOrder(deps.db, value.number);
      const view = !record
        ? noticeModal({ title: 'Enter invoice', text: `There is no purchase order ${value.number}.` })
        : !INVOICE_ENTRY_STATUSES.includes(record.status)
          ? noticeModal({ title: 'Enter invoice', text: `${record.number} is ${record.status.replace('_', ' ')}: no invoice can be entered on it here.` })
          : invoiceModal(viewFromRecord(record));
      await client.views.update({ view_id: opened.view.id, view });
    } catch (err) {
      logger.error('could not open the invoice modal', err);
      await replyTo(client, target, 'The invoice form did not open; click Enter invoice again.', deps.logger);
    }
  };
