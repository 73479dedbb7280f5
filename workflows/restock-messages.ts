import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The restock workflow's public surface (one workflow per SKU, ID restockWorkflowId(sku)): the signal
 * every stock change sends through signalWithStart, the status query, and the figures its activities
 * return. Quantities are decimal strings.
 */

export type Qty = string;

export type RestockStatus = 'stockout' | 'low' | 'ok' | 'no_policy' | 'unknown_item';

export interface RestockInput {
  sku: string;
}

/** What an alert shows, for the worst of the item's policies. */
export interface RestockFigures {
  sku: string;
  name: string;
  uom: string;
  status: RestockStatus;
  onHand: Qty;
  reserved: Qty;
  available: Qty;
  reorderPoint: Qty;
  safetyStock: Qty;
  onOrder: Qty;
  /** Open and draft purchase orders with this item, oldest first. */
  openPurchaseOrders: { number: string; status: string; open: Qty; expectedAt?: string }[];
  averageDaily: Qty;
  daysOfCover?: string;
  leadTimeDays: string;
  leadTimeSource: 'learned' | 'manual';
  suggestedQuantity: Qty;
  vendorCode?: string;
  warehouse?: string;
  /** Expected demand over the lead time (absent in histories from before demand forecasts). */
  leadTimeDemand?: Qty;
  /** Whether the reorder figures come from the item's demand forecast or the average/σ method. */
  demandSource?: 'forecast' | 'average';
  /** The forecast's model, when it is the source. */
  forecastModel?: string;
}

export interface StockChangedInput {
  /** What prompted it: a ledger move, the daily check, a receipt, a purchase order change. */
  reason: 'move' | 'daily' | 'receipt' | 'purchase_order';
}

export const stockChanged = defineSignal<[StockChangedInput]>('stockChanged');

export interface RestockView {
  sku: string;
  status: RestockStatus | 'checking';
  /** Evaluations run by this execution (a burst of moves coalesces into one). */
  checks: number;
  signals: number;
  alertOpen: boolean;
  figures?: RestockFigures;
}

export const getRestockStatus = defineQuery<RestockView>('getRestockStatus');

export interface RestockOutcome {
  sku: string;
  status: RestockStatus;
  checks: number;
  /** True when this execution opened or carried an alert episode and closed it on recovery. */
  recovered: boolean;
}

export interface ReorderCheckOutcome {
  checked: number;
  ok: number;
  low: number;
  stockout: number;
  suggestions: number;
  /** Restock workflows started or signalled (items at or below their reorder point, or with an open alert). */
  signalled: number;
}
