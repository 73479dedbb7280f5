import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

/** One process of bench:requisitions' ceiling (BENCH_WORKERS): a worker running only the bare workflow of no-op activities. */
Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE!,
  taskQueue: process.env.CEILING_QUEUE!,
  workflowBundle: { codePath: process.env.CEILING_BUNDLE! },
  activities: { noop: async () => {} },
});
process.on('SIGTERM', () => worker.shutdown());
await worker.run();
await connection.close();
