//! The Musterstadt demo strategy (loaded on first start) and the synthetic large data set for
//! benchmarks (`stadtradar demo-data`).

use domain::import::{Document, MeasureDoc, ReportDoc};

pub const MUSTERSTADT: &str = include_str!("../demo/musterstadt.json");

/// A deterministic data set of `measures` measures and `updates` progress reports, built on the
/// Musterstadt taxonomy so the radar keeps its nine fields of action.
pub fn synthetic(measures: usize, updates: usize) -> anyhow::Result<Document> {
    let base: Document = serde_json::from_str(MUSTERSTADT)?;
    let fields: Vec<String> = base
        .core_areas
        .iter()
        .flat_map(|c| c.fields.iter().map(|f| f.slug.clone()))
        .collect();
    anyhow::ensure!(
        !fields.is_empty(),
        "the demo taxonomy has no fields of action"
    );
    let words = [
        "Digitale",
        "Schulen",
        "Kitas",
        "Bürgerservice",
        "Open Data",
        "WLAN",
        "Senioren",
        "Verwaltung",
        "Plattform",
        "Beteiligung",
        "Sensorik",
        "Mobilität",
        "Klimadaten",
        "Bibliothek",
        "Ehrenamt",
        "Gesundheit",
        "Portal",
        "Lernen",
    ];
    let statuses = [
        "planned",
        "in_progress",
        "in_progress",
        "done",
        "dropped",
        "in_progress",
        "planned",
        "done",
    ];
    let mut seed: u64 = 42;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut doc = Document {
        measures: Vec::with_capacity(measures),
        ..base
    };
    let per = updates / measures.max(1);
    let mut extra = updates % measures.max(1);
    for i in 0..measures {
        let r = next();
        let status = statuses[(r % statuses.len() as u64) as usize];
        let progress = match status {
            "done" => 100,
            "planned" => (r >> 8) as i64 % 10,
            _ => 10 + (r >> 8) as i64 % 80,
        };
        let start_year = 2020 + (r >> 16) % 7;
        let end_year = start_year + 1 + (r >> 20) % 4;
        let w1 = words[(r >> 24) as usize % words.len()];
        let w2 = words[(r >> 32) as usize % words.len()];
        let n_reports = per + usize::from(extra > 0);
        extra = extra.saturating_sub(1);
        let reports = (0..n_reports)
            .map(|k| {
                let year = 2020 + (k % 7) as i32;
                ReportDoc {
                    year,
                    date: format!("{}-{:02}-{:02}", year + 1, 1 + (k / 7) % 12, 1 + (i % 28)),
                    results: format!("Bericht {k} zu Maßnahme {i}: {w1} {w2} kommt voran."),
                    outlook: "Nächste Schritte sind geplant.".into(),
                    highlights: String::new(),
                }
            })
            .collect();
        doc.measures.push(MeasureDoc {
            external_id: format!("SYN-{i:05}"),
            slug: Some(format!("massnahme-{i:05}")),
            title: format!("{w1} {w2} {i}"),
            summary: format!("Synthetische Maßnahme {i} für Lasttests: {w1} und {w2}."),
            description: format!(
                "Diese Maßnahme **{i}** verbindet {w1} mit {w2}.\n\n- Schritt eins\n- Schritt zwei"
            ),
            goals: String::new(),
            field: fields[(r >> 40) as usize % fields.len()].clone(),
            focus_area: None,
            parent: None,
            weight: 1.0,
            status: status.into(),
            previous_status: if r.is_multiple_of(5) {
                None
            } else {
                Some(status.into())
            },
            progress: Some(progress),
            start: Some(format!("{start_year}-01-01")),
            end: Some(format!("{end_year}-12-31")),
            target_year: Some(end_year as i32),
            departments: vec![format!("Referat {}", (r >> 44) % 12)],
            target_groups: vec![format!("Zielgruppe {}", (r >> 48) % 8)],
            tags: vec![w1.to_string(), w2.to_string()],
            decisions: vec![],
            kpis: Some(vec![]),
            milestones: Some(vec![]),
            reports: Some(reports),
            line: None,
            core_area_hint: None,
        });
    }
    Ok(doc)
}
