-- Old notifications are removed by every instance's maintenance (read 90 days ago, or written a
-- year ago); these indexes let it find them without reading the whole table.
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;
CREATE INDEX notifications_created ON notifications (created_at);
