CREATE TYPE "public"."abc_class" AS ENUM('A', 'B', 'C');--> statement-breakpoint
CREATE TYPE "public"."abc_run_trigger" AS ENUM('schedule', 'manual');--> statement-breakpoint
CREATE TYPE "public"."count_line_action" AS ENUM('none', 'post', 'recount', 'approval');--> statement-breakpoint
CREATE TYPE "public"."count_line_outcome" AS ENUM('pending', 'matched', 'adjusted', 'recounted', 'rejected', 'failed');--> statement-breakpoint
CREATE TYPE "public"."count_status" AS ENUM('planned', 'assigned', 'counting', 'submitted', 'posted', 'recount_requested', 'awaiting_approval', 'approved', 'rejected', 'cancelled');--> statement-breakpoint
CREATE TABLE "abc_results" (
	"run_id" bigint NOT NULL,
	"item_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"issued_quantity" numeric(18, 4) NOT NULL,
	"annual_value" numeric(24, 4) NOT NULL,
	"share_before" numeric(9, 6) NOT NULL,
	"cumulative_share" numeric(9, 6) NOT NULL,
	"abc_class" "abc_class" NOT NULL,
	"previous_class" "abc_class",
	"changed" boolean NOT NULL,
	CONSTRAINT "abc_results_run_id_item_id_pk" PRIMARY KEY("run_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "abc_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "abc_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"idempotency_key" text NOT NULL,
	"trigger" "abc_run_trigger" NOT NULL,
	"requested_by" text,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"cutoff_a" numeric(9, 6) NOT NULL,
	"cutoff_b" numeric(9, 6) NOT NULL,
	"previous_run_id" bigint,
	"item_count" integer DEFAULT 0 NOT NULL,
	"total_value" numeric(24, 4) DEFAULT '0' NOT NULL,
	"changed_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "abc_runs_cutoffs" CHECK ("abc_runs"."cutoff_a" > 0 and "abc_runs"."cutoff_a" < "abc_runs"."cutoff_b" and "abc_runs"."cutoff_b" <= 1),
	CONSTRAINT "abc_runs_period" CHECK ("abc_runs"."period_start" < "abc_runs"."period_end")
);
--> statement-breakpoint
CREATE TABLE "count_plans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "count_plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"plan_date" date NOT NULL,
	"items_due" integer NOT NULL,
	"counts" integer NOT NULL,
	"lines" integer NOT NULL,
	"unlocated" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "count_plans_planDate_unique" UNIQUE("plan_date")
);
--> statement-breakpoint
CREATE TABLE "counting_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"frequency_months_a" smallint DEFAULT 1 NOT NULL,
	"frequency_months_b" smallint DEFAULT 3 NOT NULL,
	"frequency_months_c" smallint DEFAULT 12 NOT NULL,
	"tolerance_quantity_a" numeric(18, 4) DEFAULT '0',
	"tolerance_value_a" numeric(18, 4) DEFAULT '0',
	"tolerance_quantity_b" numeric(18, 4) DEFAULT '2',
	"tolerance_value_b" numeric(18, 4) DEFAULT '50',
	"tolerance_quantity_c" numeric(18, 4) DEFAULT '5',
	"tolerance_value_c" numeric(18, 4) DEFAULT '100',
	"abc_cutoff_a" numeric(9, 6) DEFAULT '0.8' NOT NULL,
	"abc_cutoff_b" numeric(9, 6) DEFAULT '0.95' NOT NULL,
	"max_lines_per_count" smallint DEFAULT 40 NOT NULL,
	"dead_stock_days" smallint DEFAULT 180 NOT NULL,
	"working_weekdays" text DEFAULT '12345' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counting_settings_single_row" CHECK ("counting_settings"."id"),
	CONSTRAINT "counting_settings_frequency_range" CHECK ("counting_settings"."frequency_months_a" between 1 and 12 and "counting_settings"."frequency_months_b" between 1 and 12 and "counting_settings"."frequency_months_c" between 1 and 12),
	CONSTRAINT "counting_settings_abc_cutoffs" CHECK ("counting_settings"."abc_cutoff_a" > 0 and "counting_settings"."abc_cutoff_a" < "counting_settings"."abc_cutoff_b" and "counting_settings"."abc_cutoff_b" <= 1),
	CONSTRAINT "counting_settings_max_lines" CHECK ("counting_settings"."max_lines_per_count" between 1 and 90),
	CONSTRAINT "counting_settings_working_weekdays" CHECK ("counting_settings"."working_weekdays" ~ '^[1-7]{1,7}$'),
	CONSTRAINT "counting_settings_tolerances_not_negative" CHECK (coalesce("counting_settings"."tolerance_quantity_a", 0) >= 0 and coalesce("counting_settings"."tolerance_value_a", 0) >= 0
        and coalesce("counting_settings"."tolerance_quantity_b", 0) >= 0 and coalesce("counting_settings"."tolerance_value_b", 0) >= 0
        and coalesce("counting_settings"."tolerance_quantity_c", 0) >= 0 and coalesce("counting_settings"."tolerance_value_c", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "cycle_count_lines" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cycle_count_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"count_id" bigint NOT NULL,
	"sequence" smallint NOT NULL,
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"abc_class" "abc_class" NOT NULL,
	"snapshot_on_hand" numeric(18, 4),
	"snapshot_move_id" bigint,
	"snapshot_at" timestamp with time zone,
	"counted_quantity" numeric(18, 4),
	"expected_quantity" numeric(18, 4),
	"moves_during_count" numeric(18, 4),
	"variance" numeric(18, 4),
	"unit_cost" numeric(18, 4),
	"value_impact" numeric(18, 4),
	"within_tolerance" boolean,
	"action" "count_line_action",
	"outcome" "count_line_outcome" DEFAULT 'pending' NOT NULL,
	"adjustment_move_id" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cycle_count_lines_counted_not_negative" CHECK ("cycle_count_lines"."counted_quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cycle_counts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cycle_counts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"plan_id" bigint,
	"recount_of_id" bigint,
	"location_group" text NOT NULL,
	"counter" text,
	"assigned_at" timestamp with time zone,
	"due_on" date NOT NULL,
	"status" "count_status" DEFAULT 'planned' NOT NULL,
	"started_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"approver" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "abc_results" ADD CONSTRAINT "abc_results_run_id_abc_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."abc_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "abc_results" ADD CONSTRAINT "abc_results_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "abc_runs" ADD CONSTRAINT "abc_runs_previous_run_id_abc_runs_id_fk" FOREIGN KEY ("previous_run_id") REFERENCES "public"."abc_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_count_id_cycle_counts_id_fk" FOREIGN KEY ("count_id") REFERENCES "public"."cycle_counts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_adjustment_move_id_stock_moves_id_fk" FOREIGN KEY ("adjustment_move_id") REFERENCES "public"."stock_moves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_counts" ADD CONSTRAINT "cycle_counts_plan_id_count_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."count_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_counts" ADD CONSTRAINT "cycle_counts_recount_of_id_cycle_counts_id_fk" FOREIGN KEY ("recount_of_id") REFERENCES "public"."cycle_counts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "abc_results_item_idx" ON "abc_results" USING btree ("item_id","run_id");--> statement-breakpoint
CREATE INDEX "abc_results_run_class_idx" ON "abc_results" USING btree ("run_id","abc_class");--> statement-breakpoint
CREATE UNIQUE INDEX "abc_runs_idempotency_key_unique" ON "abc_runs" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_count_lines_count_item_location_unique" ON "cycle_count_lines" USING btree ("count_id","item_id","location_id");--> statement-breakpoint
CREATE INDEX "cycle_count_lines_item_location_idx" ON "cycle_count_lines" USING btree ("item_id","location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_counts_number_unique" ON "cycle_counts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "cycle_counts_status_idx" ON "cycle_counts" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "cycle_counts_counter_idx" ON "cycle_counts" USING btree ("counter","status");--> statement-breakpoint
CREATE INDEX "cycle_counts_recount_of_idx" ON "cycle_counts" USING btree ("recount_of_id");