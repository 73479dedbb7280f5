import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { reorderCheckWorkflowId, RESTOCK_SCHEDULE_IDS, TASK_QUEUE } from '../workflows/ids.js';

/**
 * Temporal Schedules of restocking, created idempotently at start-up (runtime/start.ts calls
 * ensureRestockSchedules after the worker starts): a second start, or two processes starting at
 * once, finds the schedule there and leaves it be.
 */

export interface RestockScheduleOptions {
  /** Cron in the given time zone; default 06:00 every day, before people start work. */
  cron?: string;
  timeZone?: string;
}

export async function ensureRestockSchedules(client: Client, opts: RestockScheduleOptions = {}): Promise<{ created: string[] }> {
  const created: string[] = [];
  try {
    await client.schedule.create({
      scheduleId: RESTOCK_SCHEDULE_IDS.reorderCheckDaily,
      spec: { cronExpressions: [opts.cron ?? '0 6 * * *'], timezone: opts.timeZone ?? 'UTC' },
      action: { type: 'startWorkflow', workflowType: 'reorderCheckWorkflow', taskQueue: TASK_QUEUE, workflowId: reorderCheckWorkflowId('daily'), args: [] },
      // A check still running when the next is due (a slow day): skip, the next day's catches up.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: 'Re-checks every item against its reorder point so no low stock is missed.' },
    });
    created.push(RESTOCK_SCHEDULE_IDS.reorderCheckDaily);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  return { created };
}
