import { WorkflowNotFoundError, WorkflowUpdateFailedError, type UpdateDefinition, type WorkflowHandle } from '@temporalio/client';

/** What a person's click gets back: the Update's result, or one sentence saying why not. */
export type ClickAnswer<Result> = { ok: true; result: Result } | { ok: false; message: string };

/**
 * Sends a click as an Update. A validator's refusal comes back as its own sentence; a workflow that
 * is closed or missing (Temporal refuses updates to those) as the sentence `whenClosed` finds, e.g.
 * from the document's row in the database. Anything else is a real error and is thrown.
 */
export async function answerUpdate<Result, Input>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Result, [Input]>,
  input: Input,
  opts: { refused: string; whenClosed: () => Promise<string> },
): Promise<ClickAnswer<Result>> {
  try {
    return { ok: true, result: await handle.executeUpdate(update, { args: [input] }) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? opts.refused };
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return { ok: false, message: await opts.whenClosed() };
  }
}
