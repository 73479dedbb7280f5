import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { hasRole } from '../../../db/queries/people.js';
import { createPurchaseOrder, PurchasingError, type NewPurchaseOrder } from '../../../db/queries/purchasing.js';
import { startPurchaseOrder } from '../../../runtime/purchasing.js';
import type { BotDeps } from '../../app.js';
import { escapeText } from '../../blocks/mrkdwn.js';
import { filledLines, newPurchaseOrderErrorBlock, readNewPurchaseOrderSubmission } from '../../blocks/new-purchase-order.js';
import type { ViewStateValues } from '../../blocks/request-modal.js';
import { NEW_PO_MODAL } from '../../ids.js';
import { withinBudget } from '../budget.js';
import { replyTo } from '../reply.js';
import { ONLY_BUYERS } from '../shortcuts/new-purchase-order.js';

/**
 * The new purchase order modal's submission: the pure checks, the buyer role, then the draft written
 * inside the ack budget so the database's refusals (unknown SKU, decimals, no price) land under their
 * fields; then the PO's workflow is started after the ack. The view id is the creation key, so a retried
 * submission finds the same PO.
 */
export const newPurchaseOrderSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, body, view, client, logger }) => {
    const values = view.state.values as ViewStateValues;
    const { draft, errors } = readNewPurchaseOrderSubmission(values);
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });
    const buyer = body.user.id;
    if (!(await hasRole(deps.db, buyer, 'buyer'))) return ack({ response_action: 'errors', errors: { [NEW_PO_MODAL.vendorBlock]: ONLY_BUYERS.replace(':warning: ', '') } });
    const input: NewPurchaseOrder = { key: `manual/${view.id}`, vendor: draft.vendor, buyer, createdBy: buyer, source: 'manual', lines: draft.lines };
    const written = await withinBudget(createPurchaseOrder(deps.db, input));
    if (written.settled && !written.ok) {
      const err = written.error;
      if (err instanceof PurchasingError) return ack({ response_action: 'errors', errors: { [newPurchaseOrderErrorBlock(err.details.field, err.details.lineNo, filledLines(values))]: err.message } });
      logger.error('new purchase order failed', err);
      return ack({ response_action: 'errors', errors: { [NEW_PO_MODAL.vendorBlock]: 'Sorry, that did not go through on our side. Submit again in a moment.' } });
    }
    await ack();
    const target = { user: buyer };
    try {
      if (!written.settled) await written.later;
      const started = await startPurchaseOrder({ db: deps.db, client: deps.temporal }, input);
      const lines = started.record.lines.map((l) => `${l.ordered} ${escapeText(l.sku)}`).join(', ');
      await replyTo(client, target, `:memo: Drafted ${started.number} for ${escapeText(started.record.vendorName)}: ${lines}. Review and submit it from its card.`, deps.logger);
    } catch (err) {
      if (err instanceof PurchasingError) return replyTo(client, target, `:warning: ${err.message}`, deps.logger);
      logger.error('new purchase order failed', err);
      await replyTo(client, target, 'Sorry, the purchase order did not go through. Try the shortcut again in a minute.', deps.logger);
    }
  };
