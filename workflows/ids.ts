// The one place task queues and workflow IDs are spelled. Workflow IDs carry business meaning, so the
// same business event always reaches the same workflow (and a retried start finds the running one).

export const TASK_QUEUE = 'stockroom';

export const systemCheckWorkflowId = (key: string): string => `system-check-${key}`;
export const requisitionWorkflowId = (requisitionNumber: string): string => `requisition-${requisitionNumber}`;
export const purchaseOrderWorkflowId = (poNumber: string): string => `purchase-order-${poNumber}`;
export const restockWorkflowId = (sku: string): string => `restock-${sku.toUpperCase()}`;
export const cycleCountWorkflowId = (countNumber: string): string => `cycle-count-${countNumber}`;
