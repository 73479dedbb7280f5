import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../runtime/embedded-postgres.js';
import { LocalSlack } from '../../sandbox/local-slack.js';

/** The product's mode: the local Slack mounted as customRoutes on the app's own port, under /sandbox. */
let port: number;
let dir: string;
let slack: LocalSlack;
let app: App;

function mount(dataFile: string): { slack: LocalSlack; app: App } {
  const s = LocalSlack.create({
    baseUrl: `http://127.0.0.1:${port}/sandbox`,
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    dataFile,
  });
  const a = new App({
    token: s.botToken,
    signingSecret: s.signingSecret,
    clientOptions: { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } },
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    customRoutes: s.routes(),
  });
  a.command('/stock', async ({ ack, respond, command }) => {
    await ack();
    await respond({ response_type: 'in_channel', text: `Stock of ${command.text}: *12* on hand` });
  });
  return { slack: s, app: a };
}

beforeAll(async () => {
  port = await freePort();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-'));
  ({ slack, app } = mount(path.join(dir, 'sandbox.json')));
  await app.start(port);
});
afterAll(async () => {
  await slack?.stop();
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('mounted under /sandbox: Web API at /sandbox/api/, the page, and response_url posts on the same port', async () => {
  expect(slack.apiUrl).toBe(`http://127.0.0.1:${port}/sandbox/api/`);
  const auth = await (
    await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${slack.botToken}` } })
  ).json();
  expect(auth).toMatchObject({ ok: true, user_id: 'U0STOCKBOT' });

  const page = await fetch(`http://127.0.0.1:${port}/sandbox`);
  expect(page.url).toBe(`http://127.0.0.1:${port}/sandbox/`);
  expect(await page.text()).toContain('<base href="/sandbox/" />');

  const result = await slack.command('U0INV00001', '/stock', 'SKU-100', { channel: '#warehouse' });
  expect(result.status).toBe(200);
  const posted = await slack.waitFor(() =>
    slack.messages('#warehouse').find((m) => m.text.startsWith('Stock of SKU-100')),
  );
  expect(posted.bot_id).toBe('B0STOCKBOT');

  const state = await (await fetch(`http://127.0.0.1:${port}/sandbox/ui/state?user=U0INV00001`)).json();
  expect(state.me).toBe('U0INV00001');
  expect(state.channels.map((c: { name: string }) => c.name)).toEqual([
    'requests',
    'warehouse',
    'purchasing',
    'stock-alerts',
    'general',
    'Stockroom',
  ]);
  expect(state.commands.map((c: { command: string }) => c.command)).toContain('/request');
});

test('the workspace survives a restart through its JSON file', async () => {
  const before = slack.messages('#warehouse').map((m) => m.ts);
  expect(before.length).toBeGreaterThan(0);
  await slack.stop(); // writes the file
  await app.stop();
  ({ slack, app } = mount(path.join(dir, 'sandbox.json')));
  await app.start(port);
  expect(slack.messages('#warehouse').map((m) => m.ts)).toEqual(before);
  // New messages still sort after the restored ones.
  await slack.command('U0INV00001', '/stock', 'SKU-200', { channel: '#warehouse' });
  const latest = await slack.waitFor(() => slack.messages('#warehouse').find((m) => m.text.includes('SKU-200')));
  expect(Number(latest.ts)).toBeGreaterThan(Number(before.at(-1)));
});
