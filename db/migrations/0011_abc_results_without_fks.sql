ALTER TABLE "abc_results" DROP CONSTRAINT "abc_results_run_id_abc_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "abc_results" DROP CONSTRAINT "abc_results_item_id_items_id_fk";
