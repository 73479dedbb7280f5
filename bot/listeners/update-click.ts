import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type UpdateDefinition } from '@temporalio/client';
import { clickAnswer, requisitionHandle, type ClickAnswer } from '../../runtime/requisitions.js';
import type { BotDeps } from '../app.js';

/**
 * A click as an Update, answered in two steps: whether the workflow's validator accepted it (one workflow
 * task, usually tens of milliseconds, so a modal can show a refusal in place), then the handler's result
 * (confirmPick and cancel wait for ledger work, so that part comes after the ack).
 */
export type StartedClick<Result> = { decided: true; answer: ClickAnswer<Result> } | { decided: false; answer: Promise<ClickAnswer<Result>> };

/** Resolves on the next turn of the event loop: after every already-settled promise chain has run. */
const nextTurn = () => new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')));

export async function startClick<Result, Input>(
  deps: BotDeps,
  number: string,
  update: UpdateDefinition<Result, [Input]>,
  input: Input,
): Promise<StartedClick<Result>> {
  const clients = { db: deps.db, client: deps.temporal };
  let handle;
  try {
    handle = await requisitionHandle(deps.temporal, number).startUpdate(update, { args: [input], waitForStage: WorkflowUpdateStage.ACCEPTED });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { decided: true, answer: { ok: false, message: err.cause?.message ?? `${number} refused that.` } };
    // A finished workflow: clickAnswer says what became of the requisition.
    if (err instanceof WorkflowNotFoundError) return { decided: true, answer: await clickAnswer(clients, number, update, input) };
    throw err;
  }
  const answer: Promise<ClickAnswer<Result>> = handle.result().then(
    (result) => ({ ok: true, result }),
    (err: unknown) => {
      if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? `${number} refused that.` };
      throw err;
    },
  );
  // A rejected (or already completed) update came back with its outcome, so result() settles without another
  // call to Temporal; an accepted one still running has to be polled and cannot settle before the next turn.
  const first = await Promise.race([answer.then((a) => ({ settled: a })), nextTurn()]);
  return first === 'pending' ? { decided: false, answer } : { decided: true, answer: first.settled };
}
