import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { ensureNamespace } from '../../runtime/temporal-namespace.js';
import { createWorker } from '../../runtime/worker.js';

export interface TestTemporal {
  address: string;
  namespace: string;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  /** A worker on the run's prebuilt workflow bundle, with the given activities. */
  createWorker(activities: Activities, overrides?: Partial<WorkerOptions>): Promise<Worker>;
  close(): Promise<void>;
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
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
