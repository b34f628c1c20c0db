-- Rating totals kept by triggers: every insert, change and removal of a rating (a person's or a
-- confirmed guest's) adds its difference to `rating_totals` inside the statement that writes
-- the rating, so a rating is one statement and no code path can forget the totals. A removal
-- only updates (the totals row of a measure being deleted goes with it).
CREATE TRIGGER ratings_totals_insert AFTER INSERT ON ratings BEGIN
    INSERT INTO rating_totals (measure_id, count, total, n1, n2, n3, n4, n5)
    VALUES (NEW.measure_id, 1, NEW.value, NEW.value = 1, NEW.value = 2, NEW.value = 3, NEW.value = 4, NEW.value = 5)
    ON CONFLICT (measure_id) DO UPDATE SET count = rating_totals.count + 1, total = rating_totals.total + excluded.total,
        n1 = rating_totals.n1 + excluded.n1, n2 = rating_totals.n2 + excluded.n2, n3 = rating_totals.n3 + excluded.n3,
        n4 = rating_totals.n4 + excluded.n4, n5 = rating_totals.n5 + excluded.n5;
END;

CREATE TRIGGER ratings_totals_update AFTER UPDATE OF value ON ratings WHEN OLD.value <> NEW.value BEGIN
    UPDATE rating_totals SET total = total - OLD.value + NEW.value,
        n1 = n1 - (OLD.value = 1) + (NEW.value = 1), n2 = n2 - (OLD.value = 2) + (NEW.value = 2),
        n3 = n3 - (OLD.value = 3) + (NEW.value = 3), n4 = n4 - (OLD.value = 4) + (NEW.value = 4),
        n5 = n5 - (OLD.value = 5) + (NEW.value = 5)
    WHERE measure_id = NEW.measure_id;
END;

CREATE TRIGGER ratings_totals_delete AFTER DELETE ON ratings BEGIN
    UPDATE rating_totals SET count = count - 1, total = total - OLD.value,
        n1 = n1 - (OLD.value = 1), n2 = n2 - (OLD.value = 2), n3 = n3 - (OLD.value = 3),
        n4 = n4 - (OLD.value = 4), n5 = n5 - (OLD.value = 5)
    WHERE measure_id = OLD.measure_id;
END;

CREATE TRIGGER guest_ratings_totals_insert AFTER INSERT ON guest_ratings BEGIN
    INSERT INTO rating_totals (measure_id, count, total, n1, n2, n3, n4, n5)
    VALUES (NEW.measure_id, 1, NEW.value, NEW.value = 1, NEW.value = 2, NEW.value = 3, NEW.value = 4, NEW.value = 5)
    ON CONFLICT (measure_id) DO UPDATE SET count = rating_totals.count + 1, total = rating_totals.total + excluded.total,
        n1 = rating_totals.n1 + excluded.n1, n2 = rating_totals.n2 + excluded.n2, n3 = rating_totals.n3 + excluded.n3,
        n4 = rating_totals.n4 + excluded.n4, n5 = rating_totals.n5 + excluded.n5;
END;

CREATE TRIGGER guest_ratings_totals_update AFTER UPDATE OF value ON guest_ratings WHEN OLD.value <> NEW.value BEGIN
    UPDATE rating_totals SET total = total - OLD.value + NEW.value,
        n1 = n1 - (OLD.value = 1) + (NEW.value = 1), n2 = n2 - (OLD.value = 2) + (NEW.value = 2),
        n3 = n3 - (OLD.value = 3) + (NEW.value = 3), n4 = n4 - (OLD.value = 4) + (NEW.value = 4),
        n5 = n5 - (OLD.value = 5) + (NEW.value = 5)
    WHERE measure_id = NEW.measure_id;
END;

CREATE TRIGGER guest_ratings_totals_delete AFTER DELETE ON guest_ratings BEGIN
    UPDATE rating_totals SET count = count - 1, total = total - OLD.value,
        n1 = n1 - (OLD.value = 1), n2 = n2 - (OLD.value = 2), n3 = n3 - (OLD.value = 3),
        n4 = n4 - (OLD.value = 4), n5 = n5 - (OLD.value = 5)
    WHERE measure_id = OLD.measure_id;
END;
