-- Names, addresses, phone numbers and messages of requests for offers and of volunteering
-- applications are removed 30 days after the request's day, or 30 days after a request or an
-- application was declined, withdrawn or expired; the rows stay for the figures. `pruned_at`
-- marks the rows done, and the partial indexes keep the minute task's search to the rows left.
ALTER TABLE offer_requests ADD COLUMN pruned_at TIMESTAMPTZ;
ALTER TABLE volunteer_applications ADD COLUMN pruned_at TIMESTAMPTZ;
CREATE INDEX offer_requests_unpruned_day ON offer_requests (day) WHERE pruned_at IS NULL;
CREATE INDEX offer_requests_unpruned_closed ON offer_requests (updated_at)
    WHERE pruned_at IS NULL AND state IN ('declined', 'withdrawn', 'expired');
CREATE INDEX volunteer_applications_unpruned ON volunteer_applications (updated_at)
    WHERE pruned_at IS NULL AND state IN ('declined', 'withdrawn', 'expired');
