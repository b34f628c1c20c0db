//! An editor restricted to some fields of action changes nothing outside them, not even
//! indirectly: a parent in another field (new or old) would change that measure's sub-measures
//! and rolled-up progress.
use super::accounts::post;
use super::back_office::signed_in;
use super::*;
use domain::accounts::Role;

/// Id of the demo measure with this external id.
async fn id_of(db: &Db, external_id: &str) -> i64 {
    db.measures(&Default::default(), store::strategy::Sort::Title, 1, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|m| m.external_id == external_id)
        .unwrap()
        .id
}

/// (progress, ids of the sub-measures) of a measure.
async fn tree_of(db: &Db, id: i64) -> (i64, Vec<i64>) {
    let d = db.measure_detail(id).await.unwrap().unwrap();
    let mut children: Vec<i64> = d.children.iter().map(|c| c.id).collect();
    children.sort();
    (d.measure.progress, children)
}

/// Signs in an editor who looks after "Bildung" only.
async fn bildung_editor(app: &axum::Router, db: &Db) -> String {
    let cookie = signed_in(app, db, "bildung@musterstadt.example", &[Role::Editor]).await;
    let me = db
        .user_by_email("bildung@musterstadt.example")
        .await
        .unwrap()
        .unwrap();
    let bildung = db
        .taxonomy()
        .await
        .unwrap()
        .field_by_slug("bildung")
        .unwrap()
        .id;
    db.set_editor_fields(me.id, me.id, &[bildung])
        .await
        .unwrap();
    cookie
}

async fn save(app: &axum::Router, cookie: &str, id: i64, changes: &[(&str, &str)]) -> Res {
    let uri = format!("/admin/massnahmen/{id}");
    let page = get_with(app, &uri, &[("cookie", cookie)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = with_fields(&form_of(&page.body, &uri), changes);
    post(app, &uri, &body, Some(cookie)).await
}

fn refused_naming_the_parent(r: &Res) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Teil von (übergeordnete Maßnahme): "),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("gehört zu einem Handlungsfeld, das Sie nicht betreuen"),
        "{}",
        r.body
    );
}

db_test!(
    a_parent_in_another_field_is_refused_and_changes_nothing,
    |db| async move {
        let app = app(&db).await;
        let cookie = bildung_editor(&app, &db).await;
        let other = id_of(&db, "DG-01").await;
        let mine = id_of(&db, "BI-05").await;
        let before_other = tree_of(&db, other).await;
        let before_mine = db.measure_version(mine).await.unwrap().unwrap();
        let r = save(&app, &cookie, mine, &[("parent", &other.to_string())]).await;
        refused_naming_the_parent(&r);
        assert_eq!(tree_of(&db, other).await, before_other);
        assert_eq!(
            db.measure_version(mine).await.unwrap().unwrap(),
            before_mine
        );
        // Creating a measure under it is refused the same way.
        let page = get_with(&app, "/admin/massnahmen/neu", &[("cookie", &cookie)]).await;
        let body = with_fields(
            &form_of(&page.body, "/admin/massnahmen/neu"),
            &[
                ("title", "Quantenkurs Zukunftsschule"),
                ("parent", &other.to_string()),
            ],
        );
        let count = db.count_measures(&Default::default()).await.unwrap();
        let r = post(&app, "/admin/massnahmen/neu", &body, Some(&cookie)).await;
        refused_naming_the_parent(&r);
        assert_eq!(tree_of(&db, other).await, before_other);
        assert_eq!(db.count_measures(&Default::default()).await.unwrap(), count);
        assert!(
            db.admin_measures(None, None, Some("Quantenkurs"), 10, 0)
                .await
                .unwrap()
                .0
                .is_empty()
        );
        // A parent in the editor's own field is fine.
        let own = id_of(&db, "BI-01").await;
        let r = save(&app, &cookie, mine, &[("parent", &own.to_string())]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(tree_of(&db, own).await.1.contains(&mine));
    }
);

db_test!(
    a_measure_is_not_taken_away_from_a_parent_in_another_field,
    |db| async move {
        let app = app(&db).await;
        let cookie = bildung_editor(&app, &db).await;
        let other = id_of(&db, "DG-01").await;
        let mine = id_of(&db, "BI-05").await;
        // An unrestricted admin made the Bildung measure a part of the other field's measure.
        let admin = db
            .create_user("chefin@musterstadt.example", "Chefin", &[Role::Admin])
            .await
            .unwrap();
        let (version, mut edit) = db.measure_version(mine).await.unwrap().unwrap();
        edit.parent_id = Some(other);
        db.update_measure(admin, mine, version, &edit, &|_, _, _, _| String::new())
            .await
            .unwrap();
        let before_other = tree_of(&db, other).await;
        assert!(before_other.1.contains(&mine));
        let before_mine = db.measure_version(mine).await.unwrap().unwrap();
        for parent in ["", &id_of(&db, "BI-01").await.to_string()] {
            let r = save(&app, &cookie, mine, &[("parent", parent)]).await;
            refused_naming_the_parent(&r);
            assert_eq!(tree_of(&db, other).await, before_other, "parent {parent:?}");
            assert_eq!(
                db.measure_version(mine).await.unwrap().unwrap(),
                before_mine
            );
        }
        // Saving it under the same parent is the editor's daily work (progress, texts): allowed.
        let r = save(&app, &cookie, mine, &[("summary", "Neuer Stand")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(tree_of(&db, other).await.1.contains(&mine));
    }
);
