ALTER TABLE outcome_checks DROP COLUMN notified_at;
DROP TABLE idempotency_keys;
DROP TABLE webhook_deliveries;
DROP TABLE outbox_events;
DROP TABLE webhook_subscriptions;
DROP TABLE integration_clients;
