import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, overReceiptTolerance, requisitionSettings, SettingsError } from '../../runtime/settings.js';

function folderWith(config?: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-settings-'));
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'stockroom.config.json'), JSON.stringify(config));
  return dir;
}

test('no file: defaults (auto-approve under 250, manager up to 5,000, reminders after a day, escalation after three)', () => {
  const settings = loadSettings({}, folderWith());
  expect(settings).toEqual(DEFAULT_SETTINGS);
  expect(requisitionSettings(settings)).toEqual({
    remindAfterMs: 86_400_000,
    escalateAfterMs: 3 * 86_400_000,
    policy: { autoApproveBelow: '250', levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }] },
  });
});

test('the first admins come from the file and STOCKROOM_ADMINS together', () => {
  const dir = folderWith({ admins: ['U0FILE'], requisitions: { remindAfter: '4 hours', escalateAfter: '1 day' } });
  const settings = loadSettings({ STOCKROOM_ADMINS: ' U0ENV , U0FILE' }, dir);
  expect(settings.admins).toEqual(['U0FILE', 'U0ENV']);
  expect(settings.requisitions.warehouseChannel).toBe('#warehouse');
  expect(requisitionSettings(settings).remindAfterMs).toBe(4 * 3_600_000);
});

test('mistakes are named with where they are', () => {
  expect(() => loadSettings({}, folderWith({ approvals: { autoApproveBelow: 'lots', levels: [{ name: 'A' }] } }))).toThrow(
    /approvals\.autoApproveBelow: a non-negative amount/,
  );
  expect(() => loadSettings({}, folderWith({ requisitions: { remindAfter: '3 days', escalateAfter: '1 day' } }))).toThrow(
    /escalateAfter must be longer than requisitions.remindAfter/,
  );
  expect(() => loadSettings({}, folderWith({ approvals: { autoApproveBelow: '0', levels: [{ name: 'A' }, { name: 'B' }] } }))).toThrow(
    /only the last level is unbounded/,
  );
  expect(() => loadSettings({}, folderWith({ admin: ['U0TYPO'] }))).toThrow(SettingsError);
  expect(() => loadSettings({ STOCKROOM_ADMINS: 'alice' }, folderWith())).toThrow(/STOCKROOM_ADMINS: alice is not a Slack user id/);
  expect(() => loadSettings({ STOCKROOM_CONFIG: 'missing.json' }, folderWith())).toThrow(/no such file/);
});

test('restock: alerts channel and over-receipt tolerance default to #stock-alerts and 5 %; set, they are used as given', () => {
  expect(DEFAULT_SETTINGS.restock).toEqual({ alertsChannel: '#stock-alerts', overReceiptTolerance: '5' });
  expect(overReceiptTolerance(DEFAULT_SETTINGS)).toBe('0.05');
  const settings = loadSettings({}, folderWith({ restock: { alertsChannel: 'C0ALERTS', overReceiptTolerance: '12.5' } }));
  expect(settings.restock).toEqual({ alertsChannel: 'C0ALERTS', overReceiptTolerance: '12.5' });
  expect(overReceiptTolerance(settings)).toBe('0.125');
  expect(overReceiptTolerance(loadSettings({}, folderWith({ restock: { overReceiptTolerance: '0' } })))).toBe('0');
  expect(loadSettings({}, folderWith({ restock: { overReceiptTolerance: '2' } })).restock.alertsChannel).toBe('#stock-alerts');
});

test('restock mistakes are named with where they are and what is expected', () => {
  const percent = /restock\.overReceiptTolerance: a percentage from "0" to "100" as a string, e\.g\. "5"/;
  for (const bad of ['-1', '101', 'five', '5%', '1e1']) {
    expect(() => loadSettings({}, folderWith({ restock: { overReceiptTolerance: bad } }))).toThrow(percent);
  }
  expect(() => loadSettings({}, folderWith({ restock: { overReceiptTolerance: 5 } }))).toThrow(/restock\.overReceiptTolerance/);
  expect(() => loadSettings({}, folderWith({ restock: { alertsChannel: '' } }))).toThrow(
    /restock\.alertsChannel: a channel id or a channel name the bot has joined, e\.g\. "#stock-alerts"/,
  );
  // A misspelt key is refused rather than silently ignored.
  expect(() => loadSettings({}, folderWith({ restock: { alertChannel: '#x' } }))).toThrow(/restock: .*alertChannel/);
});
