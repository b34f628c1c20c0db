//! Comments through the pages: posting, replying three levels deep, editing for 15 minutes,
//! deleting to a tombstone, upvoting, the city's answers, pages by cursor, permalinks; bad
//! input gets a clear German answer and changes nothing; the cached page shows each reader
//! their own actions and nobody else's.

use super::accounts::{csrf_of, post};
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;
use domain::comments::Subject;

const PAGE: &str = "/massnahmen/digitaltag-musterstadt";
const POST: &str = "/massnahmen/digitaltag-musterstadt/kommentare";

async fn subject(db: &Db) -> Subject {
    Subject::measure(
        db.measure_id_by_slug("digitaltag-musterstadt")
            .await
            .unwrap()
            .unwrap(),
    )
}

/// Sends a form to `path` with the reader's token from `PAGE`.
async fn send(app: &axum::Router, cookie: &str, path: &str, body: &str) -> Res {
    let page = get_with(app, PAGE, &[("cookie", cookie)]).await;
    let csrf = csrf_of(&page.body);
    post(app, path, &format!("csrf={csrf}&{body}"), Some(cookie)).await
}

/// Posts a comment (a reply when `to` is given) and returns its id from the redirect.
async fn comment(app: &axum::Router, cookie: &str, to: Option<i64>, text: &str) -> i64 {
    let path = match to {
        Some(id) => format!("/kommentare/{id}/antworten"),
        None => POST.to_string(),
    };
    let body = serde_urlencoded::to_string([("body", text)]).unwrap();
    let r = send(app, cookie, &path, &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap();
    to.rsplit_once("#kommentar-").unwrap().1.parse().unwrap()
}

db_test!(
    a_citizen_comments_replies_and_is_answered,
    |db| async move {
        let app = app(&db).await;
        let s = subject(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let before = get(&app, PAGE).await;
        assert!(before.body.contains("Noch keine Kommentare."));
        assert!(
            before.body.contains("Sie können als Gast mitdiskutieren"),
            "anonymous readers get the guest form"
        );
        assert!(!before.body.contains(&format!("action=\"{POST}\"")));
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(
            hers.body.contains(&format!("action=\"{POST}\"")),
            "{}",
            hers.body
        );
        assert!(
            !hers.body.contains("Antwort der Stadt"),
            "no city voice for citizens"
        );

        let top = comment(
            &app,
            &anna,
            None,
            "Eine **gute** Sache! <script>alert(1)</script>",
        )
        .await;
        let page = get(&app, PAGE).await;
        assert!(page.body.contains("Ein Kommentar"));
        assert!(page.body.contains("<strong>gute</strong>"));
        assert!(!page.body.contains("<script>alert"), "markup is escaped");
        assert!(page.body.contains(&format!("id=\"kommentar-{top}\"")));
        // Anonymous readers get the reply link, no buttons, no token.
        assert!(page.body.contains(&format!("/kommentare/{top}/antworten")));
        assert!(!page.body.contains("unterstuetzen"));

        // Ben replies, Anna replies to him, and that is as deep as it goes.
        let r1 = comment(&app, &ben, Some(top), "Finde ich auch.").await;
        let r2 = comment(&app, &anna, Some(r1), "Danke, Ben.").await;
        let deep = send(
            &app,
            &ben,
            &format!("/kommentare/{r2}/antworten"),
            "body=Noch+tiefer",
        )
        .await;
        assert_eq!(deep.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            deep.body.contains("Diskussionen gehen drei Ebenen tief"),
            "{}",
            deep.body
        );
        assert!(deep.body.contains("Noch tiefer"), "the text is kept");
        assert_eq!(db.comment_count(s).await.unwrap(), 3);
        let page = get(&app, PAGE).await;
        assert!(page.body.contains("3 Kommentare"));
        assert!(page.body.contains("Danke, Ben."));

        // The editor answers as the city: marked, and first in its thread.
        let editor = signed_in(&app, &db, "redaktion@musterstadt.example", &[Role::Editor]).await;
        let form = get_with(
            &app,
            &format!("/kommentare/{top}/antworten"),
            &[("cookie", &editor)],
        )
        .await;
        assert!(
            form.body
                .contains("Als „Antwort der Stadt“ veröffentlichen")
        );
        let r = send(
            &app,
            &editor,
            &format!("/kommentare/{top}/antworten"),
            "body=Wir+pr%C3%BCfen+das.&official=1",
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get(&app, PAGE).await;
        let answer = page.body.find("Wir prüfen das.").unwrap();
        assert!(
            answer < page.body.find("Finde ich auch.").unwrap(),
            "the city's answer first"
        );
        assert!(
            page.body
                .contains("<span class=\"badge\">Antwort der Stadt</span>")
        );
        // A citizen cannot.
        let r = send(
            &app,
            &ben,
            &format!("/kommentare/{top}/antworten"),
            "body=Ich+bin+die+Stadt&official=1",
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Als Stadt antworten können nur"));

        // The permalink of the reply shows its thread.
        let perma = get(&app, &format!("/kommentare/{r2}")).await;
        assert_eq!(perma.status, StatusCode::OK);
        assert!(perma.body.contains("Eine <strong>gute</strong> Sache!"));
        assert!(perma.body.contains("Danke, Ben."));

        // English.
        let en = get(&app, &format!("{PAGE}?lang=en")).await;
        assert!(en.body.contains("Answer of the city"));
        assert!(en.body.contains("4 comments"));
    }
);

db_test!(
    upvotes_are_one_per_person_and_not_for_oneself,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let c = comment(&app, &anna, None, "Bitte unterstützen").await;
        let vote = format!("/kommentare/{c}/unterstuetzen");
        // Anna's own comment has no button for her; Ben's page has one.
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(!hers.body.contains(&vote));
        assert!(hers.body.contains(&format!("/kommentare/{c}/bearbeiten")));
        let his = get_with(&app, PAGE, &[("cookie", &ben)]).await;
        assert!(his.body.contains(&vote));
        assert!(!his.body.contains(&format!("/kommentare/{c}/bearbeiten")));
        assert_eq!(
            send(&app, &ben, &vote, "up=1").await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            send(&app, &ben, &vote, "up=1").await.status,
            StatusCode::SEE_OTHER
        );
        let page = get(&app, PAGE).await;
        assert!(page.body.contains("1 Unterstützung"), "counted once");
        let his = get_with(&app, PAGE, &[("cookie", &ben)]).await;
        assert!(his.body.contains("Unterstützung zurücknehmen"));
        let own = send(&app, &anna, &vote, "up=1").await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            own.body
                .contains("Den eigenen Kommentar können Sie nicht unterstützen.")
        );
        let bad = send(&app, &ben, &vote, "up=7").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            send(&app, &ben, &vote, "up=0").await.status,
            StatusCode::SEE_OTHER
        );
        assert!(!get(&app, PAGE).await.body.contains("1 Unterstützung"));
    }
);

db_test!(
    authors_edit_for_fifteen_minutes_and_delete_to_a_tombstone,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let c = comment(&app, &anna, None, "Erste Fassung").await;
        let reply = comment(&app, &ben, Some(c), "Eine Antwort").await;
        let edit = format!("/kommentare/{c}/bearbeiten");
        let form = get_with(&app, &edit, &[("cookie", &anna)]).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("Erste Fassung"));
        // Ben may not.
        let r = send(&app, &ben, &edit, "body=Gekapert").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Nur die Autorin oder der Autor"));
        // Empty is refused, the text kept as it was.
        let r = send(&app, &anna, &edit, "body=+++").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Bitte schreiben Sie einen Text."));
        assert_eq!(
            send(&app, &anna, &edit, "body=Zweite+Fassung").await.status,
            StatusCode::SEE_OTHER
        );
        let page = get(&app, PAGE).await;
        assert!(page.body.contains("Zweite Fassung"));
        assert!(page.body.contains("bearbeitet"));
        assert!(!page.body.contains("Erste Fassung"));
        // After 15 minutes: no more edits.
        let at = time::OffsetDateTime::now_utc() - time::Duration::minutes(16);
        store::on_db!(&db, p => sqlx::query("UPDATE comments SET created_at = $2 WHERE id = $1")
        .bind(c).bind(at).execute(p).await.map(|_| ()).unwrap());
        let r = send(&app, &anna, &edit, "body=Dritte+Fassung").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Die 15 Minuten zum Bearbeiten sind vorbei.")
        );
        assert_eq!(db.comment(c).await.unwrap().unwrap().body, "Zweite Fassung");
        // Deleting asks first, then leaves a tombstone with the reply below it.
        let delete = format!("/kommentare/{c}/loeschen");
        let ask = get_with(&app, &delete, &[("cookie", &anna)]).await;
        assert!(ask.body.contains("Ja, Kommentar löschen"));
        assert_eq!(
            send(&app, &ben, &delete, "").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            send(&app, &anna, &delete, "").await.status,
            StatusCode::SEE_OTHER
        );
        let page = get(&app, PAGE).await;
        assert!(
            page.body
                .contains("Dieser Kommentar wurde von seiner Autorin oder seinem Autor gelöscht.")
        );
        assert!(!page.body.contains("Zweite Fassung"));
        assert!(page.body.contains(&format!("id=\"kommentar-{reply}\"")));
        assert!(page.body.contains("Eine Antwort"));
    }
);

db_test!(
    bad_comments_get_a_clear_answer_and_change_nothing,
    |db| async move {
        let app = app(&db).await;
        let s = subject(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let long = "a".repeat(5001);
        for (body, message) in [
            ("body=".to_string(), "Bitte schreiben Sie einen Text."),
            ("".to_string(), "Bitte schreiben Sie einen Text."),
            (
                format!("body={long}"),
                "Der Text ist zu lang: höchstens 5.000 Zeichen.",
            ),
        ] {
            let r = send(&app, &anna, POST, &body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body:.20}");
            assert!(r.body.contains(message), "{body:.20}: {}", r.body);
        }
        // Without or with a wrong token: refused.
        let r = post(&app, POST, "body=Hallo", Some(&anna)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post(&app, POST, "csrf=falsch&body=Hallo", Some(&anna)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Anonymous: to the login.
        let r = post(&app, POST, "body=Hallo", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // A measure that is not there, a comment that is not there.
        let r = send(
            &app,
            &anna,
            "/massnahmen/gibt-es-nicht/kommentare",
            "body=Hallo",
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = send(&app, &anna, "/kommentare/999999/antworten", "body=Hallo").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(db.comment_count(s).await.unwrap(), 0);
        // Bad list parameters.
        for q in ["sort=best", "after=abc", "sort=supported&after=12"] {
            let r = get(&app, &format!("{POST}?{q}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        }
        assert_eq!(
            get(&app, "/kommentare/999999").await.status,
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(posting_is_rate_limited_per_account, |db| async move {
    let app = app(&db).await;
    let s = subject(&db).await;
    let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
    for i in 0..web::comments::PER_ACCOUNT_MINUTE {
        comment(&app, &anna, None, &format!("Beitrag {i}")).await;
    }
    let r = send(&app, &anna, POST, "body=Einer+zu+viel").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(
        db.comment_count(s).await.unwrap(),
        web::comments::PER_ACCOUNT_MINUTE
    );
    // Another person is not held up by Anna's posts.
    let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
    comment(&app, &ben, None, "Ich darf noch").await;
});

db_test!(long_discussions_page_by_cursor, |db| async move {
    let app = app(&db).await;
    let s = subject(&db).await;
    let author = db
        .create_user(
            "viel@musterstadt.example",
            "Vielschreiberin",
            &[Role::Citizen],
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..25 {
        let body = format!("Beitrag Nummer {i:02}");
        ids.push(
            db.post_comment(&store::comments::NewComment {
                subject: s,
                parent_id: None,
                author: store::comments::Author::Account(author),
                body: &body,
                body_html: &body,
                official: false,
                limits: &[],
                posted_at: None,
                hold: false,
            })
            .await
            .unwrap()
            .unwrap(),
        );
    }
    let page = get(&app, PAGE).await;
    assert!(page.body.contains("25 Kommentare"));
    assert!(page.body.contains("Beitrag Nummer 24"));
    assert!(page.body.contains("Beitrag Nummer 05"));
    assert!(!page.body.contains("Beitrag Nummer 04"));
    let next = format!("{POST}?sort=newest&#38;after={}", ids[5]);
    assert!(page.body.contains(&next), "{}", page.body);
    let second = get(&app, &next.replace("&#38;", "&")).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Beitrag Nummer 04"));
    assert!(second.body.contains("Beitrag Nummer 00"));
    assert!(!second.body.contains("Beitrag Nummer 05"));
    assert!(!second.body.contains("Weitere Kommentare"));
    let oldest = get(&app, &format!("{POST}?sort=oldest")).await;
    assert!(
        oldest.body.find("Beitrag Nummer 00").unwrap()
            < oldest.body.find("Beitrag Nummer 01").unwrap()
    );
});

db_test!(
    deleted_accounts_keep_their_comments_without_a_name,
    |db| async move {
        let app = app(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        comment(&app, &anna, None, "Bleibt stehen").await;
        assert!(
            !get(&app, PAGE)
                .await
                .body
                .contains("anna@musterstadt.example")
        );
        let user = db
            .user_by_email("anna@musterstadt.example")
            .await
            .unwrap()
            .unwrap();
        db.delete_account(user.id).await.unwrap();
        let page = get(&app, PAGE).await;
        assert!(page.body.contains("Bleibt stehen"));
        assert!(page.body.contains("gelöschtes Konto"));
    }
);

db_test!(
    without_the_page_cache_the_handler_fills_the_actions,
    |db| async move {
        load_demo(&db).await;
        let mut state = web::AppState::new(db.clone(), "https://radar.example")
            .await
            .unwrap();
        assert!(state.configure(|s| s.cache = std::sync::Arc::new(web::cache::PageCache::new(0))));
        let app = web::router(state);
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let c = comment(&app, &anna, None, "Ohne Cache").await;
        let his = get_with(&app, PAGE, &[("cookie", &ben)]).await;
        assert!(his.body.contains(&format!("/kommentare/{c}/unterstuetzen")));
        assert!(his.body.contains(&format!("action=\"{POST}\"")));
        let hers = get_with(&app, PAGE, &[("cookie", &anna)]).await;
        assert!(hers.body.contains(&format!("/kommentare/{c}/bearbeiten")));
        assert!(
            !hers
                .body
                .contains(&format!("/kommentare/{c}/unterstuetzen"))
        );
    }
);

db_test!(
    the_api_lists_the_discussion_and_the_export_holds_it,
    |db| async move {
        let app = app(&db).await;
        let s = subject(&db).await;
        let anna = signed_in(&app, &db, "anna@musterstadt.example", &[Role::Citizen]).await;
        let ben = signed_in(&app, &db, "ben@musterstadt.example", &[Role::Citizen]).await;
        let top = comment(&app, &anna, None, "Im _Netz_").await;
        let reply = comment(&app, &ben, Some(top), "Antwort von Ben").await;
        assert_eq!(
            send(
                &app,
                &ben,
                &format!("/kommentare/{top}/unterstuetzen"),
                "up=1"
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let api = get(&app, &format!("/api/v1/measures/{}/comments", s.id)).await;
        assert_eq!(api.status, StatusCode::OK);
        assert!(
            !api.body.contains("@musterstadt.example"),
            "no address in the API"
        );
        let v = json(&api);
        assert_eq!(v["count"], 2);
        assert_eq!(v["comments"][0]["id"], top);
        assert_eq!(v["comments"][0]["author"], "Amtsleitung");
        assert_eq!(v["comments"][0]["body_html"], "<p>Im <em>Netz</em></p>\n");
        assert_eq!(v["comments"][0]["upvotes"], 1);
        assert_eq!(v["comments"][0]["replies"][0]["id"], reply);
        assert!(v["next"].is_null());
        let bad = get(
            &app,
            &format!("/api/v1/measures/{}/comments?sort=best", s.id),
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("\"sort\""), "{}", bad.body);
        assert_eq!(
            get(&app, "/api/v1/measures/999999/comments").await.status,
            StatusCode::NOT_FOUND
        );
        // Ben's export: his reply and his upvote.
        let export = json(&get_with(&app, "/konto/daten.json", &[("cookie", &ben)]).await);
        assert_eq!(export["comments"][0]["id"], reply);
        assert_eq!(export["comments"][0]["text"], "Antwort von Ben");
        assert_eq!(export["upvoted_comments"][0], top);
    }
);
