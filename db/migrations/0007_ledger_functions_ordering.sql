-- Adjustments take their move id after locking the item's book, like receipts and issues do.
-- Count variance: a gain adds a layer (at the given cost, else the running average, else the
-- standard cost); a loss is taken like an issue, from unreserved stock only.
CREATE OR REPLACE FUNCTION ledger_adjust(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_delta numeric := (p->>'quantity')::numeric;
  v_quantity numeric := abs((p->>'quantity')::numeric);
  v_item record;
  v_location record;
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
  SELECT * INTO v_item FROM ledger_find_item(p->>'sku', v_quantity, false);
  SELECT * INTO v_location FROM ledger_find_location(p->>'location');
  IF v_delta > 0 THEN
    INSERT INTO stock_levels AS s (item_id, location_id, on_hand) VALUES (v_item.id, v_location.id, v_quantity)
      ON CONFLICT (item_id, location_id) DO UPDATE SET on_hand = s.on_hand + excluded.on_hand
      RETURNING on_hand INTO v_on_hand;
    v_unit_cost := (p->>'unitCost')::numeric;
    IF v_unit_cost IS NULL THEN
      SELECT on_hand, value INTO v_book_on_hand, v_book_value FROM item_valuations WHERE item_id = v_item.id;
      v_unit_cost := CASE WHEN v_book_on_hand > 0 THEN round(v_book_value / v_book_on_hand, 4)
        ELSE coalesce(v_item.standard_cost, 0) END;
    END IF;
    v_value := round(v_quantity * v_unit_cost, 4);
    PERFORM ledger_grow_book(v_item.id, v_quantity, v_value);
  ELSE
    UPDATE stock_levels SET on_hand = on_hand - v_quantity
      WHERE item_id = v_item.id AND location_id = v_location.id AND on_hand - reserved >= v_quantity
      RETURNING on_hand INTO v_on_hand;
    IF NOT FOUND THEN
      SELECT on_hand - reserved INTO v_available FROM stock_levels
        WHERE item_id = v_item.id AND location_id = v_location.id;
      PERFORM ledger_fail('insufficient_stock', format(
        'Only %s of %s unreserved at %s; cannot write off %s (release reservations first)',
        ledger_num(coalesce(v_available, 0)), v_item.sku, v_location.path, ledger_num(v_quantity)));
    END IF;
    v_value := ledger_take_cost(v_item.id, v_item.method, v_quantity);
    v_unit_cost := round(v_value / v_quantity, 4);
  END IF;
  -- Taken while the item's book row is locked, so an item's move ids follow the order its values
  -- were posted in (the reports replay by id).
  v_move := nextval('stock_moves_id_seq');
  v_value := sign(v_delta) * v_value;
  v_result := jsonb_build_object('moveId', v_move::text, 'sku', v_item.sku, 'location', v_location.path,
    'quantity', ledger_num(v_delta), 'unitCost', ledger_num(v_unit_cost), 'value', ledger_num(v_value),
    'onHand', ledger_num(v_on_hand));
  PERFORM ledger_insert_move(v_move, v_item.id, v_location.id, 'adjustment', v_delta, v_unit_cost, v_value, p,
    p->>'key', v_request, v_result);
  IF v_delta > 0 THEN
    PERFORM ledger_add_layer(v_item.id, v_location.id, v_move, v_quantity, v_unit_cost, v_value, p);
  END IF;
  RETURN v_result;
END;
$$;
