//! Many offers at once, for large directories (the benchmark's `demo-data --offers`): what
//! [`Db::create_offer`] does for one offer, with the same statements (`write_offer!`), for a
//! thousand offers in one transaction. Slugs are found from the offers' slugs read once per
//! transaction instead of one `LIKE` scan per offer, which on a large directory is what makes
//! one-by-one creation slow.

use super::{OfferParts, RESERVED, clock_text};
use crate::{Db, Result, on_db};
use domain::offers::OfferInput;
use domain::offers::recurrence::Rule;
use domain::offers::{schedule_last, schedule_weekdays};
use domain::tags::{OFFERS as TAG, measure as measure_tag, provider as provider_tag};
use std::collections::{BTreeSet, HashMap, HashSet};
use time::OffsetDateTime;

/// Offers per transaction.
pub const BULK_BATCH: usize = 1000;

/// Slugs handed out in one transaction: the taken ones, and for each base the next number to
/// try, so that many offers of one title do not probe `-2`, `-3`, … again each time.
struct Slugs {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Slugs {
    /// What [`super::free_slug`] gives for `title`, and marks it taken.
    fn take(&mut self, title: &str) -> String {
        let base = match domain::text::slugify(title) {
            s if s.is_empty() => "angebot".to_string(),
            s => s,
        };
        let slug = if self.taken.contains(&base) {
            let n = self.next.entry(base.clone()).or_insert(2);
            while self.taken.contains(&format!("{base}-{n}")) {
                *n += 1;
            }
            format!("{base}-{n}")
        } else {
            base
        };
        self.taken.insert(slug.clone());
        slug
    }
}

impl Db {
    /// Creates `offers` (provider id, offer checked by the caller with [`OfferInput::check`],
    /// its parts), a transaction per [`BULK_BATCH`]; their ids and slugs, in order. Each is
    /// written and audited (`offer.create`, no actor) as [`Db::create_offer`] writes it; each
    /// transaction publishes `offers` and the tags of the providers and measures it touched.
    pub async fn create_offers_bulk(
        &self,
        offers: &[(i64, OfferInput, OfferParts<'_>)],
        demo: bool,
    ) -> Result<Vec<(i64, String)>> {
        let mut created = Vec::with_capacity(offers.len());
        for batch in offers.chunks(BULK_BATCH) {
            let now = OffsetDateTime::now_utc();
            let mut tags: BTreeSet<String> = BTreeSet::from([TAG.to_string()]);
            for (provider, _, parts) in batch {
                tags.insert(provider_tag(*provider));
                tags.extend(parts.measures.iter().map(|m| measure_tag(*m)));
            }
            let done: Vec<(i64, String)> = on_db!(self, p => {
                let _write = self.write_gate().await;
                let mut tx = p.begin_with(crate::begin_sql(p)).await?;
                let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM offers").fetch_all(&mut *tx).await?;
                let mut slugs = Slugs {
                    taken: taken.into_iter().chain(RESERVED.iter().map(|r| r.to_string())).collect(),
                    next: HashMap::new(),
                };
                let mut done = Vec::with_capacity(batch.len());
                for (provider_id, o, parts) in batch {
                    let slug = slugs.take(&o.title);
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO offers (slug, provider_id, title, category_id, attendance, access, demo, created_by, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                    )
                    .bind(&slug).bind(provider_id).bind(o.title.trim()).bind(o.category_id).bind(o.attendance.as_str())
                    .bind(o.access.as_str()).bind(demo).bind(None::<i64>).bind(now)
                    .fetch_one(&mut *tx).await?;
                    write_offer!(tx, id, o, parts, now);
                    sqlx::query(crate::audit::INSERT_AUDIT).bind(now).bind(None::<i64>).bind("offer.create").bind("offer").bind(id)
                        .bind(None::<String>).bind(o.title.trim()).execute(&mut *tx).await?;
                    done.push((id, slug));
                }
                crate::commit_with_events!(self, p, tx, [crate::events::cache_event(tags)]);
                done
            });
            created.extend(done);
        }
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_those_free_slug_gives() {
        let taken = vec!["pc-hilfe".to_string(), "pc-hilfe-3".to_string()];
        let mut slugs = Slugs {
            taken: taken.iter().cloned().collect(),
            next: HashMap::new(),
        };
        let mut all = taken.clone();
        for title in ["PC-Hilfe", "PC-Hilfe", "PC Hilfe", "Kita", "!!!", "Kita"] {
            let expected = super::super::free_slug(title, "angebot", &all);
            assert_eq!(slugs.take(title), expected, "{title}");
            all.push(expected);
        }
        assert_eq!(
            all[2..],
            [
                "pc-hilfe-2",
                "pc-hilfe-4",
                "pc-hilfe-5",
                "kita",
                "angebot",
                "kita-2"
            ]
        );
    }
}
