//! The strategy document that imports read and exports write (see `docs/import-format.md`), the
//! three file formats it comes in, and its validation into an import plan.

use crate::dates::{iso, parse_date};
use crate::strategy::Status;
use crate::text::{is_slug, limit, required, slugify};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use time::Date;

pub const FORMAT: &str = "stadtradar-strategy";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(default = "format_name")]
    pub format: String,
    #[serde(default = "version_one")]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<StrategyDoc>,
    #[serde(default)]
    pub editions: Vec<EditionDoc>,
    #[serde(default)]
    pub core_areas: Vec<CoreAreaDoc>,
    #[serde(default)]
    pub measures: Vec<MeasureDoc>,
}

fn format_name() -> String {
    FORMAT.to_string()
}
fn version_one() -> u32 {
    1
}
fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyDoc {
    pub title: String,
    pub city: String,
    #[serde(default)]
    pub target_year: Option<i32>,
    #[serde(default)]
    pub vision: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionDoc {
    pub title: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub decision: Option<DecisionDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionDoc {
    pub number: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreAreaDoc {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub colour: Option<String>,
    #[serde(default)]
    pub fields: Vec<FieldDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDoc {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub goals: String,
    /// Overrides the core area's colour on the radar.
    #[serde(default)]
    pub colour: Option<String>,
    #[serde(default)]
    pub focus_areas: Vec<FocusAreaDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusAreaDoc {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub colour: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDoc {
    pub external_id: String,
    #[serde(default)]
    pub slug: Option<String>,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub goals: String,
    pub field: String,
    #[serde(default)]
    pub focus_area: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default = "one")]
    pub weight: f64,
    pub status: String,
    #[serde(default)]
    pub previous_status: Option<String>,
    #[serde(default)]
    pub progress: Option<i64>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub target_year: Option<i32>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub decisions: Vec<DecisionDoc>,
    /// `None`: the source (CSV) carries no KPIs; existing ones stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kpis: Option<Vec<KpiDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestones: Option<Vec<MilestoneDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<Vec<ReportDoc>>,
    /// Where the record came from, for error messages: a CSV line. Not part of the format.
    #[serde(skip)]
    pub line: Option<u64>,
    /// In CSV the core area is named per row; used to create missing fields of action.
    #[serde(skip)]
    pub core_area_hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiDoc {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub current: Option<f64>,
    #[serde(default)]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDoc {
    #[serde(default)]
    pub date: Option<String>,
    pub title: String,
    #[serde(default)]
    pub reached: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDoc {
    pub year: i32,
    pub date: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub outlook: String,
    #[serde(default)]
    pub highlights: String,
}

/// One problem in an import file: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// 1-based line in the file (CSV, or JSON syntax errors); `None` when only a path is known.
    pub line: Option<u64>,
    /// Column name (CSV) or JSON path (`measures[3].status`).
    pub column: String,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}, column {}: {}", self.column, self.message),
            None => write!(f, "{}: {}", self.column, self.message),
        }
    }
}

/// Which kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Json,
    Csv,
    Thoughtworks,
}

/// Reads any of the three formats from raw bytes (UTF-8, with or without BOM).
pub fn parse(bytes: &[u8]) -> Result<(SourceKind, Document), Vec<ImportError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        vec![ImportError {
            line: Some(line),
            column: "-".into(),
            message: "the file is not UTF-8 text (save it as \"CSV UTF-8\")".into(),
        }]
    })?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return parse_json(text).map(|d| (SourceKind::Json, d));
    }
    let first_line = text.lines().next().unwrap_or("");
    let sep = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let header: Vec<String> = first_line
        .split(sep as char)
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect();
    let tw = ["name", "ring", "quadrant", "isNew", "description"];
    if header.len() == tw.len()
        && tw
            .iter()
            .all(|h| header.iter().any(|x| x.eq_ignore_ascii_case(h)))
    {
        return parse_thoughtworks(text, sep).map(|d| (SourceKind::Thoughtworks, d));
    }
    parse_csv(text, sep).map(|d| (SourceKind::Csv, d))
}

pub fn parse_json(text: &str) -> Result<Document, Vec<ImportError>> {
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        vec![ImportError {
            line: Some(e.line() as u64),
            column: format!("{}", e.column()),
            message: e.to_string(),
        }]
    })?;
    if doc.format != FORMAT || doc.version != 1 {
        return Err(vec![ImportError {
            line: None,
            column: "format".into(),
            message: format!("expected format {FORMAT:?} version 1"),
        }]);
    }
    Ok(doc)
}

pub const CSV_COLUMNS: [&str; 23] = [
    "external_id",
    "slug",
    "title",
    "summary",
    "description",
    "goals",
    "core_area",
    "field",
    "focus_area",
    "parent",
    "weight",
    "status",
    "previous_status",
    "progress",
    "start",
    "end",
    "target_year",
    "departments",
    "target_groups",
    "tags",
    "decision_numbers",
    "decision_dates",
    "decision_urls",
];

/// First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as the CSV export writes it: a cell that a spreadsheet would run as a formula gets
/// a leading `'`, and so does a cell that already starts with quotes followed by such a
/// character, which keeps the rule reversible ([`unescape_cell`]). Numeric columns are written
/// from numbers and do not pass through here.
pub fn escape_cell(v: &str) -> std::borrow::Cow<'_, str> {
    if v.trim_start_matches('\'').starts_with(FORMULA_START) {
        std::borrow::Cow::Owned(format!("'{v}"))
    } else {
        std::borrow::Cow::Borrowed(v)
    }
}

/// The inverse of [`escape_cell`]: removes one leading `'` when quotes and then a formula
/// character follow it; every other cell is returned as it is.
pub fn unescape_cell(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => v,
    }
}

fn csv_reader(text: &str, sep: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(sep)
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn parse_csv(text: &str, sep: u8) -> Result<Document, Vec<ImportError>> {
    let mut rdr = csv_reader(text, sep);
    let headers = rdr
        .headers()
        .map_err(|e| {
            vec![ImportError {
                line: Some(1),
                column: "-".into(),
                message: e.to_string(),
            }]
        })?
        .clone();
    let mut errors = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        match CSV_COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(h)) {
            Some(c) if index.contains_key(c) => errors.push(err(1, h, "the column appears twice")),
            Some(c) => {
                index.insert(c, i);
            }
            None => errors.push(err(
                1,
                h,
                "unknown column (see docs/import-format.md for the columns)",
            )),
        }
    }
    for required in ["external_id", "title", "field", "status"] {
        if !index.contains_key(required) {
            errors.push(err(1, required, "required column is missing"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut measures = Vec::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(err(line, "-", &e.to_string()));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() {
            errors.push(err(
                line,
                "-",
                &format!(
                    "{} fields, but the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let get = |c: &str| {
            unescape_cell(
                index
                    .get(c)
                    .and_then(|i| record.get(*i))
                    .unwrap_or("")
                    .trim(),
            )
            .to_string()
        };
        let opt = |c: &str| Some(get(c)).filter(|v| !v.is_empty());
        let list = |c: &str| split_list(&get(c));
        let mut row_errors = Vec::new();
        let weight = match opt("weight") {
            None => 1.0,
            Some(w) => match w.replace(',', ".").parse::<f64>() {
                Ok(w) => w,
                Err(_) => {
                    row_errors.push(err(line, "weight", &format!("{w:?} is not a number")));
                    1.0
                }
            },
        };
        let progress = match opt("progress") {
            None => None,
            Some(p) => match p.trim_end_matches('%').trim().parse::<i64>() {
                Ok(p) => Some(p),
                Err(_) => {
                    row_errors.push(err(
                        line,
                        "progress",
                        &format!("{p:?} is not a whole number from 0 to 100"),
                    ));
                    None
                }
            },
        };
        let target_year = match opt("target_year") {
            None => None,
            Some(y) => match y.parse::<i32>() {
                Ok(y) => Some(y),
                Err(_) => {
                    row_errors.push(err(line, "target_year", &format!("{y:?} is not a year")));
                    None
                }
            },
        };
        let numbers = list("decision_numbers");
        let dates = list("decision_dates");
        let urls = list("decision_urls");
        if dates.len() > numbers.len() || urls.len() > numbers.len() {
            row_errors.push(err(
                line,
                "decision_numbers",
                "every decision date and URL needs a decision number",
            ));
        }
        let decisions = numbers
            .iter()
            .enumerate()
            .map(|(i, n)| DecisionDoc {
                number: n.clone(),
                date: dates.get(i).cloned().filter(|d| !d.is_empty()),
                url: urls.get(i).cloned().filter(|u| !u.is_empty()),
            })
            .collect();
        errors.extend(row_errors);
        measures.push(MeasureDoc {
            external_id: get("external_id"),
            slug: opt("slug"),
            title: get("title"),
            summary: get("summary"),
            description: get("description"),
            goals: get("goals"),
            field: get("field"),
            focus_area: opt("focus_area"),
            parent: opt("parent"),
            weight,
            status: get("status"),
            previous_status: opt("previous_status"),
            progress,
            start: opt("start"),
            end: opt("end"),
            target_year,
            departments: list("departments"),
            target_groups: list("target_groups"),
            tags: list("tags"),
            decisions,
            kpis: None,
            milestones: None,
            reports: None,
            line: Some(line),
            core_area_hint: opt("core_area"),
        });
    }
    if errors.is_empty() {
        Ok(Document {
            format: FORMAT.into(),
            version: 1,
            strategy: None,
            editions: vec![],
            core_areas: vec![],
            measures,
        })
    } else {
        Err(errors)
    }
}

fn split_list(v: &str) -> Vec<String> {
    if v.trim().is_empty() {
        return vec![];
    }
    v.split('|').map(|s| s.trim().to_string()).collect()
}

fn err(line: u64, column: &str, message: &str) -> ImportError {
    ImportError {
        line: Some(line),
        column: column.to_string(),
        message: message.to_string(),
    }
}

pub const THOUGHTWORKS_CORE_AREA: &str = "Technologieradar";

fn parse_thoughtworks(text: &str, sep: u8) -> Result<Document, Vec<ImportError>> {
    let mut rdr = csv_reader(text, sep);
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![err(1, "-", &e.to_string())]),
    };
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or(usize::MAX);
    let (ci_name, ci_ring, ci_quad, ci_new, ci_desc) = (
        col("name"),
        col("ring"),
        col("quadrant"),
        col("isnew"),
        col("description"),
    );
    let mut errors = Vec::new();
    let mut measures = Vec::new();
    let mut seen = HashSet::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(
                    e.position().map(|p| p.line()).unwrap_or(0),
                    "-",
                    &e.to_string(),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let name = get(ci_name);
        if name.is_empty() {
            errors.push(err(line, "name", "must not be empty"));
            continue;
        }
        let status = match get(ci_ring).to_lowercase().as_str() {
            "adopt" => Status::Done,
            "trial" => Status::InProgress,
            "assess" => Status::Planned,
            "hold" => Status::Dropped,
            other => {
                errors.push(err(
                    line,
                    "ring",
                    &format!("{other:?} is not one of adopt, trial, assess, hold"),
                ));
                continue;
            }
        };
        let is_new = match get(ci_new).to_lowercase().as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" | "" => false,
            other => {
                errors.push(err(
                    line,
                    "isNew",
                    &format!("{other:?} is not TRUE or FALSE"),
                ));
                continue;
            }
        };
        let quadrant = get(ci_quad);
        if quadrant.is_empty() {
            errors.push(err(line, "quadrant", "must not be empty"));
            continue;
        }
        let external_id = format!("tw-{}", slugify(&name));
        if !seen.insert(external_id.clone()) {
            errors.push(err(line, "name", &format!("{name:?} appears twice")));
            continue;
        }
        measures.push(MeasureDoc {
            external_id,
            slug: None,
            title: name,
            summary: String::new(),
            description: get(ci_desc),
            goals: String::new(),
            field: quadrant,
            focus_area: None,
            parent: None,
            weight: 1.0,
            status: status.as_str().into(),
            previous_status: if is_new {
                None
            } else {
                Some(status.as_str().into())
            },
            progress: Some(if status == Status::Done { 100 } else { 0 }),
            start: None,
            end: None,
            target_year: None,
            departments: vec![],
            target_groups: vec![],
            tags: vec![],
            decisions: vec![],
            kpis: None,
            milestones: None,
            reports: None,
            line: Some(line),
            core_area_hint: Some(THOUGHTWORKS_CORE_AREA.into()),
        });
    }
    if errors.is_empty() {
        Ok(Document {
            format: FORMAT.into(),
            version: 1,
            strategy: None,
            editions: vec![],
            core_areas: vec![],
            measures,
        })
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

/// What the database already holds, as far as validation needs it.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// slug → title of every field of action.
    pub fields: HashMap<String, String>,
    /// focus-area slug → its field's slug.
    pub focus_areas: HashMap<String, String>,
    /// focus-area slug → its title.
    pub focus_area_titles: HashMap<String, String>,
    /// core-area slug → title.
    pub core_areas: HashMap<String, String>,
    /// external_id → slug of every measure.
    pub measures: HashMap<String, String>,
    /// external_id → parent external_id.
    pub parents: HashMap<String, String>,
    /// Slugs of archived fields of action (or of fields in an archived core area): no measure
    /// may be imported into them.
    pub archived_fields: std::collections::HashSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub strategy: Option<StrategyDoc>,
    pub editions: Vec<ValidEdition>,
    pub core_areas: Vec<ValidCoreArea>,
    /// Focus areas that CSV rows name and that do not exist yet: (field slug, focus area).
    pub new_focus_areas: Vec<(String, FocusAreaDoc)>,
    pub measures: Vec<ValidMeasure>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEdition {
    pub title: String,
    pub date: Option<Date>,
    pub decision: Option<ValidDecision>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidDecision {
    pub number: String,
    pub date: Option<Date>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidCoreArea {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goals: String,
    pub colour: String,
    /// `false` for a core area that only names an existing one (CSV): keep its texts.
    pub full: bool,
    pub fields: Vec<ValidField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidField {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goals: String,
    pub colour: Option<String>,
    pub full: bool,
    pub focus_areas: Vec<FocusAreaDoc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidKpi {
    pub name: String,
    pub unit: String,
    pub target: Option<f64>,
    pub current: Option<f64>,
    pub as_of: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidMilestone {
    pub date: Option<Date>,
    pub title: String,
    pub reached: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidReport {
    pub year: i32,
    pub date: Date,
    pub results: String,
    pub outlook: String,
    pub highlights: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidMeasure {
    pub external_id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub goals: String,
    pub field: String,
    pub focus_area: Option<String>,
    pub parent: Option<String>,
    pub weight: f64,
    pub status: Status,
    pub previous_status: Option<Status>,
    pub progress: Option<i64>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub target_year: Option<i32>,
    pub departments: Vec<String>,
    pub target_groups: Vec<String>,
    pub tags: Vec<String>,
    pub decisions: Vec<ValidDecision>,
    pub kpis: Option<Vec<ValidKpi>>,
    pub milestones: Option<Vec<ValidMilestone>>,
    pub reports: Option<Vec<ValidReport>>,
}

/// Colours given to core areas created without one; each has 4.5:1 contrast on white.
pub const PALETTE: [&str; 8] = [
    "#1f4e8c", "#8a3b12", "#2e6b30", "#6b2e7a", "#0f6470", "#8c1f3d", "#5c5c00", "#3d3d8c",
];

pub fn is_colour(v: &str) -> bool {
    v.len() == 7 && v.starts_with('#') && v[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

struct Ctx {
    errors: Vec<ImportError>,
}

impl Ctx {
    fn at(&mut self, line: Option<u64>, path: String, message: impl Into<String>) {
        self.errors.push(ImportError {
            line,
            column: path,
            message: message.into(),
        });
    }
}

/// Checks a document against itself and what the database already holds; returns the plan to
/// apply, or every problem found.
pub fn validate(doc: &Document, known: &Known) -> Result<Plan, Vec<ImportError>> {
    let mut cx = Ctx { errors: Vec::new() };
    let strategy = doc.strategy.as_ref().map(|s| {
        check(
            &mut cx,
            None,
            "strategy.title".into(),
            required(&s.title, 200),
        );
        check(
            &mut cx,
            None,
            "strategy.city".into(),
            required(&s.city, 120),
        );
        check(
            &mut cx,
            None,
            "strategy.vision".into(),
            limit(&s.vision, 20_000),
        );
        if let Some(y) = s.target_year
            && !(2000..=2100).contains(&y)
        {
            cx.at(
                None,
                "strategy.target_year".into(),
                format!("{y} is not a year between 2000 and 2100"),
            );
        }
        s.clone()
    });
    let editions = doc
        .editions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let p = format!("editions[{i}]");
            check(&mut cx, None, format!("{p}.title"), required(&e.title, 200));
            ValidEdition {
                title: e.title.trim().into(),
                date: opt_date(&mut cx, None, format!("{p}.date"), e.date.as_deref()),
                decision: e
                    .decision
                    .as_ref()
                    .map(|d| decision(&mut cx, None, format!("{p}.decision"), d)),
            }
        })
        .collect();

    // Taxonomy: from the document's tree, then anything CSV rows name that is not yet known.
    let mut core_areas: Vec<ValidCoreArea> = Vec::new();
    let mut field_slugs: HashMap<String, String> = known.fields.clone();
    let mut focus_slugs: HashMap<String, String> = known.focus_areas.clone();
    let mut focus_titles: HashMap<String, String> = known.focus_area_titles.clone();
    let mut new_focus_areas: Vec<(String, FocusAreaDoc)> = Vec::new();
    let mut seen_slugs = HashSet::new();
    for (i, ca) in doc.core_areas.iter().enumerate() {
        let p = format!("core_areas[{i}]");
        slug_check(&mut cx, &format!("{p}.slug"), &ca.slug, &mut seen_slugs);
        check(
            &mut cx,
            None,
            format!("{p}.title"),
            required(&ca.title, 200),
        );
        let colour = match &ca.colour {
            Some(c) if is_colour(c) => c.to_lowercase(),
            Some(c) => {
                cx.at(
                    None,
                    format!("{p}.colour"),
                    format!("{c:?} is not a colour like #1f4e8c"),
                );
                String::new()
            }
            None => PALETTE[i % PALETTE.len()].into(),
        };
        let mut fields = Vec::new();
        for (j, f) in ca.fields.iter().enumerate() {
            let fp = format!("{p}.fields[{j}]");
            slug_check(&mut cx, &format!("{fp}.slug"), &f.slug, &mut seen_slugs);
            check(
                &mut cx,
                None,
                format!("{fp}.title"),
                required(&f.title, 200),
            );
            field_slugs.insert(f.slug.clone(), f.title.clone());
            for (k, fa) in f.focus_areas.iter().enumerate() {
                slug_check(
                    &mut cx,
                    &format!("{fp}.focus_areas[{k}].slug"),
                    &fa.slug,
                    &mut seen_slugs,
                );
                check(
                    &mut cx,
                    None,
                    format!("{fp}.focus_areas[{k}].title"),
                    required(&fa.title, 200),
                );
                optional_colour(&mut cx, format!("{fp}.focus_areas[{k}].colour"), &fa.colour);
                focus_slugs.insert(fa.slug.clone(), f.slug.clone());
                focus_titles.insert(fa.slug.clone(), fa.title.clone());
            }
            fields.push(ValidField {
                slug: f.slug.clone(),
                title: f.title.trim().into(),
                description: f.description.clone(),
                goals: f.goals.clone(),
                colour: optional_colour(&mut cx, format!("{fp}.colour"), &f.colour),
                full: true,
                focus_areas: f.focus_areas.clone(),
            });
        }
        core_areas.push(ValidCoreArea {
            slug: ca.slug.clone(),
            title: ca.title.trim().into(),
            description: ca.description.clone(),
            goals: ca.goals.clone(),
            colour,
            full: true,
            fields,
        });
    }

    // external ids in this file
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut slugs: HashMap<String, String> = known
        .measures
        .iter()
        .map(|(e, s)| (s.clone(), e.clone()))
        .collect();
    let mut measures = Vec::with_capacity(doc.measures.len());
    for (i, m) in doc.measures.iter().enumerate() {
        let (line, path) = match m.line {
            Some(l) => (Some(l), String::new()),
            None => (None, format!("measures[{i}].")),
        };
        let at = |c: &str| format!("{path}{c}");
        let before = cx.errors.len();
        let external_id = m.external_id.trim().to_string();
        if external_id.is_empty() {
            cx.at(line, at("external_id"), "must not be empty");
        } else if external_id.chars().count() > 64 {
            cx.at(line, at("external_id"), "is longer than 64 characters");
        } else if ids.insert(external_id.clone(), i).is_some() {
            cx.at(
                line,
                at("external_id"),
                format!("{external_id:?} appears twice in the file"),
            );
        }
        let title = check(&mut cx, line, at("title"), required(&m.title, 200));
        check(&mut cx, line, at("summary"), limit(&m.summary, 1000));
        check(
            &mut cx,
            line,
            at("description"),
            limit(&m.description, 50_000),
        );
        check(&mut cx, line, at("goals"), limit(&m.goals, 5000));
        let slug = match &m.slug {
            Some(s) if !is_slug(s) => {
                cx.at(
                    line,
                    at("slug"),
                    format!("{s:?} is not a slug (lower-case letters, digits, -)"),
                );
                String::new()
            }
            Some(s) => s.clone(),
            None => known
                .measures
                .get(&external_id)
                .cloned()
                .unwrap_or_else(|| {
                    unique_slug(&slugify(title.as_deref().unwrap_or(&external_id)), &slugs)
                }),
        };
        if !slug.is_empty() {
            match slugs.get(&slug) {
                Some(owner) if *owner != external_id => cx.at(
                    line,
                    at("slug"),
                    format!("{slug:?} is already used by measure {owner:?}"),
                ),
                _ => {
                    slugs.insert(slug.clone(), external_id.clone());
                }
            }
        }
        // Field of action: a known slug, or (CSV) a title, creating it when a core area is named.
        let field = resolve_field(
            &mut cx,
            line,
            at("field"),
            m,
            &mut field_slugs,
            &mut core_areas,
            known,
        );
        let focus_area = match (
            m.focus_area
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty()),
            &field,
        ) {
            (Some(fa), Some(field_slug)) => {
                let found = if focus_slugs.contains_key(fa) {
                    Some(fa.to_string())
                } else {
                    focus_titles
                        .iter()
                        .find(|(s, t)| {
                            t.eq_ignore_ascii_case(fa) && focus_slugs.get(*s) == Some(field_slug)
                        })
                        .map(|(s, _)| s.clone())
                };
                match found {
                    Some(s) if focus_slugs.get(&s) == Some(field_slug) => Some(s),
                    Some(s) => {
                        let owner = focus_slugs.get(&s).cloned().unwrap_or_default();
                        cx.at(
                            line,
                            at("focus_area"),
                            format!("{fa:?} belongs to field of action {owner:?}"),
                        );
                        None
                    }
                    None if m.line.is_some() => {
                        let base = slugify(fa);
                        let slug = if focus_slugs.contains_key(&base) {
                            format!("{field_slug}-{base}")
                        } else {
                            base
                        };
                        if slug.is_empty() || focus_slugs.contains_key(&slug) {
                            cx.at(line, at("focus_area"), format!("{fa:?} gives no free slug"));
                            None
                        } else {
                            focus_slugs.insert(slug.clone(), field_slug.clone());
                            focus_titles.insert(slug.clone(), fa.to_string());
                            new_focus_areas.push((
                                field_slug.clone(),
                                FocusAreaDoc {
                                    slug: slug.clone(),
                                    title: fa.to_string(),
                                    description: String::new(),
                                    goals: String::new(),
                                    colour: None,
                                },
                            ));
                            Some(slug)
                        }
                    }
                    None => {
                        cx.at(line, at("focus_area"), format!("no focus area {fa:?}"));
                        None
                    }
                }
            }
            _ => None,
        };
        let status = match Status::parse(&m.status) {
            Some(s) => Some(s),
            None => {
                cx.at(
                    line,
                    at("status"),
                    format!(
                        "{:?} is not a status (Geplant, In Umsetzung, Abgeschlossen, Eingestellt)",
                        m.status
                    ),
                );
                None
            }
        };
        let previous_status = m.previous_status.as_ref().and_then(|p| {
            let s = Status::parse(p);
            if s.is_none() {
                cx.at(
                    line,
                    at("previous_status"),
                    format!("{p:?} is not a status"),
                );
            }
            s
        });
        if let Some(p) = m.progress
            && !(0..=100).contains(&p)
        {
            cx.at(
                line,
                at("progress"),
                format!("{p} is not between 0 and 100"),
            );
        }
        if !(m.weight.is_finite() && m.weight >= 0.0 && m.weight <= 1000.0) {
            cx.at(
                line,
                at("weight"),
                format!("{} is not a weight between 0 and 1000", m.weight),
            );
        }
        let start = opt_date(&mut cx, line, at("start"), m.start.as_deref());
        let end = opt_date(&mut cx, line, at("end"), m.end.as_deref());
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            cx.at(
                line,
                at("end"),
                format!("ends ({}) before it starts ({})", iso(e), iso(s)),
            );
        }
        if let Some(y) = m.target_year
            && !(2000..=2100).contains(&y)
        {
            cx.at(
                line,
                at("target_year"),
                format!("{y} is not a year between 2000 and 2100"),
            );
        }
        let names = |cx: &mut Ctx, col: &str, v: &[String]| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for n in v {
                match required(n, 120) {
                    Ok(n) if !out.contains(&n) => out.push(n),
                    Ok(_) => {}
                    Err(e) => cx.at(line, at(col), format!("an entry {e}")),
                }
            }
            out
        };
        let departments = names(&mut cx, "departments", &m.departments);
        let target_groups = names(&mut cx, "target_groups", &m.target_groups);
        let tags = names(&mut cx, "tags", &m.tags);
        let decisions = m
            .decisions
            .iter()
            .enumerate()
            .map(|(k, d)| decision(&mut cx, line, at(&format!("decisions[{k}]")), d))
            .collect();
        let kpis = m.kpis.as_ref().map(|ks| {
            ks.iter()
                .enumerate()
                .map(|(k, kp)| {
                    check(
                        &mut cx,
                        line,
                        at(&format!("kpis[{k}].name")),
                        required(&kp.name, 200),
                    );
                    ValidKpi {
                        name: kp.name.trim().into(),
                        unit: kp.unit.trim().into(),
                        target: kp.target,
                        current: kp.current,
                        as_of: opt_date(
                            &mut cx,
                            line,
                            at(&format!("kpis[{k}].as_of")),
                            kp.as_of.as_deref(),
                        ),
                    }
                })
                .collect()
        });
        let milestones = m.milestones.as_ref().map(|ms| {
            ms.iter()
                .enumerate()
                .map(|(k, ms)| {
                    check(
                        &mut cx,
                        line,
                        at(&format!("milestones[{k}].title")),
                        required(&ms.title, 300),
                    );
                    ValidMilestone {
                        date: opt_date(
                            &mut cx,
                            line,
                            at(&format!("milestones[{k}].date")),
                            ms.date.as_deref(),
                        ),
                        title: ms.title.trim().into(),
                        reached: ms.reached,
                    }
                })
                .collect()
        });
        let reports = m.reports.as_ref().map(|rs| {
            rs.iter()
                .enumerate()
                .filter_map(|(k, r)| {
                    let d = opt_date(
                        &mut cx,
                        line,
                        at(&format!("reports[{k}].date")),
                        Some(&r.date),
                    );
                    if !(2000..=2100).contains(&r.year) {
                        cx.at(
                            line,
                            at(&format!("reports[{k}].year")),
                            format!("{} is not a year", r.year),
                        );
                    }
                    Some(ValidReport {
                        year: r.year,
                        date: d?,
                        results: r.results.clone(),
                        outlook: r.outlook.clone(),
                        highlights: r.highlights.clone(),
                    })
                })
                .collect()
        });
        if cx.errors.len() > before {
            continue;
        }
        let (Some(title), Some(field), Some(status)) = (title, field, status) else {
            continue;
        };
        measures.push(ValidMeasure {
            external_id,
            slug,
            title,
            summary: m.summary.trim().into(),
            description: m.description.clone(),
            goals: m.goals.trim().into(),
            field,
            focus_area,
            parent: m
                .parent
                .as_ref()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            weight: m.weight,
            status,
            previous_status,
            progress: m.progress,
            start,
            end,
            target_year: m.target_year.or(end.map(|e| e.year())),
            departments,
            target_groups,
            tags,
            decisions,
            kpis,
            milestones,
            reports,
        });
    }
    // Parents must exist and form no cycle.
    let mut parent_of: HashMap<String, String> = known.parents.clone();
    for m in &measures {
        match &m.parent {
            Some(p) => {
                parent_of.insert(m.external_id.clone(), p.clone());
            }
            None => {
                parent_of.remove(&m.external_id);
            }
        }
    }
    for (i, m) in doc.measures.iter().enumerate() {
        let line = m.line;
        let path = if line.is_some() {
            "parent".to_string()
        } else {
            format!("measures[{i}].parent")
        };
        let Some(p) = m
            .parent
            .as_ref()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        if !ids.contains_key(p) && !known.measures.contains_key(p) {
            cx.at(line, path, format!("no measure with external_id {p:?}"));
            continue;
        }
        let mut cur = p.to_string();
        let mut steps = 0;
        while let Some(next) = parent_of.get(&cur) {
            if *next == m.external_id.trim() || steps > 10_000 {
                cx.at(line, path.clone(), "parents form a cycle");
                break;
            }
            cur = next.clone();
            steps += 1;
        }
    }
    if cx.errors.is_empty() {
        Ok(Plan {
            strategy,
            editions,
            core_areas,
            new_focus_areas,
            measures,
        })
    } else {
        cx.errors.sort_by_key(|e| e.line.unwrap_or(0));
        Err(cx.errors)
    }
}

fn check(
    cx: &mut Ctx,
    line: Option<u64>,
    path: String,
    r: Result<String, String>,
) -> Option<String> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            cx.at(line, path, e);
            None
        }
    }
}

/// A colour that may be left out; lower-cased when given.
fn optional_colour(cx: &mut Ctx, path: String, colour: &Option<String>) -> Option<String> {
    match colour {
        Some(c) if is_colour(c) => Some(c.to_lowercase()),
        Some(c) => {
            cx.at(None, path, format!("{c:?} is not a colour like #1f4e8c"));
            None
        }
        None => None,
    }
}

fn opt_date(cx: &mut Ctx, line: Option<u64>, path: String, v: Option<&str>) -> Option<Date> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    match parse_date(v) {
        Ok(d) => Some(d),
        Err(e) => {
            cx.at(line, path, e);
            None
        }
    }
}

fn decision(cx: &mut Ctx, line: Option<u64>, path: String, d: &DecisionDoc) -> ValidDecision {
    check(cx, line, format!("{path}.number"), required(&d.number, 100));
    let url = d
        .url
        .as_ref()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    if let Some(u) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        cx.at(
            line,
            format!("{path}.url"),
            format!("{u:?} is not an http(s) address"),
        );
    }
    ValidDecision {
        number: d.number.trim().into(),
        date: opt_date(cx, line, format!("{path}.date"), d.date.as_deref()),
        url,
    }
}

fn slug_check(cx: &mut Ctx, path: &str, slug: &str, seen: &mut HashSet<String>) {
    if !is_slug(slug) {
        cx.at(
            None,
            path.into(),
            format!("{slug:?} is not a slug (lower-case letters, digits, -)"),
        );
    } else if !seen.insert(slug.to_string()) {
        cx.at(None, path.into(), format!("{slug:?} is used twice"));
    }
}

fn unique_slug(base: &str, taken: &HashMap<String, String>) -> String {
    let base = if base.is_empty() { "massnahme" } else { base };
    if !taken.contains_key(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken.contains_key(s))
        .unwrap_or_default()
}

fn resolve_field(
    cx: &mut Ctx,
    line: Option<u64>,
    path: String,
    m: &MeasureDoc,
    fields: &mut HashMap<String, String>,
    core_areas: &mut Vec<ValidCoreArea>,
    known: &Known,
) -> Option<String> {
    let f = m.field.trim();
    if f.is_empty() {
        cx.at(line, path, "must not be empty");
        return None;
    }
    let found = if fields.contains_key(f) {
        Some(f.to_string())
    } else {
        fields
            .iter()
            .find(|(_, t)| t.trim().eq_ignore_ascii_case(f))
            .map(|(slug, _)| slug.clone())
    };
    if let Some(slug) = found {
        if known.archived_fields.contains(&slug) {
            cx.at(
                line,
                path,
                format!(
                    "field of action {slug:?} is archived (restore it in the back office first)"
                ),
            );
            return None;
        }
        return Some(slug);
    }
    let Some(ca) = m
        .core_area_hint
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    else {
        cx.at(
            line,
            path,
            format!("no field of action {f:?} (name its core_area to create it)"),
        );
        return None;
    };
    let slug = slugify(f);
    if slug.is_empty() {
        cx.at(line, path, format!("{f:?} gives no usable slug"));
        return None;
    }
    let ca_slug = known
        .core_areas
        .iter()
        .find(|(s, t)| s.as_str() == ca || t.eq_ignore_ascii_case(ca))
        .map(|(s, _)| s.clone())
        .or_else(|| {
            core_areas
                .iter()
                .find(|c| c.slug == ca || c.title.eq_ignore_ascii_case(ca))
                .map(|c| c.slug.clone())
        })
        .unwrap_or_else(|| slugify(ca));
    let n = core_areas.len() + known.core_areas.len();
    let entry = match core_areas.iter().position(|c| c.slug == ca_slug) {
        Some(i) => &mut core_areas[i],
        None => {
            core_areas.push(ValidCoreArea {
                slug: ca_slug.clone(),
                title: known
                    .core_areas
                    .get(&ca_slug)
                    .cloned()
                    .unwrap_or_else(|| ca.to_string()),
                description: String::new(),
                goals: String::new(),
                colour: PALETTE[n % PALETTE.len()].into(),
                full: false,
                fields: vec![],
            });
            let last = core_areas.len() - 1;
            &mut core_areas[last]
        }
    };
    entry.fields.push(ValidField {
        slug: slug.clone(),
        title: f.to_string(),
        description: String::new(),
        goals: String::new(),
        colour: None,
        full: false,
        focus_areas: vec![],
    });
    fields.insert(slug.clone(), f.to_string());
    Some(slug)
}

// ---------------------------------------------------------------------------------------------
// Export

/// Writes the measures of a document as stadtradar CSV (UTF-8 with BOM, `;`, as German Excel
/// reads it). `core_area_of` maps a field slug to its core area's title, `field_title` to its title.
pub fn to_csv(doc: &Document) -> Result<Vec<u8>, csv::Error> {
    let mut field_title = HashMap::new();
    let mut core_title = HashMap::new();
    let mut focus_title = HashMap::new();
    for ca in &doc.core_areas {
        for f in &ca.fields {
            field_title.insert(f.slug.as_str(), f.title.as_str());
            core_title.insert(f.slug.as_str(), ca.title.as_str());
            for fa in &f.focus_areas {
                focus_title.insert(fa.slug.as_str(), fa.title.as_str());
            }
        }
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(CSV_COLUMNS)?;
        for m in &doc.measures {
            let join = |v: &[String]| v.join("|");
            let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
            let weight = num(Some(m.weight));
            let progress = m.progress.map(|p| p.to_string()).unwrap_or_default();
            let target_year = m.target_year.map(|p| p.to_string()).unwrap_or_default();
            let dn: Vec<String> = m.decisions.iter().map(|d| d.number.clone()).collect();
            let dd: Vec<String> = m
                .decisions
                .iter()
                .map(|d| d.date.clone().unwrap_or_default())
                .collect();
            let du: Vec<String> = m
                .decisions
                .iter()
                .map(|d| d.url.clone().unwrap_or_default())
                .collect();
            let text = |v: &str| escape_cell(v).into_owned();
            // weight, progress and target_year are numbers formatted here, which a spreadsheet
            // reads as numbers: they are not escaped. Every other column is text.
            let record: [String; 23] = [
                text(&m.external_id),
                text(m.slug.as_deref().unwrap_or("")),
                text(&m.title),
                text(&m.summary),
                text(&m.description),
                text(&m.goals),
                text(core_title.get(m.field.as_str()).copied().unwrap_or("")),
                text(
                    field_title
                        .get(m.field.as_str())
                        .copied()
                        .unwrap_or(&m.field),
                ),
                text(
                    m.focus_area
                        .as_deref()
                        .map(|f| focus_title.get(f).copied().unwrap_or(f))
                        .unwrap_or(""),
                ),
                text(m.parent.as_deref().unwrap_or("")),
                weight,
                text(&m.status),
                text(m.previous_status.as_deref().unwrap_or("")),
                progress,
                text(m.start.as_deref().unwrap_or("")),
                text(m.end.as_deref().unwrap_or("")),
                target_year,
                text(&join(&m.departments)),
                text(&join(&m.target_groups)),
                text(&join(&m.tags)),
                text(&join(&dn)),
                text(&join(&dd)),
                text(&join(&du)),
            ];
            w.write_record(&record)?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        let mut k = Known::default();
        k.fields.insert("bildung".into(), "Bildung".into());
        k.core_areas
            .insert("stadtgesellschaft".into(), "Stadtgesellschaft".into());
        k
    }

    #[test]
    fn german_excel_csv_with_bom_and_semicolons_imports() {
        let csv = "\u{feff}external_id;title;field;status;start;end;departments\n\
                   B-1;Digitale Schulen für Grünwald;Bildung;In Umsetzung;01.09.2024;31.12.2025;Referat für Bildung|Stadtbibliothek\n";
        let (kind, doc) = parse(csv.as_bytes()).unwrap();
        assert_eq!(kind, SourceKind::Csv);
        let plan = validate(&doc, &known()).unwrap();
        let m = &plan.measures[0];
        assert_eq!(m.title, "Digitale Schulen für Grünwald");
        assert_eq!(m.field, "bildung");
        assert_eq!(m.status, Status::InProgress);
        assert_eq!(m.end.map(iso).as_deref(), Some("2025-12-31"));
        assert_eq!(m.target_year, Some(2025));
        assert_eq!(
            m.departments,
            vec!["Referat für Bildung", "Stadtbibliothek"]
        );
        assert_eq!(m.slug, "digitale-schulen-fuer-gruenwald");
    }

    #[test]
    fn three_bad_rows_are_all_named_by_line_and_column() {
        let csv = "external_id,title,field,status,progress,end\n\
                   A-1,Gut,Bildung,planned,0,\n\
                   A-2,Schlecht,Bildung,fertig,0,\n\
                   A-3,Auch gut,Bildung,done,100,\n\
                   A-4,Zu viel,Bildung,done,140,\n\
                   A-5,Datum,Bildung,done,100,31.02.2025\n";
        let (_, doc) = parse(csv.as_bytes()).unwrap();
        let errors = validate(&doc, &known()).unwrap_err();
        let at: Vec<(Option<u64>, &str)> =
            errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            at,
            vec![(Some(3), "status"), (Some(5), "progress"), (Some(6), "end")]
        );
        assert!(errors[0].message.contains("\"fertig\" is not a status"));
    }

    #[test]
    fn unknown_csv_columns_are_rejected() {
        let errors = parse(b"external_id,titel,field,status\nA,b,c,d\n").unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.column == "titel" && e.message.contains("unknown column"))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.column == "title" && e.message.contains("missing"))
        );
    }

    #[test]
    fn csv_creates_missing_fields_under_named_core_area() {
        let csv = "external_id,title,core_area,field,status\nX-1,Neu,Stadtgesellschaft,Ehrenamt & Vereine,planned\n";
        let (_, doc) = parse(csv.as_bytes()).unwrap();
        let plan = validate(&doc, &known()).unwrap();
        assert_eq!(plan.core_areas.len(), 1);
        assert_eq!(plan.core_areas[0].slug, "stadtgesellschaft");
        assert!(!plan.core_areas[0].full);
        assert_eq!(plan.core_areas[0].fields[0].slug, "ehrenamt-vereine");
        assert_eq!(plan.measures[0].field, "ehrenamt-vereine");
    }

    #[test]
    fn thoughtworks_radar_csv_maps_rings_and_quadrants() {
        let csv = "name,ring,quadrant,isNew,description\nOpen Data,adopt,Daten,FALSE,Offene Daten\nKI-Chat,assess,Dienste,TRUE,Test\n";
        let (kind, doc) = parse(csv.as_bytes()).unwrap();
        assert_eq!(kind, SourceKind::Thoughtworks);
        let plan = validate(&doc, &Known::default()).unwrap();
        assert_eq!(plan.measures[0].status, Status::Done);
        assert_eq!(plan.measures[0].previous_status, Some(Status::Done));
        assert_eq!(plan.measures[1].status, Status::Planned);
        assert_eq!(plan.measures[1].previous_status, None);
        assert_eq!(plan.measures[1].external_id, "tw-ki-chat");
        assert_eq!(plan.core_areas[0].title, THOUGHTWORKS_CORE_AREA);
        assert_eq!(plan.core_areas[0].fields.len(), 2);
    }

    #[test]
    fn parent_cycles_and_missing_parents_are_errors() {
        let csv = "external_id,title,field,status,parent\nA,a,Bildung,planned,B\nB,b,Bildung,planned,A\nC,c,Bildung,planned,Z\n";
        let (_, doc) = parse(csv.as_bytes()).unwrap();
        let errors = validate(&doc, &known()).unwrap_err();
        assert_eq!(
            errors
                .iter()
                .filter(|e| e.message.contains("cycle"))
                .count(),
            2
        );
        assert!(
            errors
                .iter()
                .any(|e| e.line == Some(4) && e.message.contains("\"Z\""))
        );
    }

    #[test]
    fn json_errors_name_their_path() {
        let json = r#"{"format":"stadtradar-strategy","version":1,"measures":[{"external_id":"A","title":"","field":"bildung","status":"planned"}]}"#;
        let (_, doc) = parse(json.as_bytes()).unwrap();
        let errors = validate(&doc, &known()).unwrap_err();
        assert_eq!(errors[0].column, "measures[0].title");
        let errors = parse(b"{\"format\": 3").unwrap_err();
        assert_eq!(errors[0].line, Some(1));
    }

    #[test]
    fn colours_are_checked_everywhere() {
        let json = r##"{"core_areas":[{"slug":"a","title":"A","colour":"blau","fields":[{"slug":"f","title":"F","colour":"#12345","focus_areas":[{"slug":"x","title":"X","colour":"#ABCDEF"}]}]}]}"##;
        let (_, doc) = parse(json.as_bytes()).unwrap();
        let errors = validate(&doc, &Known::default()).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            paths,
            ["core_areas[0].colour", "core_areas[0].fields[0].colour"]
        );
    }

    /// A one-measure CSV document whose texts are `title`, `summary` and `department`.
    fn csv_doc(title: &str, summary: &str, department: &str) -> Document {
        let json = serde_json::json!({
            "format": FORMAT, "version": 1,
            "core_areas": [ { "slug": "stadtgesellschaft", "title": "Stadtgesellschaft", "colour": "#8a3b12",
                "fields": [ { "slug": "bildung", "title": "Bildung" } ] } ],
            "measures": [ { "external_id": "F-1", "slug": "f-1", "title": title, "summary": summary,
                "description": "-5 % Kosten\n\n=1+1", "goals": "@SUM(A1)", "field": "bildung",
                "status": "planned", "weight": 2.5, "progress": 40, "target_year": 2027,
                "departments": [department], "tags": ["+49 89 123", "Schule"] } ]
        });
        parse_json(&json.to_string()).unwrap()
    }

    /// The cells of the data rows of a CSV export.
    fn cells(csv: &[u8]) -> Vec<Vec<String>> {
        csv_reader(
            std::str::from_utf8(csv)
                .unwrap()
                .trim_start_matches('\u{feff}'),
            b';',
        )
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
    }

    #[test]
    fn csv_export_neutralises_cells_a_spreadsheet_would_run() {
        for (title, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+49 89 123", "'+49 89 123"),
            ("-5 % Kosten", "'-5 % Kosten"),
            ("\tTabulator", "'\tTabulator"),
            ("\rWagenrücklauf", "'\rWagenrücklauf"),
            // Already quoted by its author: one more quote, so the import strips only ours.
            ("'=schon zitiert", "''=schon zitiert"),
            ("''@zweimal", "'''@zweimal"),
            // A quote before harmless text, and harmless text, stay as they are.
            ("'s Rathaus", "'s Rathaus"),
            ("Glasfaser = Zukunft", "Glasfaser = Zukunft"),
        ] {
            let csv = to_csv(&csv_doc(title, title, title)).unwrap();
            let row = &cells(&csv)[0];
            let col = |c: &str| &row[CSV_COLUMNS.iter().position(|x| *x == c).unwrap()];
            assert_eq!(col("title"), written, "title {title:?}");
            assert_eq!(col("summary"), written, "summary {title:?}");
            assert_eq!(col("departments"), written, "departments {title:?}");
            assert_eq!(col("description"), "'-5 % Kosten\n\n=1+1");
            assert_eq!(col("goals"), "'@SUM(A1)");
            assert_eq!(col("tags"), "'+49 89 123|Schule");
            for (i, cell) in row.iter().enumerate() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "column {} starts like a formula: {cell:?}",
                    CSV_COLUMNS[i]
                );
            }
        }
    }

    #[test]
    fn csv_import_strips_exactly_the_quote_the_export_added() {
        for title in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(A1)",
            "+49 89 123",
            "-5 % Kosten",
            "'=schon zitiert",
            "''@zweimal",
            "'s Rathaus",
            "'",
            "Glasfaser = Zukunft",
        ] {
            let doc = csv_doc(title, &format!("-{title}"), title);
            let csv = to_csv(&doc).unwrap();
            let (kind, back) = parse(&csv).unwrap();
            assert_eq!(kind, SourceKind::Csv);
            let m = &back.measures[0];
            assert_eq!(m.title, title);
            assert_eq!(m.summary, format!("-{title}"));
            assert_eq!(m.departments, [title]);
            assert_eq!(m.description, "-5 % Kosten\n\n=1+1");
            assert_eq!(m.goals, "@SUM(A1)");
            assert_eq!(m.tags, ["+49 89 123", "Schule"]);
        }
    }

    #[test]
    fn numeric_csv_columns_are_written_and_read_as_numbers() {
        // weight, progress and target_year are the numeric columns; the export writes them from
        // numbers and never quotes them.
        let csv = to_csv(&csv_doc("Titel", "", "Amt")).unwrap();
        let row = &cells(&csv)[0];
        let col = |c: &str| row[CSV_COLUMNS.iter().position(|x| *x == c).unwrap()].clone();
        assert_eq!(
            (col("weight"), col("progress"), col("target_year")),
            ("2.5".to_string(), "40".to_string(), "2027".to_string())
        );
        // A negative number reads as a number (validation then judges its range), with or
        // without the quote a spreadsheet user may have typed in front of it.
        let text = "external_id;title;field;status;weight;progress;target_year\n\
                    N-1;Negativ;Bildung;planned;-1,5;-5;-2030\n\
                    N-2;Zitiert;Bildung;planned;'-1,5;'-5;'-2030\n";
        let (_, doc) = parse(text.as_bytes()).unwrap();
        let got: Vec<(f64, Option<i64>, Option<i32>)> = doc
            .measures
            .iter()
            .map(|m| (m.weight, m.progress, m.target_year))
            .collect();
        assert_eq!(got, [(-1.5, Some(-5), Some(-2030)); 2]);
        let errors = validate(&doc, &known()).unwrap_err();
        let at: Vec<(Option<u64>, &str)> =
            errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert!(at.contains(&(Some(2), "weight")), "{errors:?}");
        assert!(at.contains(&(Some(2), "progress")), "{errors:?}");
        assert!(at.contains(&(Some(3), "weight")), "{errors:?}");
        assert!(at.contains(&(Some(3), "target_year")), "{errors:?}");
    }

    #[test]
    fn invalid_utf8_is_reported_by_line() {
        let errors = parse(b"external_id,title\nA,Gr\xfcn\n").unwrap_err();
        assert_eq!(errors[0].line, Some(2));
        assert!(errors[0].message.contains("UTF-8"));
    }
}
