//! Offers: providers approved before anything of theirs is public; offers with schedules,
//! languages, target groups and measures; the public list with its filters and distances, the
//! same on both engines; the city's districts and postcodes. On both engines.

use super::*;
use domain::accounts::Role;
use domain::offers::geo::Point;
use domain::offers::recurrence::{Rule, Schedule};
use domain::offers::{
    Access, Accessibility, Attendance, DayTime, OfferInput, OfferState, ProviderInput,
    ProviderState, weekday_bit,
};
use store::offers::OfferParts;
use store::offers::search::{Near, OfferFilter};
use time::macros::{date, time};

/// The city centre of the tests and two places: 1 km north and 5 km east of it.
const CENTRE: (f64, f64) = (50.93, 10.10);

pub(super) fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Wir helfen bei Fragen rund um Computer und Smartphone.".into(),
        email: "kontakt@teststadt.example".into(),
        phone: String::new(),
        website: "https://teststadt.example".into(),
        district_id: None,
    }
}

pub(super) fn offer(title: &str, category: i64, at: Option<Point>) -> OfferInput {
    OfferInput {
        title: title.into(),
        description: "Hilfe am eigenen Gerät, ohne Anmeldung.".into(),
        category_id: category,
        age_min: None,
        age_max: None,
        attendance: if at.is_some() {
            Attendance::InPerson
        } else {
            Attendance::Online
        },
        place_name: if at.is_some() {
            "Stadtteilzentrum".into()
        } else {
            String::new()
        },
        street: String::new(),
        postcode: String::new(),
        point: at,
        online_url: if at.is_some() {
            String::new()
        } else {
            "https://meet.teststadt.example/a".into()
        },
        capacity: Some(12),
        cost_cents: None,
        cost_note: String::new(),
        access: Access::DropIn,
        accessibility: Accessibility::default(),
        languages: vec!["de".into()],
        state: OfferState::Published,
    }
}

/// Tuesdays 14:00–16:00 from 6 January 2026.
pub(super) fn tuesdays() -> Schedule {
    Schedule {
        first: date!(2026 - 01 - 06),
        starts: time!(14:00),
        ends: time!(16:00),
        rule: Some(Rule::parse("FREQ=WEEKLY;BYDAY=TU").unwrap()),
        except: vec![date!(2026 - 12 - 29)],
    }
}

fn north(km: f64) -> Point {
    Point::new(CENTRE.0 + km / 111.195, CENTRE.1).unwrap()
}

fn east(km: f64) -> Point {
    let scale = domain::offers::geo::lon_scale(CENTRE.0);
    Point::new(CENTRE.0, CENTRE.1 + km / 111.195 / scale).unwrap()
}

fn titles(found: &[store::offers::search::Found]) -> Vec<&str> {
    found.iter().map(|f| f.offer.input.title.as_str()).collect()
}

db_test!(
    a_providers_offers_are_public_only_once_an_admin_approved_it,
    |db| async move {
        let person = db
            .create_user("bib@teststadt.example", "Bibliothek", &[Role::Citizen])
            .await
            .unwrap();
        let admin = db
            .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let cats = db.offer_categories().await.unwrap();
        assert_eq!(cats.len(), 7, "the migration presets the city's categories");
        let (pid, slug) = db
            .create_provider(Some(person), &provider("Stadtbibliothek"), "", false, false)
            .await
            .unwrap();
        assert_eq!(slug, "stadtbibliothek");
        let (oid, oslug) = db
            .create_offer(
                Some(person),
                pid,
                &offer("IT-Café", cats[1].id, Some(north(1.0))),
                &OfferParts::default(),
                false,
            )
            .await
            .unwrap();
        // Pending: the offer is published, but nothing of the provider is public.
        assert!(db.public_offer(&oslug).await.unwrap().is_none());
        assert!(db.public_provider(&slug).await.unwrap().is_none());
        let today = date!(2026 - 12 - 01);
        assert_eq!(
            db.public_offers(today, &OfferFilter::default(), 1, 20)
                .await
                .unwrap()
                .1,
            0
        );
        assert!(!db.roles_of(person).await.unwrap().contains(&Role::Provider));
        assert!(db.manages_provider(person, pid).await.unwrap());
        let (pending, n) = db
            .providers_in(Some(ProviderState::Pending), 1, 20)
            .await
            .unwrap();
        assert_eq!((pending[0].id, n), (pid, 1));
        // Approved: public, and its person holds the provider role.
        assert!(db.decide_provider(admin, pid, true, "").await.unwrap());
        assert!(db.roles_of(person).await.unwrap().contains(&Role::Provider));
        let public = db.public_offer(&oslug).await.unwrap().unwrap();
        assert_eq!(
            (public.id, public.provider_name.as_str()),
            (oid, "Stadtbibliothek")
        );
        assert_eq!(db.public_provider(&slug).await.unwrap().unwrap().offers, 1);
        // Declined later: gone from the public again, with the reason kept.
        assert!(
            db.decide_provider(admin, pid, false, "Kein Angebot in der Stadt")
                .await
                .unwrap()
        );
        assert!(db.public_offer(&oslug).await.unwrap().is_none());
        let p = db.provider_by_id(pid).await.unwrap().unwrap();
        assert_eq!(
            (p.state, p.decline_reason.as_str()),
            (ProviderState::Declined, "Kein Angebot in der Stadt")
        );
        assert!(!db.decide_provider(admin, 999, true, "").await.unwrap());
        // A draft is not public either, even of an approved provider.
        db.decide_provider(admin, pid, true, "").await.unwrap();
        let mut draft = offer("Entwurf", cats[1].id, None);
        draft.state = OfferState::Draft;
        let (_, dslug) = db
            .create_offer(Some(person), pid, &draft, &OfferParts::default(), false)
            .await
            .unwrap();
        assert!(db.public_offer(&dslug).await.unwrap().is_none());
        assert_eq!(db.provider_offers(pid, true, 1, 20).await.unwrap().1, 2);
        assert_eq!(db.provider_offers(pid, false, 1, 20).await.unwrap().1, 1);
        // Another provider cannot save this provider's offer.
        let (other, _) = db
            .create_provider(Some(admin), &provider("Volkshochschule"), "", true, false)
            .await
            .unwrap();
        assert!(
            !db.update_offer(
                admin,
                other,
                oid,
                &offer("Gekapert", cats[1].id, None),
                &OfferParts::default()
            )
            .await
            .unwrap()
        );
        assert_eq!(
            db.offer_by_id(oid).await.unwrap().unwrap().input.title,
            "IT-Café"
        );
    }
);

db_test!(
    an_offer_keeps_its_schedules_languages_groups_and_measures,
    |db| async move {
        load(&db, FIXTURE.as_bytes()).await;
        let admin = db
            .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let cats = db.offer_categories().await.unwrap();
        let (pid, _) = db
            .create_provider(None, &provider("Seniorenbüro"), "", true, false)
            .await
            .unwrap();
        let groups = db.topic_choices().await.unwrap().groups;
        let seniors = groups
            .iter()
            .find(|g| g.name == "Seniorinnen und Senioren")
            .unwrap()
            .id;
        let measure = db
            .measure_id_by_slug("pc-treffs-fuer-seniorinnen-und-senioren")
            .await
            .unwrap();
        let measures: Vec<i64> = vec![measure.expect("the fixture's measure")];
        let mut o = offer("PC-Treff Nordstadt", cats[1].id, Some(north(1.0)));
        o.languages = vec!["de".into(), "tr".into()];
        o.accessibility.hearing_loop = true;
        o.age_min = Some(60);
        let schedules = [tuesdays()];
        let parts = OfferParts {
            description_html: "<p>Hilfe</p>",
            schedules: &schedules,
            groups: &[seniors],
            measures: &measures,
            district_id: None,
        };
        let (id, slug) = db.create_offer(None, pid, &o, &parts, false).await.unwrap();
        let stored = db.offer_by_id(id).await.unwrap().unwrap();
        assert_eq!(stored.input, o);
        assert_eq!(stored.schedules, schedules);
        assert_eq!(stored.description_html, "<p>Hilfe</p>");
        let links = db.offer_links(id).await.unwrap();
        assert_eq!(
            links
                .groups
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>(),
            ["Seniorinnen und Senioren"]
        );
        assert_eq!(
            links.measures.iter().map(|m| m.0).collect::<Vec<_>>(),
            measures
        );
        assert_eq!(
            db.offers_of_measure(measures[0], 10).await.unwrap(),
            [(slug.clone(), "PC-Treff Nordstadt".to_string())]
        );
        // Saving replaces every part.
        o.languages = vec!["de".into()];
        let parts = OfferParts {
            schedules: &[],
            groups: &[],
            measures: &[],
            ..parts
        };
        assert!(db.update_offer(admin, pid, id, &o, &parts).await.unwrap());
        let stored = db.offer_by_id(id).await.unwrap().unwrap();
        assert_eq!(
            (stored.input.languages.len(), stored.schedules.len()),
            (1, 0)
        );
        assert_eq!(
            db.offer_links(id).await.unwrap(),
            store::offers::Links::default()
        );
        // The links of several offers in one query, as offer_links gives them one by one.
        let mut o2 = o.clone();
        o2.title = "PC-Treff Südviertel".into();
        let parts2 = OfferParts {
            groups: &[seniors],
            measures: &measures,
            ..parts
        };
        let (id2, _) = db
            .create_offer(None, pid, &o2, &parts2, false)
            .await
            .unwrap();
        let all = db.offers_links(&[id, id2]).await.unwrap();
        assert_eq!(all.get(&id2), Some(&db.offer_links(id2).await.unwrap()));
        assert_eq!(
            all.get(&id2).map(|l| (l.groups.len(), l.measures.len())),
            Some((1, 1))
        );
        assert!(!all.contains_key(&id), "an offer without links has none");
    }
);

db_test!(
    the_list_filters_and_sorts_by_distance_the_same_on_both_engines,
    |db| async move {
        let cats = db.offer_categories().await.unwrap();
        let (pid, _) = db
            .create_provider(None, &provider("Nachbarschaftszentrum"), "", true, false)
            .await
            .unwrap();
        let today = date!(2026 - 12 - 01);
        let add = |title: &'static str,
                   at: Option<Point>,
                   f: &'static dyn Fn(&mut OfferInput),
                   s: Vec<Schedule>| {
            let db = db.clone();
            // "Digitale Bildung": the words of the category are the offer's words too.
            let mut o = offer(title, cats[0].id, at);
            f(&mut o);
            async move {
                let parts = OfferParts {
                    schedules: &s,
                    ..OfferParts::default()
                };
                db.create_offer(None, pid, &o, &parts, false).await.unwrap();
            }
        };
        let evening = Schedule {
            starts: time!(18:00),
            ends: time!(20:00),
            rule: Some(Rule::parse("FREQ=WEEKLY;BYDAY=TH").unwrap()),
            ..tuesdays()
        };
        let past = Schedule {
            first: date!(2025 - 03 - 04),
            rule: None,
            except: vec![],
            ..tuesdays()
        };
        add(
            "Smartphone-Sprechstunde",
            Some(north(1.0)),
            &|_| {},
            vec![tuesdays()],
        )
        .await;
        add(
            "Tablet-Kurs am Abend",
            Some(east(5.0)),
            &|o| {
                o.cost_cents = Some(500);
                o.cost_note = "Material".into();
            },
            vec![evening],
        )
        .await;
        add(
            "Online-Sprechstunde",
            None,
            &|o| {
                o.languages = vec!["de".into(), "uk".into()];
            },
            vec![past],
        )
        .await;
        add(
            "Gaming für Eltern",
            Some(north(0.2)),
            &|o| {
                o.age_min = Some(18);
                o.accessibility.step_free = true;
            },
            vec![],
        )
        .await;
        add(
            "Medienkiste für Kitas",
            Some(east(2.0)),
            &|o| {
                o.age_min = Some(3);
                o.age_max = Some(6);
            },
            vec![],
        )
        .await;
        let list = |f: OfferFilter| {
            let db = db.clone();
            async move { db.public_offers(today, &f, 1, 20).await.unwrap() }
        };
        let (all, n) = list(OfferFilter::default()).await;
        assert_eq!(n, 5);
        assert_eq!(
            titles(&all),
            [
                "Gaming für Eltern",
                "Medienkiste für Kitas",
                "Online-Sprechstunde",
                "Smartphone-Sprechstunde",
                "Tablet-Kurs am Abend"
            ]
        );
        // Nearest first, online-only last, with distances in metres.
        let centre = Point::new(CENTRE.0, CENTRE.1).unwrap();
        let (near, _) = list(OfferFilter {
            near: Some(Near {
                origin: centre,
                radius_m: None,
            }),
            ..OfferFilter::default()
        })
        .await;
        assert_eq!(
            titles(&near),
            [
                "Gaming für Eltern",
                "Smartphone-Sprechstunde",
                "Medienkiste für Kitas",
                "Tablet-Kurs am Abend",
                "Online-Sprechstunde"
            ]
        );
        let d: Vec<i64> = near
            .iter()
            .filter_map(|f| f.distance_m)
            .map(|m| (m / 100.0).round() as i64)
            .collect();
        assert_eq!(d, [2, 10, 20, 50]);
        // Within 3 km: the two far ones and the online one drop out.
        let (within, n) = list(OfferFilter {
            near: Some(Near {
                origin: centre,
                radius_m: Some(3000.0),
            }),
            ..OfferFilter::default()
        })
        .await;
        assert_eq!(
            (titles(&within), n),
            (
                vec![
                    "Gaming für Eltern",
                    "Smartphone-Sprechstunde",
                    "Medienkiste für Kitas"
                ],
                3
            )
        );
        // Day, time, cost, age, online, accessibility, language and words.
        let tue = weekday_bit(time::Weekday::Tuesday);
        assert_eq!(
            titles(
                &list(OfferFilter {
                    days: tue,
                    ..OfferFilter::default()
                })
                .await
                .0
            ),
            ["Smartphone-Sprechstunde"],
            "the past Tuesday of the online offer is over"
        );
        assert_eq!(
            titles(
                &list(OfferFilter {
                    time: Some(DayTime::Evening),
                    ..OfferFilter::default()
                })
                .await
                .0
            ),
            ["Tablet-Kurs am Abend"]
        );
        assert_eq!(
            list(OfferFilter {
                free: true,
                ..OfferFilter::default()
            })
            .await
            .1,
            4
        );
        assert_eq!(
            titles(
                &list(OfferFilter {
                    age: Some(5),
                    ..OfferFilter::default()
                })
                .await
                .0
            ),
            [
                "Medienkiste für Kitas",
                "Online-Sprechstunde",
                "Smartphone-Sprechstunde",
                "Tablet-Kurs am Abend"
            ]
        );
        assert_eq!(
            titles(
                &list(OfferFilter {
                    online: true,
                    ..OfferFilter::default()
                })
                .await
                .0
            ),
            ["Online-Sprechstunde"]
        );
        let step_free = Accessibility {
            step_free: true,
            ..Accessibility::default()
        };
        assert_eq!(
            titles(
                &list(OfferFilter {
                    accessibility: step_free,
                    ..OfferFilter::default()
                })
                .await
                .0
            ),
            ["Gaming für Eltern"]
        );
        assert_eq!(
            titles(
                &list(OfferFilter {
                    language: Some("uk".into()),
                    ..OfferFilter::default()
                })
                .await
                .0
            ),
            ["Online-Sprechstunde"]
        );
        // The counts of the filters on dates and languages (read from their tables' indexes)
        // agree with the lists.
        for f in [
            OfferFilter {
                days: tue,
                ..OfferFilter::default()
            },
            OfferFilter {
                days: tue,
                time: Some(DayTime::Afternoon),
                ..OfferFilter::default()
            },
            OfferFilter {
                time: Some(DayTime::Evening),
                ..OfferFilter::default()
            },
            OfferFilter {
                language: Some("de".into()),
                ..OfferFilter::default()
            },
        ] {
            let (found, n) = list(f.clone()).await;
            assert_eq!(n, found.len() as i64, "{f:?}");
        }
        let words = domain::text::search_terms("Sprechstunden");
        let (found, n) = list(OfferFilter {
            terms: words.clone(),
            ..OfferFilter::default()
        })
        .await;
        assert_eq!(n, 2, "{words:?} found {:?}", titles(&found));
        let mut t = titles(&found);
        t.sort();
        assert_eq!(t, ["Online-Sprechstunde", "Smartphone-Sprechstunde"]);
        // Words, a point and two filters together; the second page.
        let f = OfferFilter {
            terms: words,
            free: true,
            days: tue,
            near: Some(Near {
                origin: centre,
                radius_m: Some(2000.0),
            }),
            ..OfferFilter::default()
        };
        assert_eq!(titles(&list(f).await.0), ["Smartphone-Sprechstunde"]);
        let (second, n) = db
            .public_offers(today, &OfferFilter::default(), 2, 2)
            .await
            .unwrap();
        assert_eq!(
            (titles(&second), n),
            (vec!["Online-Sprechstunde", "Smartphone-Sprechstunde"], 5)
        );
        // The export's chunks: each after the last id of the one before, together the list.
        for f in [
            OfferFilter::default(),
            OfferFilter {
                free: true,
                ..OfferFilter::default()
            },
        ] {
            let (all, n) = db.public_offers(today, &f, 1, 100).await.unwrap();
            let mut chunked = Vec::new();
            let mut after = 0;
            loop {
                let chunk = db.public_offers_after(today, &f, after, 2).await.unwrap();
                assert!(chunk.len() <= 2);
                let Some(last) = chunk.last() else { break };
                after = last.id;
                chunked.extend(chunk.into_iter().map(|o| o.id));
            }
            let mut ids: Vec<i64> = all.iter().map(|x| x.offer.id).collect();
            ids.sort_unstable();
            assert_eq!((chunked, n), (ids, all.len() as i64));
        }
    }
);

db_test!(
    renaming_a_provider_finds_its_offers_by_the_new_name,
    |db| async move {
        let admin = db
            .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let cats = db.offer_categories().await.unwrap();
        let (pid, _) = db
            .create_provider(None, &provider("Medienwerkstatt"), "", true, false)
            .await
            .unwrap();
        db.create_offer(
            None,
            pid,
            &offer("Trickfilm-Kurs", cats[3].id, None),
            &OfferParts::default(),
            false,
        )
        .await
        .unwrap();
        let by = |w: &str| OfferFilter {
            terms: domain::text::search_terms(w),
            ..OfferFilter::default()
        };
        let today = date!(2026 - 12 - 01);
        assert_eq!(
            db.public_offers(today, &by("Medienwerkstatt"), 1, 10)
                .await
                .unwrap()
                .1,
            1
        );
        assert!(
            db.update_provider(admin, pid, &provider("Filmclub Musterstadt"), "")
                .await
                .unwrap()
        );
        assert_eq!(
            db.public_offers(today, &by("Medienwerkstatt"), 1, 10)
                .await
                .unwrap()
                .1,
            0
        );
        assert_eq!(
            db.public_offers(today, &by("Filmclub"), 1, 10)
                .await
                .unwrap()
                .1,
            1
        );
    }
);

db_test!(
    the_city_keeps_districts_postcodes_and_categories,
    |db| async move {
        let admin = db
            .create_user("admin@teststadt.example", "Admin", &[Role::Admin])
            .await
            .unwrap();
        let nord = db
            .save_district(Some(admin), "Nordstadt", north(1.5), false)
            .await
            .unwrap();
        // Saving the same name again moves its centre, it does not add one.
        assert_eq!(
            db.save_district(Some(admin), "Nordstadt", north(1.0), false)
                .await
                .unwrap(),
            nord
        );
        let districts = db.districts().await.unwrap();
        assert_eq!(
            (
                districts.len(),
                districts[0].slug.as_str(),
                districts[0].centre
            ),
            (1, "nordstadt", north(1.0))
        );
        db.save_postcode(Some(admin), "36251", Some(nord), north(1.1), false)
            .await
            .unwrap();
        db.save_postcode(Some(admin), "36252", Some(999), east(1.0), false)
            .await
            .unwrap();
        let p = db.postcode("36251").await.unwrap().unwrap();
        assert_eq!((p.district_id, p.centre), (Some(nord), north(1.1)));
        assert_eq!(
            db.postcode("36252").await.unwrap().unwrap().district_id,
            None,
            "an unknown district is none"
        );
        assert!(db.postcode("99999").await.unwrap().is_none());
        assert!(db.remove_district(admin, nord).await.unwrap());
        assert_eq!(
            db.postcode("36251").await.unwrap().unwrap().district_id,
            None
        );
        assert!(db.remove_postcode(admin, "36251").await.unwrap());
        assert!(!db.remove_postcode(admin, "36251").await.unwrap());
        assert_eq!(db.postcodes().await.unwrap().len(), 1);
        let id = db
            .add_offer_category(admin, "Digitale Sprechstunde")
            .await
            .unwrap()
            .unwrap();
        assert!(
            db.add_offer_category(admin, "Digitale Sprechstunde")
                .await
                .unwrap()
                .is_none(),
            "names are unique"
        );
        assert!(
            db.rename_offer_category(admin, id, "Digital-Sprechstunde")
                .await
                .unwrap()
        );
        assert!(
            !db.rename_offer_category(admin, id, "Ehrenamt")
                .await
                .unwrap(),
            "a taken name"
        );
        let cats = db.offer_categories().await.unwrap();
        assert_eq!(
            cats.last().map(|c| (c.slug.as_str(), c.name.as_str())),
            Some(("digitale-sprechstunde", "Digital-Sprechstunde"))
        );
    }
);
