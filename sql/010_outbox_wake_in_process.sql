-- 010: no NOTIFY on outbox inserts; each service wakes its own relay after it commits.
--
-- A transaction that has sent a NOTIFY takes, at commit, a lock that every other such transaction
-- in the cluster needs too, and holds it until its commit record is flushed to disk. Every service
-- writes outbox rows, so under load every commit waited for the previous one's flush instead of
-- sharing it (group commit): createOrder queued behind the workers' batches for tens of
-- milliseconds each. The relays now poll (100 ms) and are woken in process by whatever committed
-- the rows: the GraphQL endpoint after a mutation, a consumer after its batch.
DROP TRIGGER IF EXISTS tb_outbox_notify ON tb_outbox;
DROP FUNCTION IF EXISTS fn_outbox_notify();
