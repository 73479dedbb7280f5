-- The ledger's own operations run as a role of their own, stockroom_ledger: SECURITY DEFINER functions owned
-- by it, that nobody logs in as. They keep books, bins and layers balanced by construction (one transaction
-- each, held to textbook costs by the property and twin tests), so the books-balance triggers of 0018 skip
-- their writes (a WHEN on current_user, decided in C as each row is queued): a posting then pays nothing for
-- them. Every other writer (the application's role running its own SQL, a person with psql, the owner) is
-- still checked at commit, and the CHECK constraints bind everyone. search_path is pinned, so a temporary
-- table of the caller's cannot stand in for a ledger table.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stockroom_ledger') THEN
    CREATE ROLE stockroom_ledger NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END;
$$;
--> statement-breakpoint
-- The migrating owner hands its functions over, and must stay able to replace them in later migrations.
GRANT stockroom_ledger TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO stockroom_ledger;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stockroom_ledger;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON stock_moves FROM stockroom_ledger;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO stockroom_ledger;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stockroom_ledger;
--> statement-breakpoint
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOREACH f IN ARRAY ARRAY['ledger_receive(jsonb)', 'ledger_issue(jsonb)', 'ledger_reserve(jsonb)', 'ledger_release(jsonb)',
                           'ledger_transfer(jsonb)', 'ledger_adjust(jsonb)', 'ledger_issue_group(jsonb)']::regprocedure[] LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO stockroom_ledger', f);
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = public, pg_temp', f);
  END LOOP;
END;
$$;
--> statement-breakpoint
DROP TRIGGER item_valuations_books_balance ON item_valuations;
--> statement-breakpoint
DROP TRIGGER item_valuations_books_balance_on_update ON item_valuations;
--> statement-breakpoint
DROP TRIGGER stock_levels_books_balance ON stock_levels;
--> statement-breakpoint
DROP TRIGGER stock_levels_books_balance_on_update ON stock_levels;
--> statement-breakpoint
DROP TRIGGER cost_layers_books_balance ON cost_layers;
--> statement-breakpoint
DROP TRIGGER cost_layers_books_balance_on_update ON cost_layers;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER item_valuations_books_balance
  AFTER INSERT OR DELETE ON item_valuations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (current_user <> 'stockroom_ledger')
  EXECUTE FUNCTION ledger_books_balance('all');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER item_valuations_books_balance_on_update
  AFTER UPDATE ON item_valuations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (current_user <> 'stockroom_ledger'
        AND (OLD.on_hand IS DISTINCT FROM NEW.on_hand OR OLD.value IS DISTINCT FROM NEW.value OR OLD.item_id IS DISTINCT FROM NEW.item_id))
  EXECUTE FUNCTION ledger_books_balance('all');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stock_levels_books_balance
  AFTER INSERT OR DELETE ON stock_levels DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (current_user <> 'stockroom_ledger')
  EXECUTE FUNCTION ledger_books_balance('bins');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stock_levels_books_balance_on_update
  AFTER UPDATE ON stock_levels DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (current_user <> 'stockroom_ledger' AND (OLD.on_hand IS DISTINCT FROM NEW.on_hand OR OLD.item_id IS DISTINCT FROM NEW.item_id))
  EXECUTE FUNCTION ledger_books_balance('bins');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cost_layers_books_balance
  AFTER INSERT OR DELETE ON cost_layers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (current_user <> 'stockroom_ledger')
  EXECUTE FUNCTION ledger_books_balance('layers');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cost_layers_books_balance_on_update
  AFTER UPDATE ON cost_layers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (current_user <> 'stockroom_ledger'
        AND (OLD.remaining_quantity IS DISTINCT FROM NEW.remaining_quantity OR OLD.remaining_value IS DISTINCT FROM NEW.remaining_value
             OR OLD.item_id IS DISTINCT FROM NEW.item_id))
  EXECUTE FUNCTION ledger_books_balance('layers');
