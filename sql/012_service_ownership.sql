-- 012: each service owns its data. A schema and a login role per service (order_service,
-- inventory_worker, payment_worker, shipping_worker, event_monitor); every table moves into the
-- schema of the service that writes it, owned by that service's role; rows that pointed at
-- another service's rows by foreign key now carry what the events carry (the order's UUID, the
-- SKU); the messaging tables (outbox, inbox, dead letters) become one set per service. Nothing is
-- granted across services but two read models, declared here and in docs/database.md:
-- event_monitor.v_order_event and inventory_worker.v_stock, which the order service reads for
-- Order.events and Product.available.
--
-- Runs as the database owner (choreoctl migrate), which becomes a member of every service role
-- so it can keep migrating tables those roles own. A database made by 001-011 upgrades in place:
-- tables are moved, not copied, and their rows stay.

-- Roles belong to the cluster: another database of it may have made them already (a second
-- stack, a database per service), possibly at this very moment.
DO $$
DECLARE
    v_role TEXT;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['order_service', 'inventory_worker', 'payment_worker',
                                  'shipping_worker', 'event_monitor'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
                -- LOGIN without a password: choreoctl migrate sets the one each service's URL
                -- names; until then only local trust authentication lets it in.
                EXECUTE format('CREATE ROLE %I LOGIN', v_role);
            END IF;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
                NULL;
        END;
        IF NOT pg_has_role(current_user, v_role, 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', v_role, current_user);
            EXCEPTION
                WHEN unique_violation THEN
                    NULL;
            END;
        END IF;
    END LOOP;
    -- The order service runs each API transaction as order_api (row-level security).
    IF NOT pg_has_role('order_service', 'order_api', 'MEMBER') THEN
        BEGIN
            GRANT order_api TO order_service;
        EXCEPTION
            WHEN unique_violation THEN
                NULL;
        END;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role % may not create or grant the service roles; as a superuser run '
                        'choreoctl migrate, or give % CREATEROLE', current_user, current_user;
END
$$;

CREATE SCHEMA order_service AUTHORIZATION order_service;
CREATE SCHEMA inventory_worker AUTHORIZATION inventory_worker;
CREATE SCHEMA payment_worker AUTHORIZATION payment_worker;
CREATE SCHEMA shipping_worker AUTHORIZATION shipping_worker;
CREATE SCHEMA event_monitor AUTHORIZATION event_monitor;

-- Nothing new lands in public by accident any more.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- The order service: users, the catalogue, orders and their items, the mutation functions, the
-- observers, and what it learns of payments and shipments from their events.

ALTER TYPE mutation_response SET SCHEMA order_service;
ALTER TABLE tb_user SET SCHEMA order_service;
ALTER TABLE tb_product SET SCHEMA order_service;
ALTER TABLE tb_order SET SCHEMA order_service;
ALTER TABLE tb_order_item SET SCHEMA order_service;
ALTER VIEW v_order SET SCHEMA order_service;
ALTER FUNCTION order_status_transition_allowed(TEXT, TEXT) SET SCHEMA order_service;
ALTER FUNCTION mutation_invalid(TEXT, TEXT, TEXT) SET SCHEMA order_service;
ALTER FUNCTION fn_create_order(TEXT, TEXT, NUMERIC, JSONB, TEXT) SET SCHEMA order_service;
ALTER FUNCTION fn_update_order_status(UUID, TEXT, TEXT) SET SCHEMA order_service;
ALTER FUNCTION fn_observer_payload(TEXT, TEXT, JSONB, JSONB) SET SCHEMA order_service;
ALTER FUNCTION fn_observe() SET SCHEMA order_service;
-- The observer triggers write the outbox of the order service, as the order service.
ALTER FUNCTION order_service.fn_observe() SET search_path = order_service, pg_temp;

-- Payments and shipments as the order service knows them: from events.payment.charged and
-- events.payment.failed, and from events.order.shipped (event-carried state). Within one
-- service, foreign keys are fine.
CREATE TABLE order_service.tb_order_payment (
    pk_order_payment BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fk_order         BIGINT NOT NULL UNIQUE REFERENCES order_service.tb_order (pk_order),
    payment_id       UUID NOT NULL,
    amount           NUMERIC(10, 2) NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
    provider_id      TEXT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE order_service.tb_order_shipment (
    pk_order_shipment BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fk_order          BIGINT NOT NULL UNIQUE REFERENCES order_service.tb_order (pk_order),
    carrier           TEXT NOT NULL,
    tracking_number   TEXT NOT NULL,
    label_id          TEXT NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- What the workers recorded so far, once: from now on the events keep these up to date.
INSERT INTO order_service.tb_order_payment (fk_order, payment_id, amount, status, provider_id)
SELECT p.fk_order, p.id, p.amount, p.status, p.provider_id FROM public.tb_payment p;
INSERT INTO order_service.tb_order_shipment (fk_order, carrier, tracking_number, label_id)
SELECT s.fk_order, s.carrier, s.tracking_number, s.provider_label_id FROM public.tb_shipping s;

ALTER TABLE order_service.tb_order_payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_service.tb_order_shipment ENABLE ROW LEVEL SECURITY;
CREATE POLICY tb_order_payment_owner_select ON order_service.tb_order_payment
    FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM order_service.tb_order o
                   WHERE o.pk_order = tb_order_payment.fk_order));
CREATE POLICY tb_order_shipment_owner_select ON order_service.tb_order_shipment
    FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM order_service.tb_order o
                   WHERE o.pk_order = tb_order_shipment.fk_order));
GRANT USAGE ON SCHEMA order_service TO order_api;
GRANT SELECT ON order_service.tb_order_payment, order_service.tb_order_shipment TO order_api;

-- The API's old policies on the workers' rows go first: they read fk_order, which the sections
-- below drop (a column a policy uses cannot be dropped).
DROP POLICY tb_reservation_owner_select ON public.tb_reservation;
DROP POLICY tb_payment_owner_select ON public.tb_payment;
DROP POLICY tb_shipping_owner_select ON public.tb_shipping;
DROP POLICY tb_event_log_owner_select ON public.tb_event_log;

-- ---------------------------------------------------------------------------------------------
-- The inventory worker: stock by SKU, and what each order holds, by the order's UUID.

ALTER TABLE tb_inventory SET SCHEMA inventory_worker;
ALTER TABLE tb_reservation SET SCHEMA inventory_worker;
ALTER TABLE tb_reservation_set SET SCHEMA inventory_worker;

ALTER TABLE inventory_worker.tb_inventory ADD COLUMN sku TEXT;
UPDATE inventory_worker.tb_inventory i SET sku = p.identifier
  FROM order_service.tb_product p WHERE p.pk_product = i.fk_product;
ALTER TABLE inventory_worker.tb_inventory ALTER COLUMN sku SET NOT NULL,
    ADD CONSTRAINT tb_inventory_sku_key UNIQUE (sku),
    ADD CONSTRAINT tb_inventory_sku_length CHECK (length(sku) BETWEEN 1 AND 128),
    DROP COLUMN fk_product;
COMMENT ON COLUMN inventory_worker.tb_inventory.sku IS
    'the product''s SKU, as orders and events name it (the catalogue is the order service''s)';

ALTER TABLE inventory_worker.tb_reservation ADD COLUMN order_id UUID, ADD COLUMN sku TEXT;
UPDATE inventory_worker.tb_reservation r SET order_id = o.id, sku = p.identifier
  FROM order_service.tb_order o, order_service.tb_product p
 WHERE o.pk_order = r.fk_order AND p.pk_product = r.fk_product;
ALTER TABLE inventory_worker.tb_reservation ALTER COLUMN order_id SET NOT NULL,
    ALTER COLUMN sku SET NOT NULL,
    DROP COLUMN fk_order, DROP COLUMN fk_product,
    ADD CONSTRAINT tb_reservation_order_sku_key UNIQUE (order_id, sku);

ALTER TABLE inventory_worker.tb_reservation_set ADD COLUMN order_id UUID;
UPDATE inventory_worker.tb_reservation_set r SET order_id = o.id
  FROM order_service.tb_order o WHERE o.pk_order = r.fk_order;
ALTER TABLE inventory_worker.tb_reservation_set ALTER COLUMN order_id SET NOT NULL,
    DROP COLUMN fk_order,
    ADD CONSTRAINT tb_reservation_set_order_id_key UNIQUE (order_id);

-- ---------------------------------------------------------------------------------------------
-- The payment worker and the shipping worker: one row per order, by the order's UUID.

ALTER TABLE tb_payment SET SCHEMA payment_worker;
ALTER TABLE tb_provider_charge SET SCHEMA payment_worker;
ALTER TABLE payment_worker.tb_payment ADD COLUMN order_id UUID;
UPDATE payment_worker.tb_payment p SET order_id = o.id
  FROM order_service.tb_order o WHERE o.pk_order = p.fk_order;
ALTER TABLE payment_worker.tb_payment ALTER COLUMN order_id SET NOT NULL,
    DROP COLUMN fk_order,
    ADD CONSTRAINT tb_payment_order_id_key UNIQUE (order_id);

ALTER TABLE tb_shipping SET SCHEMA shipping_worker;
ALTER TABLE shipping_worker.tb_shipping ADD COLUMN order_id UUID;
UPDATE shipping_worker.tb_shipping s SET order_id = o.id
  FROM order_service.tb_order o WHERE o.pk_order = s.fk_order;
ALTER TABLE shipping_worker.tb_shipping ALTER COLUMN order_id SET NOT NULL,
    DROP COLUMN fk_order,
    ADD CONSTRAINT tb_shipping_order_id_key UNIQUE (order_id);

-- ---------------------------------------------------------------------------------------------
-- The event monitor: the audit trail, by the order id each payload carries.

ALTER TABLE tb_event_log SET SCHEMA event_monitor;
ALTER TABLE event_monitor.tb_event_log DROP COLUMN fk_order;

-- The API's old view of the workers' rows goes: nothing of theirs is the API's to read (the
-- policies went before their fk_order columns, above).
REVOKE ALL ON inventory_worker.tb_inventory, payment_worker.tb_payment,
              shipping_worker.tb_shipping, event_monitor.tb_event_log FROM order_api;

-- ---------------------------------------------------------------------------------------------
-- Messaging tables, one set per service. The old shared ones become the order service's; each
-- worker's rows move into copies of its own (same columns, keys, indexes and constraints).

ALTER TABLE tb_outbox SET SCHEMA order_service;
ALTER TABLE tb_inbox SET SCHEMA order_service;
ALTER TABLE tb_dead_letter SET SCHEMA order_service;

DO $$
DECLARE
    -- service schema, its outbox source, the durables it consumes as
    v_services CONSTANT TEXT[][] := ARRAY[
        ['inventory_worker', 'inventory-worker', 'inventory_processors,compensation_handlers'],
        ['payment_worker', 'payment-worker', 'payment_processors'],
        ['shipping_worker', 'shipping-worker', 'shipping_handlers'],
        ['event_monitor', 'event-monitor', 'event_monitoring']];
    v_schema TEXT;
    v_source TEXT;
    v_consumers TEXT[];
    v_table TEXT;
    v_key TEXT;
BEGIN
    FOR i IN 1 .. array_length(v_services, 1) LOOP
        v_schema := v_services[i][1];
        v_source := v_services[i][2];
        v_consumers := string_to_array(v_services[i][3], ',');
        FOREACH v_table IN ARRAY ARRAY['tb_outbox', 'tb_inbox', 'tb_dead_letter'] LOOP
            EXECUTE format('CREATE TABLE %I.%I (LIKE order_service.%I INCLUDING ALL)',
                           v_schema, v_table, v_table);
        END LOOP;
        -- Identity values are kept: the relay publishes in pk_outbox order, and dead letters are
        -- replayed by their number.
        EXECUTE format('INSERT INTO %I.tb_outbox OVERRIDING SYSTEM VALUE '
                       'SELECT * FROM order_service.tb_outbox WHERE source = %L',
                       v_schema, v_source);
        EXECUTE format('INSERT INTO %I.tb_inbox SELECT * FROM order_service.tb_inbox '
                       'WHERE consumer = ANY (%L)', v_schema, v_consumers);
        EXECUTE format('INSERT INTO %I.tb_dead_letter OVERRIDING SYSTEM VALUE '
                       'SELECT * FROM order_service.tb_dead_letter WHERE consumer = ANY (%L)',
                       v_schema, v_consumers);
        DELETE FROM order_service.tb_outbox WHERE source = v_source;
        DELETE FROM order_service.tb_inbox WHERE consumer = ANY (v_consumers);
        DELETE FROM order_service.tb_dead_letter WHERE consumer = ANY (v_consumers);
        FOREACH v_key IN ARRAY ARRAY['tb_outbox.pk_outbox', 'tb_dead_letter.pk_dead_letter'] LOOP
            EXECUTE format(
                'SELECT setval(pg_get_serial_sequence(%L, %L), '
                'GREATEST((SELECT max(%I) FROM %I.%I), 0) + 1, false)',
                v_schema || '.' || split_part(v_key, '.', 1), split_part(v_key, '.', 2),
                split_part(v_key, '.', 2), v_schema, split_part(v_key, '.', 1));
        END LOOP;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Ownership: each service's role owns its schema's tables, views, functions and types.

DO $$
DECLARE
    v_object RECORD;
BEGIN
    FOR v_object IN
        SELECT n.nspname, c.relname, c.relkind
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('order_service', 'inventory_worker', 'payment_worker',
                             'shipping_worker', 'event_monitor')
           AND c.relkind IN ('r', 'v')
    LOOP
        EXECUTE format('ALTER %s %I.%I OWNER TO %I',
                       CASE v_object.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END,
                       v_object.nspname, v_object.relname, v_object.nspname);
    END LOOP;
END
$$;
ALTER TYPE order_service.mutation_response OWNER TO order_service;
ALTER FUNCTION order_service.order_status_transition_allowed(TEXT, TEXT) OWNER TO order_service;
ALTER FUNCTION order_service.mutation_invalid(TEXT, TEXT, TEXT) OWNER TO order_service;
ALTER FUNCTION order_service.fn_create_order(TEXT, TEXT, NUMERIC, JSONB, TEXT)
    OWNER TO order_service;
ALTER FUNCTION order_service.fn_update_order_status(UUID, TEXT, TEXT) OWNER TO order_service;
ALTER FUNCTION order_service.fn_observer_payload(TEXT, TEXT, JSONB, JSONB) OWNER TO order_service;
ALTER FUNCTION order_service.fn_observe() OWNER TO order_service;

-- ---------------------------------------------------------------------------------------------
-- The read models: what the order service may read of other services, and nothing more. Views
-- owned by their service, so a service can change its tables behind them; the order service asks
-- them only for orders its own row-level-security-checked reads returned.

CREATE VIEW event_monitor.v_order_event AS
SELECT order_id, event_type, data, stream_seq, recorded_at FROM event_monitor.tb_event_log;
ALTER VIEW event_monitor.v_order_event OWNER TO event_monitor;
COMMENT ON VIEW event_monitor.v_order_event IS
    'read model: an order''s events in stream order, for the order service''s Order.events';

CREATE VIEW inventory_worker.v_stock AS
SELECT sku, quantity - reserved AS available FROM inventory_worker.tb_inventory;
ALTER VIEW inventory_worker.v_stock OWNER TO inventory_worker;
COMMENT ON VIEW inventory_worker.v_stock IS
    'read model: stock available per SKU, for the order service''s Product.available';

GRANT USAGE ON SCHEMA event_monitor, inventory_worker TO order_service, order_api;
GRANT SELECT ON event_monitor.v_order_event, inventory_worker.v_stock TO order_service, order_api;

-- Every service may see how far the schema is migrated (it waits until it is).
GRANT SELECT ON public.schema_migrations TO order_service, inventory_worker, payment_worker,
    shipping_worker, event_monitor;

-- ---------------------------------------------------------------------------------------------
-- Where names resolve. Each service's connections set their own schema (and each role has it as
-- its default); everyone else connecting to this database (its owner, psql) sees every schema,
-- so the walkthrough's `SELECT … FROM tb_event_log` works unqualified.

ALTER ROLE order_service SET search_path = order_service;
ALTER ROLE inventory_worker SET search_path = inventory_worker;
ALTER ROLE payment_worker SET search_path = payment_worker;
ALTER ROLE shipping_worker SET search_path = shipping_worker;
ALTER ROLE event_monitor SET search_path = event_monitor;
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET search_path = order_service, inventory_worker, '
                   'payment_worker, shipping_worker, event_monitor, public',
                   current_database());
END
$$;
