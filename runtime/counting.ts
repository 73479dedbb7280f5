import { type Client, type UpdateDefinition, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { cycleCountWorkflowId } from '../workflows/ids.js';

/**
 * The client side of cycle counts, for the bot and the CLI: an Update to a count's workflow, answered as
 * a sentence when the workflow refuses it (its validator's message) or is not running.
 */
export type CountAnswer<T> = { ok: true; result: T } | { ok: false; message: string };

export async function countUpdate<Result, Input>(
  client: Client,
  number: string,
  update: UpdateDefinition<Result, [Input]>,
  input: Input,
): Promise<CountAnswer<Result>> {
  try {
    const handle = client.workflow.getHandle(cycleCountWorkflowId(number));
    return { ok: true, result: await handle.executeUpdate(update, { args: [input] }) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? `Count ${number} refused that.` };
    if (err instanceof WorkflowNotFoundError) return { ok: false, message: `Count ${number} is closed or does not exist.` };
    throw err;
  }
}
