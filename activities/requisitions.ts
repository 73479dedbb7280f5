import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { getCostCenter } from '../db/queries/cost-centers.js';
import * as ledger from '../db/queries/ledger.js';
import { listApprovers, usersWithRole } from '../db/queries/people.js';
import {
  getRequisition,
  recordApprovalDecision,
  saveRequisitionState,
  type RequisitionState,
  unroutedRequisitions,
} from '../db/queries/requisitions.js';
import { routeApproval, routeLevel, type ApprovalRoute, type LevelRoute } from '../inventory/approval-policy.js';
import { dec, sum, toPlain } from '../inventory/decimal.js';
import { startRequisitionWorkflow } from '../runtime/requisitions.js';
import { DEFAULT_SETTINGS, requisitionSettings, type StockroomSettings } from '../runtime/settings.js';
import type { Allocation, Money, Qty } from '../workflows/requisition-messages.js';

/** What the workflow starts from: the requisition as submitted, its approval route and its timers. */
export interface PreparedRequisition {
  number: string;
  requester: string;
  costCenter: string;
  reason: string;
  totalValue: Money;
  submittedAt: string;
  lines: { lineNo: number; sku: string; name: string; uom: string; requested: Qty; unitCost: Money; neededBy?: string }[];
  route: ApprovalRoute;
  remindAfterMs: number;
  escalateAfterMs: number;
}

/** The workflow's keys for ledger calls: requisition number + line + step, so a retry never moves stock twice. */
export const ledgerKeys = {
  reserve: (number: string, lineNo: number, attempt: number) => `${number}/line-${lineNo}/reserve-${attempt}`,
  issue: (number: string, lineNo: number, round: number, location: string) => `${number}/line-${lineNo}/issue-${round}/${location.toLowerCase()}`,
  releaseLine: (number: string, lineNo: number, round: number) => `${number}/line-${lineNo}/release-${round}`,
  releaseAll: (number: string) => `${number}/release-all`,
};

const WORKFLOW_ACTOR = 'stockroom:requisition';

/** Ledger refusals are final (bad SKU, inactive item…): retrying cannot help, so the workflow decides. */
async function ledgerCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ledger.LedgerError) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

export function createRequisitionActivities(deps: { db: Database; settings?: StockroomSettings }) {
  const { db } = deps;
  const settings = deps.settings ?? DEFAULT_SETTINGS;

  async function designatedApprovers(costCenter: string): Promise<string[]> {
    const center = await getCostCenter(db, costCenter);
    return center?.approverSlackUserId ? [center.approverSlackUserId] : [];
  }

  return {
    /** Loads the requisition and routes it through the approval policy with today's approvers. */
    async prepareRequisition(input: { number: string }): Promise<PreparedRequisition> {
      const record = await getRequisition(db, input.number);
      if (!record) throw ApplicationFailure.nonRetryable(`No requisition ${input.number}`, 'unknown_requisition');
      const timers = requisitionSettings(settings);
      const route = routeApproval({
        amount: record.totalValue,
        requester: record.requester,
        policy: timers.policy,
        approvers: await listApprovers(db),
        designated: await designatedApprovers(record.costCenter),
      });
      return {
        number: record.number,
        requester: record.requester,
        costCenter: record.costCenter,
        reason: record.reason,
        totalValue: record.totalValue,
        submittedAt: record.createdAt.toISOString(),
        lines: record.lines.map((l) => ({
          lineNo: l.lineNo,
          sku: l.sku,
          name: l.name,
          uom: l.uom,
          requested: l.requested,
          unitCost: l.unitCost,
          ...(l.neededBy ? { neededBy: l.neededBy } : {}),
        })),
        route,
        remindAfterMs: timers.remindAfterMs,
        escalateAfterMs: timers.escalateAfterMs,
      };
    },

    /** One level routed again with today's approvers (escalation asks someone granted since submission too). */
    async refreshApprovalLevel(input: {
      number: string;
      requester: string;
      costCenter: string;
      level: number;
      name: string;
      requiredLimit: Money;
    }): Promise<LevelRoute> {
      return routeLevel({
        level: input.level,
        name: input.name,
        requiredLimit: input.requiredLimit,
        requester: input.requester,
        approvers: await listApprovers(db),
        designated: await designatedApprovers(input.costCenter),
      });
    },

    /** Who may confirm a pick (the workflow's confirmPick validator checks against this list). */
    async listWarehouseStaff(): Promise<string[]> {
      return usersWithRole(db, 'warehouse');
    },

    async saveRequisitionState(input: RequisitionState): Promise<void> {
      await saveRequisitionState(db, input);
    },

    async recordApprovalDecision(input: Parameters<typeof recordApprovalDecision>[1]): Promise<void> {
      await recordApprovalDecision(db, input);
    },

    /** Reserves what it can of a line's open quantity, across bins; `attempt` numbers retries of the same line. */
    async reserveRequisitionLine(input: { number: string; lineNo: number; sku: string; quantity: Qty; attempt: number }) {
      const result = await ledgerCall(() =>
        ledger.reserve(db, {
          key: ledgerKeys.reserve(input.number, input.lineNo, input.attempt),
          sku: input.sku,
          quantity: input.quantity,
          document: { type: 'requisition', id: input.number },
          actor: WORKFLOW_ACTOR,
        }),
      );
      return { reserved: result.reserved, short: result.short, allocations: result.allocations };
    },

    /**
     * Issues a picked line from the bins it was reserved in, one ledger issue per bin, each keyed by
     * requisition + line + round + bin: a retry after a crash re-issues nothing.
     */
    async issueRequisitionLine(input: {
      number: string;
      lineNo: number;
      sku: string;
      round: number;
      allocations: Allocation[];
      actor: string;
    }): Promise<{ issued: Qty; cost: Money }> {
      const results = [];
      for (const allocation of input.allocations) {
        if (!dec(allocation.quantity).gt(0)) continue;
        results.push(
          await ledgerCall(() =>
            ledger.issue(db, {
              key: ledgerKeys.issue(input.number, input.lineNo, input.round, allocation.location),
              document: { type: 'requisition', id: input.number },
              sku: input.sku,
              location: allocation.location,
              quantity: allocation.quantity,
              actor: input.actor,
            }),
          ),
        );
      }
      return { issued: toPlain(sum(results.map((r) => r.quantity))), cost: toPlain(sum(results.map((r) => r.cost))) };
    },

    /** Gives back the requisition's open reservations: of one line after its pick round, or all of them. */
    async releaseRequisitionStock(input: { number: string; line?: { lineNo: number; sku: string; round: number } }) {
      const { line } = input;
      return ledgerCall(() =>
        ledger.release(db, {
          key: line ? ledgerKeys.releaseLine(input.number, line.lineNo, line.round) : ledgerKeys.releaseAll(input.number),
          document: { type: 'requisition', id: input.number },
          ...(line ? { sku: line.sku } : {}),
          actor: WORKFLOW_ACTOR,
        }),
      );
    },

    /**
     * The sweep (a Schedule every few minutes): requisitions recorded but never routed, most likely
     * because starting their workflow failed at submission, get it started now. Repeating is harmless.
     */
    async startUnroutedRequisitions(input: { olderThanMinutes: number }): Promise<string[]> {
      const left = await unroutedRequisitions(db, { olderThanMinutes: input.olderThanMinutes });
      for (const requisition of left) await startRequisitionWorkflow(Context.current().client, requisition);
      return left.map((r) => r.number);
    },
  };
}
