CREATE TYPE "public"."role" AS ENUM('approver', 'warehouse', 'buyer', 'inventory_manager', 'admin');--> statement-breakpoint
CREATE TYPE "public"."role_source" AS ENUM('slack', 'config');--> statement-breakpoint
CREATE TYPE "public"."role_subject" AS ENUM('user', 'usergroup');--> statement-breakpoint
CREATE TYPE "public"."approval_decision" AS ENUM('approved', 'rejected', 'auto_approved');--> statement-breakpoint
CREATE TYPE "public"."requisition_status" AS ENUM('submitted', 'awaiting_approval', 'approved', 'backordered', 'picking', 'issued', 'rejected', 'cancelled');--> statement-breakpoint
CREATE SEQUENCE "public"."requisition_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "people" (
	"slack_user_id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"email" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_slack_user_id_shape" CHECK ("people"."slack_user_id" ~ '^[UW][A-Z0-9]+$')
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_kind" "role_subject" NOT NULL,
	"subject_id" text NOT NULL,
	"role" "role" NOT NULL,
	"approval_limit" numeric(18, 4),
	"source" "role_source" DEFAULT 'slack' NOT NULL,
	"granted_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_assignments_limit_for_approvers" CHECK (("role_assignments"."role" = 'approver') = ("role_assignments"."approval_limit" is not null)),
	CONSTRAINT "role_assignments_limit_not_negative" CHECK ("role_assignments"."approval_limit" >= 0)
);
--> statement-breakpoint
CREATE TABLE "usergroup_members" (
	"usergroup_id" text NOT NULL,
	"slack_user_id" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usergroup_members_usergroup_id_slack_user_id_pk" PRIMARY KEY("usergroup_id","slack_user_id")
);
--> statement-breakpoint
CREATE TABLE "cost_center_budgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cost_center_code" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"amount" numeric(18, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_center_budgets_period_order" CHECK ("cost_center_budgets"."period_end" > "cost_center_budgets"."period_start"),
	CONSTRAINT "cost_center_budgets_amount_not_negative" CHECK ("cost_center_budgets"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cost_centers" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"approver_slack_user_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_centers_code_not_blank" CHECK (btrim("cost_centers"."code") <> '')
);
--> statement-breakpoint
CREATE TABLE "requisition_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requisition_id" uuid NOT NULL,
	"level" smallint NOT NULL,
	"approver_slack_user_id" text NOT NULL,
	"decision" "approval_decision" NOT NULL,
	"reason" text,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "requisition_approvals_reject_has_reason" CHECK ("requisition_approvals"."decision" <> 'rejected' or btrim(coalesce("requisition_approvals"."reason", '')) <> '')
);
--> statement-breakpoint
CREATE TABLE "requisition_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requisition_id" uuid NOT NULL,
	"line_no" smallint NOT NULL,
	"item_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity_requested" numeric(18, 4) NOT NULL,
	"quantity_reserved" numeric(18, 4) DEFAULT '0' NOT NULL,
	"quantity_picked" numeric(18, 4) DEFAULT '0' NOT NULL,
	"quantity_issued" numeric(18, 4) DEFAULT '0' NOT NULL,
	"quantity_backordered" numeric(18, 4) DEFAULT '0' NOT NULL,
	"quantity_cancelled" numeric(18, 4) DEFAULT '0' NOT NULL,
	"needed_by" date,
	"unit_cost_estimate" numeric(18, 4) NOT NULL,
	"issued_value" numeric(18, 4) DEFAULT '0' NOT NULL,
	"purchase_order_number" text,
	CONSTRAINT "requisition_lines_requested_positive" CHECK ("requisition_lines"."quantity_requested" > 0),
	CONSTRAINT "requisition_lines_quantities_not_negative" CHECK ("requisition_lines"."quantity_reserved" >= 0 and "requisition_lines"."quantity_picked" >= 0 and "requisition_lines"."quantity_issued" >= 0
        and "requisition_lines"."quantity_backordered" >= 0 and "requisition_lines"."quantity_cancelled" >= 0),
	CONSTRAINT "requisition_lines_within_requested" CHECK ("requisition_lines"."quantity_issued" + "requisition_lines"."quantity_cancelled" <= "requisition_lines"."quantity_requested"),
	CONSTRAINT "requisition_lines_unit_cost_not_negative" CHECK ("requisition_lines"."unit_cost_estimate" >= 0)
);
--> statement-breakpoint
CREATE TABLE "requisitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text DEFAULT 'REQ-' || lpad(nextval('requisition_number_seq')::text, 6, '0') NOT NULL,
	"submission_key" text NOT NULL,
	"requester_slack_user_id" text NOT NULL,
	"cost_center_code" text NOT NULL,
	"reason" text NOT NULL,
	"status" "requisition_status" DEFAULT 'submitted' NOT NULL,
	"total_value" numeric(18, 4) NOT NULL,
	"issued_value" numeric(18, 4) DEFAULT '0' NOT NULL,
	"current_level" smallint,
	"awaiting" text[] DEFAULT '{}'::text[] NOT NULL,
	"approved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "requisitions_reason_not_blank" CHECK (btrim("requisitions"."reason") <> ''),
	CONSTRAINT "requisitions_total_value_not_negative" CHECK ("requisitions"."total_value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"ts" text,
	"thread_ts" text,
	"document_type" text NOT NULL,
	"document_id" text NOT NULL,
	"purpose" text NOT NULL,
	"recipient" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cost_center_budgets" ADD CONSTRAINT "cost_center_budgets_cost_center_code_cost_centers_code_fk" FOREIGN KEY ("cost_center_code") REFERENCES "public"."cost_centers"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_approvals" ADD CONSTRAINT "requisition_approvals_requisition_id_requisitions_id_fk" FOREIGN KEY ("requisition_id") REFERENCES "public"."requisitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_lines" ADD CONSTRAINT "requisition_lines_requisition_id_requisitions_id_fk" FOREIGN KEY ("requisition_id") REFERENCES "public"."requisitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_lines" ADD CONSTRAINT "requisition_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_cost_center_code_cost_centers_code_fk" FOREIGN KEY ("cost_center_code") REFERENCES "public"."cost_centers"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_assignments_subject_role_unique" ON "role_assignments" USING btree ("subject_kind","subject_id","role");--> statement-breakpoint
CREATE INDEX "role_assignments_role_idx" ON "role_assignments" USING btree ("role");--> statement-breakpoint
CREATE INDEX "usergroup_members_user_idx" ON "usergroup_members" USING btree ("slack_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cost_center_budgets_period_unique" ON "cost_center_budgets" USING btree ("cost_center_code","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "cost_centers_code_lower_unique" ON "cost_centers" USING btree (lower("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "requisition_approvals_level_unique" ON "requisition_approvals" USING btree ("requisition_id","level");--> statement-breakpoint
CREATE UNIQUE INDEX "requisition_lines_line_unique" ON "requisition_lines" USING btree ("requisition_id","line_no");--> statement-breakpoint
CREATE INDEX "requisition_lines_item_idx" ON "requisition_lines" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "requisitions_number_unique" ON "requisitions" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "requisitions_submission_key_unique" ON "requisitions" USING btree ("submission_key");--> statement-breakpoint
CREATE INDEX "requisitions_requester_idx" ON "requisitions" USING btree ("requester_slack_user_id","created_at");--> statement-breakpoint
CREATE INDEX "requisitions_cost_center_approved_idx" ON "requisitions" USING btree ("cost_center_code","approved_at");--> statement-breakpoint
CREATE INDEX "requisitions_awaiting_idx" ON "requisitions" USING gin ("awaiting");--> statement-breakpoint
CREATE INDEX "slack_messages_document_idx" ON "slack_messages" USING btree ("document_type","document_id","purpose");