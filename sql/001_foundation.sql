-- 001: the shared building blocks: the mutation result type, users, the product catalogue with
-- its stock, and the messaging tables (outbox, inbox, dead letters) every service relies on.
--
-- Applied once, inside one transaction, by the migrator (common/src/db/migrator.cpp), which
-- records it in schema_migrations. Never edit an applied file: add a new numbered one.

-- What every fn_* mutation returns. status is a word the caller switches on ('created',
-- 'existing', 'conflict', 'invalid', 'updated', 'noop', 'not_found'), so callers never have to
-- parse SQL errors to tell a user mistake from a fault.
CREATE TYPE mutation_response AS (
    status      TEXT,
    message     TEXT,
    entity_id   UUID,
    entity_type TEXT,
    entity      JSONB,
    metadata    JSONB
);

-- A user is whoever a token names: rows are created on first use (fn_create_order upserts them),
-- there is no sign-up.
CREATE TABLE tb_user (
    pk_user     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    identifier  TEXT NOT NULL UNIQUE CHECK (length(identifier) BETWEEN 1 AND 255),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON COLUMN tb_user.identifier IS 'the JWT sub claim';

CREATE TABLE tb_product (
    pk_product  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    identifier  TEXT NOT NULL UNIQUE CHECK (length(identifier) BETWEEN 1 AND 128),
    name        TEXT NOT NULL,
    price       NUMERIC(10, 2) NOT NULL CHECK (price >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON COLUMN tb_product.identifier IS 'the SKU';

-- One stock counter per product; its natural key is the product, so it carries no identifier of
-- its own. `reserved` is held for orders in flight; the CHECK makes over-reservation impossible
-- even if a worker's arithmetic is wrong.
CREATE TABLE tb_inventory (
    pk_inventory BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    fk_product   BIGINT NOT NULL UNIQUE REFERENCES tb_product (pk_product),
    quantity     INT NOT NULL DEFAULT 0,
    reserved     INT NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT tb_inventory_stock_bounds
        CHECK (quantity >= 0 AND reserved >= 0 AND reserved <= quantity)
);

-- Transactional outbox: an event is written here in the same transaction as the change it
-- describes, and a relay of the owning service publishes it to JetStream afterwards, so an event
-- is never lost (relay down) nor sent for a change that rolled back.
CREATE TABLE tb_outbox (
    pk_outbox    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Published as the Nats-Msg-Id header: JetStream's duplicate window drops a re-publish after
    -- a relay crash between publish and marking the row.
    event_id     UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    -- The service whose relay publishes the row. Restricted to a short slug because it becomes
    -- part of a NOTIFY channel name (at most 63 bytes).
    source       TEXT NOT NULL CHECK (source ~ '^[a-z][a-z0-9_-]{0,39}$'),
    subject      TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    payload      JSONB NOT NULL,
    headers      JSONB NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ NULL
);
-- The relay's work queue: unpublished rows of one source in id (= write) order. Partial, so it
-- stays small however many published rows are kept.
CREATE INDEX tb_outbox_unpublished_idx ON tb_outbox (source, pk_outbox) WHERE published_at IS NULL;
-- Pruning deletes published rows older than a retention period.
CREATE INDEX tb_outbox_published_at_idx ON tb_outbox (published_at);

-- NOTIFY only wakes a sleeping relay early; the relay also polls, so a notification lost while it
-- is down costs latency, never an event. The payload is empty on purpose: the rows are the truth,
-- and identical notifications in one transaction collapse into one.
CREATE FUNCTION fn_outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_' || replace(NEW.source, '-', '_'), '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER tb_outbox_notify
    AFTER INSERT ON tb_outbox
    FOR EACH ROW EXECUTE FUNCTION fn_outbox_notify();

-- Inbox: a consumer records each event id it has handled in the same transaction as the effect,
-- so a redelivered event is recognised and acknowledged without repeating the effect.
CREATE TABLE tb_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
-- Pruning deletes rows older than the stream's redelivery horizon.
CREATE INDEX tb_inbox_processed_at_idx ON tb_inbox (processed_at);

-- Messages a consumer gave up on (undecodable, or failed on their last allowed delivery). They are
-- terminated in JetStream, so this table is the only place they survive for inspection and replay.
CREATE TABLE tb_dead_letter (
    pk_dead_letter BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    consumer       TEXT NOT NULL,
    subject        TEXT NOT NULL,
    stream_seq     BIGINT NOT NULL,
    event_id       TEXT NULL,  -- the Nats-Msg-Id header, when the message had one
    headers        JSONB NOT NULL DEFAULT '{}',
    -- Raw bytes: a message that could not be decoded may be neither UTF-8 nor JSON.
    payload        BYTEA NOT NULL,
    reason         TEXT NOT NULL,
    attempts       INT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    replayed_at    TIMESTAMPTZ NULL
);
CREATE INDEX tb_dead_letter_created_at_idx ON tb_dead_letter (created_at);
CREATE INDEX tb_dead_letter_consumer_seq_idx ON tb_dead_letter (consumer, stream_seq);
