-- 009: fn_update_order_status locks the order row FOR NO KEY UPDATE instead of FOR UPDATE.
--
-- FOR UPDATE conflicts with the FOR KEY SHARE lock that every foreign-key check on tb_order takes
-- (the event monitor's tb_event_log rows, payments, shipments, reservations). Under load a status
-- consumer's batch and the event monitor's batch each held some of those locks and waited for the
-- other's: deadlocks, each costing deadlock_timeout and a retry. The status update never changes
-- a key, so FOR NO KEY UPDATE (what its own UPDATE takes anyway) still serialises status changes
-- of one order while letting the foreign-key checks through. The rest of the function is as in 002.
CREATE OR REPLACE FUNCTION fn_update_order_status(
    p_order_id UUID,
    p_status   TEXT,
    p_reason   TEXT DEFAULT NULL  -- recorded as failure_reason when p_status is 'failed'
) RETURNS mutation_response
LANGUAGE plpgsql AS $$
DECLARE
    v_pk_order BIGINT;
    v_current  TEXT;
    v_result   mutation_response;
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('pending', 'paid', 'shipped', 'failed') THEN
        RETURN mutation_invalid('Order', 'status',
            format('status must be one of pending, paid, shipped, failed (got %L)',
                   left(p_status, 32)));
    END IF;

    v_result.entity_type := 'Order';
    v_result.entity_id := p_order_id;

    -- The row lock serialises concurrent events for one order (paid and shipped may be handled
    -- at the same moment by different consumers), so each sees the other's result.
    SELECT pk_order, status INTO v_pk_order, v_current FROM tb_order
        WHERE id = p_order_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        v_result.status := 'not_found';
        v_result.message := 'no such order';
        v_result.entity_id := NULL;
        RETURN v_result;
    END IF;

    IF NOT order_status_transition_allowed(v_current, p_status) THEN
        v_result.status := 'noop';
        v_result.message := format('order is %s; %s would not move it forward', v_current,
                                   p_status);
        v_result.metadata := jsonb_build_object('current_status', v_current);
        RETURN v_result;
    END IF;

    UPDATE tb_order
       SET status = p_status,
           updated_at = now(),
           failure_reason = CASE WHEN p_status = 'failed' THEN left(p_reason, 1000)
                                 ELSE failure_reason END
     WHERE pk_order = v_pk_order;

    v_result.status := 'updated';
    v_result.message := format('order moved from %s to %s', v_current, p_status);
    v_result.metadata := jsonb_build_object('previous_status', v_current);
    v_result.entity := (SELECT data FROM v_order WHERE id = p_order_id);
    RETURN v_result;
END;
$$;
