import type { App } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { SHORTCUTS } from '../../ids.js';
import { newPurchaseOrderShortcut } from './new-purchase-order.js';
import { requestSuppliesShortcut } from './request-supplies.js';

export function registerShortcuts(app: App, deps: BotDeps): void {
  app.shortcut(SHORTCUTS.requestSupplies, requestSuppliesShortcut(deps));
  app.shortcut(SHORTCUTS.newPurchaseOrder, newPurchaseOrderShortcut(deps));
}
