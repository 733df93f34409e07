-- 013: one trace per order, and what the operator's timeline (`choreoctl order`) reads.
--
-- A W3C traceparent given to (or started by) createOrder travels with every event that follows
-- from the order: stored on the order and in each outbox row's headers, published as a NATS
-- header, continued by each consumer into the events it emits (docs/operations.md).

-- The createOrder request's trace context. The API sets choreo.traceparent for its transaction
-- (set_config(..., true), beside app.user_id), so fn_create_order needs no new parameter and the
-- column fills itself; other writers leave it NULL. A default added apart from the column: the
-- existing rows stay NULL without a table rewrite.
ALTER TABLE order_service.tb_order ADD COLUMN trace_parent TEXT NULL;
ALTER TABLE order_service.tb_order ALTER COLUMN trace_parent
    SET DEFAULT NULLIF(current_setting('choreo.traceparent', true), '');
COMMENT ON COLUMN order_service.tb_order.trace_parent IS
    'the traceparent of the createOrder request; every event of the order carries its trace';

-- The observer triggers now give each event the order's trace. Its status changes are caused by
-- other services' events, but a deferred trigger cannot tell which one caused which row version
-- of a batch; they continue the trace from the order's creation span, so the trace id (what
-- finds an order's lines in every log) is the same on all of them.
CREATE OR REPLACE FUNCTION order_service.fn_observe() RETURNS TRIGGER
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = order_service, pg_temp
AS $$
DECLARE
    v_new JSONB := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
BEGIN
    INSERT INTO tb_outbox (source, subject, payload, headers)
    VALUES (TG_ARGV[0], TG_ARGV[1],
            fn_observer_payload(TG_TABLE_NAME, TG_OP, v_new,
                                CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END),
            CASE WHEN v_new ->> 'trace_parent' IS NULL THEN '{}'::jsonb
                 ELSE jsonb_build_object('traceparent', v_new ->> 'trace_parent') END);
    RETURN NULL;
END;
$$;

-- The audit trail keeps, per event, when the stream stored it, its trace and how many deliveries
-- the event monitor needed; an inbox row keeps how many deliveries its consumer needed.
ALTER TABLE event_monitor.tb_event_log
    ADD COLUMN published_at TIMESTAMPTZ NULL,
    ADD COLUMN trace_id TEXT NULL,
    ADD COLUMN deliveries INT NULL;
COMMENT ON COLUMN event_monitor.tb_event_log.published_at IS
    'when JetStream stored the event (NULL for rows recorded before 013)';
COMMENT ON COLUMN event_monitor.tb_event_log.trace_id IS
    'the W3C trace id of the event''s traceparent header, when it had one';

DO $$
DECLARE
    v_schema TEXT;
BEGIN
    FOREACH v_schema IN ARRAY ARRAY['order_service', 'inventory_worker', 'payment_worker',
                                    'shipping_worker', 'event_monitor'] LOOP
        EXECUTE format('ALTER TABLE %I.tb_inbox ADD COLUMN deliveries INT NOT NULL DEFAULT 1',
                       v_schema);
        EXECUTE format('COMMENT ON COLUMN %I.tb_inbox.deliveries IS %L', v_schema,
                       'the delivery of the event that its consumer handled (1: the first)');
    END LOOP;
END
$$;
