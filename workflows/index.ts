// The worker's workflowsPath: re-exports the workflow functions and nothing else.
export { systemCheckWorkflow } from './system-check.js';
export { requisitionWorkflow } from './requisition.js';
