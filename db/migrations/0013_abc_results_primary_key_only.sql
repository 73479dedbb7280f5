DROP INDEX "abc_results_item_idx";--> statement-breakpoint
DROP INDEX "abc_results_run_class_idx";