//! Rate limits per client address: the address comes from the connection, and from
//! `X-Forwarded-For` only when the connection is a trusted proxy. One client's abuse does not
//! fall on another.
use super::accounts::{HOST, PW, link};
use super::*;
use axum::extract::ConnectInfo;
use domain::accounts::Role;
use std::net::SocketAddr;
use web::accounts::{LOGIN_ACCOUNT_ALARM, LOGIN_PER_ACCOUNT, LOGIN_PER_CLIENT};

const ADMIN: &str = "admin%40musterstadt.example";

/// The demo site, trusting a reverse proxy on 127.0.0.1.
pub(crate) async fn app_behind_proxy(db: &Db) -> axum::Router {
    load_demo(db).await;
    let mut state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    assert!(state.configure(|s| {
        s.trusted_proxies = vec![domain::net::Cidr::parse("127.0.0.1").unwrap()].into();
    }));
    web::router(state)
}

/// A form POST from the connection `peer`, with extra headers.
pub(crate) async fn post_from(
    app: &axum::Router,
    peer: &str,
    uri: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Res {
    let mut req = Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", HOST)
        .header("origin", format!("https://{HOST}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::from(body.to_string())).unwrap();
    let addr: SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    res_of(app.clone().oneshot(req).await.unwrap()).await
}

async fn admin_account(db: &Db, app: &axum::Router) {
    let token = link(
        db,
        "admin@musterstadt.example",
        &[Role::Admin],
        time::Duration::hours(1),
    )
    .await;
    let r = post_from(
        app,
        "198.51.100.1",
        "/konto/passwort-setzen",
        &format!("token={token}&password={PW}&password2={PW}"),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

async fn login_from(app: &axum::Router, peer: &str, email: &str, password: &str) -> Res {
    post_from(
        app,
        peer,
        "/anmelden",
        &format!("email={email}&password={password}"),
        &[],
    )
    .await
}

fn too_many(r: &Res) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("Zu viele Versuche"), "{}", r.body);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
}

db_test!(
    sixty_wrong_passwords_from_one_client_do_not_lock_out_another,
    |db| async move {
        let app = app(&db).await;
        admin_account(&db, &app).await;
        let attacker = "203.0.113.66";
        // Made-up addresses: the client's own limit.
        let mut refused = 0;
        for n in 0..60 {
            let r = login_from(
                &app,
                attacker,
                &format!("wer{n}%40example.org"),
                "falsch-falsch",
            )
            .await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                too_many(&r);
                refused += 1;
            } else {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            }
        }
        assert_eq!(refused, 60 - LOGIN_PER_CLIENT as usize);
        // The admin, from elsewhere, logs in at once.
        let r = login_from(&app, "198.51.100.1", ADMIN, PW).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The admin's own address, guessed from a third client: refused for that client after
        // LOGIN_PER_ACCOUNT failures, while the admin still logs in.
        let guesser = "203.0.113.77";
        for n in 0..60 {
            let r = login_from(&app, guesser, ADMIN, &format!("rate-{n}-rate")).await;
            if n < LOGIN_PER_ACCOUNT {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {n}");
            } else {
                too_many(&r);
            }
        }
        too_many(&login_from(&app, guesser, ADMIN, PW).await);
        let r = login_from(&app, "198.51.100.1", ADMIN, PW).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

db_test!(
    many_clients_guessing_one_account_leave_its_owner_in,
    |db| async move {
        let app = app(&db).await;
        admin_account(&db, &app).await;
        // Enough failures from many clients to pass the account's alarm level.
        let clients = (LOGIN_ACCOUNT_ALARM / LOGIN_PER_ACCOUNT) as usize;
        for c in 0..clients {
            for n in 0..LOGIN_PER_ACCOUNT {
                let r = login_from(
                    &app,
                    &format!("203.0.113.{c}"),
                    ADMIN,
                    &format!("x{n}-falsch-x"),
                )
                .await;
                assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            }
        }
        // A client that failed once before is refused now, even with the right password …
        let once = "198.51.100.50";
        let r = login_from(&app, once, ADMIN, "noch-einmal-falsch").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        too_many(&login_from(&app, once, ADMIN, PW).await);
        // … a client that has not failed logs in.
        let r = login_from(&app, "198.51.100.1", ADMIN, PW).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

db_test!(
    behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket,
    |db| async move {
        let app = app_behind_proxy(&db).await;
        let proxy = "127.0.0.1";
        for n in 0..LOGIN_PER_CLIENT {
            let r = post_from(
                &app,
                proxy,
                "/anmelden",
                &format!("email=wer{n}%40example.org&password=falsch-falsch"),
                &[("x-forwarded-for", "203.0.113.5")],
            )
            .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let again = |xff: &'static str| {
            let app = app.clone();
            async move {
                post_from(
                    &app,
                    proxy,
                    "/anmelden",
                    "email=noch%40example.org&password=falsch-falsch",
                    &[("x-forwarded-for", xff)],
                )
                .await
            }
        };
        too_many(&again("203.0.113.5").await);
        // What the client put in front of the proxy's entry does not give it a new bucket.
        too_many(&again("192.0.2.99, 203.0.113.5").await);
        // Another forwarded client is another bucket.
        assert_eq!(again("203.0.113.6").await.status, StatusCode::UNAUTHORIZED);
    }
);

db_test!(
    from_an_untrusted_peer_x_forwarded_for_is_ignored,
    |db| async move {
        let app = app_behind_proxy(&db).await;
        let peer = "198.51.100.7";
        for n in 0..=LOGIN_PER_CLIENT {
            let spoofed = format!("192.0.2.{n}");
            let r = post_from(
                &app,
                peer,
                "/anmelden",
                &format!("email=wer{n}%40example.org&password=falsch-falsch"),
                &[("x-forwarded-for", &spoofed)],
            )
            .await;
            if n < LOGIN_PER_CLIENT {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            } else {
                too_many(&r);
            }
        }
    }
);

db_test!(
    one_client_registering_a_lot_leaves_others_free,
    |db| async move {
        let app = app(&db).await;
        let form = |n: usize| {
            format!(
                "name=Person+{n}&email=person{n}%40musterstadt.example&password=Gruene+Ampel+am+Rathaus&password2=Gruene+Ampel+am+Rathaus"
            )
        };
        let busy = "203.0.113.20";
        for n in 0..web::accounts::REGISTER_PER_CLIENT as usize {
            let r = post_from(&app, busy, "/registrieren", &form(n), &[]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = post_from(&app, busy, "/registrieren", &form(100), &[]).await;
        too_many(&r);
        assert!(
            db.user_by_email("person100@musterstadt.example")
                .await
                .unwrap()
                .is_none(),
            "nothing was created"
        );
        let r = post_from(&app, "203.0.113.21", "/registrieren", &form(101), &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            db.user_by_email("person101@musterstadt.example")
                .await
                .unwrap()
                .is_some()
        );
    }
);
