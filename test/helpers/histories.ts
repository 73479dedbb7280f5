import fs from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';

/**
 * Workflow histories recorded from the tests (run them with RECORD_HISTORIES=1) and replayed by
 * test/workflows/requisition-replay.test.ts, so a workflow change that would break running
 * workflows fails CI until it is put behind patched().
 *
 * Stored as protobufjs object JSON (enums by name, 64-bit integers and bytes as strings), not with
 * @temporalio/common's historyToJSON: with two protobufjs copies installed side by side (7.x at the
 * root, 8.x under @temporalio/*) that function throws "type must be a Type".
 */
export const HISTORY_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/histories');

const HistoryMessage = proto.temporal.api.history.v1.History;
const JSON_OPTIONS = { enums: String, longs: String, bytes: String } as const;

/**
 * Writes a fixture when RECORD_HISTORIES=1 and none exists by that name (RECORD_HISTORIES=overwrite
 * replaces it). Existing fixtures are kept on purpose: they are the histories of earlier workflow
 * versions that running workflows may still have, which the current code must replay.
 */
export function recordHistoryFixture(name: string, history: History): void {
  const mode = process.env.RECORD_HISTORIES;
  if (mode !== '1' && mode !== 'overwrite') return;
  if (mode === '1' && fs.existsSync(path.join(HISTORY_FIXTURES, `${name}.json`))) return;
  saveHistoryFixture(name, history);
}

export function saveHistoryFixture(name: string, history: History): void {
  fs.mkdirSync(HISTORY_FIXTURES, { recursive: true });
  const message = HistoryMessage.fromObject(history as Record<string, unknown>);
  const json = HistoryMessage.toObject(message, JSON_OPTIONS);
  fs.writeFileSync(path.join(HISTORY_FIXTURES, `${name}.json`), `${JSON.stringify(json)}\n`);
}

export function loadHistoryFixtures(prefix = ''): { workflowId: string; history: History }[] {
  if (!fs.existsSync(HISTORY_FIXTURES)) return [];
  return fs
    .readdirSync(HISTORY_FIXTURES)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: HistoryMessage.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORY_FIXTURES, f), 'utf8'))),
    }));
}
