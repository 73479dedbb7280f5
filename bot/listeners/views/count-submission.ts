import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { countUpdate } from '../../../runtime/counting.js';
import { countInputErrors, submitCount } from '../../../workflows/cycle-count-messages.js';
import type { BotDeps } from '../../app.js';
import type { CountModalMetadata } from '../../blocks/cycle-count.js';
import { COUNT_IDS, countLineBlockId } from '../../ids.js';
import { withinBudget } from '../budget.js';
import { replyTo } from '../reply.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;

/** What the counter typed, by line id (missing fields as ''). */
export function countedValues(view: ViewSubmitAction['view'], metadata: CountModalMetadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lineId] of metadata.lines) {
    out[lineId] = view.state.values[countLineBlockId(lineId)]?.[COUNT_IDS.quantityInput]?.value ?? '';
  }
  return out;
}

/**
 * The blind count's submission. Field errors (negative, not a number, too many decimals) go back on
 * their fields inside the ack and nothing is recorded; otherwise the submitCount Update, whose refusal
 * (someone else's count, already submitted) is shown in the modal when it comes back within the budget.
 */
export const countSubmitted =
  (deps: BotDeps): Middleware<ViewArgs> =>
  async ({ ack, body, view, client, logger }) => {
    let metadata: CountModalMetadata;
    try {
      metadata = JSON.parse(view.private_metadata) as CountModalMetadata;
    } catch {
      await ack();
      return;
    }
    const quantities = countedValues(view, metadata);
    const lines = metadata.lines.map(([lineId, uomDecimals, uom]) => ({ lineId, uomDecimals, uom }));
    const errors = countInputErrors(lines, quantities);
    if (Object.keys(errors).length) {
      await ack({
        response_action: 'errors',
        errors: Object.fromEntries(Object.entries(errors).map(([lineId, message]) => [countLineBlockId(lineId), message])),
      });
      return;
    }
    const user = body.user.id;
    const work = countUpdate(deps.temporal, metadata.number, submitCount, { by: user, quantities });
    const answer = await withinBudget(work);
    if (answer.settled && answer.ok && !answer.value.ok) {
      const first = metadata.lines[0]?.[0];
      await ack(first ? { response_action: 'errors', errors: { [countLineBlockId(first)]: answer.value.message } } : undefined);
      return;
    }
    await ack();
    if (answer.settled && !answer.ok) {
      logger.error('count submission failed', answer.error);
      await replyTo(client, { user }, `Sorry, count ${metadata.number} did not go through; open it again from the DM.`, deps.logger);
      return;
    }
    if (!answer.settled) {
      try {
        const later = await answer.later;
        if (!later.ok) await replyTo(client, { user }, `:warning: ${later.message}`, deps.logger);
      } catch (err) {
        logger.error('count submission failed', err);
        await replyTo(client, { user }, `Sorry, count ${metadata.number} did not go through; open it again from the DM.`, deps.logger);
      }
    }
  };
