import type { WebClient } from '@slack/web-api';
import { getPurchaseOrder } from '../../db/queries/purchasing.js';
import { RECEIVABLE_STATUSES } from '../../inventory/purchase-order.js';
import { purchaseOrdersAwaitingGoods, viewFromRecord } from '../../runtime/purchasing.js';
import type { BotDeps } from '../app.js';
import { loadingModal, noticeModal } from '../blocks/notice.js';
import { receiveModal, receivePickModal } from '../blocks/purchase-order.js';

/**
 * Opens the receiving modal: a loading modal first (the trigger_id lives 3 seconds), then the PO's
 * open lines; without a number, a picker listing the POs waiting for goods.
 */
export async function openReceiveModal(deps: BotDeps, client: WebClient, triggerId: string, number: string | undefined): Promise<void> {
  const opened = await client.views.open({ trigger_id: triggerId, view: loadingModal('Receive goods', 'the purchase order') });
  const viewId = opened.view?.id;
  if (!viewId) return;
  const view = await receiveView(deps, number);
  await client.views.update({ view_id: viewId, view });
}

export async function receiveView(deps: BotDeps, number: string | undefined) {
  if (!number) return receivePickModal(await purchaseOrdersAwaitingGoods(deps.db));
  const record = await getPurchaseOrder(deps.db, number.trim());
  if (!record) return noticeModal({ title: 'Receive goods', text: `There is no purchase order ${number.trim()}.` });
  if (!RECEIVABLE_STATUSES.includes(record.status)) {
    return noticeModal({ title: 'Receive goods', text: `${record.number} is ${record.status.replace('_', ' ')}: nothing can be received on it.` });
  }
  return receiveModal(viewFromRecord(record));
}
