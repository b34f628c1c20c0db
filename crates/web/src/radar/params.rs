//! Query parameters of the radar pages and the API: parsed and checked, a bad value names its field.

use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::Status;
use serde::Deserialize;
use store::strategy::{MeasureFilter, Sort};

/// Every query parameter a cached page reads (the fields of [`Raw`]); the page cache drops others.
pub const KNOWN: [&str; 14] = [
    "core_area",
    "field",
    "status",
    "target_group",
    "department",
    "year",
    "rating",
    "q",
    "sort",
    "page",
    "per_page",
    "rings",
    "lang",
    // The cursor of a discussion's pages (`comments`).
    "after",
];

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Raw {
    pub(crate) core_area: Option<String>,
    pub(crate) field: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) target_group: Option<String>,
    pub(crate) department: Option<String>,
    pub(crate) year: Option<String>,
    pub(crate) rating: Option<String>,
    pub(crate) q: Option<String>,
    pub(crate) sort: Option<String>,
    pub(crate) page: Option<String>,
    pub(crate) per_page: Option<String>,
    pub(crate) rings: Option<String>,
    pub(crate) lang: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rings {
    #[default]
    Status,
    Year,
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    pub filter: MeasureFilter,
    pub sort: Sort,
    pub page: i64,
    pub per_page: Option<i64>,
    pub rings: Rings,
    pub lang: Option<String>,
}

pub const MAX_PER_PAGE: i64 = 100;

pub(crate) fn slug(field: &str, v: Option<String>) -> Result<Option<String>, AppError> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if domain::text::is_slug(&s) => Ok(Some(s)),
        Some(s) => Err(AppError::bad(
            field,
            format!("{s:?} is not a valid identifier"),
        )),
    }
}

pub(crate) fn number(
    field: &str,
    v: Option<String>,
    min: i64,
    max: i64,
) -> Result<Option<i64>, AppError> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(AppError::bad(
                field,
                format!("{s:?} is not a whole number from {min} to {max}"),
            )),
        },
    }
}

impl Params {
    fn from_raw(r: Raw) -> Result<Params, AppError> {
        let status = match r.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                AppError::bad(
                    "status",
                    format!("{s:?} is not one of planned, in_progress, done, dropped"),
                )
            })?),
        };
        let q = r.q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
        if let Some(q) = &q
            && q.chars().count() > 200
        {
            return Err(AppError::bad(
                "q",
                "the search term is longer than 200 characters",
            ));
        }
        let sort = match r.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Sort::default(),
            Some(s) => Sort::parse(s).ok_or_else(|| {
                AppError::bad(
                    "sort",
                    format!("{s:?} is not one of relevance, title, progress, start, end, updated"),
                )
            })?,
        };
        let rings = match r.rings.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None | Some("status") => Rings::Status,
            Some("year") => Rings::Year,
            Some(s) => {
                return Err(AppError::bad(
                    "rings",
                    format!("{s:?} is not one of status, year"),
                ));
            }
        };
        let lang = match r.lang.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(l) if crate::i18n::Lang::parse(l).is_some() => Some(l.to_string()),
            Some(l) => return Err(AppError::bad("lang", format!("{l:?} is not one of de, en"))),
        };
        Ok(Params {
            filter: MeasureFilter {
                core_area: slug("core_area", r.core_area)?,
                field: slug("field", r.field)?,
                status,
                target_group: slug("target_group", r.target_group)?,
                department: slug("department", r.department)?,
                year: number("year", r.year, 1900, 2200)?,
                q,
                min_rating: number("rating", r.rating, 1, 5)?,
            },
            sort,
            page: number("page", r.page, 1, 1_000_000)?.unwrap_or(1),
            per_page: number("per_page", r.per_page, 1, MAX_PER_PAGE)?,
            rings,
            lang,
        })
    }

    /// The query string of these parameters with another page (and without the default values).
    pub fn query_string(&self, page: Option<i64>) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        let f = &self.filter;
        if let Some(v) = &f.q {
            parts.push(("q", v.clone()));
        }
        for (k, v) in [
            ("core_area", &f.core_area),
            ("field", &f.field),
            ("target_group", &f.target_group),
            ("department", &f.department),
        ] {
            if let Some(v) = v {
                parts.push((k, v.clone()));
            }
        }
        if let Some(s) = f.status {
            parts.push(("status", s.as_str().to_string()));
        }
        if let Some(y) = f.year {
            parts.push(("year", y.to_string()));
        }
        if let Some(r) = f.min_rating {
            parts.push(("rating", r.to_string()));
        }
        if self.sort != Sort::default() {
            parts.push(("sort", self.sort.as_str().to_string()));
        }
        if self.rings == Rings::Year {
            parts.push(("rings", "year".into()));
        }
        if let Some(n) = self.per_page {
            parts.push(("per_page", n.to_string()));
        }
        if let Some(l) = &self.lang {
            parts.push(("lang", l.clone()));
        }
        if let Some(p) = page.filter(|p| *p > 1) {
            parts.push(("page", p.to_string()));
        }
        if parts.is_empty() {
            return String::new();
        }
        let mut out = String::from("?");
        for (i, (k, v)) in parts.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(&encode(v));
        }
        out
    }
}

/// Percent-encodes a query value.
pub fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw: Raw = match parts.uri.query() {
            None => Raw::default(),
            Some(q) => {
                if let Some(field) = crate::extract::non_utf8_param(q) {
                    return Err(AppError::bad(&field, "contains bytes that are not UTF-8"));
                }
                serde_urlencoded::from_str(q).map_err(|e| AppError::bad("query", e.to_string()))?
            }
        };
        Params::from_raw(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Params, AppError> {
        Params::from_raw(serde_urlencoded::from_str(q).unwrap_or_default())
    }

    #[test]
    fn empty_values_from_forms_mean_no_filter() {
        let p = parse("status=&field=&q=+&year=").unwrap();
        assert!(p.filter.is_empty());
        assert_eq!(p.page, 1);
    }

    #[test]
    fn bad_values_name_their_field() {
        for (q, field) in [
            ("status=fertig", "status"),
            ("year=abc", "year"),
            ("page=0", "page"),
            ("per_page=1000", "per_page"),
            ("sort=random", "sort"),
            ("field=Bildung%20und", "field"),
            ("rings=circles", "rings"),
        ] {
            match parse(q) {
                Err(AppError::BadRequest { field: f, .. }) => assert_eq!(f, field, "{q}"),
                other => panic!("{q}: expected a bad request, got {other:?}"),
            }
        }
    }

    #[test]
    fn query_string_round_trips() {
        let p = parse("q=Kita+%26+Schule&status=done&page=3").unwrap();
        assert_eq!(
            p.query_string(Some(2)),
            "?q=Kita+%26+Schule&status=done&page=2"
        );
        assert_eq!(p.query_string(Some(1)), "?q=Kita+%26+Schule&status=done");
    }
}
