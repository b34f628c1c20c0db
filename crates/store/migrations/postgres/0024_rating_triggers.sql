-- Rating totals kept by a trigger: every insert, change and removal of a rating (a person's or a
-- confirmed guest's) adds its difference to `rating_totals` inside the statement that writes
-- the rating, so a rating is one statement and no code path can forget the totals. The totals
-- row is locked by that statement until commit, so concurrent ratings of one measure queue
-- there and no difference is lost. A removal only updates (the totals row of a measure being
-- deleted goes with it).
CREATE FUNCTION rating_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o BIGINT;
    n BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        o := OLD.value;
        UPDATE rating_totals SET count = count - 1, total = total - o,
            n1 = n1 - (o = 1)::int, n2 = n2 - (o = 2)::int, n3 = n3 - (o = 3)::int,
            n4 = n4 - (o = 4)::int, n5 = n5 - (o = 5)::int
        WHERE measure_id = OLD.measure_id;
        RETURN NULL;
    END IF;
    n := NEW.value;
    IF TG_OP = 'UPDATE' THEN
        o := OLD.value;
        IF o = n THEN
            RETURN NULL;
        END IF;
        UPDATE rating_totals SET total = total - o + n,
            n1 = n1 - (o = 1)::int + (n = 1)::int, n2 = n2 - (o = 2)::int + (n = 2)::int,
            n3 = n3 - (o = 3)::int + (n = 3)::int, n4 = n4 - (o = 4)::int + (n = 4)::int,
            n5 = n5 - (o = 5)::int + (n = 5)::int
        WHERE measure_id = NEW.measure_id;
        RETURN NULL;
    END IF;
    INSERT INTO rating_totals AS t (measure_id, count, total, n1, n2, n3, n4, n5)
    VALUES (NEW.measure_id, 1, n, (n = 1)::int, (n = 2)::int, (n = 3)::int, (n = 4)::int, (n = 5)::int)
    ON CONFLICT (measure_id) DO UPDATE SET count = t.count + 1, total = t.total + excluded.total,
        n1 = t.n1 + excluded.n1, n2 = t.n2 + excluded.n2, n3 = t.n3 + excluded.n3,
        n4 = t.n4 + excluded.n4, n5 = t.n5 + excluded.n5;
    RETURN NULL;
END
$$;

CREATE TRIGGER ratings_totals AFTER INSERT OR DELETE OR UPDATE OF value ON ratings
    FOR EACH ROW EXECUTE FUNCTION rating_totals_follow();
CREATE TRIGGER guest_ratings_totals AFTER INSERT OR DELETE OR UPDATE OF value ON guest_ratings
    FOR EACH ROW EXECUTE FUNCTION rating_totals_follow();
