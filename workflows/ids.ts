// The one place task queues and workflow IDs are spelled. Workflow IDs carry business meaning, so the
// same business event always reaches the same workflow (and a retried start finds the running one).

export const TASK_QUEUE = 'stockroom';

export const systemCheckWorkflowId = (key: string): string => `system-check-${key}`;
export const requisitionWorkflowId = (requisitionNumber: string): string => `requisition-${requisitionNumber}`;
// Requisitions recorded but never routed (their start failed) are swept up on a Temporal Schedule.
export const requisitionSweepWorkflowId = (key: string): string => `requisition-sweep-${key}`;
export const REQUISITION_SCHEDULE_IDS = {
  sweepUnrouted: 'stockroom-requisition-sweep',
} as const;
export const purchaseOrderWorkflowId = (poNumber: string): string => `purchase-order-${poNumber}`;
export const restockWorkflowId = (sku: string): string => `restock-${sku.toUpperCase()}`;
export const cycleCountWorkflowId = (countNumber: string): string => `cycle-count-${countNumber}`;

// Cycle counting, ABC analysis and the managers' digest (issue 7). Scheduled runs get Temporal's own
// suffix (the scheduled time) after these prefixes.
export const countPlanningWorkflowId = (date: string): string => `count-planning-${date}`;
export const abcClassificationWorkflowId = (key: string): string => `abc-classification-${key}`;
export const managerDigestWorkflowId = (key: string): string => `manager-digest-${key}`;
export const COUNTING_SCHEDULE_IDS = {
  abcMonthly: 'stockroom-abc-monthly',
  countPlanningDaily: 'stockroom-count-planning-daily',
  managerDigestWeekly: 'stockroom-manager-digest-weekly',
} as const;

// Restocking (issue 6): the daily re-check of every item runs on a Temporal Schedule.
export const reorderCheckWorkflowId = (key: string): string => `reorder-check-${key}`;
export const RESTOCK_SCHEDULE_IDS = {
  reorderCheckDaily: 'stockroom-reorder-check-daily',
  // Demand forecasts (issue 14): refitted weekly, read by the daily check.
  forecastRefitWeekly: 'stockroom-forecast-refit-weekly',
} as const;
export const forecastRefitWorkflowId = (key: string): string => `forecast-refit-${key}`;
