import { App, LogLevel } from '@slack/bolt';
import { freePort } from '../../runtime/embedded-postgres.js';
import { LocalSlack, type LocalSlackOptions } from '../../sandbox/local-slack.js';

/** What an app under test needs to talk to the local Slack. */
export interface LocalSlackWiring {
  botToken: string;
  signingSecret: string;
  /** For clientOptions.slackApiUrl / SLACK_API_URL. */
  apiUrl: string;
  /** A free port for the app's HTTP receiver. */
  port: number;
}

export interface LocalSlackHarness<A> {
  slack: LocalSlack;
  app: A;
  /** The app's request URL the local Slack posts to. */
  appUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a local Slack on its own port, then the app built by `createApp` (given the tokens, API URL and a free
 * port), and connects the two. `createApp` may build the product's app (createSlackApp) or a tiny Bolt app.
 */
export async function startWithLocalSlack<
  A extends { start(port: number): Promise<unknown>; stop(): Promise<unknown> },
>(createApp: (wiring: LocalSlackWiring) => A, options: LocalSlackOptions = {}): Promise<LocalSlackHarness<A>> {
  const slack = await LocalSlack.start(options);
  const port = await freePort();
  const app = createApp({ botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.apiUrl, port });
  await app.start(port);
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  slack.connectApp(appUrl);
  return {
    slack,
    app,
    appUrl,
    async stop() {
      await app.stop();
      await slack.stop();
    },
  };
}

/** A bare Bolt app on the HTTP receiver wired to the local Slack (listeners registered by the caller). */
export function boltAppFor(wiring: LocalSlackWiring): App {
  return new App({
    token: wiring.botToken,
    signingSecret: wiring.signingSecret,
    clientOptions: { slackApiUrl: wiring.apiUrl, retryConfig: { retries: 0 } },
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    port: wiring.port,
  });
}
