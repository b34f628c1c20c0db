//! Participation windows: closing a measure's discussion (or its field's, or the strategy's)
//! stops new comments, replies, guest comments and upvotes with a clear answer, keeps the
//! discussion readable and says since when it is closed; dates open and close it; the most
//! specific window decides; who may set which window; bad input changes nothing.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

const PAGE: &str = "/massnahmen/digitaltag-musterstadt";

async fn measure(db: &Db) -> (i64, i64) {
    let id = db
        .measure_id_by_slug("digitaltag-musterstadt")
        .await
        .unwrap()
        .unwrap();
    (id, db.measure_field(id).await.unwrap().unwrap())
}

/// Sets a window through the back office form; the answer.
async fn set(app: &axum::Router, cookie: &str, fields: &[(&str, &str)]) -> Res {
    let page = get_with(app, "/admin/beteiligung", &[("cookie", cookie)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut body = vec![("csrf".to_string(), csrf_of(&page.body))];
    body.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    post(
        app,
        "/admin/beteiligung",
        &serde_urlencoded::to_string(&body).unwrap(),
        Some(cookie),
    )
    .await
}

async fn comment(app: &axum::Router, cookie: &str, text: &str) -> Res {
    let page = get_with(app, PAGE, &[("cookie", cookie)]).await;
    let csrf = csrf_of(&page.body);
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("body", text)]).unwrap();
    post(app, &format!("{PAGE}/kommentare"), &body, Some(cookie)).await
}

db_test!(
    a_closed_discussion_stays_readable_and_takes_nothing,
    |db| async move {
        let app = app(&db).await;
        let (id, field) = measure(&db).await;
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let me = db
            .user_by_email("redaktion@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        db.set_editor_fields(me.id, me.id, &[field]).await.unwrap();
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let r = comment(&app, &anna, "Vor dem Schließen").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let first: i64 = r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .rsplit_once("#kommentar-")
            .unwrap()
            .1
            .parse()
            .unwrap();
        // Bad input changes nothing.
        for (fields, message) in [
            (
                vec![("scope", "edition:1"), ("mode", "closed")],
                "Unbekannter Bereich",
            ),
            (
                vec![("scope", "measure:999999"), ("mode", "closed")],
                "Unbekannter Bereich",
            ),
            (
                vec![("scope", &*format!("measure:{id}")), ("mode", "vielleicht")],
                "offen oder geschlossen",
            ),
            (
                vec![
                    ("scope", &*format!("measure:{id}")),
                    ("mode", "open"),
                    ("opens", "morgen"),
                ],
                "JJJJ-MM-TT",
            ),
            (
                vec![
                    ("scope", &*format!("measure:{id}")),
                    ("mode", "open"),
                    ("opens", "2026-12-10"),
                    ("closes", "2026-12-01"),
                ],
                "Das Ende muss nach dem Beginn liegen.",
            ),
        ] {
            let r = set(&app, &editor, &fields).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fields:?}: {}",
                r.body
            );
            assert!(r.body.contains(message), "{fields:?}: {}", r.body);
        }
        assert!(db.windows().await.unwrap().is_empty());
        // Not the editor's: the strategy, another field.
        let strategy = db.strategy().await.unwrap().unwrap().id;
        let other = db
            .taxonomy()
            .await
            .unwrap()
            .fields
            .iter()
            .find(|f| f.id != field)
            .unwrap()
            .id;
        for scope in [format!("strategy:{strategy}"), format!("field:{other}")] {
            let r = set(&app, &editor, &[("scope", &scope), ("mode", "closed")]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{scope}");
            assert!(r.body.contains("Dieses Fenster dürfen Sie nicht ändern"));
        }
        assert_eq!(
            get_with(&app, "/admin/beteiligung", &[("cookie", &anna)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // The editor closes the measure's discussion.
        let r = set(
            &app,
            &editor,
            &[("scope", &format!("measure:{id}")), ("mode", "closed")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get_with(&app, PAGE, &[("cookie", &ben)]).await;
        assert!(
            page.body.contains("Die Diskussion ist seit dem"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("geschlossen. Alle Beiträge bleiben lesbar.")
        );
        assert!(page.body.contains("Vor dem Schließen"), "still readable");
        assert!(
            !page.body.contains(&format!("action=\"{PAGE}/kommentare\"")),
            "no form"
        );
        assert!(
            !page
                .body
                .contains(&format!("/kommentare/{first}/antworten")),
            "no reply link"
        );
        assert!(
            !page
                .body
                .contains(&format!("/kommentare/{first}/unterstuetzen")),
            "no upvote"
        );
        let anonymous = get(&app, PAGE).await;
        assert!(!anonymous.body.contains("kommentare/gast"), "no guest form");
        // Every way in is refused with the reason, and nothing is written.
        let r = comment(&app, &anna, "Nach dem Schließen").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Die Diskussion ist geschlossen"),
            "{}",
            r.body
        );
        let csrf = csrf_of(&get_with(&app, "/konto", &[("cookie", &ben)]).await.body);
        let r = post(
            &app,
            &format!("/kommentare/{first}/antworten"),
            &format!("csrf={csrf}&body=Antwort"),
            Some(&ben),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post(
            &app,
            &format!("/kommentare/{first}/unterstuetzen"),
            &format!("csrf={csrf}&up=1"),
            Some(&ben),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Die Diskussion ist geschlossen"));
        let subject = domain::comments::Subject::measure(id);
        assert_eq!(db.comment_count(subject).await.unwrap(), 1);
        assert_eq!(db.comment(first).await.unwrap().unwrap().upvotes, 0);
        let (log, _) = db
            .audit_entries(Some("participation.window"), 10, 0)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        // The admin closes the whole strategy, and the measure's own window opens it again:
        // the most specific decides.
        let admin = signed_in(&app, &db, "admin@musterstadt.example", &[Role::Admin]).await;
        let r = set(
            &app,
            &admin,
            &[
                ("scope", &format!("strategy:{strategy}")),
                ("mode", "closed"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = set(
            &app,
            &editor,
            &[("scope", &format!("measure:{id}")), ("mode", "open")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            comment(&app, &anna, "Wieder offen").await.status,
            StatusCode::SEE_OTHER
        );
        let elsewhere = db
            .measure_titles()
            .await
            .unwrap()
            .into_iter()
            .find(|(m, _)| *m != id)
            .unwrap()
            .0;
        assert!(
            !db.discussion_window(domain::comments::Subject::measure(elsewhere))
                .await
                .unwrap()
                .state(time::OffsetDateTime::now_utc())
                .is_open()
        );
        // Dates: not yet open, and open until a day.
        let today = time::OffsetDateTime::now_utc().date();
        let tomorrow = today.next_day().unwrap().to_string();
        let r = set(
            &app,
            &editor,
            &[
                ("scope", &format!("measure:{id}")),
                ("mode", "open"),
                ("opens", &tomorrow),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&app, PAGE).await;
        assert!(
            page.body.contains("Die Diskussion beginnt am"),
            "{}",
            page.body
        );
        assert_eq!(
            comment(&app, &anna, "Zu früh").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let r = set(
            &app,
            &editor,
            &[
                ("scope", &format!("measure:{id}")),
                ("mode", "open"),
                ("closes", &today.to_string()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&app, PAGE).await;
        assert!(
            page.body.contains("Beiträge sind bis einschließlich"),
            "{}",
            page.body
        );
        assert_eq!(
            comment(&app, &anna, "Noch heute").await.status,
            StatusCode::SEE_OTHER
        );
        // Back to the strategy's window (closed).
        let r = set(
            &app,
            &editor,
            &[("scope", &format!("measure:{id}")), ("mode", "inherit")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            comment(&app, &anna, "Zu").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
);
