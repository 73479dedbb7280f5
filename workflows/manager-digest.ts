import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 10 } });

/**
 * The weekly digest to inventory managers (Schedule stockroom-manager-digest-weekly). The week is the
 * digest's key, so each manager gets one per week even when the run is retried or started twice.
 */
export async function managerDigestWorkflow(input: { at?: string } = {}): Promise<{ week: string; sentTo: string[] }> {
  const at = input.at ?? new Date().toISOString();
  const { week, managers } = await acts.prepareManagerDigest({ at });
  for (const manager of managers) await acts.sendManagerDigest({ at, week, manager });
  return { week, sentTo: managers };
}
