import { describe, expect, test } from 'vitest';
import {
  authorizeDecision,
  DEFAULT_APPROVAL_POLICY,
  escalationTarget,
  nextApprover,
  requiredLevels,
  routeApproval,
  routeLevel,
  validatePolicy,
  type ApprovalPolicy,
  type Approver,
} from '../../inventory/approval-policy.js';

const policy: ApprovalPolicy = { autoApproveBelow: '250', levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }] };
const approvers: Approver[] = [
  { slackUserId: 'U_DIRECTOR', limit: '50000' },
  { slackUserId: 'U_MANAGER', limit: '5000' },
  { slackUserId: 'U_LEAD', limit: '1000' },
  { slackUserId: 'U_MANAGER2', limit: '5000' },
];

describe('requiredLevels', () => {
  test('below the threshold nothing is needed; the threshold itself needs level 1', () => {
    expect(requiredLevels('249.99', policy)).toEqual([]);
    expect(requiredLevels('250', policy)).toEqual([{ level: 1, name: 'Manager', requiredLimit: '250' }]);
  });

  test('up to the level 1 bound only level 1; above it level 1 capped at its bound, then level 2 for the whole amount', () => {
    expect(requiredLevels('5000', policy)).toEqual([{ level: 1, name: 'Manager', requiredLimit: '5000' }]);
    expect(requiredLevels('7000.50', policy)).toEqual([
      { level: 1, name: 'Manager', requiredLimit: '5000' },
      { level: 2, name: 'Director', requiredLimit: '7000.5' },
    ]);
  });

  test('a bounded last level still answers for the whole amount', () => {
    const bounded: ApprovalPolicy = { autoApproveBelow: '0', levels: [{ name: 'A', upTo: '100' }, { name: 'B', upTo: '1000' }] };
    expect(requiredLevels('5000', bounded).map((l) => l.requiredLimit)).toEqual(['100', '5000']);
  });

  test('exact decimals: no float rounding at the bound', () => {
    const p: ApprovalPolicy = { autoApproveBelow: '0.3', levels: [{ name: 'A' }] };
    expect(requiredLevels('0.29999999999999999999', p)).toEqual([]);
    expect(requiredLevels('0.1', { ...p, autoApproveBelow: '0.1' })).toHaveLength(1);
  });
});

describe('routeLevel', () => {
  test('the cost center approver is asked first, then others from the smallest sufficient limit', () => {
    const route = routeLevel({ level: 1, name: 'Manager', requiredLimit: '800', requester: 'U_REQ', approvers, designated: ['U_MANAGER2'] });
    expect(route.candidates.map((c) => c.slackUserId)).toEqual(['U_MANAGER2', 'U_LEAD', 'U_MANAGER', 'U_DIRECTOR']);
    expect(route.skipped).toEqual([]);
  });

  test('a designated approver whose limit is below the amount is passed over, with the reason', () => {
    const route = routeLevel({ level: 1, name: 'Manager', requiredLimit: '3000', requester: 'U_REQ', approvers, designated: ['U_LEAD'] });
    expect(route.skipped).toEqual([{ slackUserId: 'U_LEAD', limit: '1000', reason: 'limit_below_amount' }]);
    expect(route.candidates[0]!.slackUserId).toBe('U_MANAGER');
    expect(route.candidates.map((c) => c.slackUserId)).not.toContain('U_LEAD');
  });

  test('the requester is never a candidate, even as the designated approver', () => {
    const route = routeLevel({ level: 1, name: 'Manager', requiredLimit: '300', requester: 'U_MANAGER', approvers, designated: ['U_MANAGER'] });
    expect(route.candidates.map((c) => c.slackUserId)).not.toContain('U_MANAGER');
    expect(route.skipped).toEqual([{ slackUserId: 'U_MANAGER', limit: '5000', reason: 'own_requisition' }]);
  });

  test('nobody covers the amount: no candidates', () => {
    const route = routeLevel({ level: 2, name: 'Director', requiredLimit: '90000', requester: 'U_REQ', approvers });
    expect(route.candidates).toEqual([]);
  });
});

describe('routeApproval', () => {
  test('auto-approves under the threshold', () => {
    expect(routeApproval({ amount: '10', requester: 'U_REQ', policy, approvers })).toEqual({ kind: 'auto', amount: '10', threshold: '250' });
  });

  test('multi-level: level 2 candidates all cover the whole amount', () => {
    const route = routeApproval({ amount: '7000', requester: 'U_REQ', policy, approvers, designated: ['U_MANAGER'] });
    expect(route.kind).toBe('levels');
    if (route.kind !== 'levels') return;
    expect(route.levels.map((l) => l.candidates[0]!.slackUserId)).toEqual(['U_MANAGER', 'U_DIRECTOR']);
    expect(route.levels[1]!.candidates.map((c) => c.slackUserId)).toEqual(['U_DIRECTOR']);
  });
});

describe('nextApprover (escalation)', () => {
  const route = routeLevel({ level: 1, name: 'Manager', requiredLimit: '800', requester: 'U_REQ', approvers });

  test('walks the candidates in order and ends undefined', () => {
    expect(nextApprover(route)?.slackUserId).toBe('U_LEAD');
    expect(nextApprover(route, { after: 'U_LEAD' })?.slackUserId).toBe('U_MANAGER');
    expect(nextApprover(route, { after: 'U_DIRECTOR' })).toBeUndefined();
  });

  test('skips people who approved an earlier level', () => {
    expect(nextApprover(route, { after: 'U_LEAD', exclude: ['U_MANAGER', 'U_MANAGER2'] })?.slackUserId).toBe('U_DIRECTOR');
  });
});

describe('escalationTarget', () => {
  const route = routeLevel({ level: 1, name: 'Manager', requiredLimit: '800', requester: 'U_REQ', approvers, designated: ['U_MANAGER'] });

  test('goes up the ladder from the largest limit asked, not down to a more junior approver', () => {
    expect(escalationTarget(route, { asked: ['U_MANAGER'] })?.slackUserId).toBe('U_MANAGER2');
    expect(escalationTarget(route, { asked: ['U_MANAGER', 'U_MANAGER2'] })?.slackUserId).toBe('U_DIRECTOR');
  });

  test('when nobody is above, the remaining approver with the largest limit; then nobody', () => {
    expect(escalationTarget(route, { asked: ['U_DIRECTOR'] })?.slackUserId).toBe('U_MANAGER2');
    expect(escalationTarget(route, { asked: ['U_MANAGER', 'U_MANAGER2', 'U_DIRECTOR', 'U_LEAD'] })).toBeUndefined();
    expect(escalationTarget(route, { asked: ['U_MANAGER', 'U_MANAGER2'], exclude: ['U_DIRECTOR'] })?.slackUserId).toBe('U_LEAD');
  });
});

describe('authorizeDecision', () => {
  const route = routeLevel({ level: 1, name: 'Manager', requiredLimit: '3000', requester: 'U_REQ', approvers, designated: ['U_LEAD'] });

  test('a candidate may decide', () => {
    expect(authorizeDecision({ actor: 'U_MANAGER', requester: 'U_REQ', route, approvedEarlier: [] })).toEqual({ ok: true });
  });

  test('nobody approves their own requisition, even with the limit', () => {
    const own = routeLevel({ level: 1, name: 'Manager', requiredLimit: '300', requester: 'U_DIRECTOR', approvers });
    const result = authorizeDecision({ actor: 'U_DIRECTOR', requester: 'U_DIRECTOR', route: own, approvedEarlier: [] });
    expect(result).toMatchObject({ ok: false, reason: 'own_requisition' });
  });

  test('an approver below the limit is told their limit and the amount', () => {
    const result = authorizeDecision({ actor: 'U_LEAD', requester: 'U_REQ', route, approvedEarlier: [] });
    expect(result).toEqual({
      ok: false,
      reason: 'limit_below_amount',
      message: 'Your approval limit 1,000.00 is below the 3,000.00 level 1 (Manager) needs.',
    });
  });

  test('someone who approved level 1 cannot approve level 2', () => {
    const l2 = routeLevel({ level: 2, name: 'Director', requiredLimit: '4000', requester: 'U_REQ', approvers });
    expect(authorizeDecision({ actor: 'U_MANAGER', requester: 'U_REQ', route: l2, approvedEarlier: ['U_MANAGER'] })).toMatchObject({
      ok: false,
      reason: 'already_approved_a_level',
    });
  });

  test('a stranger is not an approver', () => {
    expect(authorizeDecision({ actor: 'U_NOBODY', requester: 'U_REQ', route, approvedEarlier: [] })).toMatchObject({
      ok: false,
      reason: 'not_an_approver',
    });
  });
});

describe('validatePolicy', () => {
  test('accepts the default', () => {
    expect(validatePolicy(DEFAULT_APPROVAL_POLICY)).toBe(DEFAULT_APPROVAL_POLICY);
  });

  test('refuses an unbounded level before the last, decreasing bounds and bad amounts', () => {
    expect(() => validatePolicy({ autoApproveBelow: '0', levels: [{ name: 'A' }, { name: 'B' }] })).toThrow(/only the last level/);
    expect(() => validatePolicy({ autoApproveBelow: '0', levels: [{ name: 'A', upTo: '500' }, { name: 'B', upTo: '100' }, { name: 'C' }] })).toThrow(
      /below the previous bound/,
    );
    expect(() => validatePolicy({ autoApproveBelow: '1e3', levels: [{ name: 'A' }] })).toThrow(/non-negative amount/);
    expect(() => validatePolicy({ autoApproveBelow: '0', levels: [] })).toThrow(/at least one/);
  });
});
