import type { App } from '@slack/bolt';

/** What an incoming Slack request is, for the ack metric: the slash command, else the payload type. */
export function surfaceOf(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return body.command;
  if (typeof body.type === 'string') return body.type === 'event_callback' ? `event:${(body.event as { type?: string })?.type ?? '?'}` : body.type;
  return 'unknown';
}

/**
 * Times each request from the moment Bolt's receiver hands it over (signature checked) to its ack. The
 * receiver calls `app.processEvent`; wrapping it there sees every surface without touching a listener.
 */
export function timeAcks(app: App, observe: (surface: string, seconds: number) => void): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const started = performance.now();
    const ack = event.ack;
    let timed = false;
    return process({
      ...event,
      ack: async (response?: unknown) => {
        try {
          return await ack(response);
        } finally {
          if (!timed) observe(surfaceOf(event.body), (performance.now() - started) / 1000);
          timed = true;
        }
      },
    });
  };
}
