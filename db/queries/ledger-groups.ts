import type postgres from 'postgres';

/**
 * Group commit for stand-alone issues (the ledger's hot path). While a group is at the server, issues
 * that arrive wait here and then leave together: one round trip, one transaction, one commit
 * (ledger_issue_group, migration 0017, posts the usual ones set-based). Each issue is still whole or
 * nothing and its refusal is its own. A caller alone goes straight out, so a single issue pays no
 * wait; under load the groups form by themselves.
 *
 * Issues go through a small pool of their own (connectDatabase opens it: as many connections as
 * groups in flight): postgres.js hands out its idle connections in turn, which in the main pool sends
 * every lone issue to a backend whose caches went cold meanwhile. (Not reserved connections: postgres.js
 * does not reconnect a reserved one the server closed.)
 *
 * The server runs a group in lock order (books, then stock levels), the order every other operation
 * locks in. A deadlock with some larger transaction is still possible; its victim is retried alone.
 */

/** Groups at the server at once; more waiting callers join the next group. */
const GROUPS_IN_FLIGHT = 2;
const SECOND_GROUP_MIN = 8;
/** Postgres caches 64 subtransaction ids per backend; more would overflow into pg_subtrans for everyone. */
const MAX_GROUP = 64;

const DEADLOCK = '40P01';
// The payload goes as text (cast in SQL), so no client-side JSON serializer touches it.
const SINGLE = 'select ledger_issue($1::text::jsonb) as r';
const GROUP = 'select ledger_issue_group($1::text::jsonb) as r';

/** An issue refused or failed inside a group, shaped like the postgres.js error it would have been alone. */
export class GroupedIssueError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'GroupedIssueError';
  }
}

type GroupAnswer = { n: number } & ({ ok: unknown } | { error: { code: string; message: string; detail: string | null } });

interface Waiter {
  json: string;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  waiting: Waiter[];
  inFlight: number;
  drainScheduled: boolean;
}

const queues = new WeakMap<postgres.Sql, Queue>();
const issuePools = new WeakMap<postgres.Sql, postgres.Sql>();

/** The pool issues of `client` go through (connectDatabase registers one; otherwise the client itself). */
export function useIssuePool(client: postgres.Sql, pool: postgres.Sql): void {
  issuePools.set(client, pool);
}
export const ISSUE_POOL_SIZE = GROUPS_IN_FLIGHT;

/** Runs ledger_issue(payload) alone or in a group with other callers; resolves to its result. */
export function issueGrouped(client: postgres.Sql, payload: object): Promise<unknown> {
  let queue = queues.get(client);
  if (!queue) queues.set(client, (queue = { waiting: [], inFlight: 0, drainScheduled: false }));
  const q = queue;
  return new Promise((resolve, reject) => {
    q.waiting.push({ json: JSON.stringify(payload), resolve, reject });
    // Nothing at the server and nobody about to come back: straight out. Otherwise the next drain.
    if (q.inFlight === 0 && !q.drainScheduled) drain(client, q);
  });
}

/**
 * Sends what waits as groups of even size. A second group goes out alongside only when at least
 * SECOND_GROUP_MIN wait: each group pays for its locks and its commit, which a few issues do not repay.
 */
function drain(client: postgres.Sql, queue: Queue) {
  queue.drainScheduled = false;
  const wanted = Math.max(queue.inFlight === 0 ? 1 : 0, Math.floor(queue.waiting.length / SECOND_GROUP_MIN));
  for (let groups = Math.min(GROUPS_IN_FLIGHT - queue.inFlight, wanted); groups > 0 && queue.waiting.length > 0; groups--) {
    const size = Math.min(MAX_GROUP, Math.ceil(queue.waiting.length / groups));
    queue.inFlight++;
    void send(client, queue, queue.waiting.splice(0, size));
  }
}

const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE']);
const connectionLost = (error: unknown) => CONNECTION_LOST.has((error as { code?: string })?.code ?? '');

async function send(client: postgres.Sql, queue: Queue, group: Waiter[]) {
  const settle = await post(client, group);
  queue.inFlight--;
  // Callers answered from a group usually ask again at once: the drain waits for them (one turn of the
  // event loop) so they leave together. A caller alone is not kept waiting.
  if (!queue.drainScheduled && (group.length > 1 || queue.waiting.length > 0)) {
    queue.drainScheduled = true;
    setImmediate(() => drain(client, queue));
  }
  settle();
}

/** Posts the group and returns how to answer its callers (never throws). */
async function post(client: postgres.Sql, group: Waiter[]): Promise<() => void> {
  const pool = issuePools.get(client) ?? client;
  if (group.length === 1) return alone(pool, group[0]!, client);
  let answers: GroupAnswer[];
  try {
    const rows = await pool.unsafe<{ r: GroupAnswer[] }[]>(GROUP, [`[${group.map((w) => w.json).join(',')}]`], {
      prepare: true,
    });
    answers = rows[0]!.r;
  } catch {
    // The group as a whole failed (connection lost, a reservation changed under it): none of it was
    // committed, so each issue goes again alone, where its key makes a repeat harmless.
    return () => group.forEach((w) => void alone(client, w).then((settle) => settle()));
  }
  return () => {
    for (const answer of answers) {
      const w = group[answer.n - 1]!;
      if ('ok' in answer) w.resolve(answer.ok);
      // A deadlock with some larger transaction: that issue alone cannot deadlock with it.
      else if (answer.error.code === DEADLOCK) void alone(client, w).then((settle) => settle());
      else w.reject(new GroupedIssueError(answer.error.code, answer.error.message, answer.error.detail ?? undefined));
    }
  };
}

/** One issue on its own, on `sql`; if its connection was lost, once more on `retryOn`. */
async function alone(sql: postgres.Sql, waiter: Waiter, retryOn?: postgres.Sql): Promise<() => void> {
  try {
    const rows = await sql.unsafe<{ r: unknown }[]>(SINGLE, [waiter.json], { prepare: true });
    return () => waiter.resolve(rows[0]!.r);
  } catch (error) {
    // Had the lost connection committed it, the key answers as before.
    if (retryOn && connectionLost(error)) return alone(retryOn, waiter);
    return () => waiter.reject(error);
  }
}
