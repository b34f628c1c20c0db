//! Requests for offers: a Kita (a guest) asks for a date of a media-education offer, confirms
//! its address by the link (a button), the provider is told and accepts; both sides get mails.
//! A signed-in person asks with one click and withdraws; the provider proposes another day and
//! the person accepts it. Bad input — a group over the places left, a past day, the same day
//! twice, an unknown date, a forged token, another provider's request — gets a clear answer
//! and changes nothing.

use super::accounts::{cookie_of, csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::offers::recurrence::{Rule, Schedule};
use domain::offers::requests::RequestState;
use domain::offers::{Access, Accessibility, Attendance, OfferInput, OfferState, ProviderInput};
use store::mail::QueuedMail;
use store::offers::OfferParts;
use time::macros::time;
use time::{Duration, OffsetDateTime};

/// Every mail queued so far (each is taken once).
pub(super) async fn mails(db: &Db) -> Vec<QueuedMail> {
    let now = OffsetDateTime::now_utc() + Duration::seconds(1);
    db.claim_mail("test", now, now + Duration::minutes(5), 500)
        .await
        .unwrap()
}

/// The request link of a mail, as a path.
fn link_of(m: &QueuedMail) -> String {
    m.bodies(|s| s.to_string())
        .0
        .lines()
        .find(|l| l.starts_with("https://radar.example/anfrage?token="))
        .unwrap_or_else(|| panic!("no link in {}", m.body_text))
        .trim_start_matches("https://radar.example")
        .to_string()
}

fn token_of(link: &str) -> &str {
    link.rsplit_once("token=").unwrap().1
}

fn provider(name: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        description: "Medienbildung für Kitas.".into(),
        email: "kontakt@medien.example".into(),
        phone: String::new(),
        website: String::new(),
        district_id: None,
    }
}

/// Every Tuesday 09:00–11:00 from next Tuesday.
fn tuesdays() -> Schedule {
    let mut first = today_in_germany() + Duration::days(1);
    while first.weekday() != time::Weekday::Tuesday {
        first = first.next_day().unwrap();
    }
    Schedule {
        first,
        starts: time!(09:00),
        ends: time!(11:00),
        rule: Some(Rule::parse("FREQ=WEEKLY;BYDAY=TU").unwrap()),
        except: Vec::new(),
    }
}

pub(super) struct Setup {
    pub(super) provider_id: i64,
    slug: String,
    /// The provider's person, signed in.
    pub(super) staff: String,
    first: time::Date,
}

/// An approved provider whose person is signed in, with a published offer that takes
/// requests: Tuesdays, 20 places a date.
pub(super) async fn setup(app: &axum::Router, db: &Db, name: &str, email: &str) -> Setup {
    let staff = signed_in(app, db, email, &[Role::Citizen]).await;
    let person = db.user_by_email(email).await.unwrap().unwrap().id;
    let admin = db
        .create_user(&format!("admin-{email}"), "Admin", &[Role::Admin])
        .await
        .unwrap();
    let (pid, _) = db
        .create_provider(Some(person), &provider(name), "", false, false)
        .await
        .unwrap();
    assert!(db.decide_provider(admin, pid, true, "").await.unwrap());
    let cats = db.offer_categories().await.unwrap();
    let offer = OfferInput {
        title: format!("Trickfilm-Werkstatt ({name})"),
        description: "Kinder drehen ihren ersten Trickfilm.".into(),
        category_id: cats[4].id,
        age_min: Some(4),
        age_max: Some(6),
        attendance: Attendance::InPerson,
        place_name: "Medienwerkstatt".into(),
        street: String::new(),
        postcode: String::new(),
        point: None,
        online_url: String::new(),
        capacity: Some(20),
        cost_cents: None,
        cost_note: String::new(),
        access: Access::Request,
        accessibility: Accessibility::default(),
        languages: vec!["de".into()],
        state: OfferState::Published,
    };
    let schedules = [tuesdays()];
    let parts = OfferParts {
        schedules: &schedules,
        ..OfferParts::default()
    };
    let (_, slug) = db
        .create_offer(Some(person), pid, &offer, &parts, false)
        .await
        .unwrap();
    // The session read before approval had no provider role: sign in again.
    let staff = {
        let r = post(
            app,
            "/anmelden",
            &format!(
                "email={}&password={}",
                email.replace('@', "%40"),
                super::accounts::PW
            ),
            None,
        )
        .await;
        if r.status == StatusCode::SEE_OTHER {
            cookie_of(&r)
        } else {
            staff
        }
    };
    Setup {
        provider_id: pid,
        slug,
        staff,
        first: schedules[0].first,
    }
}

/// The guest form of offer `slug` with `changes`, sent.
async fn ask(
    app: &axum::Router,
    slug: &str,
    changes: &[(&str, &str)],
    cookie: Option<&str>,
) -> Res {
    let page = format!("/angebote/{slug}/anfragen");
    let html = match cookie {
        Some(c) => get_with(app, &page, &[("cookie", c)]).await.body,
        None => get(app, &page).await.body,
    };
    let body = with_fields(&form_of(&html, &page), changes);
    post(app, &page, &body, cookie).await
}

db_test!(
    a_kita_asks_confirms_and_the_provider_accepts,
    |db| async move {
        let app = app(&db).await;
        let s = setup(&app, &db, "Medienwerkstatt", "team@medien.example").await;
        let offer_page = get(&app, &format!("/angebote/{}", s.slug)).await;
        assert!(
            offer_page
                .body
                .contains(&format!("href=\"/angebote/{}/anfragen\"", s.slug))
        );
        let form = get(&app, &format!("/angebote/{}/anfragen", s.slug)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.headers[header::CACHE_CONTROL], "no-store");
        assert!(form.body.contains("noch 20 Plätze frei"), "{}", form.body);
        let date = format!("{} 09:00", s.first);
        let r = ask(
            &app,
            &s.slug,
            &[
                ("date", &date),
                ("name", "Frau Sommer"),
                ("email", "Leitung@Kita-Sonnenblume.example"),
                ("institution", "Kita Sonnenblume"),
                ("group_size", "12"),
                ("ages", "4 bis 6 Jahre"),
                ("message", "Wir bringen zwei Erzieherinnen mit."),
            ],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("Bitte bestätigen Sie Ihre Anfrage"),
            "{}",
            r.body
        );
        let m = mails(&db).await;
        assert_eq!(m.len(), 1, "only the Kita is written to before it confirms");
        assert_eq!(m[0].to_address, "leitung@kita-sonnenblume.example");
        assert!(!m[0].body_text.contains("token="), "the link is kept apart");
        let link = link_of(&m[0]);
        // Following the link (as a mail scanner does) confirms nothing; the places are not held.
        let page = get(&app, &link).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.headers[header::REFERRER_POLICY], "no-referrer");
        assert!(page.body.contains("data-state=\"unconfirmed\""));
        assert!(
            get(&app, &format!("/angebote/{}/anfragen", s.slug))
                .await
                .body
                .contains("noch 20 Plätze frei")
        );
        // A forged token is a clear 400 and changes nothing.
        let id: i64 = token_of(&link).split('.').next().unwrap().parse().unwrap();
        let forged = post(
            &app,
            "/anfrage/bestaetigen",
            &format!("token={id}.0000"),
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST, "{}", forged.body);
        let r = post(
            &app,
            "/anfrage/bestaetigen",
            &format!("token={}", token_of(&link)),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let again = post(
            &app,
            "/anfrage/bestaetigen",
            &format!("token={}", token_of(&link)),
            None,
        )
        .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("bereits beantwortet"), "{}", again.body);
        assert!(
            get(&app, &format!("/angebote/{}/anfragen", s.slug))
                .await
                .body
                .contains("noch 8 Plätze frei")
        );
        let m = mails(&db).await;
        let to: Vec<&str> = m.iter().map(|m| m.to_address.as_str()).collect();
        assert_eq!(
            to,
            ["leitung@kita-sonnenblume.example", "team@medien.example"]
        );
        assert!(m[1].subject.starts_with("Neue Anfrage"), "{}", m[1].subject);
        assert!(
            m[1].body_text.contains("Kita Sonnenblume")
                && m[1].body_text.contains("12 Personen (4 bis 6 Jahre)")
        );

        // The provider sees it first in the list, and accepts.
        let list = get_with(
            &app,
            &format!("/anbieten/{}/anfragen", s.provider_id),
            &[("cookie", &s.staff)],
        )
        .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("Kita Sonnenblume (Frau Sommer)"));
        let one_path = format!("/anbieten/{}/anfragen/{id}", s.provider_id);
        let one = get_with(&app, &one_path, &[("cookie", &s.staff)]).await;
        assert!(one.body.contains("Wir bringen zwei Erzieherinnen mit."));
        let csrf = csrf_of(&one.body);
        // Declining needs a reason: named, nothing changes.
        let r = post(
            &app,
            &one_path,
            &format!("csrf={csrf}&action=decline&reason=+"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Bitte nennen Sie einen Grund")
                && r.body.contains("aria-invalid=\"true\"")
        );
        let r = post(
            &app,
            &one_path,
            &format!("csrf={csrf}&action=accept"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            db.offer_request(id).await.unwrap().unwrap().state,
            RequestState::Accepted
        );
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert!(m[0].subject.starts_with("Anfrage angenommen"));
        assert!(
            get(&app, &link)
                .await
                .body
                .contains("data-state=\"accepted\"")
        );
        // Deciding twice changes nothing.
        let r = post(
            &app,
            &one_path,
            &format!("csrf={csrf}&action=decline&reason=Doch+nicht"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            db.offer_request(id).await.unwrap().unwrap().state,
            RequestState::Accepted
        );
    }
);

db_test!(bad_requests_are_named_and_change_nothing, |db| async move {
    let app = app(&db).await;
    let s = setup(&app, &db, "Medienwerkstatt", "team@medien.example").await;
    let date = format!("{} 09:00", s.first);
    let kita = [
        ("date", date.as_str()),
        ("name", "Frau Sommer"),
        ("email", "kita@example.org"),
        ("group_size", "12"),
    ];
    // Over the places: 21 of 20.
    let mut big = kita.to_vec();
    big[3] = ("group_size", "21");
    let r = ask(&app, &s.slug, &big, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("nur noch 20 Plätze frei"), "{}", r.body);
    assert!(
        r.body.contains("aria-describedby=\"date-error\""),
        "named at its field"
    );
    // A past day, an unknown date, no day at all, a bad address.
    let yesterday = (today_in_germany() - Duration::days(1)).to_string();
    let r = ask(
        &app,
        &s.slug,
        &[
            ("date", ""),
            ("proposed", &yesterday),
            ("name", "A"),
            ("email", "a@example.org"),
            ("group_size", "2"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("in der Vergangenheit"), "{}", r.body);
    let r = ask(
        &app,
        &s.slug,
        &[
            ("date", "2020-01-07 09:00"),
            ("name", "A"),
            ("email", "a@example.org"),
        ],
        None,
    )
    .await;
    assert!(r.body.contains("Diesen Termin gibt es nicht"), "{}", r.body);
    let r = ask(
        &app,
        &s.slug,
        &[("date", ""), ("name", "A"), ("email", "kein-at")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Bitte wählen Sie einen Termin") && r.body.contains("id=\"email-error\""),
        "{}",
        r.body
    );
    assert!(mails(&db).await.is_empty());
    // The form's token belongs to its offer: a wrong one is 403.
    let r = post(
        &app,
        &format!("/angebote/{}/anfragen", s.slug),
        "csrf=falsch&name=A&email=a%40example.org",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A signed-in person takes 15 places; then a group of 6 finds only 5 left; and twice is refused.
    let anna = signed_in(&app, &db, "anna@example.org", &[Role::Citizen]).await;
    let mine = [("date", date.as_str()), ("group_size", "15")];
    let r = ask(&app, &s.slug, &mine, Some(&anna)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let own = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(own.starts_with("/anfrage?token=") && own.ends_with("&hinweis=gesendet"));
    let r = ask(&app, &s.slug, &mine, Some(&anna)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("bereits eine Anfrage"), "{}", r.body);
    // A guest's group that does not fit now is refused now; one that fits is sent for
    // confirmation but holds nothing, and finds the places gone when it confirms.
    let r = ask(
        &app,
        &s.slug,
        &[
            ("date", &date),
            ("name", "C"),
            ("email", "c@example.org"),
            ("group_size", "6"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("nur noch 5 Plätze frei"), "{}", r.body);
    let r = ask(
        &app,
        &s.slug,
        &[
            ("date", &date),
            ("name", "B"),
            ("email", "b@example.org"),
            ("group_size", "5"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ben = signed_in(&app, &db, "ben@example.org", &[Role::Citizen]).await;
    let r = ask(
        &app,
        &s.slug,
        &[("date", &date), ("group_size", "3")],
        Some(&ben),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the guest's 5 held nothing: {}",
        r.body
    );
    let link = link_of(
        mails(&db)
            .await
            .iter()
            .find(|m| m.to_address == "b@example.org")
            .unwrap(),
    );
    let r = post(
        &app,
        "/anfrage/bestaetigen",
        &format!("token={}", token_of(&link)),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("nur noch 2 Plätze frei"), "{}", r.body);
    // The account lists its request, and its data export holds it; withdrawing frees the places.
    let list = get_with(&app, "/konto/anfragen", &[("cookie", &anna)]).await;
    assert!(list.body.contains("offen"), "{}", list.body);
    let data = json(&get_with(&app, "/konto/daten.json", &[("cookie", &anna)]).await);
    assert_eq!(data["offer_requests"][0]["group_size"], 15);
    assert_eq!(data["offer_requests"][0]["state"], "open");
    assert_eq!(data["volunteer_applications"].as_array().unwrap().len(), 0);
    let token = own
        .trim_start_matches("/anfrage?token=")
        .trim_end_matches("&hinweis=gesendet");
    let r = post(
        &app,
        "/anfrage/antworten",
        &format!("token={token}&answer=zurueckziehen"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post(
        &app,
        "/anfrage/bestaetigen",
        &format!("token={}", token_of(&link)),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "now the 5 fit: {}", r.body);
    let r = post(
        &app,
        "/anfrage/antworten",
        &format!("token={token}&answer=irgendwas"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
});

db_test!(
    a_provider_proposes_another_day_and_cannot_touch_anothers_requests,
    |db| async move {
        let app = app(&db).await;
        let s = setup(&app, &db, "Medienwerkstatt", "team@medien.example").await;
        let other = setup(&app, &db, "Makerspace", "team@maker.example").await;
        let anna = signed_in(&app, &db, "anna@example.org", &[Role::Citizen]).await;
        let date = format!("{} 09:00", s.first);
        let r = ask(
            &app,
            &s.slug,
            &[("date", &date), ("group_size", "3")],
            Some(&anna),
        )
        .await;
        let own = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let token = own
            .trim_start_matches("/anfrage?token=")
            .trim_end_matches("&hinweis=gesendet")
            .to_string();
        let id: i64 = token.split('.').next().unwrap().parse().unwrap();
        mails(&db).await;
        // Another provider's people: 403 on the first's office, 404 for the request under their own.
        let theirs = format!("/anbieten/{}/anfragen/{id}", s.provider_id);
        assert_eq!(
            get_with(&app, &theirs, &[("cookie", &other.staff)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let under_own = format!("/anbieten/{}/anfragen/{id}", other.provider_id);
        let page = get_with(
            &app,
            &format!("/anbieten/{}/anfragen", other.provider_id),
            &[("cookie", &other.staff)],
        )
        .await;
        let csrf = csrf_of(
            &get_with(
                &app,
                &format!("/anbieten/{}/bearbeiten", other.provider_id),
                &[("cookie", &other.staff)],
            )
            .await
            .body,
        );
        assert!(!page.body.contains("Trickfilm-Werkstatt (Medienwerkstatt)"));
        assert_eq!(
            get_with(&app, &under_own, &[("cookie", &other.staff)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = post(
            &app,
            &under_own,
            &format!("csrf={csrf}&action=accept"),
            Some(&other.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post(
            &app,
            &theirs,
            &format!("csrf={csrf}&action=accept"),
            Some(&other.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A citizen is not let into the office at all.
        assert_eq!(
            get_with(&app, &theirs, &[("cookie", &anna)]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            db.offer_request(id).await.unwrap().unwrap().state,
            RequestState::Open
        );

        // The provider proposes a day in the past (named), then the next week.
        let one = get_with(&app, &theirs, &[("cookie", &s.staff)]).await;
        let csrf = csrf_of(&one.body);
        let r = post(
            &app,
            &theirs,
            &format!("csrf={csrf}&action=propose&day=2020-01-01"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("in der Vergangenheit"));
        let later = s.first + Duration::days(8);
        let r = post(
            &app,
            &theirs,
            &format!("csrf={csrf}&action=propose&day={later}&words=Mittwoch+passt+besser"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert!(
            m[0].subject.starts_with("Anderer Tag vorgeschlagen")
                && m[0].body_text.contains("Mittwoch passt besser")
        );
        let page = get(&app, &own).await;
        assert!(page.body.contains("data-state=\"proposed\""));
        let r = post(
            &app,
            "/anfrage/antworten",
            &format!("token={token}&answer=annehmen"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let req = db.offer_request(id).await.unwrap().unwrap();
        assert_eq!((req.state, req.day), (RequestState::Accepted, later));
        let m = mails(&db).await;
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].to_address, "team@medien.example");
        assert!(m[0].subject.starts_with("Vorschlag angenommen"));
        assert_eq!(
            get(&app, "/angebote/gibt-es-nicht/anfragen").await.status,
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(
    requests_are_limited_per_address_and_per_client,
    |db| async move {
        let app = app(&db).await;
        let s = setup(&app, &db, "Medienwerkstatt", "team@medien.example").await;
        let day = |n: i64| (today_in_germany() + Duration::days(n)).to_string();
        // Five requests for one address an hour (each sends a mail); the sixth is refused with
        // 429 and writes nothing.
        for n in 1..=5 {
            let r = ask(
                &app,
                &s.slug,
                &[
                    ("date", ""),
                    ("proposed", &day(n)),
                    ("name", "A"),
                    ("email", "viel@example.org"),
                ],
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{n}: {}", r.body);
        }
        let r = ask(
            &app,
            &s.slug,
            &[
                ("date", ""),
                ("proposed", &day(6)),
                ("name", "A"),
                ("email", "viel@example.org"),
            ],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        assert_eq!(mails(&db).await.len(), 5);
        // Another address from the same client is not held up by that address's limit …
        let r = ask(
            &app,
            &s.slug,
            &[
                ("date", ""),
                ("proposed", &day(7)),
                ("name", "B"),
                ("email", "b@example.org"),
            ],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        // … but one client address gets twenty an hour in all.
        for n in 8..=21 {
            let r = ask(
                &app,
                &s.slug,
                &[
                    ("date", ""),
                    ("proposed", &day(n)),
                    ("name", "C"),
                    ("email", &format!("c{n}@example.org")),
                ],
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{n}");
        }
        let r = ask(
            &app,
            &s.slug,
            &[
                ("date", ""),
                ("proposed", &day(22)),
                ("name", "D"),
                ("email", "d@example.org"),
            ],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    }
);
