ALTER TABLE "cost_layers" DROP CONSTRAINT "cost_layers_remaining_valid";--> statement-breakpoint
ALTER TABLE "cost_layers" ADD CONSTRAINT "cost_layers_remaining_valid" CHECK ("cost_layers"."received_quantity" > 0 and "cost_layers"."unit_cost" >= 0 and "cost_layers"."remaining_quantity" >= 0
          and "cost_layers"."remaining_quantity" <= "cost_layers"."received_quantity" and "cost_layers"."remaining_value" >= 0
          and "cost_layers"."open" = ("cost_layers"."remaining_quantity" > 0) and ("cost_layers"."remaining_quantity" > 0 or "cost_layers"."remaining_value" = 0));--> statement-breakpoint
ALTER TABLE "item_valuations" ADD CONSTRAINT "item_valuations_not_negative" CHECK ("item_valuations"."on_hand" >= 0 and "item_valuations"."value" >= 0);--> statement-breakpoint
ALTER TABLE "stock_moves" ADD CONSTRAINT "stock_moves_signs_by_type" CHECK ("stock_moves"."unit_cost" >= 0 and case "stock_moves"."type"
            when 'receipt' then "stock_moves"."quantity" > 0 and "stock_moves"."total_value" >= 0
            when 'transfer_in' then "stock_moves"."quantity" > 0 and "stock_moves"."total_value" >= 0
            when 'issue' then "stock_moves"."quantity" < 0 and "stock_moves"."total_value" <= 0
            when 'transfer_out' then "stock_moves"."quantity" < 0 and "stock_moves"."total_value" <= 0
            else "stock_moves"."quantity" <> 0 and sign("stock_moves"."total_value") in (0, sign("stock_moves"."quantity")) end);--> statement-breakpoint
-- An item's book, its bins and its open cost layers hold the same quantity, and for FIFO and LIFO items
-- the book's value is its layers' value. The three change in separate statements of one posting, so this
-- is checked at commit (deferred constraint triggers), for whichever writer changed them. Each table's
-- trigger checks what a change there can unbalance: a bin against the book, a layer against the book, and
-- a changed book against everything. Any unbalanced state is caught: what changed without the book is held
-- against the unchanged book, and a changed book is held against all.
-- TG_ARGV[0] is the scope: what a change to this table can unbalance ('bins', 'layers' or 'all'). A row
-- moved to another item is checked for both. The queries sit in the trigger itself, one per scope, so a
-- check costs one executor run.
CREATE FUNCTION ledger_books_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_items uuid[];
  v_item uuid;
  c record;
BEGIN
  IF TG_OP = 'INSERT' THEN v_items := ARRAY[NEW.item_id];
  ELSIF TG_OP = 'DELETE' OR OLD.item_id = NEW.item_id THEN v_items := ARRAY[OLD.item_id];
  ELSE v_items := ARRAY[OLD.item_id, NEW.item_id];
  END IF;
  FOREACH v_item IN ARRAY v_items LOOP
    IF TG_ARGV[0] = 'bins' THEN
      SELECT coalesce((SELECT on_hand FROM item_valuations WHERE item_id = v_item), 0) AS book,
             (SELECT coalesce(sum(on_hand), 0) FROM stock_levels WHERE item_id = v_item) AS bins
        INTO c;
      IF c.book <> c.bins THEN
        RAISE EXCEPTION 'ledger_books_balance: item % holds % on its book and % in its bins; they must agree', v_item, c.book, c.bins
          USING ERRCODE = '23514', CONSTRAINT = 'ledger_books_balance';
      END IF;
      CONTINUE;
    END IF;
    IF TG_ARGV[0] = 'layers' THEN
      SELECT coalesce(v.on_hand, 0) AS book, coalesce(v.value, 0) AS book_value, NULL::numeric AS bins, l.layers, l.layer_value,
             coalesce(i.valuation_method, s.default_valuation_method)::text AS method
        INTO c
        FROM items i
        CROSS JOIN inventory_settings s
        LEFT JOIN item_valuations v ON v.item_id = i.id
        CROSS JOIN LATERAL (SELECT coalesce(sum(remaining_quantity), 0) AS layers, coalesce(sum(remaining_value), 0) AS layer_value
                              FROM cost_layers WHERE item_id = i.id AND open) l
       WHERE i.id = v_item AND s.id;
    ELSE
      SELECT coalesce(v.on_hand, 0) AS book, coalesce(v.value, 0) AS book_value, b.bins, l.layers, l.layer_value,
             coalesce(i.valuation_method, s.default_valuation_method)::text AS method
        INTO c
        FROM items i
        CROSS JOIN inventory_settings s
        LEFT JOIN item_valuations v ON v.item_id = i.id
        CROSS JOIN LATERAL (SELECT coalesce(sum(on_hand), 0) AS bins FROM stock_levels WHERE item_id = i.id) b
        CROSS JOIN LATERAL (SELECT coalesce(sum(remaining_quantity), 0) AS layers, coalesce(sum(remaining_value), 0) AS layer_value
                              FROM cost_layers WHERE item_id = i.id AND open) l
       WHERE i.id = v_item AND s.id;
    END IF;
    CONTINUE WHEN NOT FOUND; -- no such item: the foreign keys of the changed row answer for that
    IF c.book <> c.layers OR c.book <> coalesce(c.bins, c.book) THEN
      RAISE EXCEPTION 'ledger_books_balance: item % holds % on its book, % in its bins and % in its open cost layers; they must agree',
        v_item, c.book, coalesce(c.bins::text, '(not checked)'), c.layers
        USING ERRCODE = '23514', CONSTRAINT = 'ledger_books_balance';
    END IF;
    IF c.method IN ('fifo', 'lifo') AND c.book_value <> c.layer_value THEN
      RAISE EXCEPTION 'ledger_books_balance: item % (%) is worth % on its book and % in its open cost layers; they must agree',
        v_item, c.method, c.book_value, c.layer_value
        USING ERRCODE = '23514', CONSTRAINT = 'ledger_books_balance';
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Fired only by changes that can unbalance: a reservation changes `reserved`, not `on_hand`, and costs nothing here.
CREATE CONSTRAINT TRIGGER item_valuations_books_balance
  AFTER INSERT OR DELETE ON item_valuations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_books_balance('all');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER item_valuations_books_balance_on_update
  AFTER UPDATE ON item_valuations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.on_hand IS DISTINCT FROM NEW.on_hand OR OLD.value IS DISTINCT FROM NEW.value OR OLD.item_id IS DISTINCT FROM NEW.item_id)
  EXECUTE FUNCTION ledger_books_balance('all');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stock_levels_books_balance
  AFTER INSERT OR DELETE ON stock_levels
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_books_balance('bins');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stock_levels_books_balance_on_update
  AFTER UPDATE ON stock_levels DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.on_hand IS DISTINCT FROM NEW.on_hand OR OLD.item_id IS DISTINCT FROM NEW.item_id)
  EXECUTE FUNCTION ledger_books_balance('bins');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cost_layers_books_balance
  AFTER INSERT OR DELETE ON cost_layers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_books_balance('layers');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cost_layers_books_balance_on_update
  AFTER UPDATE ON cost_layers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.remaining_quantity IS DISTINCT FROM NEW.remaining_quantity OR OLD.remaining_value IS DISTINCT FROM NEW.remaining_value
        OR OLD.item_id IS DISTINCT FROM NEW.item_id)
  EXECUTE FUNCTION ledger_books_balance('layers');
--> statement-breakpoint
-- TRUNCATE skips row triggers and checks, so it is refused on every table that holds stock, on purpose
-- (stock_moves already refuses it through stock_moves_no_truncate).
CREATE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% holds stock: TRUNCATE refused (post correcting moves instead)', TG_TABLE_NAME
    USING ERRCODE = 'SR900';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_levels_no_truncate BEFORE TRUNCATE ON stock_levels FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER item_valuations_no_truncate BEFORE TRUNCATE ON item_valuations FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER cost_layers_no_truncate BEFORE TRUNCATE ON cost_layers FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER reservations_no_truncate BEFORE TRUNCATE ON reservations FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
--> statement-breakpoint
-- The application's role: reads and writes rows, owns nothing, is no superuser (so it can neither
-- disable triggers nor switch them off with session_replication_role), may not truncate, and may only
-- append to the ledger. The owner that runs these migrations grants it; tables made by later migrations
-- are granted to it by default. A deployment logs in as stockroom_app or as a member of it (README).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stockroom_app') THEN
    CREATE ROLE stockroom_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END;
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO stockroom_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stockroom_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON stock_moves FROM stockroom_app;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON __drizzle_migrations FROM stockroom_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO stockroom_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stockroom_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO stockroom_app;
