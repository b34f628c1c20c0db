//! The page of one measure: facts, KPIs, milestones, reports and change history.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path};
use crate::i18n::Tr;
use crate::layout::*;
use crate::radar::views::*;
use crate::radar::*;
use axum::extract::State;

/// The most offers a measure's page lists (by title).
const OFFERS_SHOWN: i64 = 20;

pub async fn measure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let id = published_measure(&state, &slug).await?;
    measure_page(&state, &ctx, id, None).await
}

/// The id of the published measure at `/massnahmen/{slug}`; 404 when there is none.
pub async fn published_measure(state: &AppState, slug: &str) -> Result<i64, AppError> {
    state
        .db
        .measure_id_by_slug(slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// The id of the published measure at `/massnahmen/{slug}` for a write that checks publication
/// again in its own transaction (a rating): from the radar's model of the published measures,
/// without a query. A measure the model does not know (yet: published a moment ago on another
/// instance) is asked of the database; one it still knows after it was withdrawn is refused by
/// the write's transaction.
pub async fn measure_to_write(state: &AppState, slug: &str) -> Result<i64, AppError> {
    if let Ok(snapshot) = state.cards.snapshot(&state.db).await
        && let Some(card) = snapshot.by_slug(slug)
    {
        return Ok(card.id);
    }
    published_measure(state, slug).await
}

/// The measure page; `preview` is the banner the back office shows above an unpublished measure.
pub async fn measure_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    preview: Option<String>,
) -> PageResult {
    let t = ctx.t;
    let cmp = compares(state).await?;
    let d = state
        .db
        .measure_detail(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = chrome(state, ctx, "measures").await?;
    let date = |d: Option<time::Date>| d.map(domain::dates::german).unwrap_or_default();
    let names = |v: &[store::strategy::Named]| {
        v.iter()
            .map(|n| n.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut facts = vec![Fact {
        label: t.get("measure-field"),
        value: String::new(),
        links: vec![(
            format!("/handlungsfelder/{}", d.card.field_slug),
            d.card.field_title.clone(),
        )],
    }];
    if let Some(fa) = &d.focus_area {
        facts.push(Fact {
            label: t.get("measure-focus"),
            value: fa.title.clone(),
            links: vec![],
        });
    }
    facts.push(Fact {
        label: t.get("measure-start"),
        value: date(d.measure.planned_start),
        links: vec![],
    });
    facts.push(Fact {
        label: t.get("measure-end"),
        value: date(d.measure.planned_end),
        links: vec![],
    });
    facts.push(Fact {
        label: t.get("measure-target-year"),
        value: d
            .measure
            .target_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        links: vec![],
    });
    facts.push(Fact {
        label: t.get("measure-departments"),
        value: String::new(),
        links: d
            .departments
            .iter()
            .map(|n| (format!("/massnahmen?department={}", n.slug), n.name.clone()))
            .collect(),
    });
    facts.push(Fact {
        label: t.get("measure-target-groups"),
        value: String::new(),
        links: d
            .target_groups
            .iter()
            .map(|n| {
                (
                    format!("/massnahmen?target_group={}", n.slug),
                    n.name.clone(),
                )
            })
            .collect(),
    });
    facts.push(Fact {
        label: t.get("measure-tags"),
        value: names(&d.tags),
        links: vec![],
    });
    facts.push(Fact {
        label: t.get("measure-edition"),
        value: MeasureView::new(&t, &d.card, cmp).mark_label,
        links: vec![],
    });
    facts.push(Fact {
        label: t.get("measure-id"),
        value: d.measure.external_id.clone(),
        links: vec![],
    });
    let facts = facts
        .into_iter()
        .filter(|f| !f.value.is_empty() || !f.links.is_empty())
        .collect();
    let num = |v: Option<f64>, unit: &str| match v {
        Some(v) if v.fract() == 0.0 => format!("{} {unit}", v as i64).trim().to_string(),
        Some(v) => format!("{} {unit}", format!("{v:.2}").replace('.', ","))
            .trim()
            .to_string(),
        None => String::new(),
    };
    let entries = state.db.measure_history(id, 20).await?;
    // Published measures are rated; a back-office preview of a draft shows no rating.
    let rating_html = if preview.is_none() {
        let totals = state.db.rating_totals(id).await?;
        let mut rating = crate::participation::rating_box(state, t, id, &d.measure.slug, &totals);
        // A page rendered with the reader's session (the page cache is off) fills the slot here.
        if let Some(user) = &ctx.user {
            let current = state.db.my_rating(id, user.user.id).await?;
            rating.mine = Some(
                crate::participation::rating_slot(t, &rating.slot, &user.csrf_token, current)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            );
        }
        rating.html()?
    } else {
        String::new()
    };
    // Following it: a personal slot; a back-office preview has none.
    let follow_html = if preview.is_none() {
        crate::notifications::follow_box(
            state,
            t,
            domain::notifications::FollowKind::Measure,
            id,
            &d.measure.slug,
            ctx.user.as_ref(),
        )
        .await?
    } else {
        String::new()
    };
    // The discussion, first page, newest first; a back-office preview has none.
    let (comments_html, comment_tags) = if preview.is_none() {
        let target = crate::comments::Target {
            subject: domain::comments::Subject::measure(id),
            page: format!("/massnahmen/{}", d.measure.slug),
            slug: d.measure.slug.clone(),
            title: d.measure.title.clone(),
            voice: crate::comments::Voice::Field(d.measure.field_id),
            closed: None,
        };
        let s = crate::comments::section(
            state,
            t,
            &target,
            domain::comments::Sort::Newest,
            None,
            ctx.user.as_ref(),
        )
        .await?;
        (s.html, s.tags)
    } else {
        (String::new(), Vec::new())
    };
    // The page shows these measures and people: a change of any of them drops it.
    let mut shown: Vec<String> = vec![domain::tags::measure(id), domain::tags::rating(id)];
    shown.extend(comment_tags);
    shown.extend(d.parent.iter().map(|p| domain::tags::measure(p.id)));
    shown.extend(d.children.iter().map(|m| domain::tags::measure(m.id)));
    shown.extend(d.related.iter().map(|m| domain::tags::measure(m.id)));
    // Its events: any event that is published, moved or renamed may change the list.
    let events = state.db.events_of_measure(id).await?;
    shown.push(domain::tags::PROGRAMME.to_string());
    // Its offers: a saved offer publishes `offers`, as does a provider's approval.
    let offers = state.db.offers_of_measure(id, OFFERS_SHOWN).await?;
    shown.push(domain::tags::OFFERS.to_string());
    shown.extend(
        entries
            .iter()
            .filter_map(|h| h.actor_id)
            .map(domain::tags::person),
    );
    let history = entries
        .into_iter()
        .map(|h| HistoryView {
            date: domain::dates::german(h.at.date()),
            by: h
                .actor_name
                .map(|n| t.s("history-by", "name", &n))
                .unwrap_or_default(),
            text: describe_change(&t, h.before_value.as_deref(), h.after_value.as_deref()),
        })
        .collect();
    let edit_href = c.staff.then(|| format!("/admin/massnahmen/{id}"));
    html(MeasurePage {
        title: d.measure.title.clone(),
        m: MeasureView::new(&t, &d.card, cmp),
        external_id: d.measure.external_id.clone(),
        description_html: d.measure.description_html.clone(),
        goals: d.measure.goals.clone(),
        progress_note: if d.measure.progress_entered.is_none() && !d.children.is_empty() {
            t.get("progress-rolled-up")
        } else {
            String::new()
        },
        facts,
        parent: d.parent.as_ref().map(|p| MeasureView::new(&t, p, cmp)),
        children: d
            .children
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        milestones: d
            .milestones
            .iter()
            .map(|m| MilestoneView {
                date: date(m.due_date),
                title: m.title.clone(),
                state: t.get(if m.reached {
                    "milestone-reached"
                } else {
                    "milestone-open"
                }),
                reached: m.reached,
            })
            .collect(),
        kpis: d
            .kpis
            .iter()
            .map(|k| KpiView {
                name: k.name.clone(),
                current: num(k.current_value, &k.unit),
                target: num(k.target_value, &k.unit),
                as_of: date(k.as_of),
            })
            .collect(),
        reports: d
            .reports
            .iter()
            .map(|r| ReportBlock {
                heading: t.n("report-year", "year", r.year),
                date: domain::dates::german(r.published_on),
                anchor: format!("bericht-{}", r.id),
                parts: [
                    ("report-results", &r.results),
                    ("report-outlook", &r.outlook),
                    ("report-highlights", &r.highlights),
                ]
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (t.get(k), v.clone()))
                .collect(),
            })
            .collect(),
        decisions: d
            .decisions
            .iter()
            .map(|x| DecisionView {
                number: x.number.clone(),
                date: x
                    .decision_date
                    .map(|d| t.s("decision-of", "date", &domain::dates::german(d)))
                    .unwrap_or_default(),
                url: x.url.clone(),
            })
            .collect(),
        related: d
            .related
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        events: events
            .into_iter()
            .map(|(slug, title, at)| {
                (
                    format!("/veranstaltungen/{slug}"),
                    title,
                    crate::programme::day(at),
                )
            })
            .collect(),
        offers: offers
            .into_iter()
            .map(|(slug, title)| (format!("/angebote/{slug}"), title))
            .collect(),
        updated: domain::dates::german(d.measure.updated_at.date()),
        history,
        rating_html,
        follow_html,
        comments_html,
        id,
        edit_href,
        preview,
        c,
    })
    .map(|r| crate::cache::tagged(r, shown))
}

/// "Status: In Umsetzung → Abgeschlossen; Fortschritt: 60 % → 100 %" from an audit entry's values.
pub(crate) fn describe_change(t: &Tr, before: Option<&str>, after: Option<&str>) -> String {
    let parse = |v: Option<&str>| {
        v.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .unwrap_or_default()
    };
    if before.is_none() {
        return t.get("history-created");
    }
    let (b, a) = (parse(before), parse(after));
    let mut parts = Vec::new();
    if b["status"] != a["status"] {
        parts.push(format!(
            "{}: {} → {}",
            t.get("col-status"),
            t.status(b["status"].as_str().unwrap_or("")),
            t.status(a["status"].as_str().unwrap_or(""))
        ));
    }
    if b["progress"] != a["progress"] {
        parts.push(format!(
            "{}: {} % → {} %",
            t.get("col-progress"),
            b["progress"],
            a["progress"]
        ));
    }
    for (key, label) in [
        ("title", "edit-field-title"),
        ("summary", "measure-summary"),
        ("goals", "measure-goals"),
    ] {
        if b[key] != a[key] {
            parts.push(t.get(label));
        }
    }
    if a["description_changed"] == serde_json::Value::Bool(true) {
        parts.push(t.get("measure-description"));
    }
    if b["state"] != a["state"] && a["state"].is_string() {
        parts.push(format!(
            "{}: {}",
            t.get("history-state"),
            t.get(&format!("state-{}", a["state"].as_str().unwrap_or("")))
        ));
    }
    if let Some(changed) = a["changed"].as_array() {
        for key in changed.iter().filter_map(|k| k.as_str()) {
            parts.push(t.get(&format!("history-changed-{key}")));
        }
    }
    parts.join("; ")
}
