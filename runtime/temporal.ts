import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ensureNamespace } from './temporal-namespace.js';

export interface TemporalHandles {
  client: Client;
  workerConnection: NativeConnection;
  close(): Promise<void>;
}

/** One client connection (bot, CLI) and one native connection (worker) per process. */
export async function connectTemporal(address: string, namespace: string): Promise<TemporalHandles> {
  const connection = await Connection.connect({ address });
  await ensureNamespace(connection, namespace);
  const workerConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    client,
    workerConnection,
    async close() {
      await connection.close();
      await workerConnection.close();
    },
  };
}
