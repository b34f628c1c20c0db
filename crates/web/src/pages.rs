//! HTML pages of the radar module. Each handler loads what its page shows and hands a view to
//! its template; the page cache in front of them makes repeated reads near static speed.

use crate::AppState;
use crate::error::AppError;
use crate::filters::{Params, Rings};
use crate::i18n::{Arg, Tr};
use crate::radar::{RingMode, histogram_svg, radar_svg, stacked_bars_svg, timeline_svg};
use crate::session::Ctx;
use crate::views::*;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use domain::Status;
use store::strategy::{MeasureCard, MeasureFilter, Sort, Taxonomy};

type PageResult = Result<Response, AppError>;

fn html(t: impl Template) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

/// Whether there is a previous edition to compare measures with.
async fn compares(state: &AppState) -> Result<bool, AppError> {
    Ok(state.db.editions().await?.len() >= 2)
}

async fn chrome(state: &AppState, ctx: &Ctx, nav: &'static str) -> Result<Chrome, AppError> {
    crate::branding::chrome(state, ctx, nav).await
}

fn counts_of(measures: &[MeasureCard]) -> [i64; 4] {
    let mut c = [0i64; 4];
    for m in measures {
        c[Status::ALL
            .iter()
            .position(|s| *s == m.status())
            .unwrap_or(0)] += 1;
    }
    c
}

/// The filter form of the radar, list and timeline pages.
async fn filter_form(
    state: &AppState,
    t: &Tr,
    tax: &Taxonomy,
    p: &Params,
    action: &'static str,
    extra: bool,
) -> Result<FilterForm, AppError> {
    let (departments, groups, years) = state.db.facets().await?;
    let f = &p.filter;
    let all = || Opt {
        value: String::new(),
        label: t.get("filter-all"),
        selected: false,
    };
    let opts = |items: Vec<(String, String)>, current: &Option<String>| {
        let mut v = vec![all()];
        v.extend(items.into_iter().map(|(value, label)| Opt {
            selected: current.as_deref() == Some(value.as_str()),
            value,
            label,
        }));
        v
    };
    let mut selects = vec![
        Select {
            name: "core_area",
            label: t.get("filter-core-area"),
            options: opts(
                tax.core_areas
                    .iter()
                    .map(|c| (c.slug.clone(), c.title.clone()))
                    .collect(),
                &f.core_area,
            ),
        },
        Select {
            name: "field",
            label: t.get("filter-field"),
            options: opts(
                tax.fields
                    .iter()
                    .map(|c| (c.slug.clone(), c.title.clone()))
                    .collect(),
                &f.field,
            ),
        },
        Select {
            name: "status",
            label: t.get("filter-status"),
            options: opts(
                Status::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), t.status(s.as_str())))
                    .collect(),
                &f.status.map(|s| s.as_str().to_string()),
            ),
        },
        Select {
            name: "target_group",
            label: t.get("filter-target-group"),
            options: opts(
                groups.into_iter().map(|n| (n.slug, n.name)).collect(),
                &f.target_group,
            ),
        },
        Select {
            name: "department",
            label: t.get("filter-department"),
            options: opts(
                departments.into_iter().map(|n| (n.slug, n.name)).collect(),
                &f.department,
            ),
        },
        Select {
            name: "year",
            label: t.get("filter-year"),
            options: opts(
                years
                    .into_iter()
                    .map(|y| (y.to_string(), y.to_string()))
                    .collect(),
                &f.year.map(|y| y.to_string()),
            ),
        },
    ];
    if extra && action == "/massnahmen" {
        selects.push(Select {
            name: "sort",
            label: t.get("filter-sort"),
            options: Sort::ALL
                .iter()
                .map(|s| Opt {
                    value: s.as_str().into(),
                    label: t.get(&format!("sort-{}", s.as_str())),
                    selected: p.sort == *s,
                })
                .collect(),
        });
    }
    if extra && action == "/radar" {
        selects.push(Select {
            name: "rings",
            label: t.get("radar-ring-mode"),
            options: vec![
                Opt {
                    value: "status".into(),
                    label: t.get("filter-status"),
                    selected: p.rings == Rings::Status,
                },
                Opt {
                    value: "year".into(),
                    label: t.get("filter-year"),
                    selected: p.rings == Rings::Year,
                },
            ],
        });
    }
    let reset_href = match &p.lang {
        Some(l) => format!("{action}?lang={l}"),
        None => action.to_string(),
    };
    Ok(FilterForm {
        action,
        q: f.q.clone().unwrap_or_default(),
        selects,
        reset_href,
    })
}

fn legend(
    t: &Tr,
    tax: &Taxonomy,
    measures: &[MeasureCard],
    rings: &RingMode,
    compare: bool,
) -> Legend {
    let count = |field_id: i64| measures.iter().filter(|m| m.field_id == field_id).count() as i64;
    Legend {
        core_areas: tax
            .core_areas
            .iter()
            .map(|c| LegendItem {
                label: c.title.clone(),
                colour: c.colour.clone(),
                href: format!("/radar?core_area={}", c.slug),
                count: tax.fields_of(c.id).map(|f| count(f.id)).sum(),
            })
            .collect(),
        fields: tax
            .fields
            .iter()
            .map(|f| LegendItem {
                label: f.title.clone(),
                colour: tax.colour_of(f).to_string(),
                href: format!("/handlungsfelder/{}", f.slug),
                count: count(f.id),
            })
            .collect(),
        rings: rings.labels(t),
        marks: compare,
    }
}

fn ring_mode(p: &Params, measures: &[MeasureCard]) -> RingMode {
    match p.rings {
        Rings::Status => RingMode::Status,
        Rings::Year => RingMode::years(measures),
    }
}

fn rings_word(t: &Tr, p: &Params) -> String {
    t.get(if p.rings == Rings::Year {
        "radar-rings-year"
    } else {
        "radar-rings-status"
    })
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "home").await?;
    let strategy = state.db.strategy().await?;
    let tax = state.db.taxonomy().await?;
    let measures = state.db.all_measures(&MeasureFilter::default()).await?;
    let editions = state.db.editions().await?;
    let reports = state.db.latest_reports(5).await?;
    let p = Params::default();
    let rings = ring_mode(&p, &measures);
    let label = t.args(
        "radar-svg-label",
        &[
            ("count", Arg::Num(measures.len() as i64)),
            ("rings", Arg::Str(rings_word(&t, &p))),
        ],
    );
    html(HomePage {
        title: strategy
            .as_ref()
            .map(|s| s.title.clone())
            .unwrap_or_else(|| t.get("site-name")),
        intro: if strategy.is_some() {
            t.get("home-intro")
        } else {
            t.get("empty-strategy")
        },
        vision_html: strategy.map(|s| s.vision_html).unwrap_or_default(),
        edition: editions.last().map(|e| e.title.clone()).unwrap_or_default(),
        svg: radar_svg(&t, &tax, &measures, &rings, &label, cmp),
        total: t.n("measures-total", "count", measures.len() as i64),
        counts: status_counts(&t, counts_of(&measures), "/massnahmen?"),
        reports: reports
            .into_iter()
            .map(|r| ReportView {
                href: format!("/massnahmen/{}#bericht-{}", r.measure_slug, r.id),
                measure_title: r.measure_title,
                heading: t.n("report-year", "year", r.year),
                date: domain::dates::german(r.published_on),
                results: r.results,
            })
            .collect(),
        legend: legend(&t, &tax, &measures, &rings, cmp),
        c,
    })
}

pub async fn radar(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "radar").await?;
    let tax = state.db.taxonomy().await?;
    let measures = state.db.all_measures(&p.filter).await?;
    let rings = ring_mode(&p, &measures);
    let label = t.args(
        "radar-svg-label",
        &[
            ("count", Arg::Num(measures.len() as i64)),
            ("rings", Arg::Str(rings_word(&t, &p))),
        ],
    );
    html(RadarPage {
        title: t.get("radar-title"),
        intro: t.s("radar-intro", "rings", &rings_word(&t, &p)),
        form: filter_form(&state, &t, &tax, &p, "/radar", true).await?,
        svg: radar_svg(&t, &tax, &measures, &rings, &label, cmp),
        legend: legend(&t, &tax, &measures, &rings, cmp),
        results: t.n("list-results", "count", measures.len() as i64),
        rows: measures
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        c,
    })
}

const PER_PAGE: i64 = 25;

pub async fn measures(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "measures").await?;
    let tax = state.db.taxonomy().await?;
    let per_page = p.per_page.unwrap_or(PER_PAGE);
    let page = state
        .db
        .measures(&p.filter, p.sort, p.page, per_page)
        .await?;
    html(ListPage {
        title: t.get("list-title"),
        heading: p
            .filter
            .q
            .as_deref()
            .map(|q| t.s("list-search-results", "q", q))
            .unwrap_or_default(),
        form: filter_form(&state, &t, &tax, &p, "/massnahmen", true).await?,
        results: t.n("list-results", "count", page.total),
        items: page
            .items
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        pagination: Pagination::new("/massnahmen", &p, page.page, per_page, page.total),
        c,
    })
}

pub async fn measure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let id = state
        .db
        .measure_id_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    measure_page(&state, &ctx, id, None).await
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
    let history = state
        .db
        .measure_history(id, 20)
        .await?
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
        updated: domain::dates::german(d.measure.updated_at.date()),
        history,
        edit_href,
        preview,
        c,
    })
}

pub async fn field(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    p: Params,
) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let tax = state.db.taxonomy().await?;
    let f = tax.field_by_slug(&slug).ok_or(AppError::NotFound)?;
    let c = chrome(&state, &ctx, "radar").await?;
    let ca = tax.core_area(f.core_area_id);
    let mut counts = [0i64; 4];
    for (field_id, status, n) in state.db.status_counts().await? {
        if field_id == f.id
            && let Some(i) = Status::ALL.iter().position(|s| s.as_str() == status)
        {
            counts[i] = n;
        }
    }
    let total: i64 = counts.iter().sum();
    let filter = MeasureFilter {
        field: Some(slug.clone()),
        ..Default::default()
    };
    let page = state.db.measures(&filter, Sort::Title, p.page, 50).await?;
    let pp = Params {
        filter: MeasureFilter::default(),
        lang: p.lang.clone(),
        ..Default::default()
    };
    html(FieldPage {
        title: f.title.clone(),
        core_area: ca.map(|c| c.title.clone()).unwrap_or_default(),
        colour: tax.colour_of(f).to_string(),
        description: f.description.clone(),
        goals: f.goals.clone(),
        counts_text: t.args(
            "field-counts",
            &[
                ("planned", Arg::Num(counts[0])),
                ("in_progress", Arg::Num(counts[1])),
                ("done", Arg::Num(counts[2])),
                ("dropped", Arg::Num(counts[3])),
                ("total", Arg::Num(total)),
            ],
        ),
        counts: status_counts(&t, counts, &format!("/massnahmen?field={slug}&")),
        focus_areas: tax
            .focus_areas_of(f.id)
            .map(|a| (a.title.clone(), a.description.clone(), a.goals.clone()))
            .collect(),
        items: page
            .items
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        pagination: Pagination::new(
            &format!("/handlungsfelder/{slug}"),
            &pp,
            page.page,
            50,
            page.total,
        ),
        radar_href: format!("/radar?field={slug}"),
        c,
    })
}

pub async fn timeline(State(state): State<AppState>, ctx: Ctx, p: Params) -> PageResult {
    let t = ctx.t;
    let cmp = compares(&state).await?;
    let c = chrome(&state, &ctx, "timeline").await?;
    let tax = state.db.taxonomy().await?;
    let per_page = p.per_page.unwrap_or(50);
    let page = state
        .db
        .measures(&p.filter, Sort::Start, p.page, per_page)
        .await?;
    html(TimelinePage {
        title: t.get("timeline-title"),
        form: filter_form(&state, &t, &tax, &p, "/zeitleiste", false).await?,
        results: t.n("list-results", "count", page.total),
        svg: timeline_svg(
            &page.items,
            &t.n("timeline-svg-label", "count", page.items.len() as i64),
            time::OffsetDateTime::now_utc().date(),
            &t.get("timeline-today"),
        ),
        items: page
            .items
            .iter()
            .map(|m| MeasureView::new(&t, m, cmp))
            .collect(),
        pagination: Pagination::new("/zeitleiste", &p, page.page, per_page, page.total),
        c,
    })
}

pub async fn statistics(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let c = chrome(&state, &ctx, "stats").await?;
    let tax = state.db.taxonomy().await?;
    let counts = state.db.status_counts().await?;
    let measures = state.db.all_measures(&MeasureFilter::default()).await?;
    let by_field: Vec<StatRow> = tax
        .fields
        .iter()
        .map(|f| {
            let mut cells = vec![0i64; 4];
            for (fid, status, n) in &counts {
                if *fid == f.id
                    && let Some(i) = Status::ALL.iter().position(|s| s.as_str() == status)
                {
                    cells[i] = *n;
                }
            }
            StatRow {
                label: f.title.clone(),
                href: format!("/handlungsfelder/{}", f.slug),
                total: cells.iter().sum(),
                cells,
            }
        })
        .collect();
    let mut bands = [0i64; 11];
    let (mut sum, mut n) = (0i64, 0i64);
    for m in &measures {
        bands[(m.progress / 10).clamp(0, 10) as usize] += 1;
        if matches!(m.status(), Status::InProgress | Status::Done) {
            sum += m.progress;
            n += 1;
        }
    }
    let progress_bands: Vec<(String, i64)> = bands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                if i == 10 {
                    "100 %".to_string()
                } else {
                    format!("{}–{} %", i * 10, i * 10 + 9)
                },
                *c,
            )
        })
        .collect();
    let bars: Vec<(String, [i64; 4])> = by_field
        .iter()
        .map(|r| {
            (
                r.label.clone(),
                [r.cells[0], r.cells[1], r.cells[2], r.cells[3]],
            )
        })
        .collect();
    html(StatsPage {
        title: t.get("stats-title"),
        overall: t.n(
            "stats-overall",
            "percent",
            if n > 0 {
                (sum as f64 / n as f64).round() as i64
            } else {
                0
            },
        ),
        status_labels: Status::ALL.iter().map(|s| t.status(s.as_str())).collect(),
        by_field_svg: stacked_bars_svg(&bars, &t.get("stats-status-by-field-label")),
        by_field,
        progress_svg: histogram_svg(&progress_bands, &t.get("stats-progress-label")),
        progress_bands,
        c,
    })
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// "Status: In Umsetzung → Abgeschlossen; Fortschritt: 60 % → 100 %" from an audit entry's values.
fn describe_change(t: &Tr, before: Option<&str>, after: Option<&str>) -> String {
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

/// The privacy notice shipped with stadtradar, used until the city enters its own.
const DEFAULT_PRIVACY: &str = include_str!("../content/datenschutz.md");

pub async fn imprint(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let c = chrome(&state, &ctx, "imprint").await?;
    let imprint = state
        .db
        .setting("imprint")
        .await?
        .filter(|v| !v.trim().is_empty());
    let contact = state
        .db
        .setting("contact")
        .await?
        .filter(|v| !v.trim().is_empty());
    let mut html = match imprint {
        Some(md) => domain::text::markdown_to_safe_html(&md),
        None => format!("<p>{}</p>", crate::radar::esc(&t.get("imprint-missing"))),
    };
    if let Some(md) = contact {
        html.push_str(&format!(
            "<h2>{}</h2>",
            crate::radar::esc(&t.get("contact-title"))
        ));
        html.push_str(&domain::text::markdown_to_safe_html(&md));
    }
    self::html(LegalPage {
        c,
        title: t.get("imprint-title"),
        html,
    })
}

pub async fn privacy(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let t = ctx.t;
    let c = chrome(&state, &ctx, "privacy").await?;
    let md = state
        .db
        .setting("privacy")
        .await?
        .filter(|v| !v.trim().is_empty());
    let html = domain::text::markdown_to_safe_html(md.as_deref().unwrap_or(DEFAULT_PRIVACY));
    self::html(LegalPage {
        c,
        title: t.get("privacy-title"),
        html,
    })
}
