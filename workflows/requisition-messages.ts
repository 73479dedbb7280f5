import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * The requisition workflow's public surface: its input, the Updates people's clicks become, the
 * signal restocking sends, the status query, and the view they all return. Shared by the workflow,
 * the bot, the CLI and tests. Quantities and money are decimal strings.
 */

export type Qty = string;
export type Money = string;

export type RequisitionStatus =
  | 'submitted'
  | 'awaiting_approval'
  | 'approved'
  | 'backordered'
  | 'picking'
  | 'issued'
  | 'rejected'
  | 'cancelled';

/** Statuses in which the requisition is over (the workflow has returned or is returning). */
export const CLOSED_STATUSES: readonly RequisitionStatus[] = ['issued', 'rejected', 'cancelled'];

export interface RequisitionWorkflowInput {
  /** REQ-000123, created by createRequisition (db/queries/requisitions.ts) before the workflow starts. */
  number: string;
}

export interface Allocation {
  location: string;
  quantity: Qty;
}

export interface RequisitionLineView {
  lineNo: number;
  sku: string;
  name: string;
  uom: string;
  requested: Qty;
  /** Held in the ledger now for this line (by bin in `allocations`). */
  reserved: Qty;
  picked: Qty;
  issued: Qty;
  /** Waiting for stock to arrive. */
  backordered: Qty;
  cancelled: Qty;
  unitCost: Money;
  /** Cost of goods issued so far (ledger valuation). */
  issuedValue: Money;
  neededBy?: string;
  /** Purchase order the backordered quantity is on, once restocking puts it on one. */
  purchaseOrder?: string;
  allocations: Allocation[];
  /** Why a line was given up without being picked (unknown or inactive item at reservation). */
  note?: string;
}

export type ApprovalLevelState = 'pending' | 'waiting' | 'approved' | 'rejected';

export interface ApprovalLevelView {
  level: number;
  name: string;
  requiredLimit: Money;
  state: ApprovalLevelState;
  /** Approvers asked so far, in order (the first, then each escalation). */
  asked: string[];
  /** Designated approvers passed over and why ('limit_below_amount', 'own_requisition'). */
  passedOver: { slackUserId: string; limit: Money; reason: string }[];
  reminders: number;
  escalations: number;
  /** Nobody left to escalate to (still waiting on those asked). */
  exhausted: boolean;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export type Awaiting =
  | { kind: 'approval'; level: number; approvers: string[] }
  | { kind: 'stock'; skus: string[] }
  | { kind: 'pick'; round: number; warehouse: string[] }
  | { kind: 'nothing' };

export interface RequisitionView {
  number: string;
  requester: string;
  costCenter: string;
  reason: string;
  status: RequisitionStatus;
  /** Estimated value (quantity × unit cost estimate), what approval and budgets use. */
  totalValue: Money;
  issuedValue: Money;
  submittedAt: string;
  autoApproved: boolean;
  lines: RequisitionLineView[];
  approvals: ApprovalLevelView[];
  awaiting: Awaiting;
  /** Pick rounds so far (a short pick or a late receipt makes another). */
  pickRound: number;
  cancelled?: { by: string; at: string; reason?: string };
  rejected?: { by: string; at: string; reason: string; level: number };
}

// ---- Updates (clicks) ----

export interface ApproveInput {
  /** Slack user id of whoever clicked. */
  actor: string;
  /** The level the clicked message was for; a click on an older level's message is refused as stale. */
  level?: number;
}

export interface RejectInput extends ApproveInput {
  reason: string;
}

export interface DecisionResult {
  number: string;
  level: number;
  decision: 'approved' | 'rejected';
  /** A sentence for the person who clicked. */
  message: string;
}

export interface PickedLine {
  lineNo: number;
  picked: Qty;
  /** What happens to reserved-but-not-picked quantity: wait for stock again, or give it up. Default backorder. */
  remainder?: 'backorder' | 'cancel';
}

export interface ConfirmPickInput {
  actor: string;
  /** The pick round the task message was for; a click on an older task is refused as stale. */
  round?: number;
  lines: PickedLine[];
}

export interface PickResult {
  number: string;
  round: number;
  issued: { lineNo: number; sku: string; quantity: Qty; cost: Money }[];
  status: RequisitionStatus;
  message: string;
}

export interface CancelInput {
  actor: string;
  reason?: string;
}

export interface CancelResult {
  number: string;
  status: RequisitionStatus;
  released: { sku: string; location: string; quantity: Qty }[];
  message: string;
}

export const approve = defineUpdate<DecisionResult, [ApproveInput]>('approve');
export const reject = defineUpdate<DecisionResult, [RejectInput]>('reject');
export const confirmPick = defineUpdate<PickResult, [ConfirmPickInput]>('confirmPick');
export const cancel = defineUpdate<CancelResult, [CancelInput]>('cancel');

// ---- Signal (restocking's hook) ----

export interface StockAvailableInput {
  /** Any case; compared ignoring case. */
  sku: string;
}

/**
 * Restocking's hook: "stock of this SKU arrived, try again". A requisition with backordered lines of
 * that SKU retries their reservation; any other requisition ignores it, so sending it to every
 * requisition that might care is safe. Find them with backorderedRequisitionNumbers(db, sku)
 * (db/queries/requisitions.ts), or send it with signalStockAvailable (runtime/requisitions.ts).
 */
export const stockAvailable = defineSignal<[StockAvailableInput]>('stockAvailable');

// ---- Query ----

export const getStatus = defineQuery<RequisitionView>('getStatus');

/** The workflow's result. */
export interface RequisitionOutcome {
  number: string;
  status: RequisitionStatus;
  issuedValue: Money;
  lines: { lineNo: number; sku: string; issued: Qty; cancelled: Qty }[];
}

// ---- What notify activities are told (kept small: the view says the rest) ----

export type RequisitionEvent =
  | { kind: 'submitted' }
  | { kind: 'auto_approved' }
  | { kind: 'awaiting_approval'; level: number; approver?: string }
  | { kind: 'level_approved'; level: number; by: string }
  | { kind: 'approved' }
  | { kind: 'rejected'; by: string; reason: string }
  | { kind: 'escalated'; level: number; from?: string; to: string }
  | { kind: 'no_approver'; level: number }
  | { kind: 'backordered'; skus: string[] }
  | { kind: 'picking'; round: number }
  | { kind: 'ready'; round: number }
  | { kind: 'cancelled'; by: string; reason?: string };
