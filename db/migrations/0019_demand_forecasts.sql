CREATE TYPE "public"."demand_method" AS ENUM('auto', 'average');--> statement-breakpoint
CREATE TABLE "demand_forecasts" (
	"policy_id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"fitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"history_end" date NOT NULL,
	"period" text NOT NULL,
	"history_periods" smallint NOT NULL,
	"model" text NOT NULL,
	"demand_class" text NOT NULL,
	"params" jsonb NOT NULL,
	"mase" numeric(12, 4),
	"bias" numeric(12, 4),
	"mase_seasonal_naive" numeric(12, 4),
	"mase_current" numeric(12, 4),
	"beats_current" boolean NOT NULL,
	"lead_time_days" numeric(8, 2) NOT NULL,
	"service_level" numeric(5, 4) NOT NULL,
	"lead_time_demand" numeric(18, 4) NOT NULL,
	"safety_stock" numeric(18, 4) NOT NULL,
	"reorder_point" numeric(18, 4) NOT NULL,
	"interval_method" text NOT NULL,
	"next_periods" jsonb NOT NULL,
	"backtest" jsonb NOT NULL,
	"recent" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"horizon_periods" integer NOT NULL,
	CONSTRAINT "demand_forecasts_period" CHECK ("demand_forecasts"."period" in ('day', 'week')),
	CONSTRAINT "demand_forecasts_quantities_not_negative" CHECK ("demand_forecasts"."lead_time_demand" >= 0 and "demand_forecasts"."safety_stock" >= 0 and "demand_forecasts"."reorder_point" >= "demand_forecasts"."lead_time_demand")
);
--> statement-breakpoint
ALTER TABLE "reorder_policies" ADD COLUMN "demand_method" "demand_method" DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE "demand_forecasts" ADD CONSTRAINT "demand_forecasts_policy_id_reorder_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."reorder_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_forecasts" ADD CONSTRAINT "demand_forecasts_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demand_forecasts_item_idx" ON "demand_forecasts" USING btree ("item_id");