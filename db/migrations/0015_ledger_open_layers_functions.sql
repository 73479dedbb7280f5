-- Open layers are found by the `open` flag (index cost_layers_open_layers_idx), so a partial take,
-- which changes no indexed column, is a HOT update; the flag drops when a layer is used up.
UPDATE cost_layers SET open = remaining_quantity > 0 WHERE open <> (remaining_quantity > 0);
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
        WHERE l.item_id = p_item AND l.open ORDER BY l.id DESC LIMIT 1;
    ELSE
      SELECT l.id, l.remaining_quantity, l.remaining_value INTO v_layer FROM cost_layers l
        WHERE l.item_id = p_item AND l.open ORDER BY l.id LIMIT 1;
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
    UPDATE cost_layers SET remaining_quantity = remaining_quantity - v_take, remaining_value = remaining_value - v_part,
        open = remaining_quantity > v_take
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
        WHERE l.item_id = v_item AND l.open ORDER BY l.id DESC LIMIT 1;
    ELSE
      SELECT l.id, l.remaining_quantity, l.remaining_value INTO v_layer FROM cost_layers l
        WHERE l.item_id = v_item AND l.open ORDER BY l.id LIMIT 1;
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
    UPDATE cost_layers SET remaining_quantity = remaining_quantity - v_take, remaining_value = remaining_value - v_part,
        open = remaining_quantity > v_take
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
