/**
 * Slack waits 3 seconds for an ack. Work that could answer inside the ack (a validation, a quick lookup)
 * gets a budget well under that; past it the listener acks anyway and answers afterwards.
 */
export const ACK_BUDGET_MS = 1_500;

export type Budgeted<T> = { settled: true; ok: true; value: T } | { settled: true; ok: false; error: unknown } | { settled: false; later: Promise<T> };

/** Waits for `work` at most `ms`; when it is late, hands back the still-running promise to finish after the ack. */
export async function withinBudget<T>(work: Promise<T>, ms = ACK_BUDGET_MS): Promise<Budgeted<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const outcome = work.then(
    (value) => ({ settled: true as const, ok: true as const, value }),
    (error: unknown) => ({ settled: true as const, ok: false as const, error }),
  );
  const first = await Promise.race([outcome, late]);
  clearTimeout(timer);
  return first === 'late' ? { settled: false, later: work } : first;
}
