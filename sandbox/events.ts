import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/**
 * Requests to the app exactly as Slack sends them: form fields for slash commands, a form-encoded `payload=`
 * JSON for interactivity, JSON for the Events API; each signed with the v0 scheme (HMAC-SHA256 of
 * `v0:<timestamp>:<body>` with the signing secret) in X-Slack-Signature and X-Slack-Request-Timestamp.
 */

export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${crypto.createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export type DeliveryKind =
  | 'slash_command'
  | 'shortcut'
  | 'message_action'
  | 'block_actions'
  | 'block_suggestion'
  | 'view_submission'
  | 'view_closed'
  | 'event';

export interface Delivery {
  kind: DeliveryKind;
  /** The exact body sent (form-encoded or JSON). */
  body: string;
  contentType: string;
  /** Decoded: the form fields, the interaction payload or the event envelope. */
  payload: Record<string, unknown>;
  status: number;
  /** The ack's body: parsed JSON, a string, or undefined when empty. */
  response: unknown;
  /** Ack latency in ms, as Slack's 3-second limit measures it. */
  ms: number;
  at: number;
}

export interface SendOptions {
  /** Override the signing timestamp (seconds), e.g. to prove stale requests are refused. */
  timestampSec?: number;
  /** Override the signature header, e.g. to prove forged requests are refused. */
  signature?: string;
  /** Slack's retry headers (Events API retries). */
  retryNum?: number;
  retryReason?: string;
}

/** Slack gives up on an ack after 3 s; the sandbox waits longer so slow acks are measured, not lost. */
const GIVE_UP_MS = 30_000;

export class AppEndpoint {
  readonly deliveries: Delivery[] = [];

  constructor(
    private readonly opts: {
      /** The app's request URL (…/slack/events); undefined until an app is connected. */
      url: () => string | undefined;
      signingSecret: string;
      onDelivery?: (d: Delivery) => void;
    },
  ) {}

  async send(
    kind: DeliveryKind,
    body: string,
    contentType: string,
    payload: Record<string, unknown>,
    options: SendOptions = {},
  ): Promise<Delivery> {
    const url = this.opts.url();
    if (!url) throw new Error('no app connected to the local Slack: pass appUrl or call connectApp(url)');
    const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestampSec),
      'x-slack-signature': options.signature ?? slackSignature(this.opts.signingSecret, timestampSec, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
    }
    const started = performance.now();
    const res = await postOnce(url, headers, body);
    const text = res.text;
    const ms = performance.now() - started;
    let response: unknown = text === '' ? undefined : text;
    if (text && res.contentType.includes('json')) {
      try {
        response = JSON.parse(text);
      } catch {
        response = text;
      }
    }
    const delivery: Delivery = { kind, body, contentType, payload, status: res.status, response, ms, at: Date.now() };
    this.deliveries.push(delivery);
    this.opts.onDelivery?.(delivery);
    return delivery;
  }

  sendForm(kind: DeliveryKind, fields: Record<string, string>, options?: SendOptions): Promise<Delivery> {
    return this.send(
      kind,
      new URLSearchParams(fields).toString(),
      'application/x-www-form-urlencoded',
      fields,
      options,
    );
  }

  sendInteraction(kind: DeliveryKind, payload: Record<string, unknown>, options?: SendOptions): Promise<Delivery> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(kind, body, 'application/x-www-form-urlencoded', payload, options);
  }

  sendEvent(envelope: Record<string, unknown>, options?: SendOptions): Promise<Delivery> {
    return this.send('event', JSON.stringify(envelope), 'application/json', envelope, options);
  }

  /** Sends a delivery's exact body again, freshly signed (a Slack retry, or a double click / double submit). */
  redeliver(delivery: Delivery, options: SendOptions = {}): Promise<Delivery> {
    return this.send(delivery.kind, delivery.body, delivery.contentType, delivery.payload, options);
  }
}

/**
 * One POST on a fresh connection, as Slack's senders do. (A pooled keep-alive socket can outlive an app that
 * restarts on the same port and fail the next request with "other side closed".)
 */
function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; contentType: string; text: string }> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        timeout: GIVE_UP_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the app did not answer within ${GIVE_UP_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
