-- 011: fewer index and lock writes per event, where nothing reads what they wrote.
--
-- Under saturation PostgreSQL spends most of the machine's CPU, and much of it on writes that
-- every order repeats several times: an order moves status twice, and each of its ~6 events is
-- inserted into the outbox, marked published and logged by the event monitor.

-- tb_order: nothing looks orders up by status alone (lists go through fk_user), and the index made
-- every status change a non-HOT update that inserted into all five of tb_order's indexes, two of
-- them on random keys. Without it a status change touches no index column, and the free space
-- left in each page lets the new row version stay on its page (a HOT update).
DROP INDEX tb_order_status_idx;
ALTER TABLE tb_order SET (fillfactor = 80);

-- tb_outbox.event_id: gen_random_uuid() already makes it unique, and no query looks a row up by
-- it. As a UNIQUE index it cost an insertion at a random place per write and per "published" mark.
ALTER TABLE tb_outbox DROP CONSTRAINT tb_outbox_event_id_key;

-- tb_event_log.fk_order: the audit trail must outlive, and later live apart from, the order
-- service's tables (each service on a database of its own), so the column becomes a plain
-- reference, filled when the order is known. As a foreign key it took a FOR KEY SHARE lock on the
-- order's row for every event logged, which dirtied that row's page and contended with the status
-- changes of the same orders. Its index served no query: the trail is read by order_id.
ALTER TABLE tb_event_log DROP CONSTRAINT tb_event_log_fk_order_fkey;
DROP INDEX tb_event_log_fk_order_idx;

-- tb_outbox.published_at: pruning only ever asks for published rows, but a plain index also held
-- an entry for every unpublished row, written at insert and left behind by the "published" mark.
-- Partial, each row enters it once, when it is marked.
DROP INDEX tb_outbox_published_at_idx;
CREATE INDEX tb_outbox_published_at_idx ON tb_outbox (published_at) WHERE published_at IS NOT NULL;

-- tb_event_log.id: a random UUID that nothing reads (an event is named by its identifier, the
-- event id, and ordered by stream_seq), yet each logged event generated one and inserted it into a
-- unique index at a random place.
ALTER TABLE tb_event_log DROP COLUMN id;

-- tb_event_log.recorded_at only grows, in the order rows are written, so a BRIN index answers
-- time ranges (operators' tails, pruning) at almost no upkeep per insert, where a btree took an
-- insertion per event.
DROP INDEX tb_event_log_recorded_at_idx;
CREATE INDEX tb_event_log_recorded_at_idx ON tb_event_log USING brin (recorded_at);
