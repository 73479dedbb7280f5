import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { AbcRunSummary } from '../db/queries/abc.js';
import { LIVENESS } from './activity-options.js';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: LIVENESS, retry: { maximumAttempts: 5 } });

/**
 * ABC classification (Schedule stockroom-abc-monthly, or on demand): one run over the last 12 months of
 * issues, kept with its class changes. The monthly key is the month, so a doubled run is the same run.
 */
export async function abcClassificationWorkflow(
  input: { trigger?: 'schedule' | 'manual'; key?: string; requestedBy?: string } = {},
): Promise<AbcRunSummary> {
  return acts.runAbcClassification({
    at: new Date().toISOString(),
    trigger: input.trigger ?? 'schedule',
    key: input.key,
    requestedBy: input.requestedBy,
  });
}
