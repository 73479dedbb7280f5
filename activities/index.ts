import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import type { StockroomSettings } from '../runtime/settings.js';
import { createCountingActivities } from './counting.js';
import { createDigestActivities } from './digest.js';
import { createForecastingActivities } from './forecasting.js';
import { createLedgerActivities } from './ledger.js';
import { createNotifySlackActivities } from './notify-slack.js';
import { createPurchasingActivities } from './purchasing.js';
import { createRequisitionActivities } from './requisitions.js';
import { createRestockActivities, type RestockSettings } from './restock.js';
import { withRestockTrigger } from './restock-trigger.js';
import { createSystemActivities } from './system.js';

export interface ActivityDeps {
  db: Database;
  /** Absent when Slack is not configured: Slack activities then log and skip. */
  slack?: WebClient;
  /** stockroom.config.json (runtime/settings.ts); defaults when absent. */
  settings?: StockroomSettings;
  /** Restocking: overrides settings.restock (tests pass their own alerts channel). */
  restock?: Partial<RestockSettings>;
}

/** Every side effect the workflows may perform, built from their dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  // Stock-moving activities check the reorder point after their move (activities/restock-trigger.ts).
  return withRestockTrigger(deps.db, {
    ...createSystemActivities(deps.db),
    ...createLedgerActivities(deps.db),
    ...createRequisitionActivities(deps),
    ...createNotifySlackActivities(deps),
    ...createCountingActivities({ db: deps.db, slack: deps.slack, currency: deps.settings?.currency }),
    ...createDigestActivities({ db: deps.db, slack: deps.slack, currency: deps.settings?.currency }),
    ...createRestockActivities({ ...deps, restock: { ...(deps.settings ? { alertsChannel: deps.settings.restock.alertsChannel } : {}), ...deps.restock } }),
    ...createPurchasingActivities(deps),
    ...createForecastingActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
