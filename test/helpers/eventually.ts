/**
 * Waits until `ready(read())` holds, reading again every `intervalMs`, for state that offers nothing
 * to await: a workflow's query, the visibility store, a database row written by a worker. The
 * deadline bounds it; a timeout names what was awaited and the last value seen. A read that throws
 * (a query before the workflow's first task has run) counts as not ready yet.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ready: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ready(last)) return last;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
