-- 008: the simulated payment provider's own record of the charges it made.
--
-- A real provider keeps its ledger on its side; the simulation keeps it here so tests can count
-- what a card was actually charged, which tb_payment (our side, one row per order) cannot show:
-- a worker that crashes after charging and before committing leaves no tb_payment row, and its
-- retry charges again unless the provider honours the idempotency key. Written only when the
-- payment worker runs with PAYMENT_SIMULATOR_LEDGER=1, on a connection of its own (outside the
-- worker's transaction, as an external system would be).
CREATE TABLE tb_provider_charge (
    pk_provider_charge BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                 UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    -- The request's idempotency key: a second charge with the same key answers the first again.
    identifier         TEXT NOT NULL UNIQUE,
    order_id           TEXT NOT NULL,
    order_identifier   TEXT NOT NULL,
    amount_cents       BIGINT NOT NULL CHECK (amount_cents >= 0),
    approved           BOOLEAN NOT NULL,
    provider_id        TEXT NOT NULL,
    decline_reason     TEXT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX tb_provider_charge_order_idx ON tb_provider_charge (order_id);

-- Not part of the order API: invisible to its role like the workers' tables.
ALTER TABLE tb_provider_charge ENABLE ROW LEVEL SECURITY;
