//! The audit log (admins only): filters by action, subject type, actor and date range, as a GET
//! form applied on submit; the pages keep the filters.

use super::{PER_PAGE, PageResult, chrome, render};
use crate::AppState;
use crate::admin::views::{AuditPage, AuditRow};
use crate::error::AppError;
use crate::extract::{RequireRole, role};
use crate::i18n::Tr;
use crate::layout::{Opt, Pagination, Select};
use crate::radar::params::encode;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use serde::Deserialize;
use store::audit::{ActorFilter, AuditFilter};
use time::Date;

#[derive(Debug, Default, Deserialize)]
struct Raw {
    action: Option<String>,
    subject: Option<String>,
    actor: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
    lang: Option<String>,
}

/// The checked query of `/admin/protokoll`. A bad value is a 400 naming the field (the reason
/// is a translation key whose text names the field in the reader's language).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub page: i64,
    pub lang: Option<String>,
}

fn present(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Actions look like `user.roles`, subject types like `measure`: lower-case words.
fn word(field: &str, v: Option<String>, dots: bool) -> Result<Option<String>, AppError> {
    match present(v) {
        None => Ok(None),
        Some(s)
            if s.len() <= 64
                && s.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || (dots && b == b'.')
                }) =>
        {
            Ok(Some(s))
        }
        Some(_) => Err(AppError::bad(field, format!("audit-bad-{field}"))),
    }
}

fn day(field: &str, v: Option<String>) -> Result<Option<Date>, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match present(v) {
        None => Ok(None),
        Some(s) => Date::parse(&s, &format)
            .map(Some)
            .map_err(|_| AppError::bad(field, format!("audit-bad-{field}"))),
    }
}

impl AuditQuery {
    fn from_raw(r: Raw) -> Result<AuditQuery, AppError> {
        let actor = match present(r.actor).as_deref() {
            None => ActorFilter::Any,
            Some("cli") => ActorFilter::Cli,
            Some(s) => match s.parse::<i64>() {
                Ok(id) if id > 0 => ActorFilter::User(id),
                _ => return Err(AppError::bad("actor", "audit-bad-actor")),
            },
        };
        let from = day("from", r.from)?;
        let to = day("to", r.to)?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(AppError::bad("to", "audit-bad-range"));
        }
        let page = match present(r.page) {
            None => 1,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=1_000_000).contains(&n) => n,
                _ => return Err(AppError::bad("page", "audit-bad-page")),
            },
        };
        let lang = match present(r.lang) {
            None => None,
            Some(l) if crate::i18n::Lang::parse(&l).is_some() => Some(l),
            Some(_) => return Err(AppError::bad("lang", "audit-bad-lang")),
        };
        Ok(AuditQuery {
            filter: AuditFilter {
                action: word("action", r.action, true)?,
                subject_type: word("subject", r.subject, false)?,
                actor,
                from,
                to,
            },
            page,
            lang,
        })
    }

    /// The query string of these filters on another page (empty values left out).
    pub fn query_string(&self, page: i64) -> String {
        let f = &self.filter;
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(a) = &f.action {
            parts.push(("action", a.clone()));
        }
        if let Some(s) = &f.subject_type {
            parts.push(("subject", s.clone()));
        }
        match f.actor {
            ActorFilter::Any => {}
            ActorFilter::Cli => parts.push(("actor", "cli".into())),
            ActorFilter::User(id) => parts.push(("actor", id.to_string())),
        }
        if let Some(d) = f.from {
            parts.push(("from", iso(d)));
        }
        if let Some(d) = f.to {
            parts.push(("to", iso(d)));
        }
        if let Some(l) = &self.lang {
            parts.push(("lang", l.clone()));
        }
        if page > 1 {
            parts.push(("page", page.to_string()));
        }
        let joined: Vec<String> = parts
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if joined.is_empty() {
            String::new()
        } else {
            format!("?{}", joined.join("&"))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuditQuery {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw: Raw = match parts.uri.query() {
            None => Raw::default(),
            Some(q) => serde_urlencoded::from_str(q)
                .map_err(|_| AppError::bad("query", "audit-bad-query"))?,
        };
        AuditQuery::from_raw(raw)
    }
}

fn iso(d: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&format).unwrap_or_default()
}

/// The label of an action: its translation, or the action itself when there is none.
fn action_label(t: &Tr, action: &str) -> String {
    let key = format!("audit-{}", action.replace('.', "-"));
    let label = t.get(&key);
    if label == key {
        action.to_string()
    } else {
        label
    }
}

const MAX_SHOWN: usize = 200;

fn shorten(v: &str) -> String {
    let v = v.trim();
    if v.chars().count() > MAX_SHOWN {
        let cut: String = v.chars().take(MAX_SHOWN).collect();
        format!("{cut}…")
    } else {
        v.to_string()
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => shorten(s),
        serde_json::Value::Null => "–".into(),
        serde_json::Value::Array(items) => {
            shorten(&items.iter().map(scalar).collect::<Vec<_>>().join(", "))
        }
        other => shorten(&other.to_string()),
    }
}

/// Readable lines of a before/after pair. JSON objects show only the keys whose values differ,
/// one `key: value` line each; other JSON values and plain text are shown as they are, shortened.
pub fn summarise(before: Option<&str>, after: Option<&str>) -> (Vec<String>, Vec<String>) {
    let parse = |v: Option<&str>| {
        v.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .filter(serde_json::Value::is_object)
    };
    let plain = |v: Option<&str>| {
        v.filter(|s| !s.trim().is_empty())
            .map(|s| vec![shorten(s)])
            .unwrap_or_default()
    };
    match (parse(before), parse(after)) {
        (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(a))) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            let line = |m: &serde_json::Map<String, serde_json::Value>, k: &str| {
                m.get(k).map(|v| format!("{k}: {}", scalar(v)))
            };
            let changed: Vec<&String> = keys
                .into_iter()
                .filter(|k| b.get(*k) != a.get(*k))
                .collect();
            (
                changed.iter().filter_map(|k| line(&b, k)).collect(),
                changed.iter().filter_map(|k| line(&a, k)).collect(),
            )
        }
        (Some(serde_json::Value::Object(b)), _) => (
            b.iter()
                .map(|(k, v)| format!("{k}: {}", scalar(v)))
                .collect(),
            plain(after),
        ),
        (_, Some(serde_json::Value::Object(a))) => (
            plain(before),
            a.iter()
                .map(|(k, v)| format!("{k}: {}", scalar(v)))
                .collect(),
        ),
        _ => (plain(before), plain(after)),
    }
}

fn select(
    name: &'static str,
    label: String,
    all: String,
    options: Vec<(String, String)>,
    current: Option<String>,
) -> Select {
    let mut opts = vec![Opt {
        value: String::new(),
        label: all,
        selected: current.is_none(),
    }];
    opts.extend(options.into_iter().map(|(value, label)| Opt {
        selected: current.as_deref() == Some(value.as_str()),
        value,
        label,
    }));
    Select {
        name,
        label,
        options: opts,
    }
}

pub async fn audit(
    State(state): State<AppState>,
    // Who may see the log comes before what is wrong with the filters.
    RequireRole { ctx, .. }: RequireRole<role::Admin>,
    q: Result<AuditQuery, AppError>,
) -> PageResult {
    let q = q?;
    let (entries, total) = state
        .db
        .audit_log(&q.filter, PER_PAGE, (q.page - 1) * PER_PAGE)
        .await?;
    let choices = state.db.audit_choices().await?;
    let t = &ctx.t;
    let cli = t.get("audit-actor-cli");
    let f = &q.filter;
    let mut actors: Vec<(String, String)> = Vec::new();
    if choices.cli {
        actors.push(("cli".into(), cli.clone()));
    }
    actors.extend(
        choices
            .actors
            .iter()
            .map(|(id, name)| (id.to_string(), format!("{name} (#{id})"))),
    );
    let selects = vec![
        select(
            "action",
            t.get("audit-action"),
            t.get("filter-all"),
            choices
                .actions
                .iter()
                .map(|a| (a.clone(), action_label(t, a)))
                .collect(),
            f.action.clone(),
        ),
        select(
            "subject",
            t.get("audit-subject-type"),
            t.get("filter-all"),
            choices
                .subject_types
                .iter()
                .map(|s| (s.clone(), s.clone()))
                .collect(),
            f.subject_type.clone(),
        ),
        select(
            "actor",
            t.get("audit-actor"),
            t.get("filter-all"),
            actors,
            match f.actor {
                ActorFilter::Any => None,
                ActorFilter::Cli => Some("cli".into()),
                ActorFilter::User(id) => Some(id.to_string()),
            },
        ),
    ];
    let when = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    render(AuditPage {
        c: chrome(&state, &ctx).await?,
        title: t.get("admin-audit-title"),
        selects,
        from: f.from.map(iso).unwrap_or_default(),
        to: f.to.map(iso).unwrap_or_default(),
        total,
        rows: entries
            .into_iter()
            .map(|e| {
                let (before, after) =
                    summarise(e.before_value.as_deref(), e.after_value.as_deref());
                AuditRow {
                    at: e.at.format(&when).unwrap_or_default(),
                    actor: e.actor_name.unwrap_or_else(|| cli.clone()),
                    action: action_label(t, &e.action),
                    subject: format!(
                        "{} {}",
                        e.subject_type,
                        e.subject_id.map(|i| i.to_string()).unwrap_or_default()
                    )
                    .trim()
                    .to_string(),
                    before,
                    after,
                }
            })
            .collect(),
        pagination: Pagination::with_links(q.page, PER_PAGE, total, |n| {
            format!("/admin/protokoll{}", q.query_string(n))
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<AuditQuery, AppError> {
        AuditQuery::from_raw(serde_urlencoded::from_str(q).unwrap_or_default())
    }

    #[test]
    fn bad_values_name_their_field() {
        for (q, field) in [
            ("action=User.Roles", "action"),
            ("subject=a%20b", "subject"),
            ("actor=-3", "actor"),
            ("actor=jemand", "actor"),
            ("from=2026-13-01", "from"),
            ("to=gestern", "to"),
            ("from=2026-05-02&to=2026-05-01", "to"),
            ("page=0", "page"),
        ] {
            match parse(q) {
                Err(AppError::BadRequest { field: f, .. }) => assert_eq!(f, field, "{q}"),
                other => panic!("{q}: expected a bad request, got {other:?}"),
            }
        }
    }

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let q =
            parse("action=user.roles&subject=user&actor=cli&from=2026-01-01&to=2026-01-31&page=2")
                .unwrap();
        assert_eq!(
            q.query_string(3),
            "?action=user.roles&subject=user&actor=cli&from=2026-01-01&to=2026-01-31&page=3"
        );
        assert_eq!(parse(&q.query_string(2)[1..]).unwrap(), q);
        assert_eq!(parse("action=&actor=&from=").unwrap().query_string(1), "");
    }

    #[test]
    fn json_values_show_what_changed() {
        let (b, a) = summarise(
            Some(r#"{"title":"A","status":"planned","progress":10}"#),
            Some(r#"{"title":"A","status":"done","progress":100,"description_changed":false}"#),
        );
        assert_eq!(b, vec!["progress: 10", "status: planned"]);
        assert_eq!(
            a,
            vec![
                "description_changed: false",
                "progress: 100",
                "status: done"
            ]
        );
        let (b, a) = summarise(Some("citizen"), Some("citizen,editor"));
        assert_eq!(
            (b, a),
            (
                vec!["citizen".to_string()],
                vec!["citizen,editor".to_string()]
            )
        );
        let (_, a) = summarise(None, Some(&"x".repeat(500)));
        assert_eq!(a[0].chars().count(), MAX_SHOWN + 1);
    }
}
