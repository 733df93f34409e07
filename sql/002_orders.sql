-- 002: orders and everything that hangs off them (items, reservations, payments, shipments, the
-- event log), the read view v_order and the two mutation functions.

CREATE TABLE tb_order (
    pk_order         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    -- Chosen by the client, which makes createOrder safe to retry. The CHECK repeats
    -- fn_create_order's validation so no other writer can store an identifier the API would reject.
    identifier       TEXT NOT NULL UNIQUE
                     CONSTRAINT tb_order_identifier_format CHECK (identifier ~ '^[A-Za-z0-9._:-]{1,128}$'),
    fk_user          BIGINT NOT NULL REFERENCES tb_user (pk_user),
    total            NUMERIC(10, 2) NOT NULL CHECK (total >= 0),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CONSTRAINT tb_order_status_known
                     CHECK (status IN ('pending', 'paid', 'shipped', 'failed')),
    shipping_address TEXT NULL,
    failure_reason   TEXT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- "My orders, newest first" is the API's main list.
CREATE INDEX tb_order_fk_user_idx ON tb_order (fk_user, created_at DESC);
CREATE INDEX tb_order_status_idx ON tb_order (status);

CREATE TABLE tb_order_item (
    pk_order_item BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    identifier    TEXT NOT NULL UNIQUE,  -- '<order identifier>/<line number, from 1>'
    fk_order      BIGINT NOT NULL REFERENCES tb_order (pk_order),
    fk_product    BIGINT NOT NULL REFERENCES tb_product (pk_product),
    quantity      INT NOT NULL CHECK (quantity > 0),
    -- The product's price when the order was placed: later price changes must not rewrite history.
    unit_price    NUMERIC(10, 2) NOT NULL CHECK (unit_price >= 0)
);
CREATE INDEX tb_order_item_fk_order_idx ON tb_order_item (fk_order);

-- What the inventory worker reserved for one order, per product, so compensation releases exactly
-- that (and only once: released_at is set when it is given back).
CREATE TABLE tb_reservation (
    pk_reservation BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    -- A natural key chosen by the writer; a random one when it has none.
    identifier     TEXT NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,
    fk_order       BIGINT NOT NULL REFERENCES tb_order (pk_order),
    fk_product     BIGINT NOT NULL REFERENCES tb_product (pk_product),
    quantity       INT NOT NULL CHECK (quantity > 0),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    released_at    TIMESTAMPTZ NULL,
    UNIQUE (fk_order, fk_product)
);

-- At most one payment per order: a redelivered charge request can never charge twice.
CREATE TABLE tb_payment (
    pk_payment     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    identifier     TEXT NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,
    fk_order       BIGINT NOT NULL UNIQUE REFERENCES tb_order (pk_order),
    amount         NUMERIC(10, 2) NOT NULL CHECK (amount >= 0),
    status         TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
    provider_id    TEXT NULL,
    failure_reason TEXT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- At most one shipment per order, for the same reason.
CREATE TABLE tb_shipping (
    pk_shipping       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    identifier        TEXT NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,
    fk_order          BIGINT NOT NULL UNIQUE REFERENCES tb_order (pk_order),
    carrier           TEXT NOT NULL,
    tracking_number   TEXT NOT NULL,
    provider_label_id TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The event monitor's audit trail: one row per event, whatever its subject.
CREATE TABLE tb_event_log (
    pk_event_log BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    -- UNIQUE makes recording idempotent: a redelivered event cannot be logged twice.
    identifier   TEXT NOT NULL UNIQUE,
    event_type   TEXT NOT NULL,
    -- Copied from the payload even when no such order exists here, so events of unknown or
    -- foreign orders stay searchable; fk_order is set only when the order is known.
    order_id     UUID NULL,
    fk_order     BIGINT NULL REFERENCES tb_order (pk_order),
    data         JSONB NOT NULL DEFAULT '{}',
    stream_seq   BIGINT NOT NULL,
    -- clock_timestamp(), not now(): a batch of events recorded in one transaction must still get
    -- distinct, increasing times.
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON COLUMN tb_event_log.identifier IS
    'the event id: the Nats-Msg-Id header the event was published with';
COMMENT ON COLUMN tb_event_log.event_type IS 'the subject the event was published on';
COMMENT ON COLUMN tb_event_log.stream_seq IS
    'the JetStream stream sequence: order by it for "oldest first" in publication order';
-- An order's events in stream order, by foreign key or by the raw id from the payload.
CREATE INDEX tb_event_log_fk_order_idx ON tb_event_log (fk_order, stream_seq);
CREATE INDEX tb_event_log_order_id_idx ON tb_event_log (order_id, stream_seq);
CREATE INDEX tb_event_log_recorded_at_idx ON tb_event_log (recorded_at);

-- security_invoker: row-level security of tb_order (003) must apply to whoever queries the view.
-- A plain view runs with its owner's rights, and the owner is exempt from RLS, so it would show
-- every user's orders.
CREATE VIEW v_order WITH (security_invoker = true) AS
SELECT o.id,
       o.fk_user,
       o.identifier,
       o.status,
       o.created_at,
       jsonb_build_object(
           'id', o.id::text,
           'identifier', o.identifier,
           'total', o.total::text,  -- text keeps "49.90" exact; a JSON number would not
           'status', o.status,
           'failure_reason', o.failure_reason,
           'shipping_address', o.shipping_address,
           'created_at', o.created_at,
           'updated_at', o.updated_at
       ) AS data
FROM tb_order o;

-- The one rule of the order state machine, as data: pending < paid < shipped, and failed only
-- from pending. Events arrive late, twice or out of order (shipped before paid), so every status
-- change goes through this check instead of trusting the event.
CREATE FUNCTION order_status_transition_allowed(p_from TEXT, p_to TEXT) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_to = 'failed' THEN p_from = 'pending'
        WHEN p_from = 'failed' THEN false
        ELSE array_position(ARRAY['pending', 'paid', 'shipped'], p_to)
             > array_position(ARRAY['pending', 'paid', 'shipped'], p_from)
    END
$$;

-- The 'invalid' answer of a mutation: the caller reports `message` to the user (metadata.field
-- says which input was wrong).
CREATE FUNCTION mutation_invalid(p_entity_type TEXT, p_field TEXT, p_message TEXT)
RETURNS mutation_response
LANGUAGE sql IMMUTABLE AS $$
    SELECT ROW('invalid', p_message, NULL::uuid, p_entity_type, NULL::jsonb,
               jsonb_build_object('field', p_field))::mutation_response
$$;

-- Creates an order for a user (created on first use). Answers, in `status`:
--   invalid   bad input; nothing was written
--   existing  this user already has an order with this identifier (a safe retry): entity_id is it
--   conflict  another user has an order with this identifier
--   created   entity_id and entity (v_order.data) describe the new, pending order
-- SECURITY INVOKER on purpose: called by the API under role order_api, row-level security (003)
-- decides what it may insert and see, so it cannot create or reveal another user's order.
CREATE FUNCTION fn_create_order(
    p_identifier       TEXT,
    p_user_identifier  TEXT,
    p_total            NUMERIC,
    p_items            JSONB DEFAULT '[]',  -- [{"sku": "widget", "quantity": 2}, ...]
    p_shipping_address TEXT DEFAULT NULL
) RETURNS mutation_response
LANGUAGE plpgsql AS $$
DECLARE
    max_items       CONSTANT INT := 1000;
    max_address     CONSTANT INT := 1000;
    v_items         JSONB := COALESCE(p_items, '[]'::jsonb);
    v_item          JSONB;
    v_index         INT := 0;
    v_quantity      NUMERIC;
    v_pk_user       BIGINT;
    v_pk_order      BIGINT;
    v_order_id      UUID;
    v_order_user    BIGINT;
    v_inserted      INT;
    v_result        mutation_response;
BEGIN
    -- Validate everything before writing anything.
    IF p_identifier IS NULL OR p_identifier = '' THEN
        RETURN mutation_invalid('Order', 'identifier', 'identifier must not be empty');
    END IF;
    IF length(p_identifier) > 128 THEN
        RETURN mutation_invalid('Order', 'identifier',
                                'identifier must be at most 128 characters long');
    END IF;
    IF p_identifier !~ '^[A-Za-z0-9._:-]+$' THEN
        RETURN mutation_invalid('Order', 'identifier',
            'identifier may contain only letters, digits and the characters . _ : -');
    END IF;
    IF p_user_identifier IS NULL OR length(p_user_identifier) NOT BETWEEN 1 AND 255 THEN
        RETURN mutation_invalid('Order', 'user', 'the user must be 1 to 255 characters long');
    END IF;
    IF p_total IS NULL OR p_total = 'NaN'::numeric OR p_total < 0 THEN
        RETURN mutation_invalid('Order', 'total', 'total must be a non-negative amount');
    END IF;
    IF p_total >= 100000000 THEN
        RETURN mutation_invalid('Order', 'total', 'total must be less than 100000000.00');
    END IF;
    IF p_total <> round(p_total, 2) THEN
        RETURN mutation_invalid('Order', 'total', 'total must have at most two decimal places');
    END IF;
    IF length(p_shipping_address) > max_address THEN
        RETURN mutation_invalid('Order', 'shippingAddress',
                                format('shipping address must be at most %s characters long',
                                       max_address));
    END IF;
    IF jsonb_typeof(v_items) <> 'array' THEN
        RETURN mutation_invalid('Order', 'items', 'items must be a list of {sku, quantity}');
    END IF;
    IF jsonb_array_length(v_items) > max_items THEN
        RETURN mutation_invalid('Order', 'items',
                                format('an order may have at most %s items', max_items));
    END IF;
    FOR v_item IN SELECT value FROM jsonb_array_elements(v_items) LOOP
        -- IS DISTINCT FROM, not <>: a missing key yields NULL, which must fail the check too.
        IF jsonb_typeof(v_item) IS DISTINCT FROM 'object'
           OR jsonb_typeof(v_item -> 'sku') IS DISTINCT FROM 'string'
           OR jsonb_typeof(v_item -> 'quantity') IS DISTINCT FROM 'number' THEN
            RETURN mutation_invalid('Order', format('items[%s]', v_index),
                format('items[%s] must be {sku: string, quantity: number}', v_index));
        END IF;
        v_quantity := (v_item ->> 'quantity')::numeric;
        IF v_quantity < 1 OR v_quantity <> trunc(v_quantity) OR v_quantity > 2147483647 THEN
            RETURN mutation_invalid('Order', format('items[%s].quantity', v_index),
                format('items[%s].quantity must be a whole number of at least 1', v_index));
        END IF;
        IF NOT EXISTS (SELECT 1 FROM tb_product WHERE identifier = v_item ->> 'sku') THEN
            RETURN mutation_invalid('Order', format('items[%s].sku', v_index),
                format('items[%s].sku: unknown SKU %L', v_index, left(v_item ->> 'sku', 64)));
        END IF;
        v_index := v_index + 1;
    END LOOP;

    -- Two calls for a new user race safely: the loser's insert does nothing and it reads the row
    -- the winner committed (each statement sees the latest commits under READ COMMITTED).
    INSERT INTO tb_user (identifier) VALUES (p_user_identifier)
        ON CONFLICT (identifier) DO NOTHING;
    SELECT pk_user INTO v_pk_user FROM tb_user WHERE identifier = p_user_identifier;
    IF v_pk_user IS NULL THEN
        -- Only under order_api, when the caller names a user other than app.user_id.
        RAISE EXCEPTION 'fn_create_order: the user is not the current user (app.user_id)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;

    -- Same for the order: a concurrent call with the same identifier waits for ours to commit,
    -- then does nothing and answers from the re-read below.
    INSERT INTO tb_order (identifier, fk_user, total, shipping_address)
        VALUES (p_identifier, v_pk_user, p_total, p_shipping_address)
        ON CONFLICT (identifier) DO NOTHING
        RETURNING pk_order, id INTO v_pk_order, v_order_id;

    IF v_pk_order IS NULL THEN
        -- Under order_api, another user's order is invisible (row-level security): not finding
        -- the row that blocked the insert means it belongs to someone else.
        SELECT id, fk_user INTO v_order_id, v_order_user FROM tb_order
            WHERE identifier = p_identifier;
        IF v_order_id IS NOT NULL AND v_order_user = v_pk_user THEN
            v_result.status := 'existing';
            v_result.message := 'this order already exists';
            v_result.entity_id := v_order_id;
            v_result.entity_type := 'Order';
            v_result.entity := (SELECT data FROM v_order WHERE id = v_order_id);
        ELSE
            v_result.status := 'conflict';
            v_result.message := 'another user already has an order with this identifier';
            v_result.entity_type := 'Order';
        END IF;
        RETURN v_result;
    END IF;

    INSERT INTO tb_order_item (identifier, fk_order, fk_product, quantity, unit_price)
    SELECT p_identifier || '/' || line.number, v_pk_order, p.pk_product,
           (line.item ->> 'quantity')::numeric::int, p.price
    FROM jsonb_array_elements(v_items) WITH ORDINALITY AS line (item, number)
    JOIN tb_product p ON p.identifier = line.item ->> 'sku'
    ORDER BY line.number;
    GET DIAGNOSTICS v_inserted = ROW_COUNT;
    IF v_inserted <> jsonb_array_length(v_items) THEN
        -- Only possible if a product vanished since validation; roll the whole order back.
        RAISE EXCEPTION 'fn_create_order: % of % items matched a product',
            v_inserted, jsonb_array_length(v_items);
    END IF;

    v_result.status := 'created';
    v_result.message := 'order created';
    v_result.entity_id := v_order_id;
    v_result.entity_type := 'Order';
    v_result.entity := (SELECT data FROM v_order WHERE id = v_order_id);
    RETURN v_result;
END;
$$;

-- Moves an order forward (see order_status_transition_allowed). Answers, in `status`:
--   updated    metadata.previous_status says where it came from; entity is the new v_order.data
--   noop       the change would not raise the order's rank (late, repeated or after a final
--              state); metadata.current_status says where it stands
--   not_found  no order with that id
--   invalid    p_status is not a known status
CREATE FUNCTION fn_update_order_status(
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
        WHERE id = p_order_id FOR UPDATE;
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
