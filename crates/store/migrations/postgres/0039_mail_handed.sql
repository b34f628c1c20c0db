-- When the worker began to hand a message to the SMTP server. Set in the same write that renews
-- the batch's lease, just before the message goes out; a message still queued with this set
-- after its lease ran out was in the hands of a worker that died mid-delivery, so whether the
-- server took it is unknown. List mail (with one-click unsubscribe: the newsletter, notification
-- digests) is then given up rather than sent a second time; personal mail (a confirmation link)
-- is sent again.
ALTER TABLE mail_queue ADD COLUMN handed_at TIMESTAMPTZ;
