//! SVG drawings: the radar, the timeline, stacked bars and histograms. Presentation
//! attributes only (the CSP forbids inline styles); every dot is a link with an accessible name.

use crate::i18n::Tr;
use domain::Status;
use domain::radar::{annular_sector_path, layout};
use std::fmt::Write;
use store::strategy::{Field, MeasureCard, Taxonomy};

/// Escapes text for SVG/HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    esc_into(&mut o, s);
    o
}

/// Appends `s` escaped for HTML text and attributes; the runs between special characters are
/// copied whole.
pub fn esc_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Ring keys: statuses (done at the centre) or target years (earliest at the centre, then none).
pub enum RingMode {
    Status,
    Year(Vec<Option<i64>>),
}

impl RingMode {
    pub fn years(measures: &[MeasureCard]) -> RingMode {
        let mut years: Vec<Option<i64>> = measures.iter().map(|m| m.target_year).collect();
        years.sort_by_key(|y| (y.is_none(), *y));
        years.dedup();
        if years.is_empty() {
            years.push(None);
        }
        RingMode::Year(years)
    }

    pub fn count(&self) -> usize {
        match self {
            RingMode::Status => 4,
            RingMode::Year(y) => y.len(),
        }
    }

    fn ring_of(&self, m: &MeasureCard) -> usize {
        match self {
            RingMode::Status => m.status().index(),
            RingMode::Year(y) => y.iter().position(|k| *k == m.target_year).unwrap_or(0),
        }
    }

    /// Ring labels from the centre outwards.
    pub fn labels(&self, t: &Tr) -> Vec<String> {
        match self {
            RingMode::Status => {
                let mut s = domain::Status::ALL.to_vec();
                s.sort_by_key(|s| s.index());
                s.into_iter().map(|s| t.status(s.as_str())).collect()
            }
            RingMode::Year(y) => y
                .iter()
                .map(|y| {
                    y.map(|y| y.to_string())
                        .unwrap_or_else(|| t.get("radar-no-year"))
                })
                .collect(),
        }
    }
}

/// The radar: one sector per field of action (in taxonomy order), one dot per measure.
pub fn radar_svg(
    t: &Tr,
    tax: &Taxonomy,
    measures: &[MeasureCard],
    rings: &RingMode,
    label: &str,
    compare: bool,
) -> String {
    let fields: &[Field] = &tax.fields;
    let sector_of = |m: &MeasureCard| fields.iter().position(|f| f.id == m.field_id).unwrap_or(0);
    let items: Vec<(usize, usize)> = measures
        .iter()
        .map(|m| (sector_of(m), rings.ring_of(m)))
        .collect();
    let l = layout(fields.len().max(1), rings.count(), &items);
    let mut s = String::with_capacity(600 + measures.len() * 150);
    let _ = write!(
        s,
        r#"<svg class="radar" viewBox="0 0 {size:.0} {size:.0}" role="group" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">"#,
        size = l.size,
        label = esc(label)
    );
    s.push_str(r#"<g aria-hidden="true">"#);
    let outer = l.ring_radii[l.ring_radii.len() - 1];
    let inner = l.ring_radii[0];
    for (i, f) in fields.iter().enumerate() {
        let (a0, a1) = l.sectors[i];
        let colour = tax.colour_of(f);
        let _ = write!(
            s,
            r##"<path d="{}" fill="{}" fill-opacity="{}" stroke="#ffffff" stroke-width="2"/>"##,
            annular_sector_path(l.centre, inner, outer, a0, a1),
            esc(colour),
            if i % 2 == 0 { "0.10" } else { "0.17" }
        );
    }
    for r in &l.ring_radii[1..l.ring_radii.len() - 1] {
        let _ = write!(
            s,
            r##"<circle cx="{c:.1}" cy="{c:.1}" r="{r:.1}" fill="none" stroke="#767676" stroke-width="1" stroke-dasharray="4 3"/>"##,
            c = l.centre
        );
    }
    let _ = write!(
        s,
        r##"<circle cx="{c:.1}" cy="{c:.1}" r="{outer:.1}" fill="none" stroke="#767676" stroke-width="1"/>"##,
        c = l.centre
    );
    // Sector numbers at the rim; the legend names them.
    for (i, _) in fields.iter().enumerate() {
        let (a0, a1) = l.sectors[i];
        let a = (a0 + a1) / 2.0;
        let x = l.centre + (outer + 16.0) * a.cos();
        let y = l.centre + (outer + 16.0) * a.sin();
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" dominant-baseline="central" font-size="18" fill="#1a1a1a">{}</text>"##,
            i + 1
        );
    }
    s.push_str("</g>");
    // The status names once, not once per dot.
    let labels: Vec<(Status, String)> = Status::ALL
        .into_iter()
        .map(|st| (st, esc(&t.status(st.as_str()))))
        .collect();
    let label_of = |st: Status| {
        labels
            .iter()
            .find(|(s, _)| *s == st)
            .map(|(_, l)| l.as_str())
            .unwrap_or("")
    };
    let radius = format!("{:.1}", l.dot_radius);
    for (m, (x, y)) in measures.iter().zip(&l.dots) {
        let status = m.status();
        let mark = if compare {
            domain::EditionMark::of(status, m.previous_status())
        } else {
            domain::EditionMark::Unchanged
        };
        s.push_str(r#"<a class="dot" href="/massnahmen/"#);
        esc_into(&mut s, &m.slug);
        s.push_str(r#"" aria-label=""#);
        esc_into(&mut s, &m.title);
        s.push_str(" – ");
        s.push_str(label_of(status));
        s.push_str(", ");
        esc_into(&mut s, &m.field_title);
        s.push_str(r#""><circle class="m-"#);
        s.push_str(mark.as_str());
        let _ = write!(s, r#"" cx="{x:.1}" cy="{y:.1}" r="{radius}" fill=""#);
        esc_into(&mut s, &m.colour);
        s.push_str(r#""/></a>"#);
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars of each measure's planned period over the years.
/// Horizontal bars of each measure's planned period over the years, its title beside the bar
/// and a line for today.
pub fn timeline_svg(
    measures: &[MeasureCard],
    label: &str,
    today: time::Date,
    today_label: &str,
) -> String {
    let dated: Vec<&MeasureCard> = measures
        .iter()
        .filter(|m| m.planned_start.is_some() || m.planned_end.is_some())
        .collect();
    let years: Vec<i32> = dated
        .iter()
        .flat_map(|m| {
            [
                m.planned_start.map(|d| d.year()),
                m.planned_end.map(|d| d.year()),
            ]
        })
        .flatten()
        .collect();
    let (y0, y1) = match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) => (*a, *b + 1),
        _ => (today.year(), today.year() + 1),
    };
    let label_w = 330.0;
    let left = label_w + 10.0;
    let width = 990.0 - left;
    let row = 24.0;
    let top = 30.0;
    let height = top + row * dated.len().max(1) as f64 + 10.0;
    let span = f64::from((y1 - y0).max(1));
    let xf = |d: time::Date| {
        left + width * (f64::from(d.year() - y0) + f64::from(d.ordinal()) / 366.0) / span
    };
    let mut s = String::with_capacity(1000 + dated.len() * 260);
    let _ = write!(
        s,
        r#"<svg class="timeline" viewBox="0 0 1000 {height:.0}" role="group" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><g aria-hidden="true">"#,
        esc(label)
    );
    for y in y0..=y1 {
        let x = left + width * f64::from(y - y0) / span;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="20" x2="{x:.1}" y2="{height:.0}" stroke="#c8c8c8"/>"##
        );
        if y < y1 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="15" font-size="13" text-anchor="middle" fill="#1a1a1a">{y}</text>"##,
                x + width / span / 2.0
            );
        }
    }
    if (y0..y1).contains(&today.year()) {
        let x = xf(today);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="20" x2="{x:.1}" y2="{height:.0}" stroke="#a12b2b" stroke-width="2" stroke-dasharray="5 3"/><text x="{:.1}" y="28" font-size="12" fill="#a12b2b">{}</text>"##,
            x + 3.0,
            esc(today_label)
        );
    }
    s.push_str("</g>");
    for (i, m) in dated.iter().enumerate() {
        let yy = top + row * i as f64;
        let start = m.planned_start.or(m.planned_end).map(xf).unwrap_or(left);
        let end = m
            .planned_end
            .or(m.planned_start)
            .map(xf)
            .unwrap_or(left + width);
        let w = (end - start).max(4.0);
        // Long titles are cut at a word; the visible part stays a prefix of the link's name
        // (WCAG 2.5.3), and the ellipsis is hidden from assistive technology.
        let (title, cut) = short_title(&m.title, 44);
        let _ = write!(
            s,
            r##"<a href="/massnahmen/{}" aria-label="{}"><text x="0" y="{:.1}" font-size="13" fill="#1a1a1a">{}{}</text><rect x="{start:.1}" y="{yy:.1}" width="{w:.1}" height="{:.1}" fill="{}"/></a>"##,
            esc(&m.slug),
            esc(&m.title),
            yy + 13.0,
            esc(title),
            if cut {
                r#"<tspan aria-hidden="true">…</tspan>"#
            } else {
                ""
            },
            row - 8.0,
            esc(&m.colour)
        );
    }
    s.push_str("</svg>");
    s
}

/// The title cut at a word boundary to at most `max` characters; `true` when it was cut.
pub(crate) fn short_title(title: &str, max: usize) -> (&str, bool) {
    if title.chars().count() <= max {
        return (title, false);
    }
    let end = title
        .char_indices()
        .nth(max)
        .map(|(i, _)| i)
        .unwrap_or(title.len());
    let head = &title[..end];
    let cut = head.rfind(' ').filter(|i| *i > end / 2).unwrap_or(end);
    (title[..cut].trim_end(), true)
}

pub(crate) const STATUS_FILLS: [&str; 4] = ["#6b6b6b", "#1f5fa8", "#1e7a34", "#a12b2b"];

/// Stacked horizontal bars: measures per row, split by status (planned, in progress, done, dropped).
pub fn stacked_bars_svg(rows: &[(String, [i64; 4])], label: &str) -> String {
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<i64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let row_h = 30.0;
    let label_w = 0.0;
    let height = row_h * rows.len().max(1) as f64 + 10.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 1000 {height:.0}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(label)
    );
    for (i, (name, counts)) in rows.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let mut x = label_w;
        let _ = write!(
            s,
            r##"<text x="0" y="{:.1}" font-size="13" fill="#1a1a1a">{}</text>"##,
            y + 11.0,
            esc(name)
        );
        for (k, c) in counts.iter().enumerate() {
            let w = 1000.0 * (*c as f64) / max;
            if w > 0.0 {
                let _ = write!(
                    s,
                    r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="12" fill="{}"/>"#,
                    y + 14.0,
                    STATUS_FILLS[k]
                );
            }
            x += w;
        }
    }
    s.push_str("</svg>");
    s
}

/// Columns: number of measures per progress band.
pub fn histogram_svg(bands: &[(String, i64)], label: &str) -> String {
    let max = bands.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64;
    let n = bands.len().max(1) as f64;
    let w = 1000.0 / n;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 1000 330" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(label)
    );
    for (i, (name, c)) in bands.iter().enumerate() {
        let h = 260.0 * (*c as f64) / max;
        let x = w * i as f64;
        let _ = write!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#1f5fa8"/><text x="{:.1}" y="{:.1}" font-size="14" text-anchor="middle" fill="#1a1a1a">{c}</text><text x="{:.1}" y="318" font-size="13" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            x + 4.0,
            290.0 - h,
            w - 8.0,
            x + w / 2.0,
            285.0 - h,
            x + w / 2.0,
            esc(name)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_text_and_replaces_the_five_characters() {
        assert_eq!(
            esc("Bäder & <Museen> \"1\" 'a'"),
            "Bäder &amp; &lt;Museen&gt; &quot;1&quot; &#39;a&#39;"
        );
        assert_eq!(esc("Straße"), "Straße");
        assert_eq!(esc(""), "");
        let mut out = String::from("x");
        esc_into(&mut out, "&ü&");
        assert_eq!(out, "x&amp;ü&amp;");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_and_stay_a_prefix() {
        let t = "Digitale Eintrittskarten und Auslastungsanzeige für Bäder und Museen";
        let (short, cut) = short_title(t, 44);
        assert!(cut);
        assert!(t.starts_with(short));
        assert_eq!(short, "Digitale Eintrittskarten und");
        assert_eq!(
            short_title("Open-Data-Portal", 44),
            ("Open-Data-Portal", false)
        );
        let umlauts = "Ä".repeat(60);
        let (short, _) = short_title(&umlauts, 44);
        assert_eq!(short.chars().count(), 44);
    }

    #[test]
    fn text_is_escaped_for_svg() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
