//! Volunteering: a provider writes a role (bad input named, nothing saved); it is public at
//! `/ehrenamt`; a guest applies with a message, confirms by the link, and the provider, told by
//! mail, accepts; the role is then filled and accepts nobody more; a signed-in person applies
//! once only and is declined with a reason; another provider cannot touch the role (403/404);
//! withdrawing an accepted application frees its place.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::offer_requests::{mails, setup};
use super::*;
use domain::accounts::Role;
use domain::offers::requests::RequestState;

fn enc(v: &str) -> String {
    web::radar::params::encode(v)
}

db_test!(
    a_volunteer_applies_is_accepted_and_the_role_fills,
    |db| async move {
        let app = app(&db).await;
        let s = setup(&app, &db, "Digitallotsen", "team@lotsen.example").await;
        let other = setup(&app, &db, "Makerspace", "team@maker.example").await;
        let new = format!("/anbieten/{}/ehrenamt/neu", s.provider_id);
        let form = get_with(&app, &new, &[("cookie", &s.staff)]).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let csrf = csrf_of(&form.body);
        // Bad input: named at each field, nothing saved.
        let bad = post(
            &app,
            &new,
            &format!("csrf={csrf}&title=x&when=&needed=0&state=open"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for id in ["title-error", "when-error", "needed-error"] {
            assert!(
                bad.body.contains(&format!("id=\"{id}\"")),
                "{id}: {}",
                bad.body
            );
        }
        assert!(db.provider_roles(s.provider_id).await.unwrap().is_empty());
        let body = format!(
            "csrf={csrf}&title={}&description={}&when={}&needed=1&requirements={}&state=open",
            enc("Digitallotsin im Stadtteil"),
            enc("Sie helfen bei **digitalen** Fragen."),
            enc("wöchentlich 2 Stunden"),
            enc("Geduld"),
        );
        let r = post(&app, &new, &body, Some(&s.staff)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let role = db
            .provider_roles(s.provider_id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let office = format!("/anbieten/{}/ehrenamt/{}", s.provider_id, role.id);
        // Public: the list and the role's page.
        let list = get(&app, "/ehrenamt").await;
        assert!(
            list.body.contains("Digitallotsin im Stadtteil"),
            "{}",
            list.body
        );
        let page = get(&app, &format!("/ehrenamt/{}", role.slug)).await;
        assert!(
            page.body.contains("noch eine Person gesucht")
                && page.body.contains("<strong>digitalen</strong>")
        );
        assert!(
            page.body
                .contains(&format!("href=\"/ehrenamt/{}/bewerben\"", role.slug))
        );

        // A guest applies: without a message named; with one, confirmed by the link.
        let apply = format!("/ehrenamt/{}/bewerben", role.slug);
        let html = get(&app, &apply).await.body;
        let r = post(
            &app,
            &apply,
            &with_fields(
                &form_of(&html, &apply),
                &[
                    ("name", "Clara"),
                    ("email", "clara@example.org"),
                    ("message", " "),
                ],
            ),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Bitte schreiben Sie eine kurze Nachricht"),
            "{}",
            r.body
        );
        let r = post(
            &app,
            &apply,
            &with_fields(
                &form_of(&html, &apply),
                &[
                    ("name", "Clara"),
                    ("email", "clara@example.org"),
                    ("message", "Ich erkläre gern Smartphones."),
                ],
            ),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let m = mails(&db).await;
        assert_eq!(
            m.len(),
            1,
            "the provider hears of it once the address is confirmed"
        );
        let link = m[0]
            .bodies(|s| s.to_string())
            .0
            .lines()
            .find(|l| l.contains("/bewerbung?token="))
            .unwrap()
            .trim_start_matches("https://radar.example")
            .to_string();
        let token = link.rsplit_once("token=").unwrap().1.to_string();
        let r = post(
            &app,
            "/bewerbung/bestaetigen",
            &format!("token={token}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = mails(&db).await;
        let to: Vec<&str> = m.iter().map(|m| m.to_address.as_str()).collect();
        assert_eq!(to, ["clara@example.org", "team@lotsen.example"]);
        assert!(m[1].body_text.contains("Ich erkläre gern Smartphones."));

        // A signed-in person applies once only.
        let ben = signed_in(&app, &db, "ben@example.org", &[Role::Citizen]).await;
        let html = get_with(&app, &apply, &[("cookie", &ben)]).await.body;
        let body = with_fields(
            &form_of(&html, &apply),
            &[("message", "Ich habe dienstags Zeit.")],
        );
        let r = post(&app, &apply, &body, Some(&ben)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post(&app, &apply, &body, Some(&ben)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("bereits beworben"), "{}", r.body);
        mails(&db).await;

        // Another provider: 403 on the first's office, 404 under its own.
        assert_eq!(
            get_with(&app, &office, &[("cookie", &other.staff)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let theirs = format!("/anbieten/{}/ehrenamt/{}", other.provider_id, role.id);
        assert_eq!(
            get_with(&app, &theirs, &[("cookie", &other.staff)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The provider accepts Clara: filled; Ben cannot be accepted too, and is declined with a reason.
        let page = get_with(&app, &office, &[("cookie", &s.staff)]).await;
        assert!(
            page.body.contains("Ich erkläre gern Smartphones.")
                && page.body.contains("Ich habe dienstags Zeit.")
        );
        let csrf = csrf_of(&page.body);
        let apps = db.applications_of_role(role.id).await.unwrap();
        let clara = apps
            .iter()
            .find(|a| a.email == "clara@example.org")
            .unwrap()
            .id;
        let benid = apps
            .iter()
            .find(|a| a.email == "ben@example.org")
            .unwrap()
            .id;
        let decide = |id: i64| format!("{office}/bewerbungen/{id}");
        let r = post(
            &app,
            &decide(clara),
            &format!("csrf={csrf}&action=accept"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            get(&app, &format!("/ehrenamt/{}", role.slug))
                .await
                .body
                .contains("alle Plätze vergeben")
        );
        let r = post(
            &app,
            &decide(benid),
            &format!("csrf={csrf}&action=accept"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Alle gesuchten Plätze sind vergeben"),
            "{}",
            r.body
        );
        let r = post(
            &app,
            &decide(benid),
            &format!("csrf={csrf}&action=decline&reason=+"),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The summary's link leads to the reason field of the application being declined.
        assert!(r.body.contains("href=\"#reason\""), "{}", r.body);
        assert!(
            r.body.contains("id=\"reason\" name=\"reason\"")
                && r.body.contains("aria-describedby=\"reason-error\""),
            "{}",
            r.body
        );
        let r = post(
            &app,
            &decide(benid),
            &format!("csrf={csrf}&action=decline&reason=Wir+suchen+jemanden+f%C3%BCr+den+Montag."),
            Some(&s.staff),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            db.application(benid).await.unwrap().unwrap().state,
            RequestState::Declined
        );
        let m = mails(&db).await;
        let subjects: Vec<&str> = m.iter().map(|m| m.subject.as_str()).collect();
        assert!(
            subjects[0].starts_with("Bewerbung angenommen")
                && subjects[1].starts_with("Bewerbung abgelehnt"),
            "{subjects:?}"
        );
        assert!(
            m[1].body_text
                .contains("Wir suchen jemanden für den Montag.")
        );
        // The account lists the application; Clara withdraws: the place is free again.
        assert!(
            get_with(&app, "/konto/anfragen", &[("cookie", &ben)])
                .await
                .body
                .contains("abgelehnt")
        );
        let r = post(
            &app,
            "/bewerbung/zurueckziehen",
            &format!("token={token}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            get(&app, &format!("/ehrenamt/{}", role.slug))
                .await
                .body
                .contains("noch eine Person gesucht")
        );
        let r = post(
            &app,
            "/bewerbung/zurueckziehen",
            &format!("token={token}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A closed role is not public.
        let body = format!(
            "csrf={csrf}&title={}&when=x&needed=1&state=closed",
            enc("Digitallotsin im Stadtteil")
        );
        assert_eq!(
            post(&app, &office, &body, Some(&s.staff)).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            get(&app, &format!("/ehrenamt/{}", role.slug)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(get(&app, &apply).await.status, StatusCode::NOT_FOUND);
    }
);

db_test!(applications_are_limited_per_address, |db| async move {
    let app = app(&db).await;
    let s = setup(&app, &db, "Freiwilligenagentur", "team@freiwillig.example").await;
    let mut slugs = Vec::new();
    for n in 0..6 {
        let input = domain::offers::volunteering::RoleInput {
            title: format!("Helfer Nummer {n}"),
            description: String::new(),
            when: "einmalig".into(),
            needed: 3,
            requirements: String::new(),
            district_id: None,
            state: domain::offers::volunteering::RoleState::Open,
        };
        slugs.push(
            db.create_role(None, s.provider_id, &input, "", false)
                .await
                .unwrap()
                .1,
        );
    }
    let apply = |slug: &str| format!("/ehrenamt/{slug}/bewerben");
    for slug in &slugs[..5] {
        let html = get(&app, &apply(slug)).await.body;
        let body = with_fields(
            &form_of(&html, &apply(slug)),
            &[
                ("name", "Viel"),
                ("email", "viel@example.org"),
                ("message", "Gern."),
            ],
        );
        assert_eq!(
            post(&app, &apply(slug), &body, None).await.status,
            StatusCode::OK
        );
    }
    let html = get(&app, &apply(&slugs[5])).await.body;
    let body = with_fields(
        &form_of(&html, &apply(&slugs[5])),
        &[
            ("name", "Viel"),
            ("email", "viel@example.org"),
            ("message", "Gern."),
        ],
    );
    let r = post(&app, &apply(&slugs[5]), &body, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        mails(&db).await.len(),
        5,
        "five confirmation mails, no sixth"
    );
});
