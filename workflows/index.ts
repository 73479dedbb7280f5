// The worker's workflowsPath: re-exports the workflow functions and nothing else.
export { systemCheckWorkflow } from './system-check.js';
export { requisitionWorkflow } from './requisition.js';
export { requisitionSweepWorkflow } from './requisition-sweep.js';
export { cycleCountWorkflow } from './cycle-count.js';
export { countPlanningWorkflow } from './count-planning.js';
export { abcClassificationWorkflow } from './abc-classification.js';
export { managerDigestWorkflow } from './manager-digest.js';
export { restockWorkflow, reorderCheckWorkflow } from './restock.js';
export { purchaseOrderWorkflow } from './purchase-order.js';
export { forecastRefitWorkflow } from './forecast-refit.js';
