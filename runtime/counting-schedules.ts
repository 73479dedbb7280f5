import type { Client } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { getCountingSettings } from '../db/queries/counting.js';
import { COUNTING_SCHEDULE_IDS, TASK_QUEUE } from '../workflows/ids.js';
import { ensureSchedules, type EnsuredSchedules, type ScheduleDefinition } from './schedules.js';

/**
 * The counting programme's Temporal Schedules, visible and pausable in the Temporal UI and CLI
 * (`temporal schedule list`), created at start-up in the stockroom's time zone (counting_settings).
 * Idempotent: an existing schedule is updated to the current spec and action (so a changed time zone
 * applies) and keeps its paused state and history. Created with the others by runtime/schedules.ts.
 */

/**
 * Monthly ABC on the 1st at 03:00, daily count planning at 06:00, the managers' digest hourly (it goes to
 * each manager at Monday 08:00 in their own time zone, see workflows/manager-digest.ts).
 */
export function countingSchedules(timeZone: string): ScheduleDefinition[] {
  const startWorkflow = (workflowType: string, workflowId: string, args: unknown[]) => ({
    type: 'startWorkflow' as const,
    workflowType,
    taskQueue: TASK_QUEUE,
    workflowId,
    args,
  });
  return [
    {
      scheduleId: COUNTING_SCHEDULE_IDS.abcMonthly,
      note: 'ABC classification over the last 12 months of issues',
      spec: { calendars: [{ dayOfMonth: 1, hour: 3, minute: 0 }], timezone: timeZone },
      action: startWorkflow('abcClassificationWorkflow', 'abc-classification', [{ trigger: 'schedule' }]),
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    },
    {
      scheduleId: COUNTING_SCHEDULE_IDS.countPlanningDaily,
      note: 'Plans the day’s cycle counts and DMs the counters',
      spec: { calendars: [{ hour: 6, minute: 0, dayOfWeek: '*' }], timezone: timeZone },
      action: startWorkflow('countPlanningWorkflow', 'count-planning', [{}]),
      policies: { overlap: 'SKIP', catchupWindow: '6 hours' },
    },
    {
      scheduleId: COUNTING_SCHEDULE_IDS.managerDigestWeekly,
      note: 'Weekly digest DM to inventory managers, Monday 08:00 in each manager’s time zone (checked hourly)',
      // Hourly: each run DMs the managers for whom it is Monday 08:xx in their own zone (people.time_zone).
      spec: { calendars: [{ dayOfWeek: '*', hour: '*', minute: 0 }], timezone: timeZone },
      action: startWorkflow('managerDigestWorkflow', 'manager-digest', [{}]),
      // A run caught up later than its hour would miss its managers' 08:xx, so only catch up within it.
      policies: { overlap: 'SKIP', catchupWindow: '1 hour' },
    },
  ];
}

/** The counting schedules alone, in the stockroom's time zone. */
export async function ensureCountingSchedules(client: Client, db: Executor): Promise<EnsuredSchedules> {
  const { timeZone } = await getCountingSettings(db);
  return ensureSchedules(client, countingSchedules(timeZone));
}
