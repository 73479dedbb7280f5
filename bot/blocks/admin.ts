import type { KnownBlock } from '@slack/types';
import { formatMoney } from '../../inventory/decimal.js';
import { COMMANDS } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';
import type { SlackMessage } from './requisition.js';

/** `/stockroom` answers: help, and the list of role grants. */

export interface RoleGrant {
  role: string;
  subjectKind: 'user' | 'usergroup';
  subjectId: string;
  approvalLimit: string | null;
  source: string;
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } });

export const subjectMention = (kind: 'user' | 'usergroup', id: string): string => (kind === 'user' ? `<@${id}>` : `<!subteam^${id}>`);

export function adminHelp(roles: readonly string[]): SlackMessage {
  const c = COMMANDS.admin;
  // Escaped as a whole: `<role>` would otherwise be read by Slack as a link, code span or not.
  const code = (usage: string) => `\`${escapeText(usage)}\``;
  const text = [
    `*${c}* manages who does what in Stockroom (admins only):`,
    `• ${code(`${c} roles`)}: who holds which role`,
    `• ${code(`${c} role add @person <role> [limit]`)}: grant a role; approvers need an approval limit, e.g. ${code(`${c} role add @ana approver 5000`)}`,
    `• ${code(`${c} role add @group <role> [limit]`)}: grant it to a Slack user group (its members as they are now)`,
    `• ${code(`${c} role remove @person <role>`)}: take it back`,
    `• ${code(`${c} period close YYYY-MM`)}: close a month for finance (inventory managers and admins): nothing can be dated in it any more`,
    `Roles: ${roles.map(escapeText).join(', ')}. Everyone can request supplies.`,
  ].join('\n');
  return { text: `${c} help`, blocks: [section(text)] };
}

/** Grants grouped by role, summarised past Slack's text limits. */
export function rolesMessage(grants: RoleGrant[], opts: { currency?: string } = {}): SlackMessage {
  if (grants.length === 0) return { text: 'No roles granted yet.', blocks: [section('No roles granted yet. Everyone can request supplies.')] };
  const byRole = new Map<string, RoleGrant[]>();
  for (const g of grants) byRole.set(g.role, [...(byRole.get(g.role) ?? []), g]);
  const blocks: KnownBlock[] = [];
  for (const [role, list] of byRole) {
    const holders = list.map(
      (g) =>
        `${subjectMention(g.subjectKind, g.subjectId)}${g.approvalLimit ? ` (up to ${formatMoney(g.approvalLimit, opts.currency ?? '')})` : ''}` +
        `${g.source === 'config' ? ' _from the config file_' : ''}`,
    );
    let text = `*${role.replace('_', ' ')}*: `;
    for (const [i, h] of holders.entries()) {
      const more = ` …and ${holders.length - i} more`;
      if (text.length + h.length + 2 > SLACK_LIMITS.sectionText - more.length) {
        text += more;
        break;
      }
      text += `${i ? ', ' : ''}${h}`;
    }
    blocks.push(section(text));
    if (blocks.length >= SLACK_LIMITS.messageBlocks) break;
  }
  return { text: `${grants.length} role grants`, blocks };
}
