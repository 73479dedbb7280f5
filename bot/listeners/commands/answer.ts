import type { RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackMessage } from '../../blocks/requisition.js';
import { withinBudget } from '../budget.js';

const FAILED = 'Sorry, that did not work: something on our side failed. Try again in a minute.';

/**
 * Answers a slash command only to the person: inside the ack when the answer is ready within the
 * budget, else the ack says it is on its way and the answer follows through the response_url.
 */
export async function answerCommand(
  args: Pick<SlackCommandMiddlewareArgs, 'ack' | 'respond'> & { logger: { error(...msg: unknown[]): void } },
  work: Promise<SlackMessage>,
  waiting: string,
): Promise<void> {
  const { ack, respond, logger } = args;
  const answer = await withinBudget(work);
  if (answer.settled) {
    if (!answer.ok) logger.error('command failed', answer.error);
    await ack(answer.ok ? { response_type: 'ephemeral', ...answer.value } : { response_type: 'ephemeral', text: FAILED });
    return;
  }
  await ack({ response_type: 'ephemeral', text: waiting });
  await follow(respond, answer.later, logger);
}

async function follow(respond: RespondFn, later: Promise<SlackMessage>, logger: { error(...msg: unknown[]): void }): Promise<void> {
  let message: SlackMessage;
  try {
    message = await later;
  } catch (err) {
    logger.error('command failed', err);
    message = { text: FAILED, blocks: [] };
  }
  await respond({ response_type: 'ephemeral', text: message.text, ...(message.blocks.length ? { blocks: message.blocks } : {}) });
}
