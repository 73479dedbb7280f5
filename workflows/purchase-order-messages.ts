import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PurchaseOrderStatus } from '../inventory/purchase-order.js';

/**
 * The purchase order workflow's public surface (one per PO, ID purchaseOrderWorkflowId(number)):
 * the Updates clicks and the receiving modal become, the status query and the view. Quantities and
 * money are decimal strings.
 */

export type Qty = string;
export type Money = string;
export type { PurchaseOrderStatus };

export interface PurchaseOrderWorkflowInput {
  /** PO-000123, created by createPurchaseOrder (db/queries/purchasing.ts) before the workflow starts. */
  number: string;
  /** Submit for approval at once, as this person (a buyer creating and submitting in one click). */
  submitAs?: string;
}

export interface PurchaseOrderLineView {
  lineNo: number;
  sku: string;
  name: string;
  uom: string;
  decimals: number;
  ordered: Qty;
  received: Qty;
  cancelled: Qty;
  unitPrice: Money;
  expectedDate?: string;
  defaultLocation?: string;
  requisitionLineId?: string;
}

export type PoApprovalState = 'pending' | 'waiting' | 'approved' | 'rejected';

export interface PoApprovalLevelView {
  level: number;
  name: string;
  requiredLimit: Money;
  state: PoApprovalState;
  asked: string[];
  reminders: number;
  escalations: number;
  exhausted: boolean;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export interface PurchaseOrderView {
  number: string;
  vendorCode: string;
  vendorName: string;
  buyer: string;
  status: PurchaseOrderStatus;
  source: 'restock' | 'backorder' | 'manual';
  totalValue: Money;
  createdAt: string;
  submittedBy?: string;
  autoApproved: boolean;
  sentAt?: string;
  expectedAt?: string;
  lines: PurchaseOrderLineView[];
  approvals: PoApprovalLevelView[];
  receipts: number;
  overdueReminders: number;
  invoices: { invoiceNumber: string; status: 'matched' | 'mismatch' }[];
  cancelled?: { by: string; at: string; reason?: string };
  rejected?: { by: string; at: string; reason: string; level: number };
}

export interface ActorInput {
  actor: string;
}

export interface PoDecisionInput extends ActorInput {
  /** The level the clicked message was for; an older level's click is refused as stale. */
  level?: number;
}

export interface PoRejectInput extends PoDecisionInput {
  reason: string;
}

export interface PoDecisionResult {
  number: string;
  level: number;
  decision: 'approved' | 'rejected';
  message: string;
}

export interface ReceiveLineInput {
  lineNo: number;
  quantity: Qty;
  location?: string;
  lot?: string;
  note?: string;
}

export interface ReceiveInput extends ActorInput {
  /** The receiving submission's idempotency key (the modal's view id): a resubmission posts nothing twice. */
  key: string;
  lines: ReceiveLineInput[];
}

export interface ReceiveResult {
  number: string;
  status: PurchaseOrderStatus;
  posted: { lineNo: number; sku: string; quantity: Qty; location: string; lot?: string }[];
  message: string;
}

export interface CancelPoInput extends ActorInput {
  reason?: string;
}

export interface CancelPoResult {
  number: string;
  status: PurchaseOrderStatus;
  cancelled: { lineNo: number; sku: string; quantity: Qty }[];
  message: string;
}

export interface InvoiceInput extends ActorInput {
  key: string;
  invoiceNumber: string;
  invoiceDate?: string;
  lines: { lineNo: number; quantity: Qty; unitPrice: Money }[];
}

export interface InvoiceResult {
  number: string;
  invoiceNumber: string;
  status: 'matched' | 'mismatch';
  mismatches: { lineNo: number; sku: string; field: string; message: string }[];
  message: string;
}

export const submitPurchaseOrder = defineUpdate<{ number: string; status: PurchaseOrderStatus; message: string }, [ActorInput]>('submit');
export const approvePurchaseOrder = defineUpdate<PoDecisionResult, [PoDecisionInput]>('approve');
export const rejectPurchaseOrder = defineUpdate<PoDecisionResult, [PoRejectInput]>('reject');
export const receiveGoods = defineUpdate<ReceiveResult, [ReceiveInput]>('receive');
export const cancelPurchaseOrder = defineUpdate<CancelPoResult, [CancelPoInput]>('cancel');
export const recordInvoice = defineUpdate<InvoiceResult, [InvoiceInput]>('recordInvoice');

export const getPurchaseOrder = defineQuery<PurchaseOrderView>('getPurchaseOrder');

export type PurchaseOrderEvent =
  | { kind: 'created' }
  | { kind: 'submitted'; by: string }
  | { kind: 'auto_approved' }
  | { kind: 'awaiting_approval'; level: number; approver?: string }
  | { kind: 'approved' }
  | { kind: 'rejected'; by: string; reason: string }
  | { kind: 'escalated'; level: number; to: string }
  | { kind: 'no_approver'; level: number }
  | { kind: 'sent'; expectedAt: string }
  | { kind: 'overdue'; expectedAt: string; reminder: number }
  | { kind: 'received'; by: string; lines: { sku: string; quantity: Qty; location: string }[]; complete: boolean }
  | { kind: 'cancelled'; by: string; reason?: string; closed: boolean }
  | { kind: 'invoice_mismatch'; invoiceNumber: string; problems: string[] }
  | { kind: 'invoice_matched'; invoiceNumber: string };

export interface PurchaseOrderOutcome {
  number: string;
  status: PurchaseOrderStatus;
  lines: { lineNo: number; sku: string; ordered: Qty; received: Qty; cancelled: Qty }[];
}
