import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../runtime/ports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** One `stockroom web` or `stockroom worker` process, as an operator would run it. */
export interface Replica {
  role: 'web' | 'worker';
  name: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** The process's output so far (JSON log lines), for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<string>;
  /** /healthz answered 200 (polls until `timeoutMs`). */
  healthy(timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

export interface ReplicaEnv {
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  /** A folder whose cache/ holds the prebuilt workflow bundle (bundleCache below), shared by the replicas. */
  STOCKROOM_DATA_DIR: string;
  STOCKROOM_CONFIG?: string;
  SLACK_BOT_TOKEN?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_API_URL?: string;
  [name: string]: string | undefined;
}

/** The environment every replica of one deployment shares: one database, one Temporal namespace, one Slack. */
export function replicaEnv(input: {
  databaseUrl: string;
  ownerUrl?: string;
  temporalAddress: string;
  namespace: string;
  dataDir: string;
  settingsFile: string;
  slack: { botToken: string; signingSecret: string; apiUrl: string };
}): ReplicaEnv {
  return {
    DATABASE_URL: input.databaseUrl,
    ...(input.ownerUrl && input.ownerUrl !== input.databaseUrl ? { DATABASE_OWNER_URL: input.ownerUrl } : {}),
    TEMPORAL_ADDRESS: input.temporalAddress,
    TEMPORAL_NAMESPACE: input.namespace,
    STOCKROOM_DATA_DIR: input.dataDir,
    STOCKROOM_CONFIG: input.settingsFile,
    SLACK_BOT_TOKEN: input.slack.botToken,
    SLACK_SIGNING_SECRET: input.slack.signingSecret,
    SLACK_API_URL: input.slack.apiUrl,
  };
}

/** Copies the prebuilt workflow bundle where startStockroom looks for it (same source hash), so no replica runs webpack. */
export function bundleCache(dataDir: string, bundle: string): void {
  fs.mkdirSync(path.join(dataDir, 'cache'), { recursive: true });
  const target = path.join(dataDir, 'cache', path.basename(bundle));
  if (!fs.existsSync(target)) fs.copyFileSync(bundle, target);
}

/** Starts `node --import tsx cli/index.ts <role>` on a free port with only the given environment (plus PATH and HOME). */
export async function startReplica(role: 'web' | 'worker', name: string, env: ReplicaEnv, port?: number): Promise<Replica> {
  const listen = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/index.ts'), role], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: process.env.REPLICA_LOG_LEVEL ?? 'warn',
      STOCKROOM_SANDBOX: '0',
      ...env,
      PORT: String(listen),
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const replica: Replica = {
    role,
    name,
    port: listen,
    pid: child.pid!,
    child,
    output: () => log,
    exited,
    async healthy(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${log}`);
        try {
          const res = await fetch(`http://127.0.0.1:${listen}/healthz`, { signal: AbortSignal.timeout(3000) });
          if (res.ok) return;
          last = await res.text();
        } catch (err) {
          last = String(err);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${name} not healthy after ${timeoutMs} ms (${last}):\n${log}`);
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return replica;
}
