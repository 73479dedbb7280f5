import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { LIVENESS } from './activity-options.js';

const { recordSystemCheck } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: LIVENESS,
  retry: { maximumAttempts: 5 },
});

/** Proves worker + Temporal + database work together: one activity writes one row. */
export async function systemCheckWorkflow(input: { key: string; note: string }): Promise<{ id: string; checkedAt: string }> {
  return recordSystemCheck(input);
}
