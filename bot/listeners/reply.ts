import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../runtime/logger.js';

/**
 * Tells the person who clicked or submitted what came of it, only to them: through the response_url of
 * the message they clicked (an ephemeral reply where they are), else in their DM with the app (App
 * Home and modals opened from it have no response_url).
 */
export interface ReplyTarget {
  user: string;
  responseUrl?: string;
}

export async function replyTo(client: WebClient, target: ReplyTarget, text: string, logger?: Logger): Promise<void> {
  if (target.responseUrl) {
    try {
      const res = await fetch(target.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      });
      if (res.ok) return;
      logger?.warn({ part: 'slack', status: res.status }, 'response_url refused the reply; sending a DM');
    } catch (err) {
      logger?.warn({ part: 'slack', err }, 'response_url failed; sending a DM');
    }
  }
  await client.chat.postMessage({ channel: target.user, text });
}

/** The response_url of a block_actions payload (absent for App Home and modals). */
export function responseUrlOf(body: unknown): string | undefined {
  const url = (body as { response_url?: unknown })?.response_url;
  return typeof url === 'string' && url ? url : undefined;
}
