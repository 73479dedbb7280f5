import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { abcRunSummary } from '../../../db/queries/abc.js';
import { getCountingSettings, openCountsFor } from '../../../db/queries/counting.js';
import { dateInTimeZone } from '../../../inventory/cycle-count.js';
import { countUpdate } from '../../../runtime/counting.js';
import { reassignCount } from '../../../workflows/cycle-count-messages.js';
import type { BotDeps } from '../../app.js';
import { openCountsMessage, paretoMessage, type SlackMessage } from '../../blocks/cycle-count.js';
import { COMMANDS } from '../../ids.js';
import { answerCommand } from './answer.js';

const USAGE = `\`${COMMANDS.count}\` your open counts · \`${COMMANDS.count} abc\` the ABC analysis · \`${COMMANDS.count} pass CC-… @person\` hand a count to someone`;

const text = (t: string): SlackMessage => ({ text: t, blocks: [] });

/** `/count`: the person's open counts with start buttons; `abc`: the Pareto table; `pass`: reassign. */
export const countCommand =
  (deps: BotDeps): Middleware<SlackCommandMiddlewareArgs> =>
  async ({ ack, command, respond, logger }) => {
    const [sub = '', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    await answerCommand({ ack, respond, logger }, countAnswer(deps, command.user_id, sub.toLowerCase(), rest), 'Looking…');
  };

export async function countAnswer(deps: Pick<BotDeps, 'db' | 'temporal' | 'settings'>, user: string, sub: string, args: string[]): Promise<SlackMessage> {
  if (sub === '' || sub === 'mine') {
    const { timeZone } = await getCountingSettings(deps.db);
    return openCountsMessage(await openCountsFor(deps.db, user), dateInTimeZone(new Date(), timeZone));
  }
  if (sub === 'abc') return paretoMessage(await abcRunSummary(deps.db), deps.settings.currency);
  if (sub === 'pass') {
    const number = (args[0] ?? '').toUpperCase();
    const to = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(args[1] ?? '')?.[1];
    if (!/^CC-\d{8}-\d{3}(-R)*$/.test(number) || !to) return text(`Say which count and to whom: \`${COMMANDS.count} pass CC-20261125-001 @dmitri\`.`);
    const answer = await countUpdate(deps.temporal, number, reassignCount, { by: user, counter: to });
    return text(answer.ok ? `:white_check_mark: Count ${number} is now <@${to}>'s.` : `:warning: ${answer.message}`);
  }
  return text(USAGE);
}
