import { ROLES, type Role, type RoleSubject } from '../../../db/queries/people.js';
import { escapeText } from '../../blocks/mrkdwn.js';
import { COMMANDS } from '../../ids.js';
import { isMonth } from '../../../inventory/journal.js';

/**
 * `/stockroom` text → what to do. Slack escapes mentions in command text (the manifest sets should_escape):
 * a person arrives as <@U123|ana>, a user group as <!subteam^S123|@approvers>; bare ids are accepted too.
 */
export type AdminCommand =
  | { kind: 'help' }
  | { kind: 'roles' }
  | { kind: 'add'; subject: RoleSubject; role: Role; limit?: string }
  | { kind: 'remove'; subject: RoleSubject; role: Role }
  | { kind: 'close-period'; period: string }
  | { kind: 'invalid'; message: string };

const c = COMMANDS.admin;
/** A usage in a code span; the answers are mrkdwn, where `<role>` unescaped would be read as a link. */
const usage = (text: string) => `\`${escapeText(text)}\``;

export function parseSubject(token: string | undefined): RoleSubject | { error: string } {
  if (!token) return { error: 'Say who: mention a person (@name) or a user group (@group).' };
  const user = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(token) ?? /^([UW][A-Z0-9]+)$/.exec(token);
  if (user) return { kind: 'user', id: user[1]! };
  const group = /^<!subteam\^(S[A-Z0-9]+)(\|[^>]*)?>$/.exec(token) ?? /^(S[A-Z0-9]+)$/.exec(token);
  if (group) return { kind: 'usergroup', id: group[1]! };
  if (token.startsWith('@')) return { error: `I cannot tell who ${escapeText(token)} is: pick them from Slack's @ suggestions so the name becomes a mention.` };
  return { error: `"${escapeText(token)}" is not a person or a user group: mention them with @.` };
}

export function parseRole(token: string | undefined): Role | { error: string } {
  const name = (token ?? '').toLowerCase().replace(/-/g, '_');
  if ((ROLES as readonly string[]).includes(name)) return name as Role;
  return { error: `${token ? `"${escapeText(token)}" is not a role` : 'Say which role'}; roles are ${ROLES.join(', ')}.` };
}

export function parseAdminCommand(text: string): AdminCommand {
  const [first, second, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const verb = first?.toLowerCase();
  if (!verb || verb === 'help') return { kind: 'help' };
  if (verb === 'roles') return { kind: 'roles' };
  if (verb === 'period') {
    if (second?.toLowerCase() !== 'close' || rest.length !== 1 || !isMonth(rest[0]!)) {
      return { kind: 'invalid', message: `Use ${usage(`${c} period close YYYY-MM`)}, e.g. ${usage(`${c} period close 2026-11`)}.` };
    }
    return { kind: 'close-period', period: rest[0]! };
  }
  if (verb !== 'role') return { kind: 'invalid', message: `I don't know "${escapeText(first ?? '')}". Try ${usage(`${c} help`)}.` };
  const action = second?.toLowerCase();
  if (action !== 'add' && action !== 'remove') {
    return { kind: 'invalid', message: `Use ${usage(`${c} role add @person <role> [limit]`)} or ${usage(`${c} role remove @person <role>`)}.` };
  }
  const subject = parseSubject(rest[0]);
  if ('error' in subject) return { kind: 'invalid', message: subject.error };
  const role = parseRole(rest[1]);
  if (typeof role !== 'string') return { kind: 'invalid', message: role.error };
  if (action === 'remove') {
    if (rest.length > 2) return { kind: 'invalid', message: `Too much after the role: \`${c} role remove @person ${role}\` is all it takes.` };
    return { kind: 'remove', subject, role };
  }
  if (rest.length > 3) return { kind: 'invalid', message: `Too much after the limit: ${usage(`${c} role add @person ${role} [limit]`)}.` };
  return { kind: 'add', subject, role, ...(rest[2] !== undefined ? { limit: rest[2] } : {}) };
}
