//! The radar's in-memory model (`web::radar::cards`) answers exactly what the database query
//! answers, after every kind of write: a measure saved (title, status, roll-up of its parent),
//! unpublished and published again, a field of action renamed, a new strategy imported.
use super::*;
use domain::accounts::Role;
use store::strategy::{MeasureFilter, Sort};
use store::taxonomy::TaxKind;

/// The model and the query agree on every measure and field, in order, and on the facets.
async fn agree(state: &web::AppState, db: &Db, filter: &MeasureFilter, when: &str) {
    let model = state.cards.measures(db, filter).await.unwrap();
    let sql = db.all_measures(filter).await.unwrap();
    assert_eq!(
        serde_json::to_value(&*model).unwrap(),
        serde_json::to_value(&sql).unwrap(),
        "{when}: model and query differ for {filter:?}"
    );
    let snap = state.cards.snapshot(db).await.unwrap();
    let (departments, groups, years) = db.facets().await.unwrap();
    let names = |v: &[store::strategy::Named]| {
        v.iter()
            .map(|n| (n.slug.clone(), n.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&snap.departments), names(&departments), "{when}");
    assert_eq!(names(&snap.target_groups), names(&groups), "{when}");
    assert_eq!(snap.years, years, "{when}");
}

/// Every filter of the radar form, one at a time and two together.
async fn filters(db: &Db) -> Vec<MeasureFilter> {
    let tax = db.taxonomy().await.unwrap();
    let (departments, groups, years) = db.facets().await.unwrap();
    let mut out = vec![MeasureFilter::default()];
    out.push(MeasureFilter {
        core_area: tax.core_areas.first().map(|c| c.slug.clone()),
        ..Default::default()
    });
    out.push(MeasureFilter {
        field: tax.fields.last().map(|f| f.slug.clone()),
        status: Some(domain::Status::InProgress),
        ..Default::default()
    });
    out.push(MeasureFilter {
        department: departments.first().map(|d| d.slug.clone()),
        ..Default::default()
    });
    out.push(MeasureFilter {
        target_group: groups.last().map(|g| g.slug.clone()),
        year: years.first().copied(),
        ..Default::default()
    });
    out.push(MeasureFilter {
        q: Some("   ".into()),
        ..Default::default()
    });
    out
}

async fn all_agree(state: &web::AppState, db: &Db, when: &str) {
    for f in filters(db).await {
        agree(state, db, &f, when).await;
    }
}

db_test!(the_radar_model_follows_every_write, |db| async move {
    let (_, doc) = domain::import::parse(DEMO.as_bytes()).unwrap();
    let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
    db.apply_import(&plan, false).await.unwrap();
    let state = web::AppState::new(db.clone(), "https://radar.example")
        .await
        .unwrap();
    all_agree(&state, &db, "after the import").await;
    let admin = db
        .create_user("modell@musterstadt.example", "Modell", &[Role::Admin])
        .await
        .unwrap();
    let page = db
        .measures(&MeasureFilter::default(), Sort::Title, 1, 100)
        .await
        .unwrap();
    let child = page
        .items
        .iter()
        .find(|m| m.external_id == "BI-05")
        .unwrap()
        .id;
    let parent = page
        .items
        .iter()
        .find(|m| m.external_id == "DG-01")
        .unwrap()
        .id;
    let save = |id: i64, change: Box<dyn Fn(&mut store::editing::MeasureEdit) + Send>| {
        let db = db.clone();
        async move {
            let (version, mut edit) = db.measure_version(id).await.unwrap().unwrap();
            change(&mut edit);
            db.update_measure(admin, id, version, &edit, &|_, _, _, _| String::new())
                .await
                .unwrap();
        }
    };
    // Title (and so the order), status and progress, with a parent whose progress rolls up.
    save(
        child,
        Box::new(move |e| {
            e.title = "Aaa zuerst sortiert".into();
            e.status = "done".into();
            e.progress = Some(100);
            e.parent_id = Some(parent);
            e.departments.push("Neues Amt für Modelle".into());
        }),
    )
    .await;
    all_agree(&state, &db, "after a save with roll-up").await;
    save(child, Box::new(|e| e.state = "draft".into())).await;
    all_agree(&state, &db, "after unpublishing").await;
    assert!(
        state
            .cards
            .measures(&db, &MeasureFilter::default())
            .await
            .unwrap()
            .iter()
            .all(|m| m.id != child)
    );
    save(child, Box::new(|e| e.state = "published".into())).await;
    all_agree(&state, &db, "after publishing again").await;
    // A field of action renamed: the cards show its title.
    let field = db.taxonomy().await.unwrap().fields[0].id;
    let (mut edit, _) = db.tax_entry(TaxKind::Field, field).await.unwrap().unwrap();
    edit.title = "Umbenanntes Handlungsfeld".into();
    db.save_tax(admin, TaxKind::Field, Some(field), &edit)
        .await
        .unwrap();
    all_agree(&state, &db, "after renaming a field").await;
    // A new measure, created.
    let (_, mut fresh) = db.measure_version(parent).await.unwrap().unwrap();
    fresh.title = "Ganz neue Maßnahme".into();
    fresh.parent_id = None;
    db.create_measure(admin, "NEU-1", &fresh).await.unwrap();
    all_agree(&state, &db, "after creating a measure").await;
    // Several measures saved before the next read: each is fetched again.
    for id in page.items.iter().take(5).map(|m| m.id) {
        save(id, Box::new(|e| e.summary.push_str(" (ergänzt)"))).await;
    }
    all_agree(&state, &db, "after many saves").await;
});
