-- The public list of offers on a large directory (issue 11's benchmark: 50,000 offers). A count
-- and the filters read a few narrow columns, but an offer's row is wide (description, its HTML,
-- the search words): with those columns in an index, counting or filtering reads the index
-- instead of every matching row, about ten times less (bench/README.md, "The offers rows"; the
-- plans of each kind of search in bench/out/offers-plans.txt).
-- Every public offer (`state` first, then the provider for its state and the filters' columns).
CREATE INDEX offers_public ON offers (state, provider_id, category_id, district_id, cost_cents, attendance,
    age_min, age_max, step_free, hearing_loop, sign_language, easy_language);
-- A category's offers (replaces offers_category, its first two columns).
DROP INDEX offers_category;
CREATE INDEX offers_public_category ON offers (category_id, state, cost_cents, provider_id, district_id, attendance,
    age_min, age_max, step_free, hearing_loop, sign_language, easy_language);
-- Within a radius: the bounding box on the public offers (replaces offers_place, which the
-- planner passed over for `state`).
DROP INDEX offers_place;
CREATE INDEX offers_public_place ON offers (state, lat, lon, provider_id, category_id, district_id, cost_cents);
-- The filters by day and time of day ask each offer's schedules: from the index alone.
CREATE INDEX offer_schedules_days ON offer_schedules (offer_id, weekdays, start_minute, last_on);
