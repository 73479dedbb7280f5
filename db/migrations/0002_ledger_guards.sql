-- The ledger is append-only: history cannot be rewritten, corrections are new moves.
CREATE FUNCTION stock_moves_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_moves is append-only: % refused (post a correcting move instead)', TG_OP
    USING ERRCODE = 'SR900';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_moves_append_only
  BEFORE UPDATE OR DELETE ON stock_moves
  FOR EACH ROW EXECUTE FUNCTION stock_moves_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stock_moves_no_truncate
  BEFORE TRUNCATE ON stock_moves
  FOR EACH STATEMENT EXECUTE FUNCTION stock_moves_refuse_change();
--> statement-breakpoint
-- The single settings row; the default valuation method is FIFO.
INSERT INTO inventory_settings (id, default_valuation_method) VALUES (true, 'fifo') ON CONFLICT DO NOTHING;
