import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { getPurchaseOrder } from '../../../db/queries/purchasing.js';
import { RECEIVABLE_STATUSES } from '../../../inventory/purchase-order.js';
import type { BotDeps } from '../../app.js';
import { RECEIVE_MODAL } from '../../ids.js';
import { receiveView } from '../open-receive-modal.js';

/** /receive's picker: the number typed is checked, then the modal turns into that PO's receiving form. */
export const receivePickSubmitted =
  (deps: BotDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> =>
  async ({ ack, view }) => {
    const typed = (view.state.values[RECEIVE_MODAL.poBlock]?.[RECEIVE_MODAL.poAction]?.value ?? '').trim();
    const record = typed ? await getPurchaseOrder(deps.db, typed) : undefined;
    if (!record) return ack({ response_action: 'errors', errors: { [RECEIVE_MODAL.poBlock]: typed ? `There is no purchase order ${typed}.` : 'Type the PO number, e.g. PO-000123.' } });
    if (!RECEIVABLE_STATUSES.includes(record.status)) {
      return ack({ response_action: 'errors', errors: { [RECEIVE_MODAL.poBlock]: `${record.number} is ${record.status.replace('_', ' ')}: nothing can be received on it.` } });
    }
    await ack({ response_action: 'update', view: await receiveView(deps, record.number) });
  };
