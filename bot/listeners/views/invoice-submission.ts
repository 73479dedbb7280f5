import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { hasRole } from '../../../db/queries/people.js';
import { purchaseOrderClick } from '../../../runtime/purchasing.js';
import { recordInvoice } from '../../../workflows/purchase-order-messages.js';
import type { BotDeps } from '../../app.js';
import { parseInvoiceMetadata, readInvoiceSubmission } from '../../blocks/invoice-modal.js';
import { noticeModal } from '../../blocks/notice.js';
import type { ViewStateValues } from '../../blocks/request-modal.js';
import { INVOICE_MODAL } from '../../ids.js';
import { replyTo } from '../reply.js';

/**
 * The invoice modal's submission: numbers checked in place, then acked and sent as the PO workflow's
 * recordInvoice Update keyed by the modal (a resubmission records one invoice). The workflow posts the
 * three-way match to the buyer; the submitter hears the outcome.
 */
export const invoiceSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const meta = parseInvoiceMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'update', view: noticeModal({ title: 'Not recorded', text: 'This form lost track of its purchase order; open it again.' }) });
    const { draft, errors } = readInvoiceSubmission(meta, view.state.values as ViewStateValues);
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });
    if (!(await hasRole(deps.db, body.user.id, 'buyer'))) return ack({ response_action: 'errors', errors: { [INVOICE_MODAL.numberBlock]: 'Only buyers can enter supplier invoices.' } });
    await ack();
    const target = { user: body.user.id };
    try {
      const answer = await purchaseOrderClick({ db: deps.db, client: deps.temporal }, meta.number, recordInvoice, {
        actor: body.user.id,
        key: `invoice/${view.id}`,
        invoiceNumber: draft.invoiceNumber,
        lines: draft.lines,
      });
      await replyTo(client, target, answer.ok ? `:receipt: ${answer.result.message}` : `:warning: ${answer.message}`, deps.logger);
    } catch (err) {
      logger.error('invoice entry failed', err);
      await replyTo(client, target, `Sorry, the invoice for ${meta.number} did not go through. Try again in a minute.`, deps.logger);
    }
  };
