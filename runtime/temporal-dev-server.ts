import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeFlags, searchAttributes } from '../workflows/search-attributes.js';
import { assertPortFree } from './embedded-postgres.js';
import type { Logger } from './logger.js';
import { locateTemporalCli } from './temporal-cli.js';

export interface DevServerHandle {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  namespace: string;
  port: number;
  uiPort?: number;
  /** SQLite file so open workflows survive a restart; omitted = in memory (tests). */
  dbFilename?: string;
  /** The server's own log goes here, never to our console. */
  logFile: string;
  cliPath?: string;
  logger: Logger;
}

/** Starts `temporal server start-dev` with our namespace and search attributes, and waits until it answers. */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServerHandle> {
  await assertPortFree(opts.port, 'TEMPORAL_PORT');
  if (opts.uiPort) await assertPortFree(opts.uiPort, 'TEMPORAL_UI_PORT');
  const binary = locateTemporalCli({
    explicitPath: opts.cliPath,
    allowSdkDownload: true,
    say: (line) => opts.logger.info({ part: 'temporal' }, line),
  });
  if (!binary) return startWithSdkDownload(opts);

  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'a');
  const args = [
    'server', 'start-dev',
    '--namespace', opts.namespace,
    '--port', String(opts.port),
    '--ip', '127.0.0.1',
    '--log-format', 'json',
    '--log-level', 'warn',
    ...searchAttributeFlags.flatMap((flag) => ['--search-attribute', flag]),
    ...(opts.dbFilename ? ['--db-filename', opts.dbFilename] : []),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1', '--ui-disable-news-fetch'] : ['--headless']),
  ];
  const pidFile = path.join(path.dirname(opts.logFile), 'temporal.pid');
  killStale(pidFile);
  const child = spawn(binary, args, { stdio: ['ignore', log, log], detached: false });
  fs.closeSync(log);
  if (child.pid) fs.writeFileSync(pidFile, String(child.pid));
  child.once('exit', () => fs.rmSync(pidFile, { force: true }));
  const address = `127.0.0.1:${opts.port}`;
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  try {
    await waitForNamespace(address, opts.namespace, () => exited, opts.logFile);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    stop: () => stopChild(child),
  };
}

async function waitForNamespace(address: string, namespace: string, exited: () => string | undefined, logFile: string) {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const why = exited();
    if (why) throw new Error(`Temporal dev server ${why} before it was ready; see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      // Readiness poll: the server offers no "ready" notification to wait on.
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Temporal dev server did not become ready in 60 s (${String(lastError)}); see ${logFile}`);
}

/** A dev server left by a process that was killed outright would hold the port and the SQLite file. */
function killStale(pidFile: string): void {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('start-dev')) process.kill(pid, 'SIGKILL');
  } catch {
    // not running any more
  }
  fs.rmSync(pidFile, { force: true });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Last resort: the SDK downloads and runs the dev server itself (needs internet access). */
async function startWithSdkDownload(opts: DevServerOptions): Promise<DevServerHandle> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      namespace: opts.namespace,
      ip: '127.0.0.1',
      port: opts.port,
      dbFilename: opts.dbFilename,
      ui: Boolean(opts.uiPort),
      uiPort: opts.uiPort,
      searchAttributes: Object.values(searchAttributes),
    },
  });
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
