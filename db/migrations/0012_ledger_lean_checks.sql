ALTER TABLE "cost_layers" DROP CONSTRAINT "cost_layers_received_positive";--> statement-breakpoint
ALTER TABLE "cost_layers" DROP CONSTRAINT "cost_layers_remaining_range";--> statement-breakpoint
ALTER TABLE "cost_layers" DROP CONSTRAINT "cost_layers_remaining_value_not_negative";--> statement-breakpoint
ALTER TABLE "cost_layers" DROP CONSTRAINT "cost_layers_unit_cost_not_negative";--> statement-breakpoint
ALTER TABLE "item_valuations" DROP CONSTRAINT "item_valuations_on_hand_not_negative";--> statement-breakpoint
ALTER TABLE "item_valuations" DROP CONSTRAINT "item_valuations_value_not_negative";--> statement-breakpoint
ALTER TABLE "stock_moves" DROP CONSTRAINT "stock_moves_quantity_sign";--> statement-breakpoint
ALTER TABLE "stock_moves" DROP CONSTRAINT "stock_moves_unit_cost_not_negative";--> statement-breakpoint
ALTER TABLE "stock_levels" DROP CONSTRAINT "stock_levels_on_hand_not_negative";--> statement-breakpoint
ALTER TABLE "stock_levels" DROP CONSTRAINT "stock_levels_reserved_range";--> statement-breakpoint
ALTER TABLE "cost_layers" ADD CONSTRAINT "cost_layers_remaining_valid" CHECK ("cost_layers"."remaining_quantity" >= 0 and "cost_layers"."remaining_quantity" <= "cost_layers"."received_quantity" and "cost_layers"."remaining_value" >= 0);--> statement-breakpoint
ALTER TABLE "item_valuations" ADD CONSTRAINT "item_valuations_not_negative" CHECK ("item_valuations"."on_hand" >= 0 and "item_valuations"."value" >= 0);--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_quantities_valid" CHECK ("stock_levels"."on_hand" >= 0 and "stock_levels"."reserved" >= 0 and "stock_levels"."reserved" <= "stock_levels"."on_hand");