import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ConfigError, loadConfig, slackMode } from '../../runtime/config.js';

test('defaults need no configuration at all', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(3000);
  expect(config.TEMPORAL_NAMESPACE).toBe('stockroom');
  expect(slackMode(config)).toBe('none');
});

test.each([
  ['PORT', 'abc', /PORT="abc": expected/],
  ['PORT', '70000', /PORT="70000"/],
  ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x": expected a postgres:\/\/ or postgresql:\/\/ URL/],
  ['TEMPORAL_ADDRESS', 'localhost', /TEMPORAL_ADDRESS="localhost": expected host:port/],
  ['SLACK_BOT_TOKEN', 'xoxp-user', /SLACK_BOT_TOKEN="xoxp-user": expected a bot token starting with xoxb-/],
  ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud"/],
])('a wrong %s=%s is named with what it expects', (name, value, message) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(message);
});

test('Slack mode follows the tokens present', () => {
  expect(slackMode(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).toBe('http');
  expect(slackMode(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toBe('socket');
  expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
});

test('`stockroom start` with a bad variable exits 2, names it, and starts nothing', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-badcfg-'));
  const result = spawnSync(process.execPath, ['cli/bin.js', 'start'], {
    env: { ...process.env, PORT: 'not-a-port', STOCKROOM_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/PORT="not-a-port": expected/);
  // Nothing started half-way: no database or Temporal files were created.
  expect(fs.readdirSync(dataDir)).toEqual([]);
});
