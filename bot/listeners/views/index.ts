import type { App } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { COUNT_IDS, INVOICE_MODAL, NEW_PO_MODAL, PICK_MODAL, PO_REJECT_MODAL, RECEIVE_MODAL, REJECT_MODAL, REQUEST_MODAL } from '../../ids.js';
import { countSubmitted } from './count-submission.js';
import { invoiceSubmitted } from './invoice-submission.js';
import { newPurchaseOrderSubmitted } from './new-purchase-order-submission.js';
import { pickConfirmed } from './pick-confirmation.js';
import { poRejectSubmitted } from './po-reject-reason.js';
import { receivePickSubmitted } from './receive-pick-submission.js';
import { receiveSubmitted } from './receive-submission.js';
import { rejectReasonSubmitted } from './reject-reason.js';
import { requestSubmitted } from './request-submission.js';

export function registerViews(app: App, deps: BotDeps): void {
  app.view(REQUEST_MODAL.callbackId, requestSubmitted(deps));
  app.view(REJECT_MODAL.callbackId, rejectReasonSubmitted(deps));
  app.view(PICK_MODAL.callbackId, pickConfirmed(deps));
  app.view(COUNT_IDS.modal, countSubmitted(deps));
  app.view(RECEIVE_MODAL.callbackId, receiveSubmitted(deps));
  app.view(RECEIVE_MODAL.pickCallbackId, receivePickSubmitted(deps));
  app.view(PO_REJECT_MODAL.callbackId, poRejectSubmitted(deps));
  app.view(NEW_PO_MODAL.callbackId, newPurchaseOrderSubmitted(deps));
  app.view(INVOICE_MODAL.callbackId, invoiceSubmitted(deps));
}
