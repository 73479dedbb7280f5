import { proxyActivities } from '@temporalio/workflow';

/**
 * The benchmark's ceiling: a workflow doing nothing but `count` no-op activities one after another, the
 * same number a requisition runs, on the same server. What Temporal alone allows on this machine.
 */
const { noop } = proxyActivities<{ noop(step: number): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function ceilingWorkflow(count: number): Promise<number> {
  for (let step = 0; step < count; step++) await noop(step);
  return count;
}
