import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { COUNT_IDS, HOME_ACTIONS, PURCHASING_ACTIONS, REQUEST_MODAL, REQUISITION_ACTIONS } from '../../ids.js';
import { approveClicked, rejectClicked } from './approval-buttons.js';
import { cancelClicked } from './cancel-button.js';
import { countDecisionClicked } from './count-decision.js';
import { countStartClicked } from './count-start.js';
import { homeNewRequestClicked, homeRefreshClicked } from './home-buttons.js';
import { createPurchaseOrderClicked } from './create-purchase-order.js';
import { confirmPickClicked } from './pick-button.js';
import { poCardClicked, poInvoiceClicked, poReceiveClicked } from './po-card-buttons.js';
import { poApproveClicked, poRejectClicked } from './po-decision-buttons.js';
import { addLineClicked, removeLineClicked } from './request-lines.js';

export function registerActions(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(REQUISITION_ACTIONS.approve, approveClicked(deps));
  app.action<BlockAction<ButtonAction>>(REQUISITION_ACTIONS.reject, rejectClicked(deps));
  app.action<BlockAction<ButtonAction>>(REQUISITION_ACTIONS.confirmPick, confirmPickClicked(deps));
  app.action<BlockAction<ButtonAction>>(REQUISITION_ACTIONS.cancel, cancelClicked(deps));
  app.action<BlockAction<ButtonAction>>(REQUEST_MODAL.addLineAction, addLineClicked(deps));
  app.action<BlockAction<ButtonAction>>(REQUEST_MODAL.removeLineAction, removeLineClicked(deps));
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.newRequest, homeNewRequestClicked(deps));
  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.refresh, homeRefreshClicked(deps));
  app.action<BlockAction<ButtonAction>>(COUNT_IDS.start, countStartClicked(deps));
  app.action<BlockAction<ButtonAction>>(COUNT_IDS.approve, countDecisionClicked(deps, 'approve'));
  app.action<BlockAction<ButtonAction>>(COUNT_IDS.reject, countDecisionClicked(deps, 'reject'));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.createPurchaseOrder, createPurchaseOrderClicked(deps));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.approve, poApproveClicked(deps));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.reject, poRejectClicked(deps));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.submit, poCardClicked(deps, 'submit'));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.cancel, poCardClicked(deps, 'cancel'));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.receive, poReceiveClicked(deps));
  app.action<BlockAction<ButtonAction>>(PURCHASING_ACTIONS.enterInvoice, poInvoiceClicked(deps));
}
