-- Issues that arrive together share one transaction and one commit (the client groups them; see
-- db/queries/ledger-groups.ts). Answers carry their request's position (n, from 1).
--
-- A statement costs far more than the few rows it writes, so the usual issues of a group are posted
-- set-based: two statements lock the books and the stock levels, one posts them all (stock levels,
-- reservations, cost layers, books, moves). "Usual" means: a new key, one issue of that item in the group, the item
-- and location known, and the first open layer covering it. Every other issue, and every usual one
-- the stock or reservation turned down, then runs alone through ledger_issue in its own
-- subtransaction, which gives its answer or its refusal, so no issue is ever half-written.
--
-- Locks follow the order of every other operation: books (by item id, all at once), then stock
-- levels (by item and location, all at once), reservations, layers.
CREATE OR REPLACE FUNCTION ledger_issue_group(p jsonb) RETURNS jsonb LANGUAGE plpgsql
-- Planned once per connection: a custom plan of the big statement per call costs more than the posting.
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_default valuation_method;
  v_items uuid[];
  v_locations uuid[];
  v_repeated_items uuid[];
  v_repeated_keys text[];
  v_answers jsonb;
  v_posted int[];
  v_reserved_posted int;
  v_reserved_expected int;
  v_element record;
  v_rest jsonb[] := '{}';
  v_state text;
  v_message text;
  v_detail text;
BEGIN
  -- Every item and location of the group (correlated lookups, so each is an index probe), the items
  -- and keys that come more than once, then the books in item order and the stock levels in item and
  -- location order.
  SELECT a.items, a.locations,
         ARRAY(SELECT x FROM unnest(a.items) x WHERE x IS NOT NULL GROUP BY x HAVING count(*) > 1),
         ARRAY(SELECT x FROM unnest(a.keys) x GROUP BY x HAVING count(*) > 1),
         coalesce((SELECT default_valuation_method FROM inventory_settings), 'fifo')
    INTO v_items, v_locations, v_repeated_items, v_repeated_keys, v_default
    FROM (SELECT array_agg((SELECT i.id FROM items i WHERE lower(i.sku) = lower(e->>'sku'))) AS items,
                 array_agg((SELECT l.id FROM locations l WHERE lower(l.path) = lower(e->>'location'))) AS locations,
                 array_agg(e->>'key') AS keys
            FROM jsonb_array_elements(p) e) a;
  PERFORM 1 FROM item_valuations b WHERE b.item_id = ANY (v_items) ORDER BY b.item_id FOR NO KEY UPDATE;
  PERFORM 1 FROM stock_levels s
    WHERE s.item_id = ANY (v_items) AND (s.item_id, s.location_id) IN (SELECT * FROM unnest(v_items, v_locations))
    ORDER BY s.item_id, s.location_id FOR NO KEY UPDATE;

  -- A fresh snapshot, taken with books and stock levels held: what it reads is current (layers change
  -- only under the book, reservations only under their stock level). The UPDATEs check again anyway.
  WITH request AS (
    SELECT e.n, e.r AS request, e.r - 'key' - 'actor' - 'note' AS canonical, e.r->>'key' AS key,
           (e.r->>'quantity')::numeric AS quantity, coalesce((e.r->>'unreserved')::boolean, false) AS unreserved,
           (e.r->>'documentType')::document_type AS document_type, e.r->>'documentId' AS document_id,
           coalesce((e.r->>'occurredAt')::timestamptz, now()) AS occurred_at,
           i.id AS item_id, i.sku, i.active, i.uom_decimals, coalesce(i.valuation_method, v_default) AS method,
           l.id AS location_id, l.path, b.on_hand AS book_on_hand, b.value AS book_value
      FROM jsonb_array_elements(p) WITH ORDINALITY AS e(r, n)
      JOIN items i ON i.id = v_items[e.n]
      JOIN locations l ON l.id = v_locations[e.n]
      JOIN item_valuations b ON b.item_id = i.id
     WHERE i.id <> ALL (v_repeated_items) AND e.r->>'key' <> ALL (v_repeated_keys)),
  usual AS (
    SELECT r.*, c.id AS layer_id,
           CASE WHEN c.remaining_quantity = r.quantity THEN c.remaining_value
                ELSE round(c.remaining_value * r.quantity / c.remaining_quantity, 4) END AS layer_part,
           CASE WHEN r.method <> 'wavg' THEN NULL
                WHEN r.quantity = r.book_on_hand THEN r.book_value
                ELSE round(r.book_value * r.quantity / r.book_on_hand, 4) END AS average_cost
      FROM request r
      JOIN cost_layers c ON c.id = (SELECT CASE WHEN r.method = 'lifo' THEN max(o.id) ELSE min(o.id) END
                                      FROM cost_layers o WHERE o.item_id = r.item_id AND o.open)
     WHERE r.quantity > 0 AND min_scale(r.quantity) <= r.uom_decimals
       AND (r.active OR NOT r.unreserved) AND c.remaining_quantity >= r.quantity
       AND NOT EXISTS (SELECT 1 FROM stock_moves m WHERE m.idempotency_key = r.key)
       AND NOT EXISTS (SELECT 1 FROM reservation_requests q WHERE q.idempotency_key = r.key)),
  level AS (
    UPDATE stock_levels s SET on_hand = s.on_hand - u.quantity,
        reserved = s.reserved - CASE WHEN u.unreserved THEN 0 ELSE u.quantity END
      FROM usual u
     WHERE s.item_id = u.item_id AND s.location_id = u.location_id
       AND CASE WHEN u.unreserved THEN s.on_hand - s.reserved >= u.quantity ELSE s.reserved >= u.quantity END
       AND (u.unreserved OR EXISTS (SELECT 1 FROM reservations v
             WHERE v.document_type = u.document_type AND v.document_id = u.document_id
               AND v.item_id = u.item_id AND v.location_id = u.location_id AND v.open_quantity >= u.quantity))
    RETURNING u.n, s.on_hand),
  reservation AS (
    UPDATE reservations v SET open_quantity = v.open_quantity - u.quantity,
        issued_quantity = v.issued_quantity + u.quantity, updated_at = now()
      FROM level JOIN usual u USING (n)
     WHERE NOT u.unreserved AND v.document_type = u.document_type AND v.document_id = u.document_id
       AND v.item_id = u.item_id AND v.location_id = u.location_id AND v.open_quantity >= u.quantity
    RETURNING u.n),
  answer AS (
    SELECT u.*, level.on_hand, nextval('stock_moves_id_seq') AS move_id,
           coalesce(u.average_cost, u.layer_part) AS cost
      FROM level JOIN usual u USING (n)),
  drawn AS (
    UPDATE cost_layers c SET remaining_quantity = c.remaining_quantity - a.quantity,
        remaining_value = c.remaining_value - a.layer_part, open = c.remaining_quantity > a.quantity
      FROM answer a WHERE c.id = a.layer_id),
  booked AS (
    UPDATE item_valuations b SET on_hand = b.on_hand - a.quantity, value = b.value - a.cost, updated_at = now()
      FROM answer a WHERE b.item_id = a.item_id),
  result AS (
    SELECT a.*, round(a.cost / a.quantity, 4) AS unit_cost,
           jsonb_build_object('moveId', a.move_id::text, 'sku', a.sku, 'location', a.path,
             'quantity', ledger_num(a.quantity), 'cost', ledger_num(a.cost),
             'unitCost', ledger_num(round(a.cost / a.quantity, 4)), 'onHand', ledger_num(a.on_hand),
             'method', a.method) AS result
      FROM answer a),
  posted AS (
    INSERT INTO stock_moves (id, item_id, location_id, type, quantity, unit_cost, total_value, document_type,
        document_id, actor, note, idempotency_key, request, result, created_at)
      OVERRIDING SYSTEM VALUE
      SELECT r.move_id, r.item_id, r.location_id, 'issue', -r.quantity, r.unit_cost, -r.cost, r.document_type,
          r.document_id, r.request->>'actor', r.request->>'note', r.key, r.canonical, r.result, r.occurred_at
        FROM result r)
  SELECT coalesce(jsonb_agg(jsonb_build_object('n', r.n, 'ok', r.result)), '[]'::jsonb),
         coalesce(array_agg(r.n::int), '{}'),
         (SELECT count(*) FROM reservation)::int,
         count(*) FILTER (WHERE NOT r.unreserved)::int
    INTO v_answers, v_posted, v_reserved_posted, v_reserved_expected
    FROM result r;
  IF v_reserved_posted <> v_reserved_expected THEN
    -- A reservation changed between the look and the update: undo the group; the client sends
    -- each issue again alone.
    RAISE EXCEPTION 'ledger group: a reservation changed while the group was posted' USING ERRCODE = '40001';
  END IF;

  IF cardinality(v_posted) = jsonb_array_length(p) THEN
    RETURN v_answers;
  END IF;
  -- The rest, one by one.
  FOR v_element IN
    SELECT e.r AS request, e.n FROM jsonb_array_elements(p) WITH ORDINALITY AS e(r, n)
     WHERE e.n <> ALL (v_posted)
  LOOP
    BEGIN
      v_rest := v_rest || jsonb_build_object('n', v_element.n, 'ok', ledger_issue(v_element.request));
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
      v_rest := v_rest || jsonb_build_object('n', v_element.n, 'error',
        jsonb_build_object('code', v_state, 'message', v_message, 'detail', nullif(v_detail, '')));
    END;
  END LOOP;
  RETURN v_answers || to_jsonb(v_rest);
END;
$$;
--> statement-breakpoint
-- Stock levels, item books and cost layers are updated on every move. Free room on each page keeps
-- those updates on the same page (HOT: no index entries to add); a full page sends the row's next
-- version elsewhere and every index of the table gets a new entry.
ALTER TABLE stock_levels SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE item_valuations SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE cost_layers SET (fillfactor = 70);
--> statement-breakpoint
ALTER FUNCTION ledger_issue(jsonb) SET plan_cache_mode = force_generic_plan;
