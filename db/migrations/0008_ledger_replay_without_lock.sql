-- Idempotency without advisory locks: transaction-level advisory locks pile up in the shared lock
-- table, so an import posting 100,000 moves in one transaction would run out of it. The unique
-- keys are the guard instead: a concurrent duplicate either fails on the key or on the stock the
-- first call took, and db/queries/ledger.ts then looks the key up again and returns the stored answer.
CREATE OR REPLACE FUNCTION ledger_replay(p_key text, p_request jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_request jsonb;
  v_result jsonb;
BEGIN
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
