import type { App } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { COUNT_IDS, PICK_MODAL, REJECT_MODAL, REQUEST_MODAL } from '../../ids.js';
import { countSubmitted } from './count-submission.js';
import { pickConfirmed } from './pick-confirmation.js';
import { rejectReasonSubmitted } from './reject-reason.js';
import { requestSubmitted } from './request-submission.js';

export function registerViews(app: App, deps: BotDeps): void {
  app.view(REQUEST_MODAL.callbackId, requestSubmitted(deps));
  app.view(REJECT_MODAL.callbackId, rejectReasonSubmitted(deps));
  app.view(PICK_MODAL.callbackId, pickConfirmed(deps));
  app.view(COUNT_IDS.modal, countSubmitted(deps));
}
