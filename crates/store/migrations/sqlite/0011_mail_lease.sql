-- Mail leases name their holder: only the worker holding a message's lease may mark it sent or
-- failed, and a worker renews the lease of its batch while it sends. The one-time link of a
-- message (confirmation, password reset, address change) is kept apart from the body and
-- cleared once the message is sent or given up.
ALTER TABLE mail_queue ADD COLUMN lease_id TEXT;
ALTER TABLE mail_queue ADD COLUMN secret TEXT;
