import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { PreparedRequisition } from '../activities/requisitions.js';
import { mergeAllocations, takeFromAllocations } from '../inventory/allocations.js';
import { authorizeDecision, escalationTarget, nextApprover, type LevelRoute } from '../inventory/approval-policy.js';
import { dec, parseDecimal, sum, toPlain } from '../inventory/decimal.js';
import { requisitionMessageKeys as keys } from './requisition-keys.js';
import {
  approve,
  cancel,
  CLOSED_STATUSES,
  confirmPick,
  getStatus,
  reject,
  stockAvailable,
  type Allocation,
  type ApprovalLevelView,
  type ApproveInput,
  type Awaiting,
  type CancelResult,
  type ConfirmPickInput,
  type PickResult,
  type RequisitionEvent,
  type RequisitionLineView,
  type RequisitionOutcome,
  type RequisitionStatus,
  type RequisitionView,
  type RequisitionWorkflowInput,
} from './requisition-messages.js';
import { searchAttributes } from './search-attributes.js';
import { SLACK_ACTIVITY, STORE_ACTIVITY } from './activity-options.js';

/**
 * One requisition from submission to issue: approval routing (auto under the threshold, else one or
 * more levels), reminders and escalation on durable timers, reservation with backorders that wait
 * for `stockAvailable`, a pick task confirmed by the warehouse, issue through the ledger.
 *
 * Clicks arrive as Updates whose validators run synchronously against this workflow's state, so a
 * refused click (own requisition, over limit, stale, double) leaves no trace in history and gets a
 * sentence back. Handlers change state synchronously before any await, so a second click validated
 * right after the first already sees the decision.
 *
 * Versioning: change behaviour only behind `patched(id)` (PATCHES below), keeping the old branch
 * until no workflow started before the change can still be running; test/workflows/requisition-replay
 * replays the recorded histories in test/fixtures/histories against the current code and fails on
 * an unpatched change. Add a fixture exercising each new branch (RECORD_HISTORIES=1).
 */

// Ledger refusals are non-retryable failures the workflow handles per line.
const store = proxyActivities<Activities>({ ...STORE_ACTIVITY, startToCloseTimeout: '30 seconds' });
const slack = proxyActivities<Activities>(SLACK_ACTIVITY);

/** Behaviour changes made after histories were recorded (test/fixtures/histories), each behind patched(). */
const PATCHES = {
  noPickingNoticeAfterCancel: 'requisition-no-picking-notice-after-cancel',
} as const;

/** Ledger refusals that mean "this line can never be reserved" (the item went away). */
const LINE_REFUSALS = ['unknown_sku', 'inactive_item'];
const CANCELLABLE: readonly RequisitionStatus[] = ['submitted', 'awaiting_approval', 'approved', 'backordered', 'picking'];
const MAX_REASON = 500;

interface LineState extends RequisitionLineView {
  /** Backordered and not to be retried until stock of its SKU is signalled. */
  waiting: boolean;
  attempts: number;
}

interface PickState {
  round: number;
  warehouse: string[];
  lineNos: number[];
  confirmation?: ConfirmPickInput & { at: string };
  result?: PickResult;
  posted: boolean;
}

const skuKey = (sku: string) => sku.trim().toUpperCase();
const nowIso = () => new Date().toISOString();
const plus = (a: string, b: string | ReturnType<typeof dec>) => toPlain(dec(a).plus(b));

export async function requisitionWorkflow(input: RequisitionWorkflowInput): Promise<RequisitionOutcome> {
  const number = input.number;
  let prepared: PreparedRequisition | undefined;
  let status: RequisitionStatus = 'submitted';
  let autoApproved = false;
  let approvedAt: string | undefined;
  let closedAt: string | undefined;
  const lines: LineState[] = [];
  const approvals: ApprovalLevelView[] = [];
  const routes: LevelRoute[] = [];
  let currentLevel: number | undefined; // index into approvals
  let cancelRequest: { actor: string; reason?: string; at: string } | undefined;
  let cancelResult: CancelResult | undefined;
  let rejected: RequisitionView['rejected'];
  let pick: PickState | undefined;
  let pickRound = 0;
  let eventSeq = 0;
  let reservedEver = false;
  /** SKUs signalled since their lines' last reservation attempt. */
  const arrived = new Set<string>();

  // ---- the view everyone reads ----

  function awaiting(): Awaiting {
    if (status === 'awaiting_approval' && currentLevel !== undefined) {
      const level = approvals[currentLevel]!;
      return { kind: 'approval', level: level.level, approvers: [...level.asked] };
    }
    if (status === 'picking' && pick && !pick.confirmation) return { kind: 'pick', round: pick.round, warehouse: [...pick.warehouse] };
    const waitingSkus = lines.filter((l) => l.waiting).map((l) => l.sku);
    if (status === 'backordered' && waitingSkus.length) return { kind: 'stock', skus: waitingSkus };
    return { kind: 'nothing' };
  }

  function view(): RequisitionView {
    return {
      number,
      requester: prepared?.requester ?? '',
      costCenter: prepared?.costCenter ?? '',
      reason: prepared?.reason ?? '',
      status,
      totalValue: prepared?.totalValue ?? '0',
      issuedValue: toPlain(sum(lines.map((l) => l.issuedValue))),
      submittedAt: prepared?.submittedAt ?? '',
      autoApproved,
      lines: lines.map(({ waiting: _w, attempts: _a, allocations, ...line }) => ({ ...line, allocations: allocations.map((a) => ({ ...a })) })),
      approvals: approvals.map((a) => ({ ...a, asked: [...a.asked], passedOver: a.passedOver.map((p) => ({ ...p })) })),
      awaiting: awaiting(),
      pickRound,
      ...(cancelRequest && status === 'cancelled' ? { cancelled: { by: cancelRequest.actor, at: cancelRequest.at, ...(cancelRequest.reason ? { reason: cancelRequest.reason } : {}) } } : {}),
      ...(rejected ? { rejected } : {}),
    };
  }

  // ---- clicks ----

  const describe = (): string => {
    if (status === 'rejected' && rejected) return `it was rejected by <@${rejected.by}>`;
    if (status === 'cancelled') return 'it was cancelled';
    if (status === 'issued') return 'it has been issued';
    return `it is ${status.replace('_', ' ')}`;
  };

  function validateDecision(input: ApproveInput, rejecting: { reason?: unknown } | undefined): void {
    if (!input || typeof input.actor !== 'string' || !input.actor) throw new Error('The click did not say who made it.');
    if (!prepared) throw new Error(`${number} is still being set up; try again in a moment.`);
    if (input.level !== undefined) {
      const clicked = approvals.find((a) => a.level === input.level);
      if (clicked && (clicked.state === 'approved' || clicked.state === 'rejected')) {
        throw new Error(`Level ${clicked.level} of ${number} was already ${clicked.state} by <@${clicked.decidedBy}>.`);
      }
    }
    if (status === 'submitted') throw new Error(`${number} is still being routed to its approvers; try again in a moment.`);
    if (status !== 'awaiting_approval' || currentLevel === undefined || cancelRequest) {
      throw new Error(`${number} is no longer waiting for approval: ${cancelRequest ? 'it is being cancelled' : describe()}.`);
    }
    const level = approvals[currentLevel]!;
    if (input.level !== undefined && input.level !== level.level) {
      throw new Error(`That message was for level ${input.level}; ${number} is now at level ${level.level}.`);
    }
    if (level.state !== 'waiting') throw new Error(`Level ${level.level} of ${number} was already ${level.state} by <@${level.decidedBy}>.`);
    const approvedEarlier = approvals.filter((a) => a.state === 'approved').map((a) => a.decidedBy!);
    const auth = authorizeDecision({ actor: input.actor, requester: prepared.requester, route: routes[currentLevel]!, approvedEarlier });
    if (!auth.ok) throw new Error(auth.message);
    if (rejecting) {
      if (typeof rejecting.reason !== 'string' || !rejecting.reason.trim()) throw new Error('Say why you reject it (a reason is required).');
      if (rejecting.reason.length > MAX_REASON) throw new Error(`Keep the reason under ${MAX_REASON} characters.`);
    }
  }

  function decide(actor: string, decision: 'approved' | 'rejected', reason?: string) {
    const level = approvals[currentLevel!]!;
    level.state = decision;
    level.decidedBy = actor;
    level.decidedAt = nowIso();
    if (reason) level.reason = reason.trim();
    const last = currentLevel === approvals.length - 1;
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

  setHandler(approve, (input) => decide(input.actor, 'approved'), { validator: (input) => validateDecision(input, undefined) });
  setHandler(reject, (input) => decide(input.actor, 'rejected', input.reason), { validator: (input) => validateDecision(input, input ?? {}) });

  setHandler(
    confirmPick,
    async (input) => {
      const current = pick!;
      current.confirmation = { ...input, at: nowIso() };
      await condition(() => current.result !== undefined);
      return current.result!;
    },
    {
      validator: (input) => {
        if (!input || typeof input.actor !== 'string' || !input.actor) throw new Error('The click did not say who made it.');
        if (!pick || status !== 'picking' || cancelRequest) throw new Error(`${number} is not waiting for a pick: ${cancelRequest ? 'it is being cancelled' : describe()}.`);
        if (input.round !== undefined && input.round !== pick.round) {
          throw new Error(`That pick task was round ${input.round}; ${number} is now on round ${pick.round}.`);
        }
        if (pick.confirmation) throw new Error(`Round ${pick.round} of ${number} was already confirmed by <@${pick.confirmation.actor}>.`);
        if (!pick.warehouse.includes(input.actor)) throw new Error('Only warehouse staff can confirm picks.');
        if (!Array.isArray(input.lines)) throw new Error('Say what was picked for each line.');
        const seen = new Set<number>();
        for (const picked of input.lines) {
          const line = lines.find((l) => l.lineNo === picked?.lineNo);
          if (!line || !pick.lineNos.includes(line.lineNo)) throw new Error(`Line ${picked?.lineNo} is not on this pick task.`);
          if (seen.has(line.lineNo)) throw new Error(`Line ${line.lineNo} is listed twice.`);
          seen.add(line.lineNo);
          const quantity = typeof picked.picked === 'string' ? parseDecimal(picked.picked) : undefined;
          if (!quantity || quantity.isNegative()) throw new Error(`Line ${line.lineNo} (${line.sku}): "${picked.picked}" is not a quantity.`);
          if (quantity.gt(line.reserved)) throw new Error(`Line ${line.lineNo} (${line.sku}): picked ${picked.picked} is more than the ${line.reserved} to pick.`);
          if (quantity.decimalPlaces() > 4) throw new Error(`Line ${line.lineNo} (${line.sku}): at most 4 decimals.`);
          if (picked.remainder !== undefined && picked.remainder !== 'backorder' && picked.remainder !== 'cancel') {
            throw new Error(`Line ${line.lineNo}: the rest is either backordered or cancelled.`);
          }
        }
        const missing = pick.lineNos.filter((n) => !seen.has(n));
        if (missing.length) throw new Error(`Say what was picked for line${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`);
      },
    },
  );

  setHandler(
    cancel,
    async (input) => {
      cancelRequest = { actor: input.actor, at: nowIso(), ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}) };
      await condition(() => cancelResult !== undefined);
      return cancelResult!;
    },
    {
      validator: (input) => {
        if (!input || typeof input.actor !== 'string' || !input.actor) throw new Error('The click did not say who made it.');
        if (!prepared) throw new Error(`${number} is still being set up; try again in a moment.`);
        if (input.actor !== prepared.requester) throw new Error(`Only the requester, <@${prepared.requester}>, can cancel ${number}.`);
        if (cancelRequest) throw new Error(`${number} is already being cancelled.`);
        if (!CANCELLABLE.includes(status)) throw new Error(`${number} cannot be cancelled: ${describe()}.`);
        if (pick?.confirmation && !pick.result) throw new Error(`The warehouse already confirmed the pick of ${number}; it cannot be cancelled now.`);
        if (typeof input.reason === 'string' && input.reason.length > MAX_REASON) throw new Error(`Keep the reason under ${MAX_REASON} characters.`);
      },
    },
  );

  setHandler(stockAvailable, (signal) => {
    if (signal && typeof signal.sku === 'string') arrived.add(skuKey(signal.sku));
  });

  setHandler(getStatus, () => view());

  // ---- side effects ----

  async function persist(): Promise<void> {
    const level = currentLevel === undefined ? undefined : approvals[currentLevel];
    const waitingOn = awaiting();
    await store.saveRequisitionState({
      number,
      status,
      currentLevel: status === 'awaiting_approval' && level ? level.level : null,
      awaiting: waitingOn.kind === 'approval' ? waitingOn.approvers : [],
      issuedValue: view().issuedValue,
      ...(approvedAt ? { approvedAt } : {}),
      ...(closedAt ? { closedAt } : {}),
      lines: lines.map((l) => ({
        lineNo: l.lineNo,
        reserved: l.reserved,
        picked: l.picked,
        issued: l.issued,
        backordered: l.backordered,
        cancelled: l.cancelled,
        issuedValue: l.issuedValue,
      })),
    });
    upsertSearchAttributes([
      { key: searchAttributes.documentStatus, value: status },
      { key: searchAttributes.approvers, value: [...new Set(approvals.flatMap((a) => a.asked))] },
    ]);
  }

  /** Slack is best effort: a message that cannot be delivered is logged, the requisition goes on. */
  async function bestEffort(what: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn(`could not send ${what}`, { number, error: err.cause?.message ?? err.message });
    }
  }

  const tellRequester = (event: RequisitionEvent) =>
    bestEffort(`requester ${event.kind}`, () => slack.notifyRequester({ key: keys.event(number, ++eventSeq, event.kind), view: view(), event }));

  const ask = (levelIndex: number, approver: string, escalatedFrom?: string) =>
    bestEffort('approval request', () =>
      slack.requestApproval({
        key: keys.approvalRequest(number, approvals[levelIndex]!.level, approver),
        view: view(),
        level: approvals[levelIndex]!.level,
        approver,
        ...(escalatedFrom ? { escalatedFrom } : {}),
      }),
    );

  const refreshApprovals = () =>
    approvals.some((a) => a.asked.length) ? bestEffort('approval message update', () => slack.refreshApprovalMessages({ view: view() })) : Promise.resolve();

  // ---- approval ----

  async function runLevel(index: number): Promise<'approved' | 'rejected' | 'cancelled'> {
    const level = approvals[index]!;
    currentLevel = index;
    level.state = 'waiting';
    status = 'awaiting_approval';
    const approvedEarlier = () => approvals.filter((a) => a.state === 'approved').map((a) => a.decidedBy!);
    const first = nextApprover(routes[index]!, { exclude: approvedEarlier() });
    if (first) level.asked.push(first.slackUserId);
    await persist();
    if (first) await ask(index, first.slackUserId);
    await tellRequester(first ? { kind: 'awaiting_approval', level: level.level, approver: first.slackUserId } : { kind: 'awaiting_approval', level: level.level });

    const settled = () => level.state !== 'waiting' || cancelRequest !== undefined;
    let clockStart = Date.now();
    let reminded = false;
    while (!settled()) {
      const due = clockStart + (reminded ? prepared!.escalateAfterMs : prepared!.remindAfterMs);
      if (await condition(settled, Math.max(due - Date.now(), 1))) break;
      if (!reminded) {
        reminded = true;
        level.reminders++;
        for (const approver of level.asked) {
          await bestEffort('reminder', () =>
            slack.remindApprover({
              key: keys.reminder(number, level.level, approver, level.reminders),
              requestKey: keys.approvalRequest(number, level.level, approver),
              view: view(),
              level: level.level,
              approver,
            }),
          );
        }
        continue;
      }
      // Escalation: route the level again with today's approvers and ask the next one not yet asked.
      const route = await store.refreshApprovalLevel({
        number,
        requester: prepared!.requester,
        costCenter: prepared!.costCenter,
        level: level.level,
        name: level.name,
        requiredLimit: level.requiredLimit,
      });
      routes[index] = route;
      if (settled()) break;
      const next = escalationTarget(route, { asked: level.asked, exclude: approvedEarlier() });
      if (next) {
        const from = level.asked[level.asked.length - 1];
        level.asked.push(next.slackUserId);
        level.escalations++;
        level.exhausted = false;
        await persist();
        await ask(index, next.slackUserId, from);
        await tellRequester({ kind: 'escalated', level: level.level, to: next.slackUserId, ...(from ? { from } : {}) });
      } else if (!level.exhausted) {
        level.exhausted = true;
        await tellRequester({ kind: 'no_approver', level: level.level });
      }
      clockStart = Date.now();
      reminded = false;
    }

    if (level.state === 'waiting') return 'cancelled';
    await store.recordApprovalDecision({
      number,
      level: level.level,
      approver: level.decidedBy!,
      decision: level.state === 'approved' ? 'approved' : 'rejected',
      ...(level.reason ? { reason: level.reason } : {}),
      decidedAt: level.decidedAt!,
    });
    if (level.state === 'rejected') {
      rejected = { by: level.decidedBy!, at: level.decidedAt!, reason: level.reason!, level: level.level };
      return 'rejected';
    }
    await refreshApprovals();
    if (index < approvals.length - 1) await tellRequester({ kind: 'level_approved', level: level.level, by: level.decidedBy! });
    return 'approved';
  }

  async function runApproval(): Promise<'approved' | 'rejected' | 'cancelled'> {
    const route = prepared!.route;
    if (route.kind === 'auto') {
      autoApproved = true;
      await store.recordApprovalDecision({
        number,
        level: 0,
        approver: 'auto',
        decision: 'auto_approved',
        reason: `Under the auto-approval threshold of ${route.threshold}`,
        decidedAt: nowIso(),
      });
      return 'approved';
    }
    for (let i = 0; i < approvals.length; i++) {
      if (cancelRequest) return 'cancelled';
      const outcome = await runLevel(i);
      if (outcome !== 'approved') return outcome;
    }
    currentLevel = undefined;
    return 'approved';
  }

  // ---- fulfilment ----

  const outstanding = (l: LineState) => dec(l.requested).minus(l.issued).minus(l.cancelled);

  /** Reserves every open line that may be tried now; returns the SKUs found short on this pass. */
  async function reserveOpenLines(): Promise<string[]> {
    const short: string[] = [];
    for (const line of lines) {
      if (cancelRequest) return short;
      const need = outstanding(line).minus(line.reserved);
      if (!need.gt(0)) continue;
      if (line.waiting && !arrived.has(skuKey(line.sku))) continue;
      // Anything signalled from here on arrives after this attempt, so it must trigger another.
      arrived.delete(skuKey(line.sku));
      line.attempts++;
      reservedEver = true;
      try {
        const result = await store.reserveRequisitionLine({ number, lineNo: line.lineNo, sku: line.sku, quantity: toPlain(need), attempt: line.attempts });
        line.reserved = plus(line.reserved, result.reserved);
        line.allocations = mergeAllocations(line.allocations, result.allocations);
        line.backordered = toPlain(dec(result.short));
        line.waiting = dec(result.short).gt(0);
        if (line.waiting) short.push(line.sku);
      } catch (err) {
        const type = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
        if (!type || !LINE_REFUSALS.includes(type)) throw err;
        line.cancelled = plus(line.cancelled, need);
        line.backordered = '0';
        line.waiting = false;
        line.note = type === 'inactive_item' ? 'The item is no longer stocked.' : 'The item no longer exists.';
      }
    }
    return short;
  }

  async function pickRoundOnce(toPick: LineState[]): Promise<void> {
    pickRound++;
    const warehouse = await store.listWarehouseStaff();
    const current: PickState = { round: pickRound, warehouse, lineNos: toPick.map((l) => l.lineNo), posted: false };
    pick = current;
    status = 'picking';
    await persist();
    await bestEffort('pick task', () => slack.postPickTask({ key: keys.pickTask(number, current.round), view: view(), round: current.round }));
    current.posted = true;
    // v2: a requisition cancelled while its pick task was being posted no longer tells the requester
    // it is being picked. Histories from before the change replay the old branch.
    if (!(cancelRequest && patched(PATCHES.noPickingNoticeAfterCancel))) await tellRequester({ kind: 'picking', round: current.round });
    await condition(() => current.confirmation !== undefined || cancelRequest !== undefined);
    if (!current.confirmation) return;

    const confirmation = current.confirmation;
    const issued: PickResult['issued'] = [];
    for (const picked of confirmation.lines) {
      const line = lines.find((l) => l.lineNo === picked.lineNo)!;
      const quantity = dec(picked.picked);
      if (quantity.gt(0)) {
        const result = await store.issueRequisitionLine({
          number,
          lineNo: line.lineNo,
          sku: line.sku,
          round: current.round,
          allocations: takeFromAllocations(line.allocations, toPlain(quantity)),
          actor: confirmation.actor,
        });
        line.picked = plus(line.picked, quantity);
        line.issued = plus(line.issued, result.issued);
        line.issuedValue = plus(line.issuedValue, result.cost);
        issued.push({ lineNo: line.lineNo, sku: line.sku, quantity: result.issued, cost: result.cost });
      }
      const rest = dec(line.reserved).minus(quantity);
      if (rest.gt(0)) {
        // Not found on the shelf: give the reservation back; a backordered rest waits for a receipt
        // rather than re-reserving the same phantom stock at once.
        await store.releaseRequisitionStock({ number, line: { lineNo: line.lineNo, sku: line.sku, round: current.round } });
        if (picked.remainder === 'cancel') line.cancelled = plus(line.cancelled, rest);
        else {
          line.backordered = plus(line.backordered, rest);
          line.waiting = true;
        }
      }
      line.reserved = '0';
      line.allocations = [];
    }
    const more = lines.some((l) => outstanding(l).gt(0));
    status = more ? 'backordered' : lines.some((l) => dec(l.issued).gt(0)) ? 'issued' : 'cancelled';
    if (!more) closedAt = nowIso();
    await persist();
    await bestEffort('pick task update', () =>
      slack.closePickTask({ key: keys.pickTask(number, current.round), view: view(), round: current.round, outcome: 'confirmed', by: confirmation.actor }),
    );
    await tellRequester({ kind: 'ready', round: current.round });
    current.result = {
      number,
      round: current.round,
      issued,
      status,
      message: `Issued ${issued.length} line${issued.length === 1 ? '' : 's'} of ${number}${more ? '; the rest is backordered' : ''}.`,
    };
  }

  async function fulfil(): Promise<void> {
    for (;;) {
      if (cancelRequest) return;
      if (!lines.some((l) => outstanding(l).gt(0))) return;
      const short = await reserveOpenLines();
      if (cancelRequest) return;
      const toPick = lines.filter((l) => dec(l.reserved).gt(0));
      if (toPick.length) {
        if (short.length) await tellRequester({ kind: 'backordered', skus: short });
        await pickRoundOnce(toPick);
        continue;
      }
      const waiting = lines.filter((l) => l.waiting);
      if (!waiting.length) continue; // every open line was given up: the loop ends
      if (status !== 'backordered' || short.length) {
        status = 'backordered';
        await persist();
      }
      if (short.length) await tellRequester({ kind: 'backordered', skus: short });
      await condition(() => cancelRequest !== undefined || lines.some((l) => l.waiting && arrived.has(skuKey(l.sku))));
    }
  }

  async function finishCancelled(): Promise<void> {
    const request = cancelRequest!;
    const released = reservedEver ? (await store.releaseRequisitionStock({ number })).released : [];
    for (const line of lines) {
      line.cancelled = plus(line.cancelled, outstanding(line));
      line.reserved = '0';
      line.backordered = '0';
      line.waiting = false;
      line.allocations = [];
    }
    if (currentLevel !== undefined && approvals[currentLevel]!.state === 'waiting') approvals[currentLevel]!.state = 'pending';
    status = 'cancelled';
    closedAt = nowIso();
    await persist();
    await refreshApprovals();
    if (pick?.posted && !pick.result) {
      const round = pick.round;
      await bestEffort('pick task update', () =>
        slack.closePickTask({ key: keys.pickTask(number, round), view: view(), round, outcome: 'cancelled', by: request.actor }),
      );
    }
    await tellRequester({ kind: 'cancelled', by: request.actor, ...(request.reason ? { reason: request.reason } : {}) });
    cancelResult = {
      number,
      status,
      released,
      message: `${number} is cancelled${released.length ? '; reserved stock was released' : ''}.`,
    };
  }

  // ---- the flow ----

  prepared = await store.prepareRequisition({ number });
  for (const line of prepared.lines) {
    lines.push({
      ...line,
      reserved: '0',
      picked: '0',
      issued: '0',
      backordered: '0',
      cancelled: '0',
      issuedValue: '0',
      allocations: [],
      waiting: false,
      attempts: 0,
    });
  }
  if (prepared.route.kind === 'levels') {
    for (const route of prepared.route.levels) {
      routes.push(route);
      approvals.push({
        level: route.level,
        name: route.name,
        requiredLimit: route.requiredLimit,
        state: 'pending',
        asked: [],
        passedOver: route.skipped.map((s) => ({ ...s })),
        reminders: 0,
        escalations: 0,
        exhausted: false,
      });
    }
  }
  upsertSearchAttributes([
    { key: searchAttributes.requester, value: prepared.requester },
    { key: searchAttributes.costCenter, value: prepared.costCenter },
  ]);
  await persist();
  await tellRequester({ kind: 'submitted' });

  const decision = await runApproval();
  if (decision === 'rejected') {
    status = 'rejected';
    currentLevel = undefined;
    closedAt = nowIso();
    await persist();
    await refreshApprovals();
    await tellRequester({ kind: 'rejected', by: rejected!.by, reason: rejected!.reason });
  } else if (decision === 'approved') {
    status = 'approved';
    approvedAt = nowIso();
    await persist();
    await tellRequester(autoApproved ? { kind: 'auto_approved' } : { kind: 'approved' });
    await fulfil();
  }
  if (cancelRequest && !CLOSED_STATUSES.includes(status)) await finishCancelled();
  else if (!CLOSED_STATUSES.includes(status)) {
    // Every open quantity was given up (items gone): nothing more can happen.
    status = lines.some((l) => dec(l.issued).gt(0)) ? 'issued' : 'cancelled';
    closedAt = nowIso();
    await persist();
  }

  await condition(allHandlersFinished);
  return {
    number,
    status,
    issuedValue: view().issuedValue,
    lines: lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, issued: l.issued, cancelled: l.cancelled })),
  };
}
