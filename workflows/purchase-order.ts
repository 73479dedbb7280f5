import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, log, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { PreparedPurchaseOrder } from '../activities/purchasing.js';
import { authorizeDecision, nextApprover, type LevelRoute } from '../inventory/approval-policy.js';
import { dec, toPlain } from '../inventory/decimal.js';
import { checkReceipt, FINISHED_STATUSES, RECEIVABLE_STATUSES } from '../inventory/purchase-order.js';
import {
  approvePurchaseOrder,
  cancelPurchaseOrder,
  getPurchaseOrder,
  receiveGoods,
  recordInvoice,
  rejectPurchaseOrder,
  submitPurchaseOrder,
  type CancelPoResult,
  type PoApprovalLevelView,
  type PoDecisionInput,
  type PurchaseOrderEvent,
  type PurchaseOrderOutcome,
  type PurchaseOrderStatus,
  type PurchaseOrderView,
  type PurchaseOrderWorkflowInput,
  type ReceiveLineInput,
  type ReceiveResult,
} from './purchase-order-messages.js';
import { searchAttributes } from './search-attributes.js';
import { SLACK_ACTIVITY, STORE_ACTIVITY } from './activity-options.js';

/**
 * One purchase order from draft to closed: submit → approval (the requisitions' policy and engine:
 * threshold, levels by amount, no self-approval, reminders and escalation on durable timers) → sent
 * → goods received in one or more receipts (ledger receipts at the PO price, over-receipt refused)
 * with an overdue reminder to the buyer when the expected date passes → received, or closed short /
 * cancelled (open quantities cancelled, linked requisitions told). Supplier invoices are matched
 * against the PO and the receipts while the PO is open and for a while after it is received.
 *
 * Clicks are Updates whose synchronous validators check authorization and state, so a refused
 * click leaves nothing in history and gets a sentence back.
 *
 * Versioning: version 1; change behaviour only behind patched().
 */

const store = proxyActivities<Activities>(STORE_ACTIVITY);
const slack = proxyActivities<Activities>(SLACK_ACTIVITY);
const resume = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const DAY_MS = 86_400_000;
/** After the first overdue reminder, the buyer is reminded again this often while goods are open. */
const OVERDUE_REPEAT_MS = 7 * DAY_MS;
/** A received PO waits this long for its supplier invoice before the workflow ends. */
const INVOICE_WINDOW_MS = 45 * DAY_MS;
const MAX_REASON = 500;
const CANCELLABLE: readonly PurchaseOrderStatus[] = ['draft', 'awaiting_approval', 'approved', 'sent', 'partially_received'];
const INVOICEABLE: readonly PurchaseOrderStatus[] = ['sent', 'partially_received', 'received', 'closed'];

const keys = {
  event: (number: string, seq: number, kind: string) => `${number}/event-${seq}-${kind}`,
  approvalRequest: (number: string, level: number, approver: string) => `${number}/approval/L${level}/${approver}`,
  reminder: (number: string, level: number, approver: string, count: number) => `${number}/approval/L${level}/${approver}/reminder-${count}`,
};

const nowIso = () => new Date().toISOString();
/** Midnight UTC at the end of the expected day: overdue means the whole day passed. */
const endOfDay = (date: string) => Date.parse(`${date}T00:00:00Z`) + DAY_MS;

export async function purchaseOrderWorkflow(input: PurchaseOrderWorkflowInput): Promise<PurchaseOrderOutcome> {
  const number = input.number;
  let prepared: PreparedPurchaseOrder | undefined;
  let view: PurchaseOrderView | undefined;
  const routes: LevelRoute[] = [];
  let currentLevel: number | undefined;
  let submitRequest: { actor: string } | undefined = input.submitAs ? { actor: input.submitAs } : undefined;
  let cancelRequest: { actor: string; reason?: string; at: string } | undefined;
  let cancelResult: CancelPoResult | undefined;
  let remindAfterMs = DAY_MS;
  let escalateAfterMs = 3 * DAY_MS;
  let eventSeq = 0;
  let invoiceMatched = false;
  /** SKUs received since the last "after receipt" round (backorders, lead time, restock). */
  const receivedSkus = new Set<string>();

  const status = (): PurchaseOrderStatus => view?.status ?? 'draft';
  const setStatus = (next: PurchaseOrderStatus) => {
    view!.status = next;
  };
  const snapshot = (): PurchaseOrderView => JSON.parse(JSON.stringify(view!)) as PurchaseOrderView;
  const describe = () => `it is ${status().replace('_', ' ')}`;
  const isBuyer = (actor: string) => prepared!.buyers.includes(actor);
  const requireActor = (i: { actor?: unknown } | undefined) => {
    if (!i || typeof i.actor !== 'string' || !i.actor) throw new Error('The click did not say who made it.');
    if (!view) throw new Error(`${number} is still being set up; try again in a moment.`);
  };

  // ---- messages ----

  async function bestEffort(what: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn(`could not send ${what}`, { number, error: err.cause?.message ?? err.message });
    }
  }
  const tellBuyer = (event: PurchaseOrderEvent) =>
    bestEffort(`buyer ${event.kind}`, () => slack.notifyPurchaseOrder({ key: keys.event(number, ++eventSeq, event.kind), view: snapshot(), event }));
  const refreshApprovals = () =>
    view!.approvals.some((a) => a.asked.length)
      ? bestEffort('approval message update', () => slack.refreshPurchaseOrderApprovals({ view: snapshot() }))
      : Promise.resolve();

  async function persist(): Promise<void> {
    const level = currentLevel === undefined ? undefined : view!.approvals[currentLevel];
    await store.savePurchaseOrderState({
      number,
      status: status(),
      currentLevel: status() === 'awaiting_approval' && level ? level.level : null,
      awaiting: status() === 'awaiting_approval' && level ? [...level.asked] : [],
      ...(cancelRequest?.reason ? { cancelReason: cancelRequest.reason } : view!.rejected ? { cancelReason: `Rejected: ${view!.rejected.reason}` } : {}),
    });
    upsertSearchAttributes([
      { key: searchAttributes.documentStatus, value: status() },
      { key: searchAttributes.approvers, value: [...new Set(view!.approvals.flatMap((a) => a.asked))] },
    ]);
  }

  // ---- clicks ----

  setHandler(
    submitPurchaseOrder,
    (i) => {
      submitRequest = { actor: i.actor };
      return { number, status: 'awaiting_approval' as const, message: `${number} is submitted for approval.` };
    },
    {
      validator: (i) => {
        requireActor(i);
        if (status() !== 'draft' || submitRequest || cancelRequest) throw new Error(`${number} is not a draft any more: ${describe()}.`);
        if (!isBuyer(i.actor)) throw new Error('Only buyers can submit purchase orders.');
      },
    },
  );

  function validateDecision(i: PoDecisionInput, rejecting?: { reason?: unknown }): void {
    requireActor(i);
    if (i.level !== undefined) {
      const clicked = view!.approvals.find((a) => a.level === i.level);
      if (clicked && (clicked.state === 'approved' || clicked.state === 'rejected')) {
        throw new Error(`Level ${clicked.level} of ${number} was already ${clicked.state} by <@${clicked.decidedBy}>.`);
      }
    }
    if (status() !== 'awaiting_approval' || currentLevel === undefined || cancelRequest) {
      throw new Error(`${number} is no longer waiting for approval: ${cancelRequest ? 'it is being cancelled' : describe()}.`);
    }
    const level = view!.approvals[currentLevel]!;
    if (i.level !== undefined && i.level !== level.level) throw new Error(`That message was for level ${i.level}; ${number} is now at level ${level.level}.`);
    if (i.actor === view!.buyer) throw new Error(`You are the buyer of ${number}; someone else must approve or reject it.`);
    const approvedEarlier = view!.approvals.filter((a) => a.state === 'approved').map((a) => a.decidedBy!);
    const auth = authorizeDecision({ actor: i.actor, requester: view!.submittedBy ?? view!.buyer, route: routes[currentLevel]!, approvedEarlier });
    if (!auth.ok) throw new Error(auth.message.replace('requisition', 'purchase order'));
    if (rejecting) {
      if (typeof rejecting.reason !== 'string' || !rejecting.reason.trim()) throw new Error('Say why you reject it (a reason is required).');
      if (rejecting.reason.length > MAX_REASON) throw new Error(`Keep the reason under ${MAX_REASON} characters.`);
    }
  }

  function decide(actor: string, decision: 'approved' | 'rejected', reason?: string) {
    const level = view!.approvals[currentLevel!]!;
    level.state = decision;
    level.decidedBy = actor;
    level.decidedAt = nowIso();
    if (reason) level.reason = reason.trim();
    const last = currentLevel === view!.approvals.length - 1;
    return {
      number,
      level: level.level,
      decision,
      message:
        decision === 'rejected'
          ? `You rejected ${number}.`
          : last
            ? `You approved ${number}.`
            : `You approved level ${level.level} of ${number}; it now goes to level ${level.level + 1}.`,
    };
  }

  setHandler(approvePurchaseOrder, (i) => decide(i.actor, 'approved'), { validator: (i) => validateDecision(i) });
  setHandler(rejectPurchaseOrder, (i) => decide(i.actor, 'rejected', i.reason), { validator: (i) => validateDecision(i, i ?? {}) });

  setHandler(
    receiveGoods,
    async (i): Promise<ReceiveResult> => {
      let outcome;
      try {
        outcome = await store.postPurchaseOrderReceipt({ number, key: i.key, actor: i.actor, lines: i.lines });
      } catch (err) {
        // A refusal found under the PO's row lock (another receipt got there first): the click gets the sentence.
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) throw ApplicationFailure.create({ message: err.cause.message, type: err.cause.type ?? 'receipt_refused', nonRetryable: true });
        throw err;
      }
      for (const line of outcome.lines) {
        const mine = view!.lines.find((l) => l.lineNo === line.lineNo)!;
        // Concurrent receipts finish in any order: received only ever grows.
        if (dec(line.received).gt(mine.received)) mine.received = line.received;
      }
      if (outcome.posted.length) {
        view!.receipts++;
        for (const p of outcome.posted) receivedSkus.add(p.sku.toUpperCase());
      }
      const complete = view!.lines.every((l) => !dec(l.ordered).minus(l.cancelled).minus(l.received).gt(0));
      if (complete && RECEIVABLE_STATUSES.includes(status())) setStatus('received');
      else if (outcome.posted.length && status() === 'sent') setStatus('partially_received');
      await persist();
      if (outcome.posted.length) {
        await tellBuyer({ kind: 'received', by: i.actor, lines: outcome.posted.map((p) => ({ sku: p.sku, quantity: p.quantity, location: p.location })), complete });
      }
      return {
        number,
        status: status(),
        posted: outcome.posted.map((p) => ({ lineNo: p.lineNo, sku: p.sku, quantity: p.quantity, location: p.location, ...(p.lot ? { lot: p.lot } : {}) })),
        message: outcome.posted.length
          ? `Received ${outcome.posted.map((p) => `${p.quantity} ${p.sku} into ${p.location}`).join(', ')}${complete ? `; ${number} is complete.` : '.'}`
          : `Nothing new: that receipt was already posted.`,
      };
    },
    {
      validator: (i) => {
        requireActor(i);
        if (typeof i.key !== 'string' || !i.key) throw new Error('The receipt has no key.');
        if (!prepared!.receivers.includes(i.actor)) throw new Error('Only warehouse staff and buyers can receive goods.');
        if (cancelRequest && RECEIVABLE_STATUSES.includes(status())) throw new Error(`${number} is being cancelled.`);
        if (!Array.isArray(i.lines)) throw new Error('Say what arrived on each line.');
        const check = checkReceipt({
          status: status(),
          lines: view!.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, ordered: l.ordered, received: l.received, cancelled: l.cancelled, decimals: l.decimals })),
          receipt: i.lines.map((l: ReceiveLineInput) => ({ ...l, quantity: typeof l?.quantity === 'string' ? l.quantity : '' })),
          // Settings' tolerance as of the PO's start (validators add nothing to history, so no patch is needed).
          tolerance: prepared!.overReceiptTolerance,
        });
        if (!check.ok) throw new Error(check.problems.map((p) => p.message).join(' '));
      },
    },
  );

  setHandler(
    cancelPurchaseOrder,
    async (i) => {
      cancelRequest = { actor: i.actor, at: nowIso(), ...(i.reason?.trim() ? { reason: i.reason.trim() } : {}) };
      await condition(() => cancelResult !== undefined);
      return cancelResult!;
    },
    {
      validator: (i) => {
        requireActor(i);
        if (!isBuyer(i.actor)) throw new Error('Only buyers can cancel or close purchase orders.');
        if (cancelRequest) throw new Error(`${number} is already being cancelled.`);
        if (!CANCELLABLE.includes(status())) throw new Error(`${number} cannot be cancelled: ${describe()}.`);
        if (typeof i.reason === 'string' && i.reason.length > MAX_REASON) throw new Error(`Keep the reason under ${MAX_REASON} characters.`);
      },
    },
  );

  setHandler(
    recordInvoice,
    async (i) => {
      const outcome = await store.recordPurchaseOrderInvoice({ number, key: i.key, actor: i.actor, invoiceNumber: i.invoiceNumber, ...(i.invoiceDate ? { invoiceDate: i.invoiceDate } : {}), lines: i.lines });
      if (!view!.invoices.some((v) => v.invoiceNumber === outcome.invoiceNumber)) view!.invoices.push({ invoiceNumber: outcome.invoiceNumber, status: outcome.status });
      if (outcome.status === 'matched') {
        invoiceMatched = true;
        await tellBuyer({ kind: 'invoice_matched', invoiceNumber: outcome.invoiceNumber });
      } else {
        await tellBuyer({ kind: 'invoice_mismatch', invoiceNumber: outcome.invoiceNumber, problems: outcome.mismatches.map((m) => m.message) });
      }
      return {
        number,
        invoiceNumber: outcome.invoiceNumber,
        status: outcome.status,
        mismatches: outcome.mismatches.map((m) => ({ lineNo: m.lineNo, sku: m.sku, field: m.field, message: m.message })),
        message: outcome.status === 'matched' ? `Invoice ${outcome.invoiceNumber} matches ${number}.` : `Invoice ${outcome.invoiceNumber} does not match ${number}: the buyer is told.`,
      };
    },
    {
      validator: (i) => {
        requireActor(i);
        if (!isBuyer(i.actor)) throw new Error('Only buyers can enter supplier invoices.');
        if (!INVOICEABLE.includes(status())) throw new Error(`${number} cannot be invoiced: ${describe()}.`);
        if (typeof i.key !== 'string' || !i.key || typeof i.invoiceNumber !== 'string' || !i.invoiceNumber.trim()) throw new Error('An invoice needs its number.');
        if (!Array.isArray(i.lines) || i.lines.length === 0) throw new Error('An invoice needs at least one line.');
      },
    },
  );

  setHandler(getPurchaseOrder, () => {
    if (!view) throw new Error(`${number} is still being set up.`);
    return snapshot();
  });

  // ---- approval ----

  const ask = (index: number, approver: string) =>
    bestEffort('approval request', () =>
      slack.requestPurchaseOrderApproval({ key: keys.approvalRequest(number, view!.approvals[index]!.level, approver), view: snapshot(), level: view!.approvals[index]!.level, approver }),
    );

  async function runLevel(index: number): Promise<'approved' | 'rejected' | 'cancelled'> {
    const level = view!.approvals[index]!;
    currentLevel = index;
    level.state = 'waiting';
    setStatus('awaiting_approval');
    const approvedEarlier = () => view!.approvals.filter((a) => a.state === 'approved').map((a) => a.decidedBy!);
    const first = nextApprover(routes[index]!, { exclude: approvedEarlier() });
    if (first) level.asked.push(first.slackUserId);
    await persist();
    if (first) await ask(index, first.slackUserId);
    await tellBuyer(first ? { kind: 'awaiting_approval', level: level.level, approver: first.slackUserId } : { kind: 'awaiting_approval', level: level.level });

    const settled = () => level.state !== 'waiting' || cancelRequest !== undefined;
    let clockStart = Date.now();
    let reminded = false;
    while (!settled()) {
      const due = clockStart + (reminded ? escalateAfterMs : remindAfterMs);
      if (await condition(settled, Math.max(due - Date.now(), 1))) break;
      if (!reminded) {
        reminded = true;
        level.reminders++;
        for (const approver of level.asked) {
          await bestEffort('reminder', () =>
            slack.remindPurchaseOrderApprover({
              key: keys.reminder(number, level.level, approver, level.reminders),
              requestKey: keys.approvalRequest(number, level.level, approver),
              view: snapshot(),
              level: level.level,
              approver,
            }),
          );
        }
        continue;
      }
      const route = await store.refreshPoApprovalLevel({ submitter: view!.submittedBy!, buyer: view!.buyer, level: level.level, name: level.name, requiredLimit: level.requiredLimit });
      routes[index] = route;
      if (settled()) break;
      const next = route.candidates.find((c) => !level.asked.includes(c.slackUserId) && !approvedEarlier().includes(c.slackUserId));
      if (next) {
        level.asked.push(next.slackUserId);
        level.escalations++;
        level.exhausted = false;
        await persist();
        await ask(index, next.slackUserId);
        await tellBuyer({ kind: 'escalated', level: level.level, to: next.slackUserId });
      } else if (!level.exhausted) {
        level.exhausted = true;
        await tellBuyer({ kind: 'no_approver', level: level.level });
      }
      clockStart = Date.now();
      reminded = false;
    }
    if (level.state === 'waiting') return 'cancelled';
    await store.recordPurchaseOrderDecision({
      number,
      level: level.level,
      approver: level.decidedBy!,
      decision: level.state === 'approved' ? 'approved' : 'rejected',
      ...(level.reason ? { reason: level.reason } : {}),
      decidedAt: level.decidedAt!,
    });
    if (level.state === 'rejected') {
      view!.rejected = { by: level.decidedBy!, at: level.decidedAt!, reason: level.reason!, level: level.level };
      return 'rejected';
    }
    await refreshApprovals();
    return 'approved';
  }

  async function runApproval(): Promise<'approved' | 'rejected' | 'cancelled'> {
    const routed = await store.routePurchaseOrder({ number, submitter: view!.submittedBy!, buyer: view!.buyer, amount: view!.totalValue });
    remindAfterMs = routed.remindAfterMs;
    escalateAfterMs = routed.escalateAfterMs;
    if (routed.route.kind === 'auto') {
      view!.autoApproved = true;
      await store.recordPurchaseOrderDecision({ number, level: 0, approver: 'auto', decision: 'auto_approved', reason: `Under the auto-approval threshold of ${routed.route.threshold}`, decidedAt: nowIso() });
      await tellBuyer({ kind: 'auto_approved' });
      return 'approved';
    }
    for (const route of routed.route.levels) {
      routes.push(route);
      view!.approvals.push({ level: route.level, name: route.name, requiredLimit: route.requiredLimit, state: 'pending', asked: [], reminders: 0, escalations: 0, exhausted: false } satisfies PoApprovalLevelView);
    }
    for (let i = 0; i < view!.approvals.length; i++) {
      if (cancelRequest) return 'cancelled';
      const outcome = await runLevel(i);
      if (outcome !== 'approved') return outcome;
    }
    currentLevel = undefined;
    return 'approved';
  }

  // ---- after goods arrive ----

  async function drainReceipts(): Promise<void> {
    while (receivedSkus.size) {
      const skus = [...receivedSkus].sort();
      receivedSkus.clear();
      await resume.afterReceipt({ number, skus });
    }
  }

  /** Cancels every open quantity; linked requisitions are told after the status is saved. */
  async function cancelOpenLines() {
    const cancelled = await store.cancelRemainingLines({ number });
    for (const c of cancelled) {
      const line = view!.lines.find((l) => l.lineNo === c.lineNo)!;
      line.cancelled = toPlain(dec(line.cancelled).plus(c.quantity));
    }
    return cancelled;
  }

  async function finishCancelled(): Promise<void> {
    const request = cancelRequest!;
    const cancelled = await cancelOpenLines();
    const anyReceived = view!.lines.some((l) => dec(l.received).gt(0));
    if (currentLevel !== undefined && view!.approvals[currentLevel]!.state === 'waiting') view!.approvals[currentLevel]!.state = 'pending';
    setStatus(anyReceived ? 'closed' : 'cancelled');
    view!.cancelled = { by: request.actor, at: request.at, ...(request.reason ? { reason: request.reason } : {}) };
    await persist();
    await refreshApprovals();
    await bestEffort('linked requisitions', () => slack.tellLinkedRequisitions({ number, lines: cancelled }));
    await tellBuyer({ kind: 'cancelled', by: request.actor, ...(request.reason ? { reason: request.reason } : {}), closed: anyReceived });
    cancelResult = {
      number,
      status: status(),
      cancelled: cancelled.map((c) => ({ lineNo: c.lineNo, sku: c.sku, quantity: c.quantity })),
      message: anyReceived ? `${number} is closed; what was still open is cancelled.` : `${number} is cancelled.`,
    };
  }

  // ---- the flow ----

  prepared = await store.preparePurchaseOrder({ number });
  view = { ...prepared.view, approvals: [], receipts: 0, overdueReminders: 0, invoices: [], autoApproved: false };
  upsertSearchAttributes([{ key: searchAttributes.vendor, value: view.vendorCode }]);
  await tellBuyer({ kind: 'created' });

  if (status() === 'draft') {
    await condition(() => submitRequest !== undefined || cancelRequest !== undefined);
    if (submitRequest && !cancelRequest) {
      view.submittedBy = submitRequest.actor;
      await tellBuyer({ kind: 'submitted', by: submitRequest.actor });
      const decision = await runApproval();
      if (decision === 'rejected') {
        const cancelled = await cancelOpenLines();
        setStatus('cancelled');
        currentLevel = undefined;
        await persist();
        await refreshApprovals();
        await tellBuyer({ kind: 'rejected', by: view.rejected!.by, reason: view.rejected!.reason });
        await bestEffort('linked requisitions', () => slack.tellLinkedRequisitions({ number, lines: cancelled }));
      } else if (decision === 'approved') {
        setStatus('approved');
        currentLevel = undefined;
        await persist();
        await tellBuyer({ kind: 'approved' });
      }
    }
  }

  if (status() === 'approved' && !cancelRequest) {
    const sent = await store.sendPurchaseOrder({ number });
    view.sentAt = sent.sentAt;
    view.expectedAt = sent.expectedAt;
    setStatus('sent');
    await persist();
    await tellBuyer({ kind: 'sent', expectedAt: sent.expectedAt });
  }

  // Waiting for goods: receipts arrive as Updates; an overdue reminder goes to the buyer when the expected day has passed.
  let nextReminderAt = view.expectedAt ? endOfDay(view.expectedAt) : Number.POSITIVE_INFINITY;
  while (RECEIVABLE_STATUSES.includes(status()) && !cancelRequest) {
    const wake = () => receivedSkus.size > 0 || cancelRequest !== undefined || !RECEIVABLE_STATUSES.includes(status());
    const waitMs = nextReminderAt - Date.now();
    const woke = Number.isFinite(waitMs) ? await condition(wake, Math.max(waitMs, 1)) : (await condition(wake), true);
    await drainReceipts();
    if (woke) continue;
    view.overdueReminders++;
    await tellBuyer({ kind: 'overdue', expectedAt: view.expectedAt!, reminder: view.overdueReminders });
    nextReminderAt += OVERDUE_REPEAT_MS;
  }
  await drainReceipts();
  if (cancelRequest && !FINISHED_STATUSES.includes(status())) await finishCancelled();
  else if (cancelRequest && !cancelResult) cancelResult = { number, status: status(), cancelled: [], message: `${number} is already ${status()}.` };

  // A supplier invoice may still come in for goods received.
  if (view.lines.some((l) => dec(l.received).gt(0)) && !invoiceMatched) {
    await condition(() => invoiceMatched, INVOICE_WINDOW_MS);
  }
  await condition(allHandlersFinished);
  return {
    number,
    status: status(),
    lines: view.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, ordered: l.ordered, received: l.received, cancelled: l.cancelled })),
  };
}
