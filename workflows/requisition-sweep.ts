import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { LIVENESS } from './activity-options.js';

const { startUnroutedRequisitions } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: LIVENESS,
  retry: { maximumAttempts: 5 },
});

/**
 * Run by a Schedule every few minutes: a requisition still unrouted this long after submission (its
 * workflow start failed; the requester was told it would go on by itself) gets its workflow started.
 * Returns the requisition numbers it started or found started.
 */
export async function requisitionSweepWorkflow(input: { olderThanMinutes?: number } = {}): Promise<string[]> {
  return startUnroutedRequisitions({ olderThanMinutes: input.olderThanMinutes ?? 5 });
}
