import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { cycleCountWorkflow } from './cycle-count.js';
import { cycleCountWorkflowId } from './ids.js';
import { LIVENESS } from './activity-options.js';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: LIVENESS, retry: { maximumAttempts: 10 } });

export interface CountPlanningResult {
  date: string;
  itemsDue: number;
  unlocated: number;
  documents: { number: string; counter: string | null; lines: number }[];
}

/**
 * The daily planning run (Schedule stockroom-count-planning-daily): plans the stockroom's today (or the
 * given date), stores the count documents once per date, and starts one cycleCountWorkflow per document.
 * The children outlive this run; a retried or doubled run finds the plan and the running children.
 */
export async function countPlanningWorkflow(input: { date?: string } = {}): Promise<CountPlanningResult> {
  const plan = await acts.planCycleCounts({ at: new Date().toISOString(), date: input.date });
  for (const doc of plan.documents) {
    try {
      await startChild(cycleCountWorkflow, {
        workflowId: cycleCountWorkflowId(doc.number),
        args: [{ number: doc.number }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return { date: plan.date, itemsDue: plan.itemsDue, unlocated: plan.unlocated, documents: plan.documents };
}
