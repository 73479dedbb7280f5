import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import type { StockroomSettings } from '../runtime/settings.js';
import { createCountingActivities } from './counting.js';
import { createDigestActivities } from './digest.js';
import { createLedgerActivities } from './ledger.js';
import { createNotifySlackActivities } from './notify-slack.js';
import { createRequisitionActivities } from './requisitions.js';
import { createSystemActivities } from './system.js';

export interface ActivityDeps {
  db: Database;
  /** Absent when Slack is not configured: Slack activities then log and skip. */
  slack?: WebClient;
  /** stockroom.config.json (runtime/settings.ts); defaults when absent. */
  settings?: StockroomSettings;
}

/** Every side effect the workflows may perform, built from their dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps.db),
    ...createLedgerActivities(deps.db),
    ...createRequisitionActivities(deps),
    ...createNotifySlackActivities(deps),
    ...createCountingActivities({ db: deps.db, slack: deps.slack, currency: deps.settings?.currency }),
    ...createDigestActivities({ db: deps.db, slack: deps.slack, currency: deps.settings?.currency }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
