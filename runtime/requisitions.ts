import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type UpdateDefinition,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { backorderedRequisitionNumbers, createRequisition, getRequisition, type NewRequisition } from '../db/queries/requisitions.js';
import { requisitionWorkflowId, TASK_QUEUE } from '../workflows/ids.js';
import { requisitionWorkflow } from '../workflows/index.js';
import { stockAvailable } from '../workflows/requisition-messages.js';
import { searchAttributes } from '../workflows/search-attributes.js';
import { answerUpdate, type ClickAnswer } from './update-answer.js';

/**
 * The client side of requisitions, for the bot, the CLI, the benchmark and tests: submit (record +
 * start, idempotent by the submission key) and restocking's hook (signal backordered requisitions).
 */

export interface SubmittedRequisition {
  number: string;
  totalValue: string;
  workflowId: string;
  /** False when this submission key had been submitted before (a Slack retry or double click). */
  created: boolean;
}

/**
 * Records the requisition and starts its workflow. A repeated submission (same key) finds the same
 * requisition and the same workflow: the workflow ID carries the number and a second start of it,
 * running or finished, is refused by Temporal and treated as success.
 * Throws RequisitionValidationError (field errors for the modal) before anything is started.
 */
export async function submitRequisition(deps: { db: Executor; client: Client }, input: NewRequisition): Promise<SubmittedRequisition> {
  const created = await createRequisition(deps.db, input);
  const workflowId = await startRequisitionWorkflow(deps.client, { number: created.number, requester: input.requester });
  return { number: created.number, totalValue: created.totalValue, workflowId, created: created.created };
}

/**
 * Starts the workflow of a recorded requisition, or finds it started (running or finished): safe to
 * repeat, so submission and the sweep for requisitions left unrouted both use it.
 */
export async function startRequisitionWorkflow(client: Client, requisition: { number: string; requester: string }): Promise<string> {
  const workflowId = requisitionWorkflowId(requisition.number);
  try {
    await client.workflow.start(requisitionWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ number: requisition.number }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: searchAttributes.documentStatus, value: 'submitted' },
        { key: searchAttributes.requester, value: requisition.requester },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}

export const requisitionHandle = (client: Client, number: string): WorkflowHandle<typeof requisitionWorkflow> =>
  client.workflow.getHandle<typeof requisitionWorkflow>(requisitionWorkflowId(number));

/**
 * Restocking's hook: after stock of `sku` is received, tell every open requisition with that SKU
 * backordered to try reserving again. Returns the requisition numbers signalled. A requisition that
 * closed meanwhile is skipped; sending it twice is harmless (the workflow retries once per signal).
 */
export async function signalStockAvailable(deps: { db: Executor; client: Client }, sku: string): Promise<string[]> {
  const numbers = await backorderedRequisitionNumbers(deps.db, sku);
  const signalled: string[] = [];
  for (const number of numbers) {
    try {
      await requisitionHandle(deps.client, number).signal(stockAvailable, { sku });
      signalled.push(number);
    } catch (err) {
      if ((err as { name?: string }).name !== 'WorkflowNotFoundError') throw err;
    }
  }
  return signalled;
}

export type { ClickAnswer } from './update-answer.js';

/**
 * Sends a click (approve, reject, confirmPick, cancel) as an Update and turns every refusal into a
 * sentence for the person who clicked: the validator's own words, or, when the workflow has
 * finished (Temporal refuses updates to a closed workflow), what became of the requisition.
 */
export async function clickAnswer<Result, Input>(
  deps: { db: Executor; client: Client },
  number: string,
  update: UpdateDefinition<Result, [Input]>,
  input: Input,
): Promise<ClickAnswer<Result>> {
  return answerUpdate(requisitionHandle(deps.client, number), update, input, {
    refused: `${number} refused that.`,
    whenClosed: async () => {
      const record = await getRequisition(deps.db, number);
      if (!record) return `There is no requisition ${number}.`;
      if (record.status === 'issued' || record.status === 'rejected' || record.status === 'cancelled') {
        return `${number} is ${record.status}; there is nothing left to do.`;
      }
      return `${number} is not running right now (status ${record.status.replace('_', ' ')}); try again in a minute.`;
    },
  });
}
