CREATE TYPE "public"."invoice_match_status" AS ENUM('matched', 'mismatch');--> statement-breakpoint
CREATE TYPE "public"."purchase_order_source" AS ENUM('restock', 'backorder', 'manual');--> statement-breakpoint
CREATE TYPE "public"."purchase_order_status" AS ENUM('draft', 'awaiting_approval', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."reorder_point_mode" AS ENUM('manual', 'computed');--> statement-breakpoint
CREATE TYPE "public"."stock_alert_kind" AS ENUM('low_stock', 'stockout');--> statement-breakpoint
CREATE SEQUENCE "public"."purchase_order_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "purchase_order_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"level" smallint NOT NULL,
	"approver_slack_user_id" text NOT NULL,
	"decision" "approval_decision" NOT NULL,
	"reason" text,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "purchase_order_approvals_reject_has_reason" CHECK ("purchase_order_approvals"."decision" <> 'rejected' or btrim(coalesce("purchase_order_approvals"."reason", '')) <> '')
);
--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"line_no" smallint NOT NULL,
	"item_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity_ordered" numeric(18, 4) NOT NULL,
	"quantity_received" numeric(18, 4) DEFAULT '0' NOT NULL,
	"quantity_cancelled" numeric(18, 4) DEFAULT '0' NOT NULL,
	"unit_price" numeric(18, 4) NOT NULL,
	"expected_date" date,
	"requisition_line_id" uuid,
	"default_location_id" uuid,
	CONSTRAINT "purchase_order_lines_ordered_positive" CHECK ("purchase_order_lines"."quantity_ordered" > 0),
	CONSTRAINT "purchase_order_lines_quantities_not_negative" CHECK ("purchase_order_lines"."quantity_received" >= 0 and "purchase_order_lines"."quantity_cancelled" >= 0 and "purchase_order_lines"."quantity_cancelled" <= "purchase_order_lines"."quantity_ordered"),
	CONSTRAINT "purchase_order_lines_price_not_negative" CHECK ("purchase_order_lines"."unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text DEFAULT 'PO-' || lpad(nextval('purchase_order_number_seq')::text, 6, '0') NOT NULL,
	"creation_key" text NOT NULL,
	"vendor_id" uuid NOT NULL,
	"status" "purchase_order_status" DEFAULT 'draft' NOT NULL,
	"source" "purchase_order_source" DEFAULT 'manual' NOT NULL,
	"buyer_slack_user_id" text NOT NULL,
	"created_by" text NOT NULL,
	"total_value" numeric(18, 4) DEFAULT '0' NOT NULL,
	"note" text,
	"current_level" smallint,
	"awaiting" text[] DEFAULT '{}'::text[] NOT NULL,
	"approved_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"expected_at" date,
	"received_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_total_not_negative" CHECK ("purchase_orders"."total_value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"purchase_order_line_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_cost" numeric(18, 4) NOT NULL,
	"lot" text,
	"note" text,
	"received_by" text NOT NULL,
	"move_id" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receipts_quantity_positive" CHECK ("receipts"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "reorder_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"location_id" uuid,
	"vendor_id" uuid,
	"reorder_point_mode" "reorder_point_mode" DEFAULT 'manual' NOT NULL,
	"min" numeric(18, 4),
	"max" numeric(18, 4),
	"reorder_point" numeric(18, 4),
	"safety_stock" numeric(18, 4),
	"service_level" numeric(5, 4) DEFAULT '0.95' NOT NULL,
	"demand_window_days" smallint DEFAULT 90 NOT NULL,
	"lead_time_days" numeric(8, 2) DEFAULT '7' NOT NULL,
	"learned_lead_time_days" numeric(8, 2),
	"learned_lead_time_samples" integer DEFAULT 0 NOT NULL,
	"order_multiple" numeric(18, 4),
	"unit_price" numeric(18, 4),
	"ordering_cost" numeric(18, 4),
	"holding_cost_per_unit_year" numeric(18, 4),
	"average_daily_demand" numeric(18, 4),
	"demand_std_dev" numeric(18, 4),
	"computed_safety_stock" numeric(18, 4),
	"computed_reorder_point" numeric(18, 4),
	"computed_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reorder_policies_item_location_unique" UNIQUE NULLS NOT DISTINCT("item_id","location_id"),
	CONSTRAINT "reorder_policies_min_max" CHECK ("reorder_policies"."max" is null or "reorder_policies"."min" is null or "reorder_policies"."max" >= "reorder_policies"."min"),
	CONSTRAINT "reorder_policies_quantities_not_negative" CHECK (coalesce("reorder_policies"."min", 0) >= 0 and coalesce("reorder_policies"."max", 0) >= 0 and coalesce("reorder_policies"."reorder_point", 0) >= 0
        and coalesce("reorder_policies"."safety_stock", 0) >= 0),
	CONSTRAINT "reorder_policies_service_level_range" CHECK ("reorder_policies"."service_level" >= 0.5 and "reorder_policies"."service_level" < 1),
	CONSTRAINT "reorder_policies_lead_time_positive" CHECK ("reorder_policies"."lead_time_days" > 0),
	CONSTRAINT "reorder_policies_window_positive" CHECK ("reorder_policies"."demand_window_days" > 0),
	CONSTRAINT "reorder_policies_multiple_positive" CHECK ("reorder_policies"."order_multiple" is null or "reorder_policies"."order_multiple" > 0),
	CONSTRAINT "reorder_policies_costs_not_negative" CHECK (coalesce("reorder_policies"."unit_price", 0) >= 0 and coalesce("reorder_policies"."ordering_cost", 0) >= 0 and coalesce("reorder_policies"."holding_cost_per_unit_year", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"kind" "stock_alert_kind" NOT NULL,
	"figures" jsonb NOT NULL,
	"channel" text,
	"message_ts" text,
	"purchase_order_number" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supplier_invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"purchase_order_line_id" uuid NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_price" numeric(18, 4) NOT NULL,
	CONSTRAINT "supplier_invoice_lines_quantity_not_negative" CHECK ("supplier_invoice_lines"."quantity" >= 0),
	CONSTRAINT "supplier_invoice_lines_price_not_negative" CHECK ("supplier_invoice_lines"."unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "supplier_invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"vendor_id" uuid NOT NULL,
	"invoice_number" text NOT NULL,
	"invoice_date" date,
	"total" numeric(18, 4) NOT NULL,
	"match_status" "invoice_match_status" NOT NULL,
	"mismatches" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"entered_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"default_lead_time_days" numeric(8, 2) DEFAULT '7' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendors_code_not_blank" CHECK (btrim("vendors"."code") <> ''),
	CONSTRAINT "vendors_lead_time_positive" CHECK ("vendors"."default_lead_time_days" > 0)
);
--> statement-breakpoint
ALTER TABLE "purchase_order_approvals" ADD CONSTRAINT "purchase_order_approvals_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_requisition_line_id_requisition_lines_id_fk" FOREIGN KEY ("requisition_line_id") REFERENCES "public"."requisition_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_default_location_id_locations_id_fk" FOREIGN KEY ("default_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_purchase_order_line_id_purchase_order_lines_id_fk" FOREIGN KEY ("purchase_order_line_id") REFERENCES "public"."purchase_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_move_id_stock_moves_id_fk" FOREIGN KEY ("move_id") REFERENCES "public"."stock_moves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorder_policies" ADD CONSTRAINT "reorder_policies_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorder_policies" ADD CONSTRAINT "reorder_policies_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorder_policies" ADD CONSTRAINT "reorder_policies_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_alerts" ADD CONSTRAINT "stock_alerts_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_invoice_id_supplier_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."supplier_invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_purchase_order_line_id_purchase_order_lines_id_fk" FOREIGN KEY ("purchase_order_line_id") REFERENCES "public"."purchase_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_order_approvals_level_unique" ON "purchase_order_approvals" USING btree ("purchase_order_id","level");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_order_lines_line_unique" ON "purchase_order_lines" USING btree ("purchase_order_id","line_no");--> statement-breakpoint
CREATE INDEX "purchase_order_lines_item_idx" ON "purchase_order_lines" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "purchase_order_lines_requisition_line_idx" ON "purchase_order_lines" USING btree ("requisition_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_number_unique" ON "purchase_orders" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_creation_key_unique" ON "purchase_orders" USING btree ("creation_key");--> statement-breakpoint
CREATE INDEX "purchase_orders_vendor_status_idx" ON "purchase_orders" USING btree ("vendor_id","status");--> statement-breakpoint
CREATE INDEX "purchase_orders_status_idx" ON "purchase_orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "purchase_orders_awaiting_idx" ON "purchase_orders" USING gin ("awaiting");--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_idempotency_key_unique" ON "receipts" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "receipts_line_idx" ON "receipts" USING btree ("purchase_order_line_id");--> statement-breakpoint
CREATE INDEX "receipts_item_idx" ON "receipts" USING btree ("item_id","received_at");--> statement-breakpoint
CREATE INDEX "reorder_policies_vendor_idx" ON "reorder_policies" USING btree ("vendor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_alerts_one_open_per_item" ON "stock_alerts" USING btree ("item_id") WHERE "stock_alerts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "stock_alerts_item_idx" ON "stock_alerts" USING btree ("item_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoice_lines_line_unique" ON "supplier_invoice_lines" USING btree ("invoice_id","purchase_order_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoices_idempotency_key_unique" ON "supplier_invoices" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoices_vendor_number_unique" ON "supplier_invoices" USING btree ("vendor_id",lower("invoice_number"));--> statement-breakpoint
CREATE INDEX "supplier_invoices_po_idx" ON "supplier_invoices" USING btree ("purchase_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vendors_code_lower_unique" ON "vendors" USING btree (lower("code"));