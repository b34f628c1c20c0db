//! Helpers of several radar pages: counts, editions, the filter form, the legend.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::*;
use crate::radar::params::{Params, Rings};
use crate::radar::svg::*;
use crate::radar::views::*;
use domain::Status;
use store::strategy::{MeasureCard, Sort, Taxonomy};

/// Whether there is a previous edition to compare measures with.
pub(crate) async fn compares(state: &AppState) -> Result<bool, AppError> {
    Ok(state.db.editions().await?.len() >= 2)
}

pub(crate) fn counts_of(measures: &[MeasureCard]) -> [i64; 4] {
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
pub(crate) async fn filter_form(
    state: &AppState,
    t: &Tr,
    tax: &Taxonomy,
    p: &Params,
    action: &'static str,
    extra: bool,
) -> Result<FilterForm, AppError> {
    let facets = state.cards.snapshot(&state.db).await?;
    let (departments, groups, years) = (
        facets.departments.clone(),
        facets.target_groups.clone(),
        facets.years.clone(),
    );
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
        Select {
            name: "rating",
            label: t.get("filter-rating"),
            options: std::iter::once(all())
                .chain((1..=5).rev().map(|n| Opt {
                    value: n.to_string(),
                    label: t.n("filter-rating-at-least", "n", n),
                    selected: f.min_rating == Some(n),
                }))
                .collect(),
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

pub(crate) fn legend(
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

pub(crate) fn ring_mode(p: &Params, measures: &[MeasureCard]) -> RingMode {
    match p.rings {
        Rings::Status => RingMode::Status,
        Rings::Year => RingMode::years(measures),
    }
}

pub(crate) fn rings_word(t: &Tr, p: &Params) -> String {
    t.get(if p.rings == Rings::Year {
        "radar-rings-year"
    } else {
        "radar-rings-status"
    })
}
