//! The query of the list of offers (`/angebote`, its calendar, its iCalendar file and the API):
//! every parameter read and checked, and written back in one order for the pager and the links
//! (the page cache keys on them, `FILTER_KEYS`). A bad value is an error that names its
//! parameter, with the reason in the reader's language.

use crate::i18n::Tr;
use domain::offers::geo::{self, Point};
use domain::offers::{Accessibility, DayTime, LANGUAGES, weekday_bit};
use store::offers::places::{Category, District};
use store::offers::search::{Near, OfferFilter};
use store::programme::topics::Topic;
use time::Weekday;

/// The query parameters of the list (kept in the page cache's key on its pages).
pub const FILTER_KEYS: [&str; 17] = [
    "q",
    "category",
    "target_group",
    "age",
    "day",
    "time",
    "free",
    "online",
    "access",
    "language",
    "district",
    "postcode",
    "lat",
    "lon",
    "radius",
    "page",
    "from",
];

/// The days of the week as the filter names them, Monday first.
pub const DAYS: [(&str, Weekday); 7] = [
    ("mo", Weekday::Monday),
    ("tu", Weekday::Tuesday),
    ("we", Weekday::Wednesday),
    ("th", Weekday::Thursday),
    ("fr", Weekday::Friday),
    ("sa", Weekday::Saturday),
    ("su", Weekday::Sunday),
];

/// The distances one can keep to, in kilometres.
pub const RADII: [i64; 5] = [1, 2, 5, 10, 25];

/// What the city keeps that the filter chooses from.
pub struct Choices {
    pub categories: Vec<Category>,
    pub groups: Vec<Topic>,
    pub districts: Vec<District>,
}

/// Where the distance is measured from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    District(District),
    Postcode(String),
    /// The browser's location (script only).
    Here(Point),
}

/// A checked query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pub q: String,
    pub category: Option<Category>,
    pub group: Option<Topic>,
    pub age: Option<i64>,
    pub days: u8,
    pub time: Option<DayTime>,
    pub free: bool,
    pub online: bool,
    pub accessibility: Accessibility,
    pub language: Option<String>,
    pub origin: Option<Origin>,
    pub radius_km: Option<i64>,
    pub page: i64,
}

/// A parameter and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub field: &'static str,
    pub reason: String,
}

impl Bad {
    fn new(field: &'static str, reason: String) -> Bad {
        Bad { field, reason }
    }
}

/// The postcode's centroid, looked up by the caller (the database).
pub type Lookup = Option<Point>;

impl Params {
    /// Reads the query `pairs`; `postcode_centre` is the centroid of the postcode given (the
    /// caller looked it up: `None` for a postcode the city does not keep).
    pub fn parse(
        t: &Tr,
        pairs: &[(String, String)],
        choices: &Choices,
        postcode_centre: impl Fn(&str) -> Lookup,
    ) -> Result<(Params, OfferFilter), Bad> {
        let mut p = Params {
            page: 1,
            ..Params::default()
        };
        let mut lat = None;
        let mut lon = None;
        let mut district = None;
        let mut postcode = None;
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "q" => p.q = v.chars().take(200).collect(),
                "category" => {
                    p.category = Some(
                        find(&choices.categories, |c| c.slug == v)
                            .ok_or_else(|| bad(t, "category"))?,
                    )
                }
                "target_group" => {
                    p.group = Some(
                        find(&choices.groups, |g| g.slug == v)
                            .ok_or_else(|| bad(t, "target_group"))?,
                    )
                }
                "age" => {
                    p.age = Some(
                        v.parse::<i64>()
                            .ok()
                            .filter(|a| (0..=domain::offers::AGE_MAX).contains(a))
                            .ok_or_else(|| Bad::new("age", t.get("offers-filter-age-bad")))?,
                    )
                }
                "day" => {
                    let (_, d) = DAYS
                        .iter()
                        .find(|(n, _)| *n == v)
                        .ok_or_else(|| bad(t, "day"))?;
                    p.days |= weekday_bit(*d);
                }
                "time" => p.time = Some(DayTime::parse(v).ok_or_else(|| bad(t, "time"))?),
                "free" => p.free = flag(t, "free", v)?,
                "online" => p.online = flag(t, "online", v)?,
                "access" if !p.accessibility.set(v) => return Err(bad(t, "access")),
                "access" => {}
                "language" if !LANGUAGES.contains(&v) => return Err(bad(t, "language")),
                "language" => p.language = Some(v.to_string()),
                "district" => {
                    district = Some(
                        find(&choices.districts, |d| d.slug == v)
                            .ok_or_else(|| bad(t, "district"))?,
                    )
                }
                "postcode" => {
                    let code = geo::parse_postcode(v).ok_or_else(|| {
                        Bad::new("postcode", t.s("offers-filter-postcode-bad", "postcode", v))
                    })?;
                    if postcode_centre(&code).is_none() {
                        return Err(Bad::new(
                            "postcode",
                            t.s("offers-filter-postcode-unknown", "postcode", &code),
                        ));
                    }
                    postcode = Some(code);
                }
                "lat" => lat = Some(coordinate(t, "lat", v, 90.0)?),
                "lon" => lon = Some(coordinate(t, "lon", v, 180.0)?),
                "radius" => {
                    p.radius_km = Some(
                        v.parse::<i64>()
                            .ok()
                            .filter(|r| RADII.contains(r))
                            .ok_or_else(|| bad(t, "radius"))?,
                    )
                }
                "page" => {
                    p.page = v
                        .parse::<i64>()
                        .ok()
                        .filter(|n| (1..=10_000).contains(n))
                        .ok_or_else(|| Bad::new("page", t.get("programme-bad-page")))?
                }
                // Others (the language of the page) are not the filter's.
                _ => {}
            }
        }
        let (centre, origin) = match (lat, lon) {
            (Some(lat), Some(lon)) => {
                let at = Point::new(lat, lon).ok_or_else(|| bad(t, "lat"))?;
                (Some(at), Some(Origin::Here(at)))
            }
            (Some(_), None) => return Err(bad(t, "lon")),
            (None, Some(_)) => return Err(bad(t, "lat")),
            (None, None) => match (postcode, district) {
                (Some(code), _) => (postcode_centre(&code), Some(Origin::Postcode(code))),
                (None, Some(d)) => (Some(d.centre), Some(Origin::District(d))),
                (None, None) => (None, None),
            },
        };
        p.origin = origin;
        if p.radius_km.is_some() && centre.is_none() {
            return Err(Bad::new(
                "radius",
                t.get("offers-filter-radius-without-place"),
            ));
        }
        let filter = OfferFilter {
            terms: domain::text::search_terms(&p.q),
            category: p.category.as_ref().map(|c| c.id),
            group: p.group.as_ref().map(|g| g.id),
            age: p.age,
            days: p.days,
            time: p.time,
            free: p.free,
            online: p.online,
            accessibility: p.accessibility,
            language: p.language.clone(),
            provider: None,
            near: centre.map(|origin| Near {
                origin,
                radius_m: p.radius_km.map(|r| r as f64 * 1000.0),
            }),
        };
        Ok((p, filter))
    }

    /// The query again, in one order, without the page: `q=…&category=…`, encoded.
    pub fn query(&self) -> String {
        let mut out: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            out.push(("q", self.q.clone()));
        }
        if let Some(c) = &self.category {
            out.push(("category", c.slug.clone()));
        }
        if let Some(g) = &self.group {
            out.push(("target_group", g.slug.clone()));
        }
        if let Some(a) = self.age {
            out.push(("age", a.to_string()));
        }
        for (name, d) in DAYS {
            if self.days & weekday_bit(d) != 0 {
                out.push(("day", name.to_string()));
            }
        }
        if let Some(t) = self.time {
            out.push(("time", t.as_str().to_string()));
        }
        if self.free {
            out.push(("free", "1".into()));
        }
        if self.online {
            out.push(("online", "1".into()));
        }
        for k in self.accessibility.keys() {
            out.push(("access", k.to_string()));
        }
        if let Some(l) = &self.language {
            out.push(("language", l.clone()));
        }
        match &self.origin {
            Some(Origin::District(d)) => out.push(("district", d.slug.clone())),
            Some(Origin::Postcode(c)) => out.push(("postcode", c.clone())),
            Some(Origin::Here(p)) => {
                out.push(("lat", format!("{:.5}", p.lat)));
                out.push(("lon", format!("{:.5}", p.lon)));
            }
            None => {}
        }
        if let Some(r) = self.radius_km {
            out.push(("radius", r.to_string()));
        }
        out.iter()
            .map(|(k, v)| format!("{k}={}", crate::radar::params::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether anything narrows the list.
    pub fn narrowed(&self) -> bool {
        !self.query().is_empty()
    }
}

fn find<T: Clone>(items: &[T], pred: impl Fn(&T) -> bool) -> Option<T> {
    items.iter().find(|x| pred(x)).cloned()
}

fn bad(t: &Tr, field: &'static str) -> Bad {
    Bad::new(field, t.get("offers-filter-bad"))
}

fn flag(t: &Tr, field: &'static str, v: &str) -> Result<bool, Bad> {
    match v {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(bad(t, field)),
    }
}

fn coordinate(t: &Tr, field: &'static str, v: &str, max: f64) -> Result<f64, Bad> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && x.abs() <= max)
        .ok_or_else(|| bad(t, field))
}
