import { spawnSync } from 'node:child_process';
import { expect, inject, test } from 'vitest';
import { freePort } from '../../runtime/embedded-postgres.js';
import { appUrl } from '../helpers/database.js';

async function doctor(env: Record<string, string>) {
  return spawnSync(process.execPath, ['cli/bin.js', 'doctor'], {
    env: { ...process.env, PORT: String(await freePort()), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('doctor says in plain words which part is wrong and exits 1', async () => {
  const result = await doctor({ DATABASE_URL: `postgres://nobody:wrong@127.0.0.1:${await freePort()}/none` });
  expect(result.status).toBe(1);
  expect(result.stdout).toMatch(/FAIL\s+database\s+DATABASE_URL does not answer/);
  expect(result.stdout).toMatch(/problem\(s\) found/);
});

test('doctor passes when the database and Temporal answer, as the application role', async () => {
  const result = await doctor({
    DATABASE_URL: appUrl(inject('pgAdminUrl')),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'stockroom-test',
  });
  expect(result.stdout).toMatch(/ok\s+database\s+DATABASE_URL answers/);
  expect(result.stdout).toMatch(/ok\s+temporal\s+.*namespace stockroom-test exists/);
  expect(result.stdout).toMatch(/ok\s+database role\s+DATABASE_URL logs in as stockroom_app: no superuser, owns no table/);
  expect(result.stdout).toContain('Everything looks right.');
  expect(result.status).toBe(0);
});

test('doctor fails a DATABASE_URL that logs in as a superuser, which the ledger guards do not bind', async () => {
  const result = await doctor({ DATABASE_URL: inject('pgAdminUrl'), TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: 'stockroom-test' });
  expect(result.stdout).toMatch(/FAIL\s+database role\s+DATABASE_URL logs in as stockroom, a superuser/);
  expect(result.status).toBe(1);
});

test('doctor reports a bad variable by name', async () => {
  const result = await doctor({ TEMPORAL_ADDRESS: 'no-port-here' });
  expect(result.status).toBe(1);
  expect(result.stdout).toMatch(/FAIL\s+configuration.*TEMPORAL_ADDRESS="no-port-here"/s);
});
