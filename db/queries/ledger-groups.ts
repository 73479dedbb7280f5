import type postgres from 'postgres';

/**
 * Group commit for stand-alone issues (the ledger's hot path). While a group is at the server, issues
 * that arrive wait here and then leave together: one round trip, one transaction, one commit
 * (ledger_issue_group, migration 0017, posts the usual ones set-based). Each issue is still whole or
 * nothing and its refusal is its own. A caller alone goes straight out, so a single issue pays no
 * wait; under load the groups form by themselves.
 *
 * Issues keep to their own one or two pooled connections ("lanes"): postgres.js hands out its idle
 * connections in turn, which sends every lone issue to a backend whose caches went cold meanwhile.
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
const SINGLE = 'select ledger_issue($1::jsonb) as r';
const GROUP = 'select ledger_issue_group($1::jsonb) as r';

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

/** A connection kept for issues, so a group lands on a backend with everything still cached. */
interface Lane {
  sql?: postgres.ReservedSql;
  busy: boolean;
}

interface Queue {
  waiting: Waiter[];
  inFlight: number;
  drainScheduled: boolean;
  lanes: Lane[];
}

const queues = new WeakMap<postgres.Sql, Queue>();

/** Runs ledger_issue(payload) alone or in a group with other callers; resolves to its result. */
export function issueGrouped(client: postgres.Sql, payload: object): Promise<unknown> {
  let queue = queues.get(client);
  if (!queue) queues.set(client, (queue = { waiting: [], inFlight: 0, drainScheduled: false, lanes: [] }));
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
    let lane = queue.lanes.find((l) => !l.busy);
    if (!lane) queue.lanes.push((lane = { busy: false }));
    lane.busy = true;
    void send(client, queue, lane, queue.waiting.splice(0, size));
  }
}

/** postgres.js' pool hands out its idle connections in turn; a lane keeps to one. */
async function laneConnection(client: postgres.Sql, lane: Lane): Promise<postgres.Sql> {
  // A small pool keeps all its connections for everyone else.
  if (client.options.max <= GROUPS_IN_FLIGHT * 2) return client;
  lane.sql ??= await client.reserve();
  return lane.sql;
}

const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE']);

/** A lane whose connection broke gets a new one next time; says whether it broke. */
function connectionLost(lane: Lane, error: unknown): boolean {
  if (!CONNECTION_LOST.has((error as { code?: string })?.code ?? '')) return false;
  lane.sql?.release();
  lane.sql = undefined;
  return true;
}

/** Gives the lanes' connections back to the pool (before the pool ends). */
export function releaseIssueLanes(client: postgres.Sql) {
  const queue = queues.get(client);
  for (const lane of queue?.lanes ?? []) {
    lane.sql?.release();
    lane.sql = undefined;
  }
}

async function send(client: postgres.Sql, queue: Queue, lane: Lane, group: Waiter[]) {
  const settle = await post(client, lane, group);
  lane.busy = false;
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
async function post(client: postgres.Sql, lane: Lane, group: Waiter[]): Promise<() => void> {
  if (group.length === 1) return alone(client, group[0]!, lane);
  let answers: GroupAnswer[];
  try {
    const sql = await laneConnection(client, lane);
    const rows = await sql.unsafe<{ r: GroupAnswer[] }[]>(GROUP, [`[${group.map((w) => w.json).join(',')}]`], {
      prepare: true,
    });
    answers = rows[0]!.r;
  } catch (error) {
    connectionLost(lane, error);
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

/** One issue on its own: on the lane's connection, or for a retry on any pooled one. */
async function alone(client: postgres.Sql, waiter: Waiter, lane?: Lane): Promise<() => void> {
  try {
    const sql = lane ? await laneConnection(client, lane) : client;
    const rows = await sql.unsafe<{ r: unknown }[]>(SINGLE, [waiter.json], { prepare: true });
    return () => waiter.resolve(rows[0]!.r);
  } catch (error) {
    // Once more on the pool: had the lost connection committed it, the key answers as before.
    if (lane && connectionLost(lane, error)) return alone(client, waiter);
    return () => waiter.reject(error);
  }
}
