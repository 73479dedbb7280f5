import type { AuthorizeResult } from '@slack/bolt';
import { WebClient } from '@slack/web-api';

/**
 * The bot's one workspace identity, looked up with auth.test once and kept. Bolt given only a token calls
 * auth.test at construction when token verification is on (which a not-yet-listening local Slack cannot
 * answer) and on every incoming request when it is off; given this as `authorize`, it asks here instead.
 * A failed lookup is not kept, so the next request (or `verify()` again) tries once more.
 */
export interface SlackIdentity {
  authorize(): Promise<AuthorizeResult>;
  /** Looks the bot up now (start-up calls this once the HTTP server answers). */
  verify(): Promise<{ botId: string; botUserId: string; team?: string }>;
}

export function slackIdentity(botToken: string, apiUrl?: string): SlackIdentity {
  const client = new WebClient(botToken, { slackApiUrl: apiUrl, retryConfig: { retries: 2 } });
  let lookup: Promise<{ botId: string; botUserId: string; team?: string }> | undefined;
  const verify = () => {
    if (lookup) return lookup;
    const attempt = client.auth.test().then((r) => {
      if (!r.bot_id || !r.user_id) throw new Error('auth.test did not name a bot: SLACK_BOT_TOKEN must be a bot token (xoxb-)');
      return { botId: r.bot_id, botUserId: r.user_id, team: r.team };
    });
    attempt.catch(() => {
      if (lookup === attempt) lookup = undefined;
    });
    return (lookup = attempt);
  };
  return {
    verify,
    async authorize() {
      const { botId, botUserId } = await verify();
      return { botToken, botId, botUserId };
    },
  };
}
