//! The filters of an event's programme (format, topic, language, recorded or not, an
//! accessibility service, a target group), applied on submit as a GET form (WCAG 3.2.2), so every filtered
//! view is an address; and "jetzt und gleich" (`/veranstaltungen/{slug}/jetzt`): the sessions
//! running now and the next ones, computed on every request (never cached: it changes by the
//! minute).

use super::public_event;
use crate::AppState;
use crate::error::AppError;
use crate::extract::{Ctx, Path};
use crate::i18n::Tr;
use crate::layout::{Chrome, PageResult};
use askama::Template;
use axum::extract::State;
use serde::Deserialize;
use store::programme::Session;
use time::OffsetDateTime;

/// The query of the programme's filters.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub track: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub recorded: Option<String>,
    #[serde(default)]
    pub access: Option<String>,
    /// A target group's address.
    #[serde(default)]
    pub target_group: Option<String>,
}

/// The filters as understood: each `None` when not set.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Filters {
    pub format: Option<i64>,
    pub track: Option<String>,
    pub language: Option<String>,
    /// `Some(true)`: recorded; `Some(false)`: not recorded.
    pub recorded: Option<bool>,
    /// `sign_language`, `live_captions` or `easy_language`.
    pub access: Option<&'static str>,
    /// A target group's address.
    pub group: Option<String>,
}

/// The accessibility services a filter can ask for.
pub(crate) const ACCESS: [&str; 3] = ["sign_language", "live_captions", "easy_language"];

fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filters {
    /// Reads the query against the event's `sessions`: a value no session has is a bad request
    /// naming the field (a typo should not silently show nothing).
    pub fn parse(t: &Tr, q: &FilterQuery, sessions: &[Session]) -> Result<Filters, AppError> {
        let bad = |field: &str| AppError::bad(field, t.get("programme-filter-bad"));
        let format = match set(&q.format) {
            None => None,
            Some(v) => {
                let id: i64 = v.parse().map_err(|_| bad("format"))?;
                if !sessions.iter().any(|s| s.input.format_id == Some(id)) {
                    return Err(bad("format"));
                }
                Some(id)
            }
        };
        let track = match set(&q.track) {
            None => None,
            Some(v) if sessions.iter().any(|s| s.input.track == v) => Some(v.to_string()),
            Some(_) => return Err(bad("track")),
        };
        let language = match set(&q.language) {
            None => None,
            Some(v) if sessions.iter().any(|s| s.input.language == v) => Some(v.to_string()),
            Some(_) => return Err(bad("language")),
        };
        let recorded = match set(&q.recorded) {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(_) => return Err(bad("recorded")),
        };
        let access = match set(&q.access) {
            None => None,
            Some(v) => Some(
                *ACCESS
                    .iter()
                    .find(|a| **a == v)
                    .ok_or_else(|| bad("access"))?,
            ),
        };
        let group = match set(&q.target_group) {
            None => None,
            Some(v)
                if sessions
                    .iter()
                    .any(|s| s.groups.iter().any(|g| g.slug == v)) =>
            {
                Some(v.to_string())
            }
            Some(_) => return Err(bad("target_group")),
        };
        Ok(Filters {
            format,
            track,
            language,
            recorded,
            access,
            group,
        })
    }

    pub fn any(&self) -> bool {
        *self != Filters::default()
    }

    /// Whether session `s` passes every filter.
    pub fn keeps(&self, s: &Session) -> bool {
        let i = &s.input;
        self.format.is_none_or(|f| i.format_id == Some(f))
            && self.track.as_deref().is_none_or(|t| i.track == t)
            && self.language.as_deref().is_none_or(|l| i.language == l)
            && self.recorded.is_none_or(|r| r != i.do_not_record)
            && self.access.is_none_or(|a| match a {
                "sign_language" => i.sign_language,
                "live_captions" => i.live_captions,
                _ => i.easy_language,
            })
            && self
                .group
                .as_deref()
                .is_none_or(|g| s.groups.iter().any(|x| x.slug == g))
    }
}

/// One select of the filter form.
pub(crate) struct FilterSelect {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<(String, String, bool)>,
}

/// The filter form's selects, with what the event's sessions offer.
pub(crate) fn selects(t: &Tr, sessions: &[Session], f: &Filters) -> Vec<FilterSelect> {
    let all = |label: &str| (String::new(), t.get(label), false);
    let mut formats: Vec<(i64, String)> = sessions
        .iter()
        .filter_map(|s| s.format.as_ref().map(|f| (f.id, f.name.clone())))
        .collect();
    formats.sort();
    formats.dedup();
    let mut tracks: Vec<String> = sessions
        .iter()
        .map(|s| s.input.track.clone())
        .filter(|t| !t.is_empty())
        .collect();
    tracks.sort();
    tracks.dedup();
    let mut languages: Vec<String> = sessions.iter().map(|s| s.input.language.clone()).collect();
    languages.sort();
    languages.dedup();
    let mut out = Vec::new();
    let mut push = |name: &'static str, label: &str, mut options: Vec<(String, String, bool)>| {
        // "all" is chosen when nothing else is.
        options[0].2 = !options.iter().any(|o| o.2);
        out.push(FilterSelect {
            name,
            label: t.get(label),
            options,
        });
    };
    let mut o = vec![all("programme-filter-all-formats")];
    o.extend(
        formats
            .into_iter()
            .map(|(id, name)| (id.to_string(), name, f.format == Some(id))),
    );
    push("format", "programme-format", o);
    let mut o = vec![all("programme-filter-all-tracks")];
    o.extend(tracks.into_iter().map(|tr| {
        let chosen = f.track.as_deref() == Some(tr.as_str());
        (tr.clone(), tr, chosen)
    }));
    push("track", "programme-track", o);
    let mut o = vec![all("programme-filter-all-languages")];
    o.extend(languages.into_iter().map(|l| {
        let label = match l.as_str() {
            "de" => t.get("programme-filter-german"),
            "en" => t.get("programme-filter-english"),
            other => other.to_string(),
        };
        let chosen = f.language.as_deref() == Some(l.as_str());
        (l, label, chosen)
    }));
    push("language", "programme-language", o);
    push(
        "recorded",
        "programme-filter-recorded",
        vec![
            all("programme-filter-all"),
            (
                "yes".into(),
                t.get("programme-filter-recorded-yes"),
                f.recorded == Some(true),
            ),
            (
                "no".into(),
                t.get("programme-filter-recorded-no"),
                f.recorded == Some(false),
            ),
        ],
    );
    let mut o = vec![all("programme-filter-all")];
    o.extend(ACCESS.iter().map(|a| {
        let key = match *a {
            "sign_language" => "programme-sign-language",
            "live_captions" => "programme-live-captions",
            _ => "programme-easy-language",
        };
        (a.to_string(), t.get(key), f.access == Some(*a))
    }));
    push("access", "programme-services", o);
    // Target groups, when any session names one.
    let mut groups: Vec<(String, String)> = sessions
        .iter()
        .flat_map(|s| s.groups.iter().map(|g| (g.name.clone(), g.slug.clone())))
        .collect();
    groups.sort();
    groups.dedup();
    if !groups.is_empty() {
        let mut o = vec![all("programme-filter-all-groups")];
        o.extend(groups.into_iter().map(|(name, slug)| {
            let chosen = f.group.as_deref() == Some(slug.as_str());
            (slug, name, chosen)
        }));
        push("target_group", "programme-list-group", o);
    }
    out
}

struct NowItem {
    title: String,
    href: String,
    time: String,
    room: String,
}

#[derive(Template)]
#[template(path = "programme/now.html")]
struct NowPage {
    c: Chrome,
    title: String,
    event_title: String,
    event_href: String,
    state: &'static str,
    when: String,
    now: Vec<NowItem>,
    next: Vec<NowItem>,
    next_at: String,
}

/// `GET /veranstaltungen/{slug}/jetzt`: what runs now and what comes next.
pub async fn now(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    let t = ctx.t;
    let event = public_event(&state, &slug).await?;
    let sessions = state.db.programme(event.id).await?;
    let at = OffsetDateTime::now_utc();
    let live: Vec<&Session> = sessions
        .iter()
        .filter(|s| s.input.state != domain::programme::SessionState::Cancelled)
        .collect();
    let item = |s: &Session| NowItem {
        title: s.input.title.clone(),
        href: format!("/veranstaltungen/{}/sessions/{}", event.slug, s.slug),
        time: t.args(
            "programme-time-range",
            &[
                (
                    "from",
                    crate::i18n::Arg::Str(super::clock(s.input.starts_at)),
                ),
                ("to", crate::i18n::Arg::Str(super::clock(s.input.ends_at))),
            ],
        ),
        room: s.room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
    };
    let running: Vec<NowItem> = live
        .iter()
        .filter(|s| s.input.starts_at <= at && at < s.input.ends_at)
        .map(|s| item(s))
        .collect();
    let next_start = live
        .iter()
        .map(|s| s.input.starts_at)
        .filter(|s| *s > at)
        .min();
    let next: Vec<NowItem> = match next_start {
        Some(n) => live
            .iter()
            .filter(|s| s.input.starts_at == n)
            .map(|s| item(s))
            .collect(),
        None => Vec::new(),
    };
    let state_of = if at < event.input.starts_at {
        "before"
    } else if at >= event.input.ends_at {
        "after"
    } else {
        "during"
    };
    let mut res = crate::accounts::render(NowPage {
        c: crate::layout::chrome(&state, &ctx, "events").await?,
        title: t.s("programme-now-title", "event", &event.input.title),
        event_title: event.input.title.clone(),
        event_href: format!("/veranstaltungen/{}", event.slug),
        state: state_of,
        when: super::span(&t, event.input.starts_at, event.input.ends_at),
        now: running,
        next,
        next_at: next_start.map(super::clock).unwrap_or_default(),
    })?;
    // The page changes by the minute: browsers may keep it for a minute, nobody longer.
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=60"),
    );
    Ok(res)
}
