//! A large directory of offers for the benchmark (`demo-data --offers N`): N offers of about
//! N/40 providers (approved), spread over the city's districts and postcodes (ten districts
//! with thirty postcodes around Beispielstadt's centre are made when the city has none), with
//! the mix a city's directory has: the categories, weekly, fortnightly and monthly dates on
//! varied days and times and some single dates, mostly free of charge, some online only, ages
//! on a fifth, accessibility on two fifths, German and now and then other languages. Titles and
//! descriptions come from a small vocabulary, so a search word finds a part of them. The same
//! seed gives the same directory (dated from today). All of it is demo data.

use super::Lcg;
use super::offers::first_match;
use domain::offers::geo::Point;
use domain::offers::recurrence::{Rule, Schedule};
use domain::offers::{
    Access, Accessibility, Attendance, OfferInput, OfferState, ProviderInput, SCHEDULES_MAX,
};
use store::offers::OfferParts;
use store::offers::places::Postcode;
use time::{Date, Time};

/// What [`generate`] made, and the addresses the benchmark uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    pub offers: usize,
    pub providers: usize,
    pub districts_created: usize,
    pub postcodes_created: usize,
    /// An offer on site, published: its page.
    pub offer_slug: String,
    /// Another one, to be saved again and again: `/anbieten/{provider}/angebote/{id}`.
    pub saved_offer: (i64, i64),
    /// The first offer, published, taking requests with 100 places a day (the request rush).
    pub requested_offer: String,
    /// The postcode of the centre and the category of the list row.
    pub postcode: String,
    pub category: String,
    /// Every postcode and category slug (the benchmark's varied searches).
    pub postcodes: Vec<String>,
    pub categories: Vec<String>,
}

/// Beispielstadt's districts when the city has none: name and offset from the centre (km north,
/// km east).
const DISTRICTS: [(&str, f64, f64); 10] = [
    ("Altstadt", 0.0, 0.0),
    ("Nordstadt", 2.0, 0.1),
    ("Südviertel", -1.8, 0.2),
    ("Weststadt", 0.2, -2.0),
    ("Am Bahnhof", -0.4, 1.4),
    ("Oberdorf", 2.9, 2.4),
    ("Talheim", -2.8, -2.1),
    ("Gewerbegebiet Ost", 0.3, 3.4),
    ("Lindenhof", 1.2, -3.3),
    ("Kirchberg", -3.5, 1.6),
];
const CENTRE: (f64, f64) = (50.93, 10.10);
const FIRST_POSTCODE: u32 = 36251;
const POSTCODES_PER_DISTRICT: usize = 3;

/// Title heads, each with the category it mostly belongs to.
const TOPICS: [(&str, &str); 24] = [
    ("PC-Hilfe", "pc-hilfe"),
    ("Smartphone-Sprechstunde", "pc-hilfe"),
    ("Tablet-Kurs", "digitale-bildung"),
    ("Gaming-Treff", "medienbildung"),
    ("Maker-Werkstatt", "maker-space"),
    ("Coding-Club", "medienbildung"),
    ("Internet-Café", "pc-hilfe"),
    ("Digitale Fotografie", "digitale-bildung"),
    ("Online-Banking sicher nutzen", "digitale-bildung"),
    ("Videotelefonie lernen", "pc-hilfe"),
    ("3D-Druck zum Ausprobieren", "maker-space"),
    ("Robotik mit Lego", "kitas-schulen"),
    ("Medienkompetenz", "medienbildung"),
    ("Datenschutz im Alltag", "digitale-bildung"),
    ("E-Mail-Grundkurs", "digitale-bildung"),
    ("Social Media verstehen", "familien"),
    ("Programmieren mit Scratch", "kitas-schulen"),
    ("Löten und Elektronik", "maker-space"),
    ("Bewerbung online", "digitale-bildung"),
    ("Onlinedienste der Stadt", "pc-hilfe"),
    ("Digitalpaten gesucht", "ehrenamt"),
    ("Handy-Sprechstunde", "pc-hilfe"),
    ("Kita digital", "kitas-schulen"),
    ("Eltern-Medienabend", "familien"),
];
const AUDIENCES: [&str; 12] = [
    "für Senioren",
    "für Kinder",
    "für Jugendliche",
    "für Familien",
    "für Eltern",
    "für Einsteiger",
    "für Frauen",
    "für Kita-Fachkräfte",
    "für alle",
    "für Schulklassen",
    "für Ehrenamtliche",
    "in Leichter Sprache",
];
const PHRASES: [&str; 12] = [
    "Wir helfen bei Fragen zu Smartphone, Tablet und Laptop.",
    "In kleinen Gruppen lernen Sie Schritt für Schritt.",
    "Eigene Geräte können mitgebracht werden, Leihgeräte sind da.",
    "Ehrenamtliche Digitalbegleiter erklären geduldig.",
    "Gaming, Coding und Maker-Projekte zum Ausprobieren.",
    "Für Kita-Gruppen und Schulklassen nach Absprache.",
    "Senioren lernen mit Jugendlichen: Generationen im Netz.",
    "Sicher im Internet: Passwörter, Betrug erkennen, Datenschutz.",
    "Mit 3D-Drucker, Lasercutter und Lötstation.",
    "Online-Termine bei der Stadt buchen, Formulare ausfüllen.",
    "Fotos vom Handy ordnen, teilen und drucken.",
    "Kaffee und Kuchen gibt es auch.",
];
const KINDS: [&str; 12] = [
    "Stadtteilbibliothek",
    "Volkshochschule",
    "Familienzentrum",
    "Jugendtreff",
    "Seniorenbüro",
    "Maker Space",
    "Computerclub",
    "Mehrgenerationenhaus",
    "Medienzentrum",
    "Kirchengemeinde",
    "Bürgerverein",
    "Digitalwerkstatt",
];
const STREETS: [&str; 8] = [
    "Marktplatz",
    "Bahnhofstraße",
    "Lindenallee",
    "Schulstraße",
    "Am Rathaus",
    "Gartenweg",
    "Kirchgasse",
    "Mühlenweg",
];
const OTHER_LANGUAGES: [&str; 7] = ["en", "tr", "ar", "uk", "ru", "pl", "fa"];
const WEEKDAYS: [(&str, time::Weekday); 7] = [
    ("MO", time::Weekday::Monday),
    ("TU", time::Weekday::Tuesday),
    ("WE", time::Weekday::Wednesday),
    ("TH", time::Weekday::Thursday),
    ("FR", time::Weekday::Friday),
    ("SA", time::Weekday::Saturday),
    ("SU", time::Weekday::Sunday),
];

/// Offers handed to the store at once (it writes a transaction per thousand).
const CHUNK: usize = 5000;

/// The `i`-th percent bucket: true in about `percent` of the calls.
fn chance(rng: &mut Lcg, percent: usize) -> bool {
    rng.next(100) < percent
}

fn pick<'a, T>(rng: &mut Lcg, items: &'a [T]) -> &'a T {
    &items[rng.next(items.len())]
}

fn point(lat: f64, lon: f64) -> anyhow::Result<Point> {
    Point::new(lat, lon).ok_or_else(|| anyhow::anyhow!("coordinates {lat}, {lon} invalid"))
}

/// `km_north`, `km_east` from `at`.
fn moved(at: Point, km_north: f64, km_east: f64) -> anyhow::Result<Point> {
    let scale = domain::offers::geo::lon_scale(at.lat);
    point(
        at.lat + km_north / 111.195,
        at.lon + km_east / 111.195 / scale,
    )
}

/// The city's districts and postcodes; Beispielstadt's (demo) when it has no district, and
/// postcodes for the districts when it has none. How many of each were made.
async fn places(db: &store::Db) -> anyhow::Result<(Vec<Postcode>, usize, usize)> {
    let mut districts = db.districts().await?;
    let mut made = (0, 0);
    if districts.is_empty() {
        let centre = point(CENTRE.0, CENTRE.1)?;
        for (name, north, east) in DISTRICTS {
            db.save_district(None, name, moved(centre, north, east)?, true)
                .await?;
            made.0 += 1;
        }
        districts = db.districts().await?;
    }
    let mut postcodes = db.postcodes().await?;
    if postcodes.is_empty() {
        let mut rng = Lcg(11);
        let mut code = FIRST_POSTCODE;
        for d in &districts {
            for _ in 0..POSTCODES_PER_DISTRICT {
                let north = rng.next(1200) as f64 / 1000.0 - 0.6;
                let east = rng.next(1200) as f64 / 1000.0 - 0.6;
                let text = code.to_string();
                db.save_postcode(None, &text, Some(d.id), moved(d.centre, north, east)?, true)
                    .await?;
                made.1 += 1;
                code += 1;
            }
        }
        postcodes = db.postcodes().await?;
    }
    anyhow::ensure!(!postcodes.is_empty(), "the city has no postcodes");
    Ok((postcodes, made.0, made.1))
}

/// A date rule (or none: a single date) and the day it starts from.
fn schedule(rng: &mut Lcg, today: Date) -> anyhow::Result<Schedule> {
    // Weekdays mostly, Saturday now and then, Sunday seldom.
    let day = |rng: &mut Lcg| WEEKDAYS[[0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 5, 6][rng.next(13)]];
    let (d1, w1) = day(rng);
    let kind = rng.next(100);
    let rule = match kind {
        0..40 => Some(format!("FREQ=WEEKLY;BYDAY={d1}")),
        40..50 => {
            let (d2, w2) = day(rng);
            if w2 == w1 {
                Some(format!("FREQ=WEEKLY;BYDAY={d1}"))
            } else {
                Some(format!("FREQ=WEEKLY;BYDAY={d1},{d2}"))
            }
        }
        50..65 => Some(format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={d1}")),
        65..85 => {
            let nth = [1, 2, 3, 4, -1][rng.next(5)];
            Some(format!("FREQ=MONTHLY;BYDAY={nth}{d1}"))
        }
        _ => None,
    };
    let mut rule = rule
        .as_deref()
        .map(Rule::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("generated rule: {e}"))?;
    let offset = |days: usize| time::Duration::days(days as i64);
    let first = match &mut rule {
        Some(r) => {
            // Running for a while already; a fifth end within the year.
            let since = today - offset(rng.next(90));
            if chance(rng, 20) {
                r.until = Some(today + offset(60 + rng.next(300)));
            }
            first_match(r, since)?
        }
        None => today + offset(1 + rng.next(90)),
    };
    let hour = [9, 10, 10, 11, 14, 15, 15, 16, 16, 17, 18, 19][rng.next(12)];
    let minute = [0, 0, 30][rng.next(3)];
    let minutes = [60, 90, 90, 120, 120, 180][rng.next(6)];
    let starts = Time::from_hms(hour, minute, 0)?;
    let end = u32::from(hour) * 60 + u32::from(minute) + minutes;
    let ends = Time::from_hms((end / 60).min(23) as u8, (end % 60) as u8, 0)?;
    let except = if rule.is_some() && chance(rng, 10) {
        vec![today + offset(14 + rng.next(60))]
    } else {
        Vec::new()
    };
    let s = Schedule {
        first,
        starts,
        ends,
        rule,
        except,
    };
    s.check()
        .map_err(|p| anyhow::anyhow!("generated schedule invalid: {p:?}"))?;
    Ok(s)
}

/// One generated offer, owning what its [`OfferParts`] borrow.
struct Made {
    provider: i64,
    input: OfferInput,
    html: String,
    schedules: Vec<Schedule>,
    groups: Vec<i64>,
    measures: Vec<i64>,
    district: Option<i64>,
}

/// Generates `n` offers (see the module); `seed` makes another directory.
pub async fn generate(db: &store::Db, n: usize, seed: u64) -> anyhow::Result<Directory> {
    let mut dir = Directory::default();
    if n == 0 {
        return Ok(dir);
    }
    let now = time::OffsetDateTime::now_utc();
    let today = now
        .to_offset(domain::notifications::german_offset(now))
        .date();
    let (postcodes, d_made, p_made) = places(db).await?;
    dir.districts_created = d_made;
    dir.postcodes_created = p_made;
    let names: std::collections::HashMap<i64, String> = db
        .districts()
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let categories = db.offer_categories().await?;
    anyhow::ensure!(!categories.is_empty(), "the city has no offer categories");
    let groups: Vec<i64> = db
        .topic_choices()
        .await?
        .groups
        .iter()
        .map(|g| g.id)
        .collect();
    let measures: Vec<i64> = db
        .all_measures(&store::strategy::MeasureFilter::default())
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let mut rng = Lcg(seed);

    // Providers: each at home in a postcode of the city.
    let count = n.div_ceil(40).max(1);
    let mut providers = Vec::with_capacity(count);
    for i in 0..count {
        let home = pick(&mut rng, &postcodes).clone();
        let district = home.district_id.and_then(|d| names.get(&d)).cloned();
        let kind = KINDS[i % KINDS.len()];
        let name = format!(
            "{kind} {} {}",
            district.as_deref().unwrap_or("Beispielstadt"),
            i / KINDS.len() + 1
        );
        let input = ProviderInput {
            name,
            description: format!(
                "{kind} mit Angeboten zur digitalen Teilhabe. {}",
                pick(&mut rng, &PHRASES)
            ),
            email: format!("kontakt-{i}@anbieter.beispielstadt.invalid"),
            phone: String::new(),
            website: format!("https://anbieter-{i}.beispielstadt.invalid"),
            district_id: home.district_id,
        };
        input
            .check()
            .map_err(|e| anyhow::anyhow!("generated provider invalid: {e:?}"))?;
        let html = domain::text::markdown_to_safe_html(&input.description);
        let (id, _) = db.create_provider(None, &input, &html, true, true).await?;
        let street = format!("{} {}", pick(&mut rng, &STREETS), 1 + rng.next(80));
        let north = rng.next(600) as f64 / 1000.0 - 0.3;
        let east = rng.next(600) as f64 / 1000.0 - 0.3;
        let at = moved(home.centre, north, east)?;
        providers.push((id, kind, home, street, at));
    }
    dir.providers = providers.len();

    let mut chosen_page = None;
    let mut chosen_save = None;
    let mut start = 0;
    while start < n {
        let end = (start + CHUNK).min(n);
        let mut made = Vec::with_capacity(end - start);
        for i in start..end {
            let (provider, kind, home, street, own) = &providers[rng.next(providers.len())];
            let (topic, usual) = *pick(&mut rng, &TOPICS);
            let audience = *pick(&mut rng, &AUDIENCES);
            let category = match categories.iter().find(|c| c.slug == usual) {
                Some(c) if !chance(&mut rng, 25) => c,
                _ => pick(&mut rng, &categories),
            };
            let attendance = match rng.next(100) {
                0..78 => Attendance::InPerson,
                78..88 => Attendance::Online,
                _ => Attendance::Mixed,
            };
            // Mostly at the provider's own place, now and then elsewhere in the city.
            let (place, at) = if attendance == Attendance::Online {
                (None, None)
            } else if chance(&mut rng, 80) {
                (Some(home.clone()), Some(*own))
            } else {
                let other = pick(&mut rng, &postcodes).clone();
                let north = rng.next(800) as f64 / 1000.0 - 0.4;
                let east = rng.next(800) as f64 / 1000.0 - 0.4;
                let at = moved(other.centre, north, east)?;
                (Some(other), Some(at))
            };
            let (age_min, age_max) = if chance(&mut rng, 20) {
                *pick(
                    &mut rng,
                    &[
                        (Some(3), Some(6)),
                        (Some(6), Some(10)),
                        (Some(10), Some(14)),
                        (Some(12), Some(18)),
                        (Some(14), Some(27)),
                        (Some(18), None),
                        (Some(60), None),
                    ],
                )
            } else {
                (None, None)
            };
            let mut accessibility = Accessibility::default();
            if chance(&mut rng, 40) {
                accessibility.step_free = chance(&mut rng, 85);
                accessibility.hearing_loop = chance(&mut rng, 25);
                accessibility.sign_language = chance(&mut rng, 10);
                accessibility.easy_language = chance(&mut rng, 30) || !accessibility.step_free;
            }
            let mut languages = vec!["de".to_string()];
            if chance(&mut rng, 25) {
                languages.push(pick(&mut rng, &OTHER_LANGUAGES).to_string());
                if chance(&mut rng, 20) {
                    let other = pick(&mut rng, &OTHER_LANGUAGES).to_string();
                    if !languages.contains(&other) {
                        languages.push(other);
                    }
                }
            }
            let free = chance(&mut rng, 70);
            let state = match rng.next(100) {
                0..3 => OfferState::Draft,
                3..4 => OfferState::Archived,
                _ => OfferState::Published,
            };
            let description = format!(
                "{topic} {audience}. {} {}\n\nEin Angebot der {kind} ({}).",
                pick(&mut rng, &PHRASES),
                pick(&mut rng, &PHRASES),
                i + 1
            );
            let input = OfferInput {
                title: format!("{topic} {audience}"),
                description,
                category_id: category.id,
                age_min,
                age_max,
                attendance,
                place_name: if at.is_some() {
                    kind.to_string()
                } else {
                    String::new()
                },
                street: if at.is_some() {
                    street.clone()
                } else {
                    String::new()
                },
                postcode: place.as_ref().map(|p| p.code.clone()).unwrap_or_default(),
                point: at,
                online_url: if attendance == Attendance::InPerson {
                    String::new()
                } else {
                    format!("https://treffen.beispielstadt.invalid/angebot-{}", i + 1)
                },
                capacity: chance(&mut rng, 50).then(|| 8 + rng.next(23) as i64),
                cost_cents: (!free).then(|| 200 + 50 * rng.next(76) as i64),
                cost_note: if free || !chance(&mut rng, 40) {
                    String::new()
                } else {
                    "Ermäßigung mit Sozialpass".into()
                },
                access: if chance(&mut rng, 70) {
                    Access::DropIn
                } else {
                    Access::Request
                },
                accessibility,
                languages,
                state,
            };
            let mut input = input;
            if i == 0 {
                input.access = Access::Request;
                input.capacity = Some(100);
                input.state = OfferState::Published;
            }
            input
                .check()
                .map_err(|e| anyhow::anyhow!("generated offer {i} invalid: {e:?}"))?;
            let count = if chance(&mut rng, 15) { 2 } else { 1 };
            let schedules = (0..count.min(SCHEDULES_MAX))
                .map(|_| schedule(&mut rng, today))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let groups = if !groups.is_empty() && chance(&mut rng, 30) {
                vec![*pick(&mut rng, &groups)]
            } else {
                Vec::new()
            };
            let measures = if !measures.is_empty() && chance(&mut rng, 5) {
                vec![*pick(&mut rng, &measures)]
            } else {
                Vec::new()
            };
            made.push(Made {
                provider: *provider,
                html: domain::text::markdown_to_safe_html(&input.description),
                district: place.and_then(|p| p.district_id),
                input,
                schedules,
                groups,
                measures,
            });
        }
        let batch: Vec<(i64, OfferInput, OfferParts<'_>)> = made
            .iter()
            .map(|m| {
                (
                    m.provider,
                    m.input.clone(),
                    OfferParts {
                        description_html: &m.html,
                        schedules: &m.schedules,
                        groups: &m.groups,
                        measures: &m.measures,
                        district_id: m.district,
                    },
                )
            })
            .collect();
        let created = db.create_offers_bulk(&batch, true).await?;
        if start == 0
            && let Some((_, slug)) = created.first()
        {
            dir.requested_offer = slug.clone();
        }
        for (m, (id, slug)) in made.iter().zip(&created) {
            let typical = m.input.state == OfferState::Published
                && m.input.attendance == Attendance::InPerson;
            if typical && chosen_page.is_none() {
                chosen_page = Some(slug.clone());
            } else if typical && chosen_save.is_none() {
                chosen_save = Some((m.provider, *id));
            }
        }
        start = end;
    }
    dir.offers = n;
    dir.offer_slug = chosen_page.unwrap_or_default();
    dir.saved_offer = chosen_save.unwrap_or_default();
    dir.postcodes = postcodes.iter().map(|p| p.code.clone()).collect();
    dir.categories = categories.iter().map(|c| c.slug.clone()).collect();
    dir.postcode = dir.postcodes[0].clone();
    dir.category = categories
        .iter()
        .find(|c| c.slug == "pc-hilfe")
        .unwrap_or(&categories[0])
        .slug
        .clone();
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::offers::search::OfferFilter;

    #[tokio::test]
    async fn a_generated_directory_is_the_same_each_time_and_searchable() {
        let mut runs = Vec::new();
        for _ in 0..2 {
            let db = store::testing::sqlite().await;
            let dir = generate(&db, 400, 7).await.unwrap();
            assert_eq!((dir.offers, dir.providers), (400, 10));
            assert_eq!((dir.districts_created, dir.postcodes_created), (10, 30));
            assert_eq!(dir.postcode, "36251");
            assert_eq!(dir.category, "pc-hilfe");
            let now = time::OffsetDateTime::now_utc();
            let today = now
                .to_offset(domain::notifications::german_offset(now))
                .date();
            let centre = db.postcode(&dir.postcode).await.unwrap().unwrap().centre;
            let all = db
                .public_offers(today, &OfferFilter::default(), 1, 500)
                .await
                .unwrap();
            // About 96 % published, of approved providers.
            assert!((370..=395).contains(&all.1), "{}", all.1);
            let free = all
                .0
                .iter()
                .filter(|f| f.offer.input.cost_cents.is_none())
                .count();
            let online = all
                .0
                .iter()
                .filter(|f| f.offer.input.point.is_none())
                .count();
            let aged = all
                .0
                .iter()
                .filter(|f| f.offer.input.age_min.is_some())
                .count();
            let access = all
                .0
                .iter()
                .filter(|f| f.offer.input.accessibility != Accessibility::default())
                .count();
            let total = all.1 as usize;
            for (what, n, low, high) in [
                ("free", free, 60, 80),
                ("online", online, 5, 16),
                ("ages", aged, 12, 28),
                ("accessibility", access, 30, 50),
            ] {
                let share = 100 * n / total;
                assert!((low..=high).contains(&share), "{what}: {share} %");
            }
            let page = db.public_offer(&dir.offer_slug).await.unwrap().unwrap();
            assert!(page.input.point.is_some());
            let rush = db
                .public_offer(&dir.requested_offer)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (rush.input.access, rush.input.capacity),
                (Access::Request, Some(100))
            );
            let (provider, id) = dir.saved_offer;
            assert_eq!(
                db.offer_by_id(id).await.unwrap().unwrap().provider_id,
                provider
            );
            // Words find a part, and the list row's search finds some near the centre.
            let words = OfferFilter {
                terms: domain::text::search_terms("Smartphone"),
                ..OfferFilter::default()
            };
            let found = db.public_offers(today, &words, 1, 10).await.unwrap().1;
            assert!(found > 0 && found < all.1 / 2, "{found}");
            let category = db
                .offer_categories()
                .await
                .unwrap()
                .into_iter()
                .find(|c| c.slug == dir.category)
                .unwrap();
            let row = OfferFilter {
                category: Some(category.id),
                free: true,
                near: Some(store::offers::search::Near {
                    origin: centre,
                    radius_m: None,
                }),
                ..OfferFilter::default()
            };
            let (near, n) = db.public_offers(today, &row, 1, 20).await.unwrap();
            assert!(n > 10, "{n}");
            runs.push((
                near.iter()
                    .map(|f| f.offer.slug.clone())
                    .collect::<Vec<_>>(),
                dir,
            ));
        }
        assert_eq!(runs[0], runs[1], "the same seed gives the same directory");
    }
}
