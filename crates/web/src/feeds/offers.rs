//! `GET /export/angebote.csv`: the public offers (published, by approved providers) as CSV,
//! written like the strategy's export: UTF-8 with a byte-order mark, `;` between cells, quotes
//! where needed and text cells that a spreadsheet would run as formulas escaped
//! (`domain::import::escape_cell`); numbers as they are. One row per offer, in the order they
//! were entered (by id); its schedules as text (`2026-12-01 14:00-16:00 RRULE:FREQ=WEEKLY;BYDAY=TU
//! EXDATE:2026-12-15`, several separated by ` | `). The filters of `/angebote` narrow it too.
//!
//! The offers are read [`CHUNK`] at a time while the body is sent, so a city with 50,000
//! offers never holds them all in memory; the first chunk is read before the answer starts,
//! so a database that is down still gets a proper error. A failure later ends the body early
//! (the client sees a broken transfer, not a short file that looks complete). Each chunk starts
//! after the last id of the one before (`Db::public_offers_after`), so every chunk costs what
//! the first did: no `OFFSET` that reads the rows before it, no count.

use crate::AppState;
use crate::error::AppError;
use crate::extract::{Locale, Query};
use crate::offers::today;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use domain::dates::iso;
use domain::import::escape_cell;
use futures_util::StreamExt;
use store::offers::Offer;
use time::format_description::well_known::Rfc3339;

/// Offers read and written at a time.
const CHUNK: i64 = 2000;

/// The header row.
const COLUMNS: [&str; 26] = [
    "id",
    "slug",
    "url",
    "title",
    "description",
    "provider",
    "provider_url",
    "category",
    "attendance",
    "place",
    "street",
    "postcode",
    "district",
    "lat",
    "lon",
    "online_url",
    "age_min",
    "age_max",
    "capacity",
    "cost_cents",
    "cost_note",
    "access",
    "accessibility",
    "languages",
    "schedules",
    "updated_at",
];

/// The schedules of an offer as text.
fn schedules(o: &Offer) -> String {
    o.schedules
        .iter()
        .map(|s| {
            let mut line = format!(
                "{} {}-{}",
                iso(s.first),
                crate::offers::hm(s.starts),
                crate::offers::hm(s.ends)
            );
            if let Some(r) = &s.rule {
                line.push_str(&format!(" RRULE:{}", r.to_rrule()));
                if !s.except.is_empty() {
                    let dates: Vec<String> = s.except.iter().map(|d| iso(*d)).collect();
                    line.push_str(&format!(" EXDATE:{}", dates.join(",")));
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The rows of `offers` (after the header row when `head`).
fn rows<'a>(
    state: &AppState,
    offers: impl Iterator<Item = &'a Offer>,
    head: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = if head {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_writer(&mut out);
        if head {
            w.write_record(COLUMNS)?;
        }
        for o in offers {
            let p = &o.input;
            let text = |v: &str| escape_cell(v).into_owned();
            let num = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
            let coord = |v: Option<f64>| v.map(|x| format!("{x:.6}")).unwrap_or_default();
            // id, the coordinates, ages, capacity and cost are numbers formatted here, which a
            // spreadsheet reads as numbers: they are not escaped. Every other column is text.
            let record: [String; 26] = [
                o.id.to_string(),
                text(&o.slug),
                text(&state.url(&format!("/angebote/{}", o.slug))),
                text(&p.title),
                text(&p.description),
                text(&o.provider_name),
                text(&state.url(&format!("/anbieter/{}", o.provider_slug))),
                text(&o.category.name),
                text(p.attendance.as_str()),
                text(&p.place_name),
                text(&p.street),
                text(&p.postcode),
                text(o.district.as_deref().unwrap_or("")),
                coord(p.point.map(|at| at.lat)),
                coord(p.point.map(|at| at.lon)),
                text(&p.online_url),
                num(p.age_min),
                num(p.age_max),
                num(p.capacity),
                num(p.cost_cents.filter(|c| *c > 0)),
                text(&p.cost_note),
                text(p.access.as_str()),
                text(&p.accessibility.keys().join("|")),
                text(&p.languages.join("|")),
                text(&schedules(o)),
                text(&o.updated_at.format(&Rfc3339).unwrap_or_default()),
            ];
            w.write_record(&record)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// `GET /export/angebote.csv` (and the filters of `/angebote`).
pub async fn offers_csv(
    State(state): State<AppState>,
    Locale(t): Locale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, filter, _) = crate::api::offer_filter(&state, &t, &pairs).await?;
    let day = today();
    let first = state.db.public_offers_after(day, &filter, 0, CHUNK).await?;
    let head = rows(&state, first.iter(), true).map_err(|e| AppError::Internal(e.to_string()))?;
    let last = (first.len() as i64 == CHUNK)
        .then(|| first.last().map(|o| o.id))
        .flatten();
    let rest = futures_util::stream::unfold(
        last.map(|after| (after, state, filter)),
        move |next| async move {
            let (after, state, filter) = next?;
            let chunk = match state
                .db
                .public_offers_after(day, &filter, after, CHUNK)
                .await
            {
                Ok(found) => found,
                Err(e) => {
                    tracing::error!(error = %e, after, "offers CSV: reading a chunk failed");
                    return Some((Err(std::io::Error::other("database")), None));
                }
            };
            let last = (chunk.len() as i64 == CHUNK)
                .then(|| chunk.last().map(|o| o.id))
                .flatten();
            let bytes = match rows(&state, chunk.iter(), false) {
                Ok(b) => Ok(Bytes::from(b)),
                Err(e) => Err(std::io::Error::other(e.to_string())),
            };
            let failed = bytes.is_err();
            Some((
                bytes,
                last.filter(|_| !failed).map(|after| (after, state, filter)),
            ))
        },
    );
    let body =
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) })
            .chain(rest);
    let mut res = Response::new(Body::from_stream(body));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"angebote.csv\""),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(crate::cache::tagged(
        res,
        [domain::tags::OFFERS, domain::tags::OFFERS_DETAIL],
    ))
}
