/**
 * The one place where text meets Slack mrkdwn. Slack reads `&`, `<` and `>` as control characters
 * (`<…>` is a link, a mention or a date), so every piece of text that is not markup we made goes
 * through `escapeText`, be it a person's reason, an item name or a `<role>` in the help. Mentions and
 * dates are the markup we do make, here too.
 */

export const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

export const mention = (slackUserId: string): string => `<@${slackUserId}>`;

/** The fallback Slack shows where it cannot format a date (notifications, old clients): UTC, to the minute. */
export const dateFallback = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * A moment shown in the reader's own time zone and words ("Today at 09:14", "Dec 6, 2026 at 09:14"):
 * Slack's date token, with the UTC fallback. Not an ISO string: nobody reads "2026-12-06T00:07:44.353Z".
 */
export function slackDate(iso: string | Date, format = '{date_short_pretty} at {time}'): string {
  const at = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return escapeText(String(iso));
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${dateFallback(at.toISOString())}>`;
}

/** A message's notification text from its mrkdwn: bold and italics marks dropped, `<…>` tokens (dates, mentions) kept whole. */
export const withoutEmphasis = (text: string): string =>
  text
    .split(/(<[^<>\n]*>)/)
    .map((part, i) => (i % 2 ? part : part.replace(/[*_]/g, '')))
    .join('');
