import { Decimal, dec, formatMoney, parseDecimal, toPlain } from './decimal.js';

/**
 * Who must approve a requisition, as pure code: the routing activity feeds it the approvers from the
 * database, and the requisition workflow uses the same functions to authorize clicks, so the rule
 * the DM promises is the rule the workflow enforces. Money is a decimal string everywhere.
 *
 * Rules:
 * - below `autoApproveBelow` (strictly) a requisition is approved without anyone;
 * - otherwise level 1 is always needed, and each further level when the amount exceeds the previous
 *   level's `upTo` (7,000 with levels "up to 5,000" and "above" needs both, in order);
 * - level k needs an approver whose limit covers min(amount, upTo of level k);
 * - nobody approves their own requisition, and one person approves at most one level (four eyes);
 * - the cost center's approvers are asked first; one whose limit is too low is passed over (recorded,
 *   so the thread can say why), and the request goes to the most junior approver whose limit covers it.
 */

export type Money = string;

export interface ApprovalLevelRule {
  /** Shown to people: "Manager", "Director". */
  name: string;
  /** Inclusive upper bound of the amount this level decides alone; omitted on the last level. */
  upTo?: Money;
}

export interface ApprovalPolicy {
  autoApproveBelow: Money;
  levels: ApprovalLevelRule[];
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  autoApproveBelow: '250',
  levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }],
};

export interface Approver {
  slackUserId: string;
  limit: Money;
}

export type SkipReason = 'own_requisition' | 'limit_below_amount';

export interface SkippedApprover {
  slackUserId: string;
  limit: Money;
  reason: SkipReason;
}

export interface LevelRoute {
  level: number;
  name: string;
  /** The limit an approver needs at this level. */
  requiredLimit: Money;
  /** Everyone allowed to decide this level, in the order they are asked (escalation walks this list). */
  candidates: Approver[];
  /** Designated approvers (cost center) passed over, with why. */
  skipped: SkippedApprover[];
}

export type ApprovalRoute =
  | { kind: 'auto'; amount: Money; threshold: Money }
  | { kind: 'levels'; amount: Money; levels: LevelRoute[] };

export class ApprovalPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalPolicyError';
  }
}

/** Checks a policy read from a config file; throws with a sentence a person can act on. */
export function validatePolicy(policy: ApprovalPolicy): ApprovalPolicy {
  const money = (value: string, where: string) => {
    const parsed = parseDecimal(value);
    if (!parsed || parsed.isNegative()) throw new ApprovalPolicyError(`${where} must be a non-negative amount, got "${value}"`);
    return parsed;
  };
  money(policy.autoApproveBelow, 'autoApproveBelow');
  if (policy.levels.length === 0) throw new ApprovalPolicyError('at least one approval level is needed');
  let previous = dec(policy.autoApproveBelow);
  policy.levels.forEach((level, i) => {
    const last = i === policy.levels.length - 1;
    if (level.upTo === undefined) {
      if (!last) throw new ApprovalPolicyError(`level ${i + 1} (${level.name}) needs "upTo": only the last level is unbounded`);
      return;
    }
    const upTo = money(level.upTo, `level ${i + 1} upTo`);
    if (upTo.lt(previous)) throw new ApprovalPolicyError(`level ${i + 1} upTo ${level.upTo} is below the previous bound ${toPlain(previous)}`);
    previous = upTo;
  });
  return policy;
}

/** The levels an amount needs, with the limit each requires; empty when auto-approved. */
export function requiredLevels(amount: Money, policy: ApprovalPolicy): { level: number; name: string; requiredLimit: Money }[] {
  const value = dec(amount);
  if (value.lt(policy.autoApproveBelow)) return [];
  const levels: { level: number; name: string; requiredLimit: Money }[] = [];
  for (const [i, rule] of policy.levels.entries()) {
    const previousUpTo = i === 0 ? undefined : policy.levels[i - 1]!.upTo;
    if (previousUpTo !== undefined && !value.gt(previousUpTo)) break;
    // The last level answers for the whole amount, even when the config gave it a bound.
    const last = i === policy.levels.length - 1;
    const cap = last || rule.upTo === undefined ? value : Decimal.min(value, rule.upTo);
    levels.push({ level: i + 1, name: rule.name, requiredLimit: toPlain(cap) });
  }
  return levels;
}

/**
 * Orders the approvers for one level: designated (cost center) approvers first in their given
 * order, then everyone else from the smallest sufficient limit up, so senior people are asked last.
 */
export function routeLevel(input: {
  level: number;
  name: string;
  requiredLimit: Money;
  requester: string;
  approvers: Approver[];
  designated?: string[];
}): LevelRoute {
  const required = dec(input.requiredLimit);
  const byId = new Map(input.approvers.map((a) => [a.slackUserId, a]));
  const skipped: SkippedApprover[] = [];
  const candidates: Approver[] = [];
  const seen = new Set<string>();
  for (const id of input.designated ?? []) {
    const approver = byId.get(id);
    if (!approver || seen.has(id)) continue;
    seen.add(id);
    if (id === input.requester) skipped.push({ ...approver, reason: 'own_requisition' });
    else if (dec(approver.limit).lt(required)) skipped.push({ ...approver, reason: 'limit_below_amount' });
    else candidates.push(approver);
  }
  const others = input.approvers
    .filter((a) => !seen.has(a.slackUserId) && a.slackUserId !== input.requester && !dec(a.limit).lt(required))
    .sort((a, b) => dec(a.limit).comparedTo(b.limit) || (a.slackUserId < b.slackUserId ? -1 : a.slackUserId > b.slackUserId ? 1 : 0));
  candidates.push(...others);
  return { level: input.level, name: input.name, requiredLimit: input.requiredLimit, candidates, skipped };
}

/** The whole route for a requisition at submission. */
export function routeApproval(input: {
  amount: Money;
  requester: string;
  policy: ApprovalPolicy;
  approvers: Approver[];
  designated?: string[];
}): ApprovalRoute {
  const levels = requiredLevels(input.amount, input.policy);
  if (levels.length === 0) return { kind: 'auto', amount: input.amount, threshold: input.policy.autoApproveBelow };
  return {
    kind: 'levels',
    amount: input.amount,
    levels: levels.map((l) => routeLevel({ ...l, requester: input.requester, approvers: input.approvers, designated: input.designated })),
  };
}

/**
 * Who to ask at a level now: the first candidate after `current` (or the first at all) who has not
 * approved an earlier level. Undefined when the list is exhausted.
 */
export function nextApprover(route: LevelRoute, opts: { after?: string; exclude?: string[] } = {}): Approver | undefined {
  const exclude = new Set(opts.exclude ?? []);
  const start = opts.after === undefined ? 0 : route.candidates.findIndex((c) => c.slackUserId === opts.after) + 1;
  return route.candidates.slice(start).find((c) => !exclude.has(c.slackUserId));
}

/**
 * Whom to escalate to when those asked have not decided: up the ladder first (the smallest limit
 * at least as large as the largest limit already asked), else whoever remains with the largest
 * limit. Undefined when everyone eligible has been asked.
 */
export function escalationTarget(route: LevelRoute, opts: { asked: string[]; exclude?: string[] }): Approver | undefined {
  const asked = new Set(opts.asked);
  const exclude = new Set(opts.exclude ?? []);
  const floor = route.candidates
    .filter((c) => asked.has(c.slackUserId))
    .reduce((max, c) => (dec(c.limit).gt(max) ? dec(c.limit) : max), dec(0));
  const remaining = route.candidates.filter((c) => !asked.has(c.slackUserId) && !exclude.has(c.slackUserId));
  const byLimit = (a: Approver, b: Approver) => dec(a.limit).comparedTo(b.limit) || (a.slackUserId < b.slackUserId ? -1 : a.slackUserId > b.slackUserId ? 1 : 0);
  const up = remaining.filter((c) => !dec(c.limit).lt(floor)).sort(byLimit);
  return up[0] ?? remaining.sort((a, b) => byLimit(b, a))[0];
}

export type DecisionRefusal = { ok: false; reason: 'own_requisition' | 'already_approved_a_level' | 'not_an_approver' | 'limit_below_amount'; message: string };

/**
 * May `actor` decide this level? The workflow's update validators call this, so the answer the
 * click gets is the enforced rule, not a UI hint.
 */
export function authorizeDecision(input: {
  actor: string;
  requester: string;
  route: LevelRoute;
  /** People who approved earlier levels of this requisition. */
  approvedEarlier: string[];
  /** The actor's current limit when known (for a precise refusal). */
  actorLimit?: Money;
}): { ok: true } | DecisionRefusal {
  if (input.actor === input.requester) {
    return { ok: false, reason: 'own_requisition', message: 'You cannot approve or reject your own requisition.' };
  }
  if (input.approvedEarlier.includes(input.actor)) {
    return {
      ok: false,
      reason: 'already_approved_a_level',
      message: `You already approved an earlier level; level ${input.route.level} (${input.route.name}) needs someone else.`,
    };
  }
  if (input.route.candidates.some((c) => c.slackUserId === input.actor)) return { ok: true };
  const known = input.actorLimit ?? input.route.skipped.find((s) => s.slackUserId === input.actor)?.limit;
  if (known !== undefined) {
    return {
      ok: false,
      reason: 'limit_below_amount',
      message: `Your approval limit ${formatMoney(known)} is below the ${formatMoney(input.route.requiredLimit)} level ${input.route.level} (${input.route.name}) needs.`,
    };
  }
  return {
    ok: false,
    reason: 'not_an_approver',
    message: `You are not an approver for level ${input.route.level} (${input.route.name}) of this requisition.`,
  };
}
