import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../../app.js';
import { parsePoValue, type PoButtonValue } from '../../blocks/purchase-order.js';
import { replyTo, type ReplyTarget } from '../reply.js';
import { BROKEN_PO_BUTTON, clickTarget } from './click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export interface DocumentClick<V> {
  /** What the button says it is for (a requisition or purchase order number, an approval level). */
  value: V;
  body: BlockAction<ButtonAction>;
  client: WebClient;
  target: ReplyTarget;
}

export interface DocumentButtonOptions<V> {
  read: (raw: string) => V | undefined;
  /** Told when the button's value cannot be read. */
  broken: string;
  /** Logged when `handle` throws. */
  what: string;
  /** Told when `handle` throws. */
  failed: string;
}

/**
 * A button on a requisition's or purchase order's message: acked first (Slack's 3 seconds), its
 * value read (a broken one is told), then `handle`. What `handle` returns is told to the clicker; a
 * failure is logged and told.
 */
export const documentButton =
  <V>(deps: BotDeps, opts: DocumentButtonOptions<V>, handle: (click: DocumentClick<V>) => Promise<string | undefined>): Middleware<ButtonArgs> =>
  async ({ ack, body, action, client, logger }) => {
    await ack();
    const target = clickTarget(body);
    const value = opts.read(action.value ?? '');
    if (!value) return replyTo(client, target, opts.broken, deps.logger);
    try {
      const reply = await handle({ value, body, client, target });
      if (reply) await replyTo(client, target, reply, deps.logger);
    } catch (err) {
      logger.error(opts.what, err);
      await replyTo(client, target, opts.failed, deps.logger);
    }
  };

/** A purchase order's button. */
export const poButton = (
  deps: BotDeps,
  opts: { what: string; failed: string },
  handle: (click: DocumentClick<PoButtonValue>) => Promise<string | undefined>,
) => documentButton(deps, { read: parsePoValue, broken: BROKEN_PO_BUTTON, ...opts }, handle);
