ALTER TABLE "stock_moves" DROP CONSTRAINT "stock_moves_item_id_items_id_fk";
--> statement-breakpoint
ALTER TABLE "stock_moves" DROP CONSTRAINT "stock_moves_location_id_locations_id_fk";
--> statement-breakpoint
DROP INDEX "stock_moves_created_at_idx";--> statement-breakpoint
CREATE INDEX "stock_moves_created_at_brin" ON "stock_moves" USING brin ("created_at");