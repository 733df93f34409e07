-- 006: what the workers need beyond the seed's tables: one reservation decision per order.
--
-- tb_reservation holds what was reserved per product, but an order without items (or one that was
-- refused for lack of stock) leaves no row there, so it cannot tell "already decided" from "never
-- seen". A second events.order.created for the same order (a new event id, so the inbox does not
-- catch it) must not reserve again, and a release must happen exactly once per order: both hinge
-- on this one row per order, written in the same transaction as the stock changes.
CREATE TABLE tb_reservation_set (
    pk_reservation_set BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                 UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    identifier         TEXT NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,
    fk_order           BIGINT NOT NULL UNIQUE REFERENCES tb_order (pk_order),
    -- reserved: the order's stock is held (its tb_reservation rows); rejected: some item did not
    -- fit, nothing was reserved; released: the reservation was given back after a failed payment
    -- (or a payment failure arrived first, which fences off any later reservation for the order).
    status             TEXT NOT NULL
                       CONSTRAINT tb_reservation_set_status_known
                       CHECK (status IN ('reserved', 'rejected', 'released')),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    released_at        TIMESTAMPTZ NULL,
    CONSTRAINT tb_reservation_set_released_when_released
        CHECK ((status = 'released') = (released_at IS NOT NULL))
);

-- Like the other per-order tables: invisible to the API's role (it has no grant here either).
ALTER TABLE tb_reservation_set ENABLE ROW LEVEL SECURITY;
