import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, bundleWorkflowCode, type ActivityInterceptorsFactory, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities/index.js';
import { TASK_QUEUE } from '../workflows/ids.js';
import { livenessHeartbeats } from './heartbeat.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const workflowsPath = path.join(root, 'workflows', 'index.ts');
/** Folders whose code can end up in the workflow bundle. */
const bundledSources = ['workflows', 'inventory'];

function sourceHash(): string {
  const hash = crypto.createHash('sha256');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@temporalio/workflow/package.json'), 'utf8'));
  hash.update(pkg.version);
  for (const dir of bundledSources) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) continue;
    for (const file of fs.readdirSync(full, { recursive: true }).map(String).sort()) {
      if (!file.endsWith('.ts')) continue;
      hash.update(file).update(fs.readFileSync(path.join(full, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Bundles the workflow code once per source version and keeps it in the cache folder, so a
 * restart with unchanged workflows skips webpack (a few seconds on a small machine).
 */
export async function workflowBundlePath(cacheDir: string): Promise<string> {
  const file = path.join(cacheDir, `workflow-bundle-${sourceHash()}.js`);
  if (fs.existsSync(file)) return file;
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file); // atomic, so parallel test workers never read half a bundle
  return file;
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
};

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  activities: Activities;
  bundlePath: string;
  taskQueue?: string;
  activityInterceptors?: ActivityInterceptorsFactory[];
  overrides?: Partial<WorkerOptions>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle: { codePath: opts.bundlePath },
    activities: opts.activities,
    interceptors: { activity: [livenessHeartbeats, ...(opts.activityInterceptors ?? [])] },
    shutdownGraceTime: '10 seconds',
    // A killed worker's cached workflows go back to the shared queue after this, not the default 10 s.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    ...opts.overrides,
  });
}
