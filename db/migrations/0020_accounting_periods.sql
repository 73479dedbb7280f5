CREATE TABLE "accounting_periods" (
	"period" text PRIMARY KEY NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"accounts" jsonb NOT NULL,
	"closed_by" text NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounting_periods_period_format" CHECK ("accounting_periods"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "accounting_periods_range" CHECK ("accounting_periods"."starts_at" < "accounting_periods"."ends_at")
);
--> statement-breakpoint
-- Closing goes through ledger_close_period only: the application may read the periods, not write them.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON accounting_periods FROM stockroom_app;
--> statement-breakpoint
-- What a closed period refuses: a stock move or a supplier invoice dated inside it, from any writer.
CREATE FUNCTION ledger_refuse_closed_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_period accounting_periods%ROWTYPE;
BEGIN
  SELECT * INTO v_period FROM accounting_periods WHERE NEW.created_at >= starts_at AND NEW.created_at < ends_at;
  RAISE EXCEPTION 'period % is closed: % cannot be dated %; post it with a date in an open period (after %)',
    coalesce(v_period.period, 'before ' || (SELECT min(period) FROM accounting_periods)),
    CASE TG_TABLE_NAME WHEN 'stock_moves' THEN 'a stock move' ELSE 'a supplier invoice' END,
    NEW.created_at, (SELECT max(ends_at) FROM accounting_periods)
    USING ERRCODE = '23514', CONSTRAINT = 'ledger_period_closed', TABLE = TG_TABLE_NAME;
END;
$$;
--> statement-breakpoint
-- Closes one month. Months close in order: every earlier month holding moves or invoices must be closed
-- first. The refusing triggers are re-created with the new end as a constant in their WHEN clause, so an
-- insert into an open period costs one comparison and no lookup. SECURITY DEFINER: the triggers belong to
-- the tables' owner; the application decides who may close (inventory managers and admins).
CREATE FUNCTION ledger_close_period(p_period text, p_starts timestamptz, p_ends timestamptz, p_time_zone text,
  p_accounts jsonb, p_by text) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_row accounting_periods%ROWTYPE;
  v_boundary timestamptz;
  v_earliest timestamptz;
BEGIN
  LOCK TABLE accounting_periods IN EXCLUSIVE MODE;
  SELECT * INTO v_row FROM accounting_periods WHERE period = p_period;
  IF FOUND THEN
    RETURN to_jsonb(v_row) || jsonb_build_object('alreadyClosed', true);
  END IF;
  IF p_ends > now() THEN
    RAISE EXCEPTION 'period % has not ended yet (it ends %); close it after that', p_period, p_ends USING ERRCODE = 'SR903';
  END IF;
  SELECT coalesce(max(ends_at), '-infinity') INTO v_boundary FROM accounting_periods;
  SELECT least((SELECT min(created_at) FROM stock_moves WHERE created_at >= v_boundary AND created_at < p_starts),
               (SELECT min(created_at) FROM supplier_invoices WHERE created_at >= v_boundary AND created_at < p_starts))
    INTO v_earliest;
  IF v_earliest IS NOT NULL THEN
    RAISE EXCEPTION 'close % first: months close in order, and it holds stock moves or invoices',
      to_char(v_earliest AT TIME ZONE p_time_zone, 'YYYY-MM') USING ERRCODE = 'SR903';
  END IF;
  INSERT INTO accounting_periods (period, starts_at, ends_at, time_zone, accounts, closed_by)
    VALUES (p_period, p_starts, p_ends, p_time_zone, p_accounts, p_by) RETURNING * INTO v_row;
  v_boundary := greatest(v_boundary, p_ends);
  EXECUTE format('CREATE OR REPLACE TRIGGER stock_moves_closed_periods BEFORE INSERT ON stock_moves FOR EACH ROW '
    'WHEN (NEW.created_at < %L::timestamptz) EXECUTE FUNCTION ledger_refuse_closed_period()', v_boundary);
  EXECUTE format('CREATE OR REPLACE TRIGGER supplier_invoices_closed_periods BEFORE INSERT OR UPDATE OF created_at ON supplier_invoices FOR EACH ROW '
    'WHEN (NEW.created_at < %L::timestamptz) EXECUTE FUNCTION ledger_refuse_closed_period()', v_boundary);
  RETURN to_jsonb(v_row) || jsonb_build_object('alreadyClosed', false);
END;
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION ledger_close_period(text, timestamptz, timestamptz, text, jsonb, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledger_close_period(text, timestamptz, timestamptz, text, jsonb, text) TO stockroom_app;
--> statement-breakpoint
-- An invoice of a closed period keeps its lines and amounts: its price variance is in that period's journal.
CREATE FUNCTION ledger_refuse_closed_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_invoice uuid := CASE TG_TABLE_NAME WHEN 'supplier_invoices' THEN OLD.id
                    ELSE (CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END) END;
  v_boundary timestamptz := (SELECT max(ends_at) FROM accounting_periods);
BEGIN
  IF v_boundary IS NOT NULL AND EXISTS (SELECT 1 FROM supplier_invoices WHERE id = v_invoice AND created_at < v_boundary) THEN
    RAISE EXCEPTION 'supplier invoice % belongs to a closed period: it cannot change', v_invoice
      USING ERRCODE = '23514', CONSTRAINT = 'ledger_period_closed', TABLE = TG_TABLE_NAME;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER supplier_invoices_closed_invoice BEFORE UPDATE OR DELETE ON supplier_invoices
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_invoice_change();
--> statement-breakpoint
CREATE TRIGGER supplier_invoice_lines_closed_invoice BEFORE INSERT OR UPDATE OR DELETE ON supplier_invoice_lines
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_invoice_change();
