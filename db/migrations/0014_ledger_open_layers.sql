ALTER TABLE "item_valuations" DROP CONSTRAINT "item_valuations_not_negative";--> statement-breakpoint
DROP INDEX "cost_layers_open_idx";--> statement-breakpoint
ALTER TABLE "cost_layers" ADD COLUMN "open" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "cost_layers_open_layers_idx" ON "cost_layers" USING btree ("item_id","id") WHERE "cost_layers"."open";