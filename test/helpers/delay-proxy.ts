import net from 'node:net';

/**
 * A TCP proxy that holds every chunk for `delayMs` in each direction (order kept), put between the app and
 * Temporal to make Temporal slow on purpose: each gRPC round trip then takes at least twice the delay.
 * The delay can be changed while connections are open.
 */
export interface DelayProxy {
  /** host:port to give the app as TEMPORAL_ADDRESS. */
  address: string;
  delayMs: number;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string): Promise<DelayProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const proxy = { delayMs: 0 } as DelayProxy;

  /** Forwards `from` → `to`, each chunk no earlier than `delayMs` after it arrived and never before the one before it. */
  const pipe = (from: net.Socket, to: net.Socket) => {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      const due = Math.max(Date.now() + proxy.delayMs, lastDue);
      lastDue = due;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!to.destroyed) to.write(chunk);
      }, due - Date.now());
      timers.add(timer);
    });
    from.on('end', () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        to.end();
      }, Math.max(lastDue - Date.now(), 0));
      timers.add(timer);
    });
    from.on('error', () => to.destroy());
    from.on('close', () => sockets.delete(from));
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    sockets.add(client).add(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  proxy.address = `127.0.0.1:${address.port}`;
  proxy.close = async () => {
    for (const t of timers) clearTimeout(t);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
