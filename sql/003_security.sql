-- 003: who may see what. The API runs each request under `SET LOCAL ROLE order_api` with
-- `SET LOCAL app.user_id = '<JWT sub>'`; row-level security then hides every other user's orders
-- whatever query the service sends. Workers, relays and the event monitor connect as the owning
-- role, which is exempt from RLS (the tables do not FORCE it) because they act for every user.

-- Roles belong to the whole cluster, not to one database: another database (a second stack, a
-- test database) may have created order_api already, possibly at this very moment.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_api') THEN
        CREATE ROLE order_api NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;  -- created concurrently by a migration of another database
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role % may not create roles; as a superuser run: CREATE ROLE order_api NOLOGIN; GRANT order_api TO %',
            current_user, current_user;
END
$$;

-- The service connects as the migrating role and switches to order_api per transaction, which
-- needs membership with the right to SET ROLE. PostgreSQL 16 splits that right out of plain
-- membership (and does not grant it to the creator of a role), hence the version check.
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'order_api',
                       CASE WHEN current_setting('server_version_num')::int >= 160000
                            THEN 'SET' ELSE 'MEMBER' END) THEN
        GRANT order_api TO CURRENT_USER;
    END IF;
EXCEPTION
    WHEN unique_violation THEN
        NULL;  -- granted concurrently by a migration of another database
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role % may not grant itself order_api; as a superuser run: GRANT order_api TO %',
            current_user, current_user;
END
$$;

ALTER TABLE tb_user ENABLE ROW LEVEL SECURITY;
ALTER TABLE tb_order ENABLE ROW LEVEL SECURITY;
ALTER TABLE tb_order_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE tb_reservation ENABLE ROW LEVEL SECURITY;
ALTER TABLE tb_payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE tb_shipping ENABLE ROW LEVEL SECURITY;
ALTER TABLE tb_event_log ENABLE ROW LEVEL SECURITY;

-- The current user is app.user_id. current_setting(..., true) yields NULL when it was never set
-- and '' after a SET LOCAL ended, so both mean "nobody" and match no row.

-- order_api sees (and may create) only its own user row: the API never needs other users' subs.
CREATE POLICY tb_user_self_select ON tb_user FOR SELECT TO order_api
    USING (identifier = NULLIF(current_setting('app.user_id', true), ''));
CREATE POLICY tb_user_self_insert ON tb_user FOR INSERT TO order_api
    WITH CHECK (identifier = NULLIF(current_setting('app.user_id', true), ''));

-- The subquery has no reference to the row, so PostgreSQL evaluates it once per query, not per row.
CREATE POLICY tb_order_owner_select ON tb_order FOR SELECT TO order_api
    USING (fk_user = (SELECT u.pk_user FROM tb_user u
                      WHERE u.identifier = NULLIF(current_setting('app.user_id', true), '')));
CREATE POLICY tb_order_owner_insert ON tb_order FOR INSERT TO order_api
    WITH CHECK (fk_user = (SELECT u.pk_user FROM tb_user u
                           WHERE u.identifier = NULLIF(current_setting('app.user_id', true), '')));

-- Child rows follow their order. The subquery reads tb_order under order_api's own policies, so
-- "the order exists" already means "the order is visible to this user".
CREATE POLICY tb_order_item_owner_select ON tb_order_item FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM tb_order o WHERE o.pk_order = tb_order_item.fk_order));
CREATE POLICY tb_order_item_owner_insert ON tb_order_item FOR INSERT TO order_api
    WITH CHECK (EXISTS (SELECT 1 FROM tb_order o WHERE o.pk_order = tb_order_item.fk_order));
CREATE POLICY tb_reservation_owner_select ON tb_reservation FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM tb_order o WHERE o.pk_order = tb_reservation.fk_order));
CREATE POLICY tb_payment_owner_select ON tb_payment FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM tb_order o WHERE o.pk_order = tb_payment.fk_order));
CREATE POLICY tb_shipping_owner_select ON tb_shipping FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM tb_order o WHERE o.pk_order = tb_shipping.fk_order));
-- By the payload's order id, which every logged event of an order carries (fk_order may be NULL
-- when the event was logged before the order row was known).
CREATE POLICY tb_event_log_owner_select ON tb_event_log FOR SELECT TO order_api
    USING (EXISTS (SELECT 1 FROM tb_order o WHERE o.id = tb_event_log.order_id));

-- Privileges: reads of the API, plus exactly what fn_create_order (SECURITY INVOKER) writes.
-- Identity columns need no sequence privilege. Nothing here lets order_api update or delete.
GRANT SELECT ON tb_user, tb_product, tb_inventory, tb_order, tb_order_item, tb_payment,
                tb_shipping, tb_event_log, v_order TO order_api;
GRANT INSERT ON tb_user, tb_order, tb_order_item TO order_api;

-- Functions are executable by PUBLIC by default; only the API's own mutation stays open to it.
-- Status changes come from events, handled by consumers running as the owning role.
REVOKE EXECUTE ON FUNCTION fn_create_order(TEXT, TEXT, NUMERIC, JSONB, TEXT) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION fn_update_order_status(UUID, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fn_create_order(TEXT, TEXT, NUMERIC, JSONB, TEXT) TO order_api;
