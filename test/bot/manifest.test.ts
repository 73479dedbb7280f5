import fs from 'node:fs';
import { expect, test } from 'vitest';
import { COMMANDS, SHORTCUTS } from '../../bot/ids.js';

const manifest = JSON.parse(fs.readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

test('the manifest lists exactly the commands and shortcuts the bot registers', () => {
  const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command).sort();
  expect(commands).toEqual(Object.values(COMMANDS).sort());
  const shortcuts = manifest.features.shortcuts.map((s: { callback_id: string }) => s.callback_id).sort();
  expect(shortcuts).toEqual(Object.values(SHORTCUTS).sort());
});

test('every Slack URL in the manifest is the standard /slack/events path', () => {
  const urls = [
    ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    manifest.settings.interactivity.request_url,
    manifest.settings.event_subscriptions.request_url,
  ];
  for (const url of urls) expect(url).toMatch(/\/slack\/events$/);
});
