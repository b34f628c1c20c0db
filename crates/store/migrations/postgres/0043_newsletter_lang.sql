-- The language of a subscription (`de` or `en`): the language of the page it was made or last
-- changed on. Its confirmation mail and every issue's frame (why one gets it, the links to the
-- archive and to change the topics) are written in it; the issue's own text is the editors'.
ALTER TABLE newsletter_subscribers ADD COLUMN lang TEXT NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en'));
