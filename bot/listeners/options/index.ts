import type { App } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { NEW_PO_MODAL, REQUEST_MODAL } from '../../ids.js';
import { costCenterSuggestions, itemSuggestions, vendorSuggestions } from './suggestions.js';

export function registerOptions(app: App, deps: BotDeps): void {
  app.options(REQUEST_MODAL.itemAction, itemSuggestions(deps));
  app.options(NEW_PO_MODAL.itemAction, itemSuggestions(deps));
  app.options(REQUEST_MODAL.costCenterAction, costCenterSuggestions(deps));
  app.options(NEW_PO_MODAL.vendorAction, vendorSuggestions(deps));
}
