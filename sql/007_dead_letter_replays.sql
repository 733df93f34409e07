-- 007: what `choreoctl dlq replay` needs, and one dead letter per message and consumer.
--
-- replays counts the committed replays of a row. A replay is published under the Nats-Msg-Id
-- "replay-<pk_dead_letter>-<replays + 1>": a replay retried after a crash between its publish and
-- its commit reuses the id (and the stream's duplicate window drops the repeat), while a forced
-- second replay gets a new id (the window would otherwise drop it as well).
ALTER TABLE tb_dead_letter ADD COLUMN replays INT NOT NULL DEFAULT 0;

-- A consumer that crashes after committing a dead letter but before terminating the message gets
-- it redelivered, past MAX_DELIVER, and dead-letters it again: the same message and consumer must
-- not make a second row. The event id is part of the key because stream sequences start over
-- when the stream is recreated; a replay is a new stream message, so it may dead-letter anew.
CREATE UNIQUE INDEX tb_dead_letter_message_uq
    ON tb_dead_letter (consumer, stream_seq, event_id) NULLS NOT DISTINCT;
DROP INDEX tb_dead_letter_consumer_seq_idx;

