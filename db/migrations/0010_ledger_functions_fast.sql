-- Faster ledger functions, same behaviour (measured by bench/ledger.ts):
-- * helpers in LANGUAGE sql were re-planned on every call (a non-inlined SQL function keeps its plan
--   only for one outer query); in plpgsql their plans are cached per session;
-- * SKU and location are resolved in one query, the idempotency lookup is one query;
-- * cost layers are read and updated without row locks of their own: every writer of an item's
--   layers first locks the item's book row (item_valuations), which serialises them;
-- * lock order is now, for every operation: the item's book row, stock levels (by location),
--   reservations, cost layers (receive and adjust take the book first too, see ledger_adjust below);
-- * fill factor 80 on the rows updated in place, so updates stay on their page (HOT).

CREATE OR REPLACE FUNCTION ledger_replay(p_key text, p_request jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb;
  v_result jsonb;
BEGIN
  SELECT s.request, s.result INTO v_request, v_result FROM (
    SELECT m.request, m.result FROM stock_moves m WHERE m.idempotency_key = p_key
    UNION ALL
    SELECT r.request, r.result FROM reservation_requests r WHERE r.idempotency_key = p_key) s
  LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF v_request IS DISTINCT FROM p_request THEN
    PERFORM ledger_fail('key_reused', format('The key %s was already used for a different request', p_key));
  END IF;
  RETURN v_result;
END;
$$;
--> statement-breakpoint
-- Item and location in one query, with the checks every stock operation makes.
CREATE FUNCTION ledger_find(p_sku text, p_location text, p_quantity numeric, p_need_active boolean,
  OUT item_id uuid, OUT sku text, OUT method valuation_method, OUT standard_cost numeric, OUT location_id uuid,
  OUT path text)
LANGUAGE plpgsql AS $$
DECLARE
  v_active boolean;
  v_decimals smallint;
  v_uom text;
BEGIN
  SELECT i.id, i.sku, coalesce(i.valuation_method, s.default_valuation_method, 'fifo'), i.standard_cost, i.active,
         i.uom_decimals, i.uom, l.id, l.path
    INTO item_id, sku, method, standard_cost, v_active, v_decimals, v_uom, location_id, path
    FROM (SELECT 1) one
    LEFT JOIN items i ON lower(i.sku) = lower(p_sku)
    LEFT JOIN locations l ON lower(l.path) = lower(p_location)
    LEFT JOIN inventory_settings s ON s.id;
  IF item_id IS NULL THEN
    PERFORM ledger_fail('unknown_sku', format('No item has the SKU %s', p_sku));
  END IF;
  IF location_id IS NULL THEN
    PERFORM ledger_fail('unknown_location', format('No location has the path %s', p_location));
  END IF;
  IF p_need_active AND NOT v_active THEN
    PERFORM ledger_fail('inactive_item', format('%s is inactive', sku));
  END IF;
  IF min_scale(p_quantity) > v_decimals THEN
    PERFORM ledger_fail('too_many_decimals',
      format('%s is counted in %s with at most %s decimals; got %s', sku, v_uom, v_decimals, ledger_num(p_quantity)));
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_grow_book(p_item uuid, p_quantity numeric, p_value numeric) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  v_on_hand numeric;
BEGIN
  INSERT INTO item_valuations AS v (item_id, on_hand, value) VALUES (p_item, p_quantity, p_value)
    ON CONFLICT (item_id) DO UPDATE SET on_hand = v.on_hand + excluded.on_hand, value = v.value + excluded.value,
      updated_at = now()
    RETURNING on_hand INTO v_on_hand;
  RETURN v_on_hand;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_add_layer(p_item uuid, p_location uuid, p_move bigint, p_quantity numeric,
  p_unit_cost numeric, p_value numeric, p jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cost_layers (item_id, location_id, move_id, received_quantity, remaining_quantity, unit_cost,
      remaining_value, received_at)
    VALUES (p_item, p_location, p_move, p_quantity, p_quantity, p_unit_cost, p_value,
      coalesce((p->>'occurredAt')::timestamptz, now()));
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_insert_move(p_id bigint, p_item uuid, p_location uuid, p_type move_type,
  p_quantity numeric, p_unit_cost numeric, p_value numeric, p jsonb, p_key text, p_request jsonb, p_result jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_moves (id, item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id,
      actor, note, idempotency_key, request, result, created_at)
    OVERRIDING SYSTEM VALUE
    VALUES (p_id, p_item, p_location, p_type, p_quantity, p_unit_cost, p_value, (p->>'documentType')::document_type,
      p->>'documentId', p->>'actor', p->>'note', p_key, p_request, p_result,
      coalesce((p->>'occurredAt')::timestamptz, now()));
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_take_cost(p_item uuid, p_method valuation_method, p_quantity numeric) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  v_on_hand numeric;
  v_value numeric;
  v_left numeric := p_quantity;
  v_layers_cost numeric := 0;
  v_cost numeric;
  v_take numeric;
  v_part numeric;
  v_layer record;
BEGIN
  -- Locks the item's book (one later UPDATE: a second update of a row this transaction already
  -- updated would re-run the foreign key check on items).
  SELECT on_hand, value INTO v_on_hand, v_value FROM item_valuations WHERE item_id = p_item FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger inconsistent: item % has no book', p_item;
  END IF;
  LOOP
    IF p_method = 'lifo' THEN
      SELECT l.id, l.remaining_quantity, l.remaining_value INTO v_layer FROM cost_layers l
        WHERE l.item_id = p_item AND l.remaining_quantity > 0 ORDER BY l.id DESC LIMIT 1;
    ELSE
      SELECT l.id, l.remaining_quantity, l.remaining_value INTO v_layer FROM cost_layers l
        WHERE l.item_id = p_item AND l.remaining_quantity > 0 ORDER BY l.id LIMIT 1;
    END IF;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger inconsistent: item % layers short by %', p_item, v_left;
    END IF;
    IF v_left >= v_layer.remaining_quantity THEN
      v_take := v_layer.remaining_quantity;
      v_part := v_layer.remaining_value;
    ELSE
      v_take := v_left;
      v_part := round(v_layer.remaining_value * v_left / v_layer.remaining_quantity, 4);
    END IF;
    UPDATE cost_layers SET remaining_quantity = remaining_quantity - v_take, remaining_value = remaining_value - v_part
      WHERE id = v_layer.id;
    v_layers_cost := v_layers_cost + v_part;
    v_left := v_left - v_take;
    EXIT WHEN v_left = 0;
  END LOOP;
  IF p_method = 'wavg' THEN
    v_cost := CASE WHEN p_quantity = v_on_hand THEN v_value ELSE round(v_value * p_quantity / v_on_hand, 4) END;
  ELSE
    v_cost := v_layers_cost;
  END IF;
  UPDATE item_valuations SET on_hand = on_hand - p_quantity, value = value - v_cost, updated_at = now()
    WHERE item_id = p_item;
  RETURN v_cost;
END;
$$;
--> statement-breakpoint
-- The hot path, with its helpers inlined (each plpgsql call costs about as much as a simple query).
CREATE OR REPLACE FUNCTION ledger_issue(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_stored jsonb;
  v_result jsonb;
  v_quantity numeric := (p->>'quantity')::numeric;
  v_unreserved boolean := coalesce((p->>'unreserved')::boolean, false);
  v_at timestamptz := coalesce((p->>'occurredAt')::timestamptz, now());
  v_item uuid;
  v_sku text;
  v_method valuation_method;
  v_active boolean;
  v_decimals smallint;
  v_uom text;
  v_location uuid;
  v_path text;
  v_on_hand numeric;
  v_available numeric;
  v_book_on_hand numeric;
  v_book_value numeric;
  v_left numeric := (p->>'quantity')::numeric;
  v_layers_cost numeric := 0;
  v_take numeric;
  v_part numeric;
  v_cost numeric;
  v_unit_cost numeric;
  v_move bigint;
  v_layer record;
BEGIN
  SELECT s.request, s.result INTO v_stored, v_result FROM (
    SELECT m.request, m.result FROM stock_moves m WHERE m.idempotency_key = p->>'key'
    UNION ALL
    SELECT r.request, r.result FROM reservation_requests r WHERE r.idempotency_key = p->>'key') s
  LIMIT 1;
  IF FOUND THEN
    IF v_stored IS DISTINCT FROM v_request THEN
      PERFORM ledger_fail('key_reused', format('The key %s was already used for a different request', p->>'key'));
    END IF;
    RETURN v_result;
  END IF;

  SELECT i.id, i.sku, i.valuation_method, i.active, i.uom_decimals, i.uom, l.id, l.path
    INTO v_item, v_sku, v_method, v_active, v_decimals, v_uom, v_location, v_path
    FROM (SELECT 1) one
    LEFT JOIN items i ON lower(i.sku) = lower(p->>'sku')
    LEFT JOIN locations l ON lower(l.path) = lower(p->>'location');
  IF v_item IS NULL THEN
    PERFORM ledger_fail('unknown_sku', format('No item has the SKU %s', p->>'sku'));
  END IF;
  IF v_location IS NULL THEN
    PERFORM ledger_fail('unknown_location', format('No location has the path %s', p->>'location'));
  END IF;
  -- Issuing what a document already reserved stays possible after the item is deactivated.
  IF v_unreserved AND NOT v_active THEN
    PERFORM ledger_fail('inactive_item', format('%s is inactive', v_sku));
  END IF;
  IF min_scale(v_quantity) > v_decimals THEN
    PERFORM ledger_fail('too_many_decimals',
      format('%s is counted in %s with at most %s decimals; got %s', v_sku, v_uom, v_decimals, ledger_num(v_quantity)));
  END IF;

  IF v_method IS NULL THEN
    SELECT coalesce(default_valuation_method, 'fifo') INTO v_method FROM inventory_settings;
    v_method := coalesce(v_method, 'fifo');
  END IF;

  -- Lock order, every operation: the item's book row (item_valuations), then stock levels (by
  -- location), then reservations, then cost layers. The book row serialises every writer of the
  -- item's value and layers, so the layers below need no locks of their own.
  SELECT on_hand, value INTO v_book_on_hand, v_book_value FROM item_valuations WHERE item_id = v_item
    FOR NO KEY UPDATE;

  IF v_unreserved THEN
    UPDATE stock_levels SET on_hand = on_hand - v_quantity
      WHERE item_id = v_item AND location_id = v_location AND on_hand - reserved >= v_quantity
      RETURNING on_hand INTO v_on_hand;
    IF NOT FOUND THEN
      SELECT on_hand - reserved INTO v_available FROM stock_levels WHERE item_id = v_item AND location_id = v_location;
      PERFORM ledger_fail('insufficient_stock', format('Only %s of %s available at %s; asked for %s',
        ledger_num(coalesce(v_available, 0)), v_sku, v_path, ledger_num(v_quantity)));
    END IF;
  ELSE
    UPDATE stock_levels SET on_hand = on_hand - v_quantity, reserved = reserved - v_quantity
      WHERE item_id = v_item AND location_id = v_location AND reserved >= v_quantity
      RETURNING on_hand INTO v_on_hand;
    IF FOUND THEN
      UPDATE reservations SET open_quantity = open_quantity - v_quantity,
          issued_quantity = issued_quantity + v_quantity, updated_at = now()
        WHERE document_type = (p->>'documentType')::document_type AND document_id = p->>'documentId'
          AND item_id = v_item AND location_id = v_location AND open_quantity >= v_quantity;
    END IF;
    IF NOT FOUND THEN
      SELECT open_quantity INTO v_available FROM reservations
        WHERE document_type = (p->>'documentType')::document_type AND document_id = p->>'documentId'
          AND item_id = v_item AND location_id = v_location;
      PERFORM ledger_fail('insufficient_reservation', format('%s %s holds %s of %s reserved at %s; asked to issue %s',
        p->>'documentType', p->>'documentId', ledger_num(coalesce(v_available, 0)), v_sku, v_path,
        ledger_num(v_quantity)));
    END IF;
  END IF;

  LOOP
    IF v_method = 'lifo' THEN
      SELECT l.id, l.remaining_quantity, l.remaining_value INTO v_layer FROM cost_layers l
        WHERE l.item_id = v_item AND l.remaining_quantity > 0 ORDER BY l.id DESC LIMIT 1;
    ELSE
      SELECT l.id, l.remaining_quantity, l.remaining_value INTO v_layer FROM cost_layers l
        WHERE l.item_id = v_item AND l.remaining_quantity > 0 ORDER BY l.id LIMIT 1;
    END IF;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger inconsistent: item % layers short by %', v_item, v_left;
    END IF;
    IF v_left >= v_layer.remaining_quantity THEN
      v_take := v_layer.remaining_quantity;
      v_part := v_layer.remaining_value;
    ELSE
      v_take := v_left;
      v_part := round(v_layer.remaining_value * v_left / v_layer.remaining_quantity, 4);
    END IF;
    UPDATE cost_layers SET remaining_quantity = remaining_quantity - v_take, remaining_value = remaining_value - v_part
      WHERE id = v_layer.id;
    v_layers_cost := v_layers_cost + v_part;
    v_left := v_left - v_take;
    EXIT WHEN v_left = 0;
  END LOOP;
  IF v_method = 'wavg' THEN
    v_cost := CASE WHEN v_quantity = v_book_on_hand THEN v_book_value
                   ELSE round(v_book_value * v_quantity / v_book_on_hand, 4) END;
  ELSE
    v_cost := v_layers_cost;
  END IF;
  UPDATE item_valuations SET on_hand = on_hand - v_quantity, value = value - v_cost, updated_at = now()
    WHERE item_id = v_item;

  v_unit_cost := round(v_cost / v_quantity, 4);
  v_move := nextval('stock_moves_id_seq');
  v_result := jsonb_build_object('moveId', v_move::text, 'sku', v_sku, 'location', v_path,
    'quantity', ledger_num(v_quantity), 'cost', ledger_num(v_cost), 'unitCost', ledger_num(v_unit_cost),
    'onHand', ledger_num(v_on_hand), 'method', v_method);
  INSERT INTO stock_moves (id, item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id,
      actor, note, idempotency_key, request, result, created_at)
    OVERRIDING SYSTEM VALUE
    VALUES (v_move, v_item, v_location, 'issue', -v_quantity, v_unit_cost, -v_cost,
      (p->>'documentType')::document_type, p->>'documentId', p->>'actor', p->>'note', p->>'key', v_request, v_result,
      v_at);
  RETURN v_result;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_receive(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_quantity numeric := (p->>'quantity')::numeric;
  v_unit_cost numeric := (p->>'unitCost')::numeric;
  v_at timestamptz := coalesce((p->>'occurredAt')::timestamptz, now());
  v_found record;
  v_on_hand numeric;
  v_item_on_hand numeric;
  v_value numeric;
  v_move bigint;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  SELECT * INTO v_found FROM ledger_find(p->>'sku', p->>'location', v_quantity, true);
  -- Lock order: the item's book, then the stock level (see ledger_issue).
  v_value := round(v_quantity * v_unit_cost, 4);
  INSERT INTO item_valuations AS v (item_id, on_hand, value) VALUES (v_found.item_id, v_quantity, v_value)
    ON CONFLICT (item_id) DO UPDATE SET on_hand = v.on_hand + excluded.on_hand, value = v.value + excluded.value,
      updated_at = now()
    RETURNING on_hand INTO v_item_on_hand;
  INSERT INTO stock_levels AS s (item_id, location_id, on_hand) VALUES (v_found.item_id, v_found.location_id, v_quantity)
    ON CONFLICT (item_id, location_id) DO UPDATE SET on_hand = s.on_hand + excluded.on_hand
    RETURNING on_hand INTO v_on_hand;
  v_move := nextval('stock_moves_id_seq');
  v_result := jsonb_build_object('moveId', v_move::text, 'sku', v_found.sku, 'location', v_found.path,
    'quantity', ledger_num(v_quantity), 'unitCost', ledger_num(v_unit_cost), 'value', ledger_num(v_value),
    'onHand', ledger_num(v_on_hand), 'itemOnHand', ledger_num(v_item_on_hand));
  INSERT INTO stock_moves (id, item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id,
      actor, note, idempotency_key, request, result, created_at)
    OVERRIDING SYSTEM VALUE
    VALUES (v_move, v_found.item_id, v_found.location_id, 'receipt', v_quantity, v_unit_cost, v_value,
      (p->>'documentType')::document_type, p->>'documentId', p->>'actor', p->>'note', p->>'key', v_request, v_result,
      v_at);
  INSERT INTO cost_layers (item_id, location_id, move_id, received_quantity, remaining_quantity, unit_cost,
      remaining_value, received_at)
    VALUES (v_found.item_id, v_found.location_id, v_move, v_quantity, v_quantity, v_unit_cost, v_value, v_at);
  RETURN v_result;
END;
$$;
--> statement-breakpoint
-- Without foreign keys on stock_moves, this keeps items and locations with history from being deleted
-- (deactivate them instead).
CREATE FUNCTION ledger_refuse_delete_with_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'items' AND EXISTS (SELECT 1 FROM stock_moves WHERE item_id = OLD.id) THEN
    RAISE EXCEPTION 'item % has stock moves: deactivate it instead of deleting', OLD.sku USING ERRCODE = 'SR901';
  END IF;
  IF TG_TABLE_NAME = 'locations' AND EXISTS (SELECT 1 FROM stock_moves WHERE location_id = OLD.id) THEN
    RAISE EXCEPTION 'location % has stock moves: deactivate it instead of deleting', OLD.path USING ERRCODE = 'SR901';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER items_keep_history BEFORE DELETE ON items
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_delete_with_moves();
--> statement-breakpoint
CREATE TRIGGER locations_keep_history BEFORE DELETE ON locations
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_delete_with_moves();
--> statement-breakpoint
-- Count variance, taking the item's book lock first (lock order above).
CREATE OR REPLACE FUNCTION ledger_adjust(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_delta numeric := (p->>'quantity')::numeric;
  v_quantity numeric := abs((p->>'quantity')::numeric);
  v_found record;
  v_on_hand numeric;
  v_available numeric;
  v_book_on_hand numeric;
  v_book_value numeric;
  v_unit_cost numeric;
  v_value numeric;
  v_move bigint;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  SELECT * INTO v_found FROM ledger_find(p->>'sku', p->>'location', v_quantity, false);
  IF v_delta > 0 THEN
    v_unit_cost := (p->>'unitCost')::numeric;
    IF v_unit_cost IS NULL THEN
      SELECT on_hand, value INTO v_book_on_hand, v_book_value FROM item_valuations WHERE item_id = v_found.item_id
        FOR NO KEY UPDATE;
      v_unit_cost := CASE WHEN v_book_on_hand > 0 THEN round(v_book_value / v_book_on_hand, 4)
        ELSE coalesce(v_found.standard_cost, 0) END;
    END IF;
    v_value := round(v_quantity * v_unit_cost, 4);
    PERFORM ledger_grow_book(v_found.item_id, v_quantity, v_value);
    INSERT INTO stock_levels AS s (item_id, location_id, on_hand) VALUES (v_found.item_id, v_found.location_id, v_quantity)
      ON CONFLICT (item_id, location_id) DO UPDATE SET on_hand = s.on_hand + excluded.on_hand
      RETURNING on_hand INTO v_on_hand;
  ELSE
    PERFORM 1 FROM item_valuations WHERE item_id = v_found.item_id FOR NO KEY UPDATE;
    UPDATE stock_levels SET on_hand = on_hand - v_quantity
      WHERE item_id = v_found.item_id AND location_id = v_found.location_id AND on_hand - reserved >= v_quantity
      RETURNING on_hand INTO v_on_hand;
    IF NOT FOUND THEN
      SELECT on_hand - reserved INTO v_available FROM stock_levels
        WHERE item_id = v_found.item_id AND location_id = v_found.location_id;
      PERFORM ledger_fail('insufficient_stock', format(
        'Only %s of %s unreserved at %s; cannot write off %s (release reservations first)',
        ledger_num(coalesce(v_available, 0)), v_found.sku, v_found.path, ledger_num(v_quantity)));
    END IF;
    v_value := ledger_take_cost(v_found.item_id, v_found.method, v_quantity);
    v_unit_cost := round(v_value / v_quantity, 4);
  END IF;
  -- Taken while the item's book row is locked, so an item's move ids follow posting order.
  v_move := nextval('stock_moves_id_seq');
  v_value := sign(v_delta) * v_value;
  v_result := jsonb_build_object('moveId', v_move::text, 'sku', v_found.sku, 'location', v_found.path,
    'quantity', ledger_num(v_delta), 'unitCost', ledger_num(v_unit_cost), 'value', ledger_num(v_value),
    'onHand', ledger_num(v_on_hand));
  PERFORM ledger_insert_move(v_move, v_found.item_id, v_found.location_id, 'adjustment', v_delta, v_unit_cost, v_value,
    p, p->>'key', v_request, v_result);
  IF v_delta > 0 THEN
    PERFORM ledger_add_layer(v_found.item_id, v_found.location_id, v_move, v_quantity, v_unit_cost, v_value, p);
  END IF;
  RETURN v_result;
END;
$$;
--> statement-breakpoint
ALTER TABLE stock_levels SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE item_valuations SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE cost_layers SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE reservations SET (fillfactor = 80);
