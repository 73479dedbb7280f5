import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { LIVENESS } from './activity-options.js';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: LIVENESS, retry: { maximumAttempts: 10 } });

/**
 * The managers' weekly digest (Schedule stockroom-manager-digest-weekly, fired hourly). Each run sends
 * to the managers for whom it is Monday 08:00–08:59 in their own time zone; the ISO week in their zone
 * is the DM's key, so each manager gets one per week even when a run is retried or started twice.
 * Commands are unchanged from the once-a-week version (one prepare, then one send per manager), so
 * old histories replay; a history without `due` sends everyone the stockroom week, as it did then.
 */
export async function managerDigestWorkflow(input: { at?: string } = {}): Promise<{ week: string; sentTo: string[] }> {
  const at = input.at ?? new Date().toISOString();
  const prepared = await acts.prepareManagerDigest({ at });
  const due = prepared.due ?? prepared.managers.map((manager) => ({ manager, week: prepared.week }));
  for (const digest of due) await acts.sendManagerDigest({ at, ...digest });
  return { week: prepared.week, sentTo: due.map((d) => d.manager) };
}
