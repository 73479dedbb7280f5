CREATE TYPE "public"."valuation_method" AS ENUM('fifo', 'lifo', 'wavg');--> statement-breakpoint
CREATE TYPE "public"."location_kind" AS ENUM('warehouse', 'zone', 'aisle', 'rack', 'shelf', 'bin', 'area');--> statement-breakpoint
CREATE TYPE "public"."document_type" AS ENUM('requisition', 'purchase_order', 'cycle_count', 'manual', 'import', 'demo');--> statement-breakpoint
CREATE TYPE "public"."move_type" AS ENUM('receipt', 'issue', 'transfer_out', 'transfer_in', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."reservation_operation" AS ENUM('reserve', 'release');--> statement-breakpoint
CREATE TABLE "inventory_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"default_valuation_method" "valuation_method" DEFAULT 'fifo' NOT NULL,
	CONSTRAINT "inventory_settings_single_row" CHECK ("inventory_settings"."id")
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"uom" text DEFAULT 'ea' NOT NULL,
	"uom_decimals" smallint DEFAULT 0 NOT NULL,
	"category" text,
	"barcode" text,
	"default_vendor" text,
	"standard_cost" numeric(18, 4),
	"valuation_method" "valuation_method",
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_sku_not_blank" CHECK (btrim("items"."sku") <> ''),
	CONSTRAINT "items_name_not_blank" CHECK (btrim("items"."name") <> ''),
	CONSTRAINT "items_uom_decimals_range" CHECK ("items"."uom_decimals" between 0 and 4),
	CONSTRAINT "items_standard_cost_not_negative" CHECK ("items"."standard_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"kind" "location_kind" DEFAULT 'bin' NOT NULL,
	"depth" smallint DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "locations_name_valid" CHECK (btrim("locations"."name") <> '' and position('/' in "locations"."name") = 0),
	CONSTRAINT "locations_root_depth" CHECK (("locations"."parent_id" is null) = ("locations"."depth" = 0))
);
--> statement-breakpoint
CREATE TABLE "cost_layers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cost_layers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"item_id" uuid NOT NULL,
	"location_id" uuid,
	"move_id" bigint NOT NULL,
	"received_quantity" numeric(18, 4) NOT NULL,
	"remaining_quantity" numeric(18, 4) NOT NULL,
	"unit_cost" numeric(18, 4) NOT NULL,
	"remaining_value" numeric(18, 4) NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_layers_received_positive" CHECK ("cost_layers"."received_quantity" > 0),
	CONSTRAINT "cost_layers_remaining_range" CHECK ("cost_layers"."remaining_quantity" >= 0 and "cost_layers"."remaining_quantity" <= "cost_layers"."received_quantity"),
	CONSTRAINT "cost_layers_remaining_value_not_negative" CHECK ("cost_layers"."remaining_value" >= 0),
	CONSTRAINT "cost_layers_unit_cost_not_negative" CHECK ("cost_layers"."unit_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "item_valuations" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"on_hand" numeric(18, 4) DEFAULT '0' NOT NULL,
	"value" numeric(18, 4) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "item_valuations_on_hand_not_negative" CHECK ("item_valuations"."on_hand" >= 0),
	CONSTRAINT "item_valuations_value_not_negative" CHECK ("item_valuations"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_moves" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_moves_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"type" "move_type" NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_cost" numeric(18, 4) NOT NULL,
	"total_value" numeric(18, 4) NOT NULL,
	"document_type" "document_type" NOT NULL,
	"document_id" text NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	"idempotency_key" text,
	"request" jsonb,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_moves_quantity_sign" CHECK (case "stock_moves"."type"
        when 'receipt' then "stock_moves"."quantity" > 0
        when 'transfer_in' then "stock_moves"."quantity" > 0
        when 'issue' then "stock_moves"."quantity" < 0
        when 'transfer_out' then "stock_moves"."quantity" < 0
        else "stock_moves"."quantity" <> 0 end),
	CONSTRAINT "stock_moves_unit_cost_not_negative" CHECK ("stock_moves"."unit_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reservation_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reservation_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"idempotency_key" text NOT NULL,
	"operation" "reservation_operation" NOT NULL,
	"document_type" "document_type" NOT NULL,
	"document_id" text NOT NULL,
	"item_id" uuid,
	"actor" text NOT NULL,
	"request" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reservations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"document_type" "document_type" NOT NULL,
	"document_id" text NOT NULL,
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"open_quantity" numeric(18, 4) DEFAULT '0' NOT NULL,
	"issued_quantity" numeric(18, 4) DEFAULT '0' NOT NULL,
	"released_quantity" numeric(18, 4) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reservations_quantities_not_negative" CHECK ("reservations"."open_quantity" >= 0 and "reservations"."issued_quantity" >= 0 and "reservations"."released_quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_levels" (
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"on_hand" numeric(18, 4) DEFAULT '0' NOT NULL,
	"reserved" numeric(18, 4) DEFAULT '0' NOT NULL,
	CONSTRAINT "stock_levels_item_id_location_id_pk" PRIMARY KEY("item_id","location_id"),
	CONSTRAINT "stock_levels_on_hand_not_negative" CHECK ("stock_levels"."on_hand" >= 0),
	CONSTRAINT "stock_levels_reserved_range" CHECK ("stock_levels"."reserved" >= 0 and "stock_levels"."reserved" <= "stock_levels"."on_hand")
);
--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_parent_id_locations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_layers" ADD CONSTRAINT "cost_layers_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_layers" ADD CONSTRAINT "cost_layers_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_layers" ADD CONSTRAINT "cost_layers_move_id_stock_moves_id_fk" FOREIGN KEY ("move_id") REFERENCES "public"."stock_moves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_valuations" ADD CONSTRAINT "item_valuations_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_moves" ADD CONSTRAINT "stock_moves_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_moves" ADD CONSTRAINT "stock_moves_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservation_requests" ADD CONSTRAINT "reservation_requests_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "items_sku_lower_unique" ON "items" USING btree (lower("sku"));--> statement-breakpoint
CREATE UNIQUE INDEX "items_barcode_unique" ON "items" USING btree ("barcode");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_path_lower_unique" ON "locations" USING btree (lower("path"));--> statement-breakpoint
CREATE INDEX "locations_parent_idx" ON "locations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "cost_layers_open_idx" ON "cost_layers" USING btree ("item_id","id") WHERE "cost_layers"."remaining_quantity" > 0;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_moves_idempotency_key_unique" ON "stock_moves" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "stock_moves_item_idx" ON "stock_moves" USING btree ("item_id","id");--> statement-breakpoint
CREATE INDEX "stock_moves_created_at_idx" ON "stock_moves" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "stock_moves_document_idx" ON "stock_moves" USING btree ("document_type","document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reservation_requests_idempotency_key_unique" ON "reservation_requests" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "reservations_document_item_location_unique" ON "reservations" USING btree ("document_type","document_id","item_id","location_id");--> statement-breakpoint
CREATE INDEX "reservations_item_location_idx" ON "reservations" USING btree ("item_id","location_id");--> statement-breakpoint
CREATE INDEX "stock_levels_location_idx" ON "stock_levels" USING btree ("location_id");