-- Observers: a change to an observed table writes its event into tb_outbox in the same
-- transaction, and the owning service's relay publishes it. WHICH change becomes WHICH subject is
-- configuration (order-service/observers.toml): the order service installs one trigger per rule
-- at start (see order-service/src/observers/). This file holds the parts that do not vary: how
-- a change is turned into an event payload, and the trigger function.

-- The payload (docs/events.md) for a change. p_new / p_old are the row images (to_jsonb of NEW/OLD).
-- Runs at commit time for INSERT (the triggers are deferred), so an order's items, inserted after
-- the order row in the same transaction, are in its events.order.created.
CREATE FUNCTION fn_observer_payload(p_table TEXT, p_op TEXT, p_new JSONB, p_old JSONB)
    RETURNS JSONB
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_payload JSONB;
BEGIN
    IF p_table = 'tb_order' AND p_op = 'INSERT' THEN
        SELECT jsonb_build_object(
                   'order_id', o.id::text,
                   'identifier', o.identifier,
                   'total', o.total::text,
                   'items', COALESCE((SELECT jsonb_agg(jsonb_build_object('sku', p.identifier,
                                                                          'quantity', i.quantity)
                                                       ORDER BY i.pk_order_item)
                                        FROM tb_order_item i
                                        JOIN tb_product p ON p.pk_product = i.fk_product
                                       WHERE i.fk_order = o.pk_order), '[]'::jsonb),
                   'shipping_address', o.shipping_address)
          INTO v_payload
          FROM tb_order o
         WHERE o.pk_order = (p_new ->> 'pk_order')::BIGINT;
        RETURN v_payload;
    ELSIF p_table = 'tb_order' AND p_op = 'UPDATE' THEN
        RETURN jsonb_build_object('order_id', p_new ->> 'id',
                                  'status', p_new ->> 'status',
                                  'previous_status', p_old ->> 'status');
    END IF;
    RAISE EXCEPTION 'no observer payload is defined for % on %', p_op, p_table
        USING ERRCODE = 'feature_not_supported';
END;
$$;

-- The trigger every observer rule installs: TG_ARGV[0] is the relay source (the owning service),
-- TG_ARGV[1] the subject. SECURITY DEFINER: the API's role (order_api) may not write the outbox
-- itself, but its changes must still produce their events.
CREATE FUNCTION fn_observe() RETURNS TRIGGER
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO tb_outbox (source, subject, payload)
    VALUES (TG_ARGV[0], TG_ARGV[1],
            fn_observer_payload(TG_TABLE_NAME, TG_OP,
                                CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
                                CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END));
    RETURN NULL;
END;
$$;

REVOKE EXECUTE ON FUNCTION fn_observe() FROM PUBLIC;
