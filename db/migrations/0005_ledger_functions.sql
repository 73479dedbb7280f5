-- Stock operations as database functions: each runs as ONE statement (one round trip, atomic on
-- its own or inside the caller's transaction). db/queries/ledger.ts validates the input, calls them
-- with one jsonb argument (so fields can be added without changing signatures) and maps errors.
--
-- Errors: SQLSTATE SR001 with MESSAGE = the LedgerError code and DETAIL = a readable sentence.
-- Lock order, always: stock_levels rows (item, location ascending) -> reservations -> item_valuations
-- -> cost_layers. The item_valuations row serialises everything that changes an item's value.
-- Value is carried (see inventory/valuation.ts): partial takes are proportional shares of the
-- carried value rounded to 4 places, the last take is what is left.

CREATE FUNCTION ledger_fail(p_code text, p_detail text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SR001', MESSAGE = p_code, DETAIL = p_detail;
END;
$$;
--> statement-breakpoint
-- Canonical decimal text: no trailing zeros ('12.5', '0', '-3'), the same as toPlain() in TypeScript.
CREATE FUNCTION ledger_num(numeric) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT trim_scale($1)::text
$$;
--> statement-breakpoint
-- Idempotency: serialises callers of one key, then returns the stored answer (or null when new).
CREATE FUNCTION ledger_replay(p_key text, p_request jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb;
  v_result jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_key, 4711));
  SELECT request, result INTO v_request, v_result FROM stock_moves WHERE idempotency_key = p_key;
  IF NOT FOUND THEN
    SELECT request, result INTO v_request, v_result FROM reservation_requests WHERE idempotency_key = p_key;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
  END IF;
  IF v_request IS DISTINCT FROM p_request THEN
    PERFORM ledger_fail('key_reused', format('The key %s was already used for a different request', p_key));
  END IF;
  RETURN v_result;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_find_item(p_sku text, p_quantity numeric, p_need_active boolean,
  OUT id uuid, OUT sku text, OUT method valuation_method, OUT standard_cost numeric)
LANGUAGE plpgsql AS $$
DECLARE
  v_active boolean;
  v_decimals smallint;
  v_uom text;
BEGIN
  SELECT i.id, i.sku, coalesce(i.valuation_method, s.default_valuation_method, 'fifo'), i.standard_cost, i.active,
         i.uom_decimals, i.uom
    INTO id, sku, method, standard_cost, v_active, v_decimals, v_uom
    FROM items i LEFT JOIN inventory_settings s ON s.id
   WHERE lower(i.sku) = lower(p_sku);
  IF NOT FOUND THEN
    PERFORM ledger_fail('unknown_sku', format('No item has the SKU %s', p_sku));
  END IF;
  IF p_need_active AND NOT v_active THEN
    PERFORM ledger_fail('inactive_item', format('%s is inactive', sku));
  END IF;
  IF p_quantity IS NOT NULL AND min_scale(p_quantity) > v_decimals THEN
    PERFORM ledger_fail('too_many_decimals',
      format('%s is counted in %s with at most %s decimals; got %s', sku, v_uom, v_decimals, ledger_num(p_quantity)));
  END IF;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_find_location(p_path text, OUT id uuid, OUT path text) LANGUAGE plpgsql AS $$
BEGIN
  SELECT l.id, l.path INTO id, path FROM locations l WHERE lower(l.path) = lower(p_path);
  IF NOT FOUND THEN
    PERFORM ledger_fail('unknown_location', format('No location has the path %s', p_path));
  END IF;
END;
$$;
--> statement-breakpoint
-- Takes p_quantity out of the item's book: cost layers (oldest first for FIFO and weighted average,
-- newest first for LIFO) and the running pool. Returns the cost under the item's method.
CREATE FUNCTION ledger_take_cost(p_item uuid, p_method valuation_method, p_quantity numeric) RETURNS numeric
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
  c refcursor;
BEGIN
  SELECT on_hand, value INTO v_on_hand, v_value FROM item_valuations WHERE item_id = p_item FOR UPDATE;
  IF NOT FOUND OR v_on_hand < p_quantity THEN
    RAISE EXCEPTION 'ledger inconsistent: item % book holds %, asked for %', p_item, v_on_hand, p_quantity;
  END IF;
  IF p_method = 'lifo' THEN
    OPEN c FOR SELECT id, remaining_quantity, remaining_value FROM cost_layers
      WHERE item_id = p_item AND remaining_quantity > 0 ORDER BY id DESC FOR UPDATE;
  ELSE
    OPEN c FOR SELECT id, remaining_quantity, remaining_value FROM cost_layers
      WHERE item_id = p_item AND remaining_quantity > 0 ORDER BY id FOR UPDATE;
  END IF;
  LOOP
    FETCH c INTO v_layer;
    EXIT WHEN NOT FOUND;
    v_take := least(v_left, v_layer.remaining_quantity);
    IF v_take = v_layer.remaining_quantity THEN
      v_part := v_layer.remaining_value;
    ELSE
      v_part := round(v_layer.remaining_value * v_take / v_layer.remaining_quantity, 4);
    END IF;
    UPDATE cost_layers SET remaining_quantity = remaining_quantity - v_take, remaining_value = remaining_value - v_part
      WHERE CURRENT OF c;
    v_layers_cost := v_layers_cost + v_part;
    v_left := v_left - v_take;
    EXIT WHEN v_left = 0;
  END LOOP;
  CLOSE c;
  IF v_left > 0 THEN
    RAISE EXCEPTION 'ledger inconsistent: item % layers short by %', p_item, v_left;
  END IF;
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
-- Grows the item's book by a receipt or count gain; returns the item's new on hand.
CREATE FUNCTION ledger_grow_book(p_item uuid, p_quantity numeric, p_value numeric) RETURNS numeric
LANGUAGE sql AS $$
  INSERT INTO item_valuations AS v (item_id, on_hand, value) VALUES (p_item, p_quantity, p_value)
    ON CONFLICT (item_id) DO UPDATE SET on_hand = v.on_hand + excluded.on_hand, value = v.value + excluded.value,
      updated_at = now()
    RETURNING on_hand;
$$;
--> statement-breakpoint
-- The receipt's cost layer (after its move, which it references).
CREATE FUNCTION ledger_add_layer(p_item uuid, p_location uuid, p_move bigint, p_quantity numeric, p_unit_cost numeric,
  p_value numeric, p jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO cost_layers (item_id, location_id, move_id, received_quantity, remaining_quantity, unit_cost,
      remaining_value, received_at)
    VALUES (p_item, p_location, p_move, p_quantity, p_quantity, p_unit_cost, p_value,
      coalesce((p->>'occurredAt')::timestamptz, now()));
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_insert_move(p_id bigint, p_item uuid, p_location uuid, p_type move_type, p_quantity numeric,
  p_unit_cost numeric, p_value numeric, p jsonb, p_key text, p_request jsonb, p_result jsonb) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO stock_moves (id, item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id,
      actor, note, idempotency_key, request, result, created_at)
    OVERRIDING SYSTEM VALUE
    VALUES (p_id, p_item, p_location, p_type, p_quantity, p_unit_cost, p_value, (p->>'documentType')::document_type,
      p->>'documentId', p->>'actor', p->>'note', p_key, p_request, p_result,
      coalesce((p->>'occurredAt')::timestamptz, now()));
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_receive(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_quantity numeric := (p->>'quantity')::numeric;
  v_unit_cost numeric := (p->>'unitCost')::numeric;
  v_item record;
  v_location record;
  v_on_hand numeric;
  v_item_on_hand numeric;
  v_value numeric;
  v_move bigint;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  SELECT * INTO v_item FROM ledger_find_item(p->>'sku', v_quantity, true);
  SELECT * INTO v_location FROM ledger_find_location(p->>'location');
  INSERT INTO stock_levels AS s (item_id, location_id, on_hand) VALUES (v_item.id, v_location.id, v_quantity)
    ON CONFLICT (item_id, location_id) DO UPDATE SET on_hand = s.on_hand + excluded.on_hand
    RETURNING on_hand INTO v_on_hand;
  v_value := round(v_quantity * v_unit_cost, 4);
  v_item_on_hand := ledger_grow_book(v_item.id, v_quantity, v_value);
  v_move := nextval('stock_moves_id_seq');
  v_result := jsonb_build_object('moveId', v_move::text, 'sku', v_item.sku, 'location', v_location.path,
    'quantity', ledger_num(v_quantity), 'unitCost', ledger_num(v_unit_cost), 'value', ledger_num(v_value),
    'onHand', ledger_num(v_on_hand), 'itemOnHand', ledger_num(v_item_on_hand));
  PERFORM ledger_insert_move(v_move, v_item.id, v_location.id, 'receipt', v_quantity, v_unit_cost, v_value, p,
    p->>'key', v_request, v_result);
  PERFORM ledger_add_layer(v_item.id, v_location.id, v_move, v_quantity, v_unit_cost, v_value, p);
  RETURN v_result;
END;
$$;
--> statement-breakpoint
-- Issue against the document's reservation at that location, or (unreserved = true) straight from
-- what is available there, for walk-up issues.
CREATE FUNCTION ledger_issue(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_quantity numeric := (p->>'quantity')::numeric;
  v_unreserved boolean := coalesce((p->>'unreserved')::boolean, false);
  v_item record;
  v_location record;
  v_on_hand numeric;
  v_available numeric;
  v_cost numeric;
  v_unit_cost numeric;
  v_move bigint;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  -- Issuing what a document already reserved stays possible after the item is deactivated.
  SELECT * INTO v_item FROM ledger_find_item(p->>'sku', v_quantity, v_unreserved);
  SELECT * INTO v_location FROM ledger_find_location(p->>'location');
  IF v_unreserved THEN
    UPDATE stock_levels SET on_hand = on_hand - v_quantity
      WHERE item_id = v_item.id AND location_id = v_location.id AND on_hand - reserved >= v_quantity
      RETURNING on_hand INTO v_on_hand;
    IF NOT FOUND THEN
      SELECT on_hand - reserved INTO v_available FROM stock_levels
        WHERE item_id = v_item.id AND location_id = v_location.id;
      PERFORM ledger_fail('insufficient_stock', format('Only %s of %s available at %s; asked for %s',
        ledger_num(coalesce(v_available, 0)), v_item.sku, v_location.path, ledger_num(v_quantity)));
    END IF;
  ELSE
    UPDATE stock_levels SET on_hand = on_hand - v_quantity, reserved = reserved - v_quantity
      WHERE item_id = v_item.id AND location_id = v_location.id AND reserved >= v_quantity
      RETURNING on_hand INTO v_on_hand;
    IF FOUND THEN
      UPDATE reservations SET open_quantity = open_quantity - v_quantity,
          issued_quantity = issued_quantity + v_quantity, updated_at = now()
        WHERE document_type = (p->>'documentType')::document_type AND document_id = p->>'documentId'
          AND item_id = v_item.id AND location_id = v_location.id AND open_quantity >= v_quantity;
    END IF;
    IF NOT FOUND THEN
      SELECT open_quantity INTO v_available FROM reservations
        WHERE document_type = (p->>'documentType')::document_type AND document_id = p->>'documentId'
          AND item_id = v_item.id AND location_id = v_location.id;
      PERFORM ledger_fail('insufficient_reservation', format('%s %s holds %s of %s reserved at %s; asked to issue %s',
        p->>'documentType', p->>'documentId', ledger_num(coalesce(v_available, 0)), v_item.sku, v_location.path,
        ledger_num(v_quantity)));
    END IF;
  END IF;
  v_cost := ledger_take_cost(v_item.id, v_item.method, v_quantity);
  v_unit_cost := round(v_cost / v_quantity, 4);
  v_move := nextval('stock_moves_id_seq');
  v_result := jsonb_build_object('moveId', v_move::text, 'sku', v_item.sku, 'location', v_location.path,
    'quantity', ledger_num(v_quantity), 'cost', ledger_num(v_cost), 'unitCost', ledger_num(v_unit_cost),
    'onHand', ledger_num(v_on_hand), 'method', v_item.method);
  PERFORM ledger_insert_move(v_move, v_item.id, v_location.id, 'issue', -v_quantity, v_unit_cost, -v_cost, p,
    p->>'key', v_request, v_result);
  RETURN v_result;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_transfer(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_quantity numeric := (p->>'quantity')::numeric;
  v_item record;
  v_from record;
  v_to record;
  v_available numeric;
  v_book_on_hand numeric;
  v_book_value numeric;
  v_unit_cost numeric := 0;
  v_value numeric;
  v_out bigint;
  v_in bigint;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  SELECT * INTO v_item FROM ledger_find_item(p->>'sku', v_quantity, true);
  SELECT * INTO v_from FROM ledger_find_location(p->>'from');
  SELECT * INTO v_to FROM ledger_find_location(p->>'to');
  IF v_from.id = v_to.id THEN
    PERFORM ledger_fail('same_location', format('%s is both source and destination', v_from.path));
  END IF;
  INSERT INTO stock_levels (item_id, location_id) VALUES (v_item.id, v_to.id) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM stock_levels WHERE item_id = v_item.id AND location_id IN (v_from.id, v_to.id)
    ORDER BY location_id FOR UPDATE;
  UPDATE stock_levels SET on_hand = on_hand - v_quantity
    WHERE item_id = v_item.id AND location_id = v_from.id AND on_hand - reserved >= v_quantity;
  IF NOT FOUND THEN
    SELECT on_hand - reserved INTO v_available FROM stock_levels WHERE item_id = v_item.id AND location_id = v_from.id;
    PERFORM ledger_fail('insufficient_stock', format('Only %s of %s available at %s; asked to move %s',
      ledger_num(coalesce(v_available, 0)), v_item.sku, v_from.path, ledger_num(v_quantity)));
  END IF;
  UPDATE stock_levels SET on_hand = on_hand + v_quantity WHERE item_id = v_item.id AND location_id = v_to.id;
  -- Valuation is per item, so a transfer moves no value; its legs show the average for reference.
  SELECT on_hand, value INTO v_book_on_hand, v_book_value FROM item_valuations WHERE item_id = v_item.id;
  IF v_book_on_hand > 0 THEN
    v_unit_cost := round(v_book_value / v_book_on_hand, 4);
  END IF;
  v_value := round(v_quantity * v_unit_cost, 4);
  v_out := nextval('stock_moves_id_seq');
  v_in := nextval('stock_moves_id_seq');
  v_result := jsonb_build_object('moveIds', jsonb_build_array(v_out::text, v_in::text), 'sku', v_item.sku,
    'from', v_from.path, 'to', v_to.path, 'quantity', ledger_num(v_quantity));
  PERFORM ledger_insert_move(v_out, v_item.id, v_from.id, 'transfer_out', -v_quantity, v_unit_cost, -v_value, p,
    p->>'key', v_request, v_result);
  PERFORM ledger_insert_move(v_in, v_item.id, v_to.id, 'transfer_in', v_quantity, v_unit_cost, v_value, p,
    NULL, NULL, NULL);
  RETURN v_result;
END;
$$;
--> statement-breakpoint
-- Count variance: a gain adds a layer (at the given cost, else the running average, else the
-- standard cost); a loss is taken like an issue, from unreserved stock only.
CREATE FUNCTION ledger_adjust(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
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
  v_move := nextval('stock_moves_id_seq');
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
--> statement-breakpoint
-- Reserves up to the quantity: at one location, or across the item's locations, largest available
-- first. Partial or nothing is a normal answer (short > 0), not an error.
CREATE FUNCTION ledger_reserve(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_quantity numeric := (p->>'quantity')::numeric;
  v_left numeric := (p->>'quantity')::numeric;
  v_item record;
  v_location_id uuid;
  v_locked uuid[];
  v_row record;
  v_take numeric;
  v_allocations jsonb := '[]'::jsonb;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  SELECT * INTO v_item FROM ledger_find_item(p->>'sku', v_quantity, true);
  IF p->>'location' IS NOT NULL THEN
    v_location_id := (ledger_find_location(p->>'location')).id;
  END IF;
  SELECT array_agg(location_id) INTO v_locked FROM (
    SELECT location_id FROM stock_levels
     WHERE item_id = v_item.id AND (v_location_id IS NULL OR location_id = v_location_id)
     ORDER BY location_id FOR UPDATE) locked;
  FOR v_row IN
    SELECT s.location_id, l.path, s.on_hand - s.reserved AS available
      FROM stock_levels s JOIN locations l ON l.id = s.location_id
     WHERE s.item_id = v_item.id AND s.location_id = ANY (coalesce(v_locked, '{}'::uuid[])) AND s.on_hand > s.reserved
     ORDER BY s.on_hand - s.reserved DESC, l.path
  LOOP
    EXIT WHEN v_left = 0;
    v_take := least(v_left, v_row.available);
    UPDATE stock_levels SET reserved = reserved + v_take WHERE item_id = v_item.id AND location_id = v_row.location_id;
    INSERT INTO reservations AS r (document_type, document_id, item_id, location_id, open_quantity)
      VALUES ((p->>'documentType')::document_type, p->>'documentId', v_item.id, v_row.location_id, v_take)
      ON CONFLICT (document_type, document_id, item_id, location_id)
      DO UPDATE SET open_quantity = r.open_quantity + excluded.open_quantity, updated_at = now();
    v_allocations := v_allocations || jsonb_build_object('location', v_row.path, 'quantity', ledger_num(v_take));
    v_left := v_left - v_take;
  END LOOP;
  v_result := jsonb_build_object('sku', v_item.sku, 'requested', ledger_num(v_quantity),
    'reserved', ledger_num(v_quantity - v_left), 'short', ledger_num(v_left), 'allocations', v_allocations);
  INSERT INTO reservation_requests (idempotency_key, operation, document_type, document_id, item_id, actor, request,
      result)
    VALUES (p->>'key', 'reserve', (p->>'documentType')::document_type, p->>'documentId', v_item.id, p->>'actor',
      v_request, v_result);
  RETURN v_result;
END;
$$;
--> statement-breakpoint
-- Releases the document's open reservations (of one SKU when given).
CREATE FUNCTION ledger_release(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb := p - 'key' - 'actor' - 'note';
  v_result jsonb;
  v_item_id uuid;
  v_document_type document_type := (p->>'documentType')::document_type;
  v_released jsonb;
BEGIN
  v_result := ledger_replay(p->>'key', v_request);
  IF v_result IS NOT NULL THEN
    RETURN v_result;
  END IF;
  IF p->>'sku' IS NOT NULL THEN
    v_item_id := (ledger_find_item(p->>'sku', NULL, false)).id;
  END IF;
  PERFORM 1 FROM stock_levels s
    WHERE (s.item_id, s.location_id) IN (
      SELECT item_id, location_id FROM reservations
       WHERE document_type = v_document_type AND document_id = p->>'documentId'
         AND (v_item_id IS NULL OR item_id = v_item_id) AND open_quantity > 0)
    ORDER BY s.item_id, s.location_id FOR UPDATE;
  WITH opened AS (
    SELECT id, open_quantity FROM reservations
     WHERE document_type = v_document_type AND document_id = p->>'documentId'
       AND (v_item_id IS NULL OR item_id = v_item_id) AND open_quantity > 0
     FOR UPDATE),
  released AS (
    UPDATE reservations r SET released_quantity = r.released_quantity + opened.open_quantity, open_quantity = 0,
        updated_at = now()
      FROM opened WHERE r.id = opened.id
      RETURNING r.item_id, r.location_id, opened.open_quantity AS quantity),
  -- Data-modifying WITH clauses always run to completion, read or not.
  levels AS (
    UPDATE stock_levels s SET reserved = s.reserved - released.quantity
      FROM released WHERE s.item_id = released.item_id AND s.location_id = released.location_id)
  SELECT coalesce(jsonb_agg(jsonb_build_object('sku', i.sku, 'location', l.path, 'quantity', ledger_num(released.quantity))
           ORDER BY i.sku, l.path), '[]'::jsonb)
    INTO v_released
    FROM released JOIN items i ON i.id = released.item_id JOIN locations l ON l.id = released.location_id;
  v_result := jsonb_build_object('released', v_released);
  INSERT INTO reservation_requests (idempotency_key, operation, document_type, document_id, item_id, actor, request,
      result)
    VALUES (p->>'key', 'release', v_document_type, p->>'documentId', v_item_id, p->>'actor', v_request, v_result);
  RETURN v_result;
END;
$$;
