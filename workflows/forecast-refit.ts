import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RefitSummary } from '../db/queries/forecasting.js';

/**
 * The weekly refit of every item's demand forecast (Schedule stockroom-forecast-refit-weekly, Sunday
 * 05:00, before the daily reorder check reads the stored forecasts at 06:00). One activity, which
 * streams the catalogue and heartbeats per batch; a lost worker is noticed within the heartbeat timeout.
 */
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2, maximumAttempts: 5 },
});

export async function forecastRefitWorkflow(input: { asOf?: string } = {}): Promise<RefitSummary> {
  return acts.refitDemandForecasts({ asOf: input.asOf });
}
