/**
 * Idempotency keys of the requisition workflow's Slack messages. Derived only from the requisition
 * number and the workflow's own counters (level, round, event sequence), so a retried or replayed
 * step computes the same key and the message is posted once.
 */
export const requisitionMessageKeys = {
  /** The card on top of the requester's thread. */
  thread: (number: string) => `${number}/thread`,
  event: (number: string, seq: number, kind: string) => `${number}/event-${seq}-${kind}`,
  approvalRequest: (number: string, level: number, approver: string) => `${number}/approval/L${level}/${approver}`,
  reminder: (number: string, level: number, approver: string, count: number) => `${number}/approval/L${level}/${approver}/reminder-${count}`,
  pickTask: (number: string, round: number) => `${number}/pick-${round}`,
};
