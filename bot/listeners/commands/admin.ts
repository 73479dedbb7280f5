import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  assignRole,
  hasRole,
  listRoleAssignments,
  PeopleError,
  replaceUsergroupMembers,
  revokeRole,
  ROLES,
  usersWithRole,
} from '../../../db/queries/people.js';
import { formatMoney } from '../../../inventory/decimal.js';
import type { BotDeps } from '../../app.js';
import { adminHelp, rolesMessage, subjectMention } from '../../blocks/admin.js';
import type { SlackMessage } from '../../blocks/requisition.js';
import { textMessage } from '../../blocks/stock.js';
import { parseAdminCommand } from './admin-parse.js';
import { closePeriod, PeriodError } from '../../../db/queries/journal.js';
import { getCountingSettings } from '../../../db/queries/counting.js';
import { answerCommand } from './answer.js';

/** `/stockroom help | roles | role add … | role remove …`: role management for admins; others are told no. */
export const adminCommand =
  (deps: BotDeps): Middleware<SlackCommandMiddlewareArgs> =>
  async ({ ack, command, respond, client, logger }) => {
    await answerCommand({ ack, respond, logger }, adminAnswer(deps, client, command.user_id, command.text), 'Working on it…');
  };

export async function adminAnswer(deps: BotDeps, client: WebClient, actor: string, text: string): Promise<SlackMessage> {
  const command = parseAdminCommand(text);
  if (command.kind === 'help') return adminHelp(ROLES);
  if (command.kind === 'invalid') return textMessage(command.message);
  if (command.kind === 'close-period') return closePeriodAnswer(deps, actor, command.period);
  if (!(await hasRole(deps.db, actor, 'admin'))) {
    const admins = await usersWithRole(deps.db, 'admin');
    return textMessage(
      `Only Stockroom admins can ${command.kind === 'roles' ? 'list' : 'change'} roles.` +
        (admins.length ? ` Ask ${admins.slice(0, 5).map((a) => `<@${a}>`).join(', ')}.` : ' An admin is set in stockroom.config.json ("admins").'),
    );
  }
  if (command.kind === 'roles') return rolesMessage(await listRoleAssignments(deps.db), { currency: deps.settings.currency });

  const who = subjectMention(command.subject.kind, command.subject.id);
  if (command.kind === 'remove') {
    if (command.role === 'admin' && command.subject.kind === 'user') {
      const admins = await usersWithRole(deps.db, 'admin');
      if (admins.length === 1 && admins[0] === command.subject.id) return textMessage(`${who} is the only admin; grant someone else admin first.`);
    }
    const removed = await revokeRole(deps.db, { subject: command.subject, role: command.role });
    return textMessage(removed ? `Removed ${command.role} from ${who}.` : `${who} did not have the ${command.role} role; nothing changed.`);
  }

  if (command.subject.kind === 'usergroup') {
    // Role checks read members from the database, so a group grant stores who is in it now.
    let members: string[];
    try {
      members = (await client.usergroups.users.list({ usergroup: command.subject.id })).users ?? [];
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (!code) throw err;
      return textMessage(`Slack would not list the members of ${who} (${code}); check the group exists and the app has usergroups:read.`);
    }
    await replaceUsergroupMembers(deps.db, { usergroupId: command.subject.id, members });
  }
  try {
    await assignRole(deps.db, {
      subject: command.subject,
      role: command.role,
      grantedBy: actor,
      ...(command.limit !== undefined ? { approvalLimit: command.limit } : {}),
    });
  } catch (err) {
    if (err instanceof PeopleError) return textMessage(err.message);
    throw err;
  }
  const limit = command.role === 'approver' && command.limit ? ` with an approval limit of ${formatMoney(command.limit, deps.settings.currency)}` : '';
  return textMessage(`Granted ${command.role}${limit} to ${who}.`);
}

/** `/stockroom period close YYYY-MM`: inventory managers and admins freeze a month for finance. */
async function closePeriodAnswer(deps: BotDeps, actor: string, period: string): Promise<SlackMessage> {
  if (!(await hasRole(deps.db, actor, 'inventory_manager')) && !(await hasRole(deps.db, actor, 'admin'))) {
    return textMessage('Only inventory managers and admins can close a period.');
  }
  try {
    const timeZone = (await getCountingSettings(deps.db)).timeZone;
    const closed = await closePeriod(deps.db, { period, timeZone, accounts: deps.settings.accounting, by: actor });
    return textMessage(
      closed.alreadyClosed
        ? `${period} was already closed by ${/^[UW][A-Z0-9]+$/.test(closed.closedBy) ? `<@${closed.closedBy}>` : closed.closedBy}; nothing changed.`
        : `${period} is closed: no stock move or supplier invoice can be dated in it any more, and its journal (\`stockroom journal export --period ${period}\`) will not change.`,
    );
  } catch (err) {
    if (err instanceof PeriodError) return textMessage(`${period} was not closed: ${err.message}.`);
    throw err;
  }
}
