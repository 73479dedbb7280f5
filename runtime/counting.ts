import type { Client, UpdateDefinition } from '@temporalio/client';
import { cycleCountWorkflowId } from '../workflows/ids.js';
import { answerUpdate, type ClickAnswer } from './update-answer.js';

/**
 * The client side of cycle counts, for the bot and the CLI: an Update to a count's workflow, answered as
 * a sentence when the workflow refuses it (its validator's message) or is not running.
 */
export type CountAnswer<T> = ClickAnswer<T>;

export async function countUpdate<Result, Input>(
  client: Client,
  number: string,
  update: UpdateDefinition<Result, [Input]>,
  input: Input,
): Promise<CountAnswer<Result>> {
  return answerUpdate(client.workflow.getHandle(cycleCountWorkflowId(number)), update, input, {
    refused: `Count ${number} refused that.`,
    whenClosed: async () => `Count ${number} is closed or does not exist.`,
  });
}
