//! The formats the organisers keep (a name, a default length, a colour): what a new or changed
//! format must hold. The colour marks the format beside its written name, so it needs the
//! contrast of a graphical object against the white page (WCAG 1.4.11: 3:1).

use super::{Problem, problem};

/// The shortest and the longest name of a format, in characters.
pub const NAME_MIN: usize = 2;
pub const NAME_MAX: usize = 60;
/// The shortest and the longest default length, in minutes.
pub const MINUTES_MIN: i64 = 5;
pub const MINUTES_MAX: i64 = 600;
/// The contrast a format's colour needs against white.
pub const MIN_CONTRAST: f64 = 3.0;

/// A format as typed: trimmed name, default length, colour `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatInput {
    pub name: String,
    pub minutes: i64,
    pub colour: String,
}

impl FormatInput {
    /// Reads the form's values; every problem, in the order of the form.
    pub fn parse(name: &str, minutes: &str, colour: &str) -> Result<FormatInput, Vec<Problem>> {
        let mut p = Vec::new();
        let name = name.trim().to_string();
        let n = name.chars().count();
        if n < NAME_MIN {
            p.push(problem("name", "programme-empty"));
        } else if n > NAME_MAX {
            p.push(problem("name", "programme-too-long"));
        }
        let minutes = match minutes.trim().parse::<i64>() {
            Ok(m) if (MINUTES_MIN..=MINUTES_MAX).contains(&m) => m,
            _ => {
                p.push(problem("minutes", "format-minutes-invalid"));
                0
            }
        };
        let colour = colour.trim().to_ascii_lowercase();
        match crate::colour::parse_hex(&colour) {
            None => p.push(problem("colour", "format-colour-invalid")),
            Some(rgb) if crate::colour::contrast_on_white(rgb) < MIN_CONTRAST => {
                p.push(problem("colour", "format-colour-contrast"));
            }
            Some(_) => {}
        }
        if p.is_empty() {
            Ok(FormatInput {
                name,
                minutes,
                colour,
            })
        } else {
            Err(p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_needs_a_name_a_sensible_length_and_a_visible_colour() {
        let f = FormatInput::parse("  Barcamp ", "240", "#1F5F99").unwrap();
        assert_eq!(
            (f.name.as_str(), f.minutes, f.colour.as_str()),
            ("Barcamp", 240, "#1f5f99")
        );
        let fields = |r: Result<FormatInput, Vec<Problem>>| {
            r.unwrap_err()
                .into_iter()
                .map(|p| (p.field, p.key))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(FormatInput::parse("B", "4", "blau")),
            vec![
                ("name", "programme-empty"),
                ("minutes", "format-minutes-invalid"),
                ("colour", "format-colour-invalid")
            ]
        );
        // Pale yellow on white cannot be told apart; 601 minutes is more than a day's session.
        assert_eq!(
            fields(FormatInput::parse("Barcamp", "601", "#ffee88")),
            vec![
                ("minutes", "format-minutes-invalid"),
                ("colour", "format-colour-contrast")
            ]
        );
        assert!(
            fields(FormatInput::parse(&"x".repeat(61), "60", "#000000"))
                == vec![("name", "programme-too-long")]
        );
    }

    #[test]
    fn the_preset_colours_pass_the_rule() {
        for f in super::super::PRESET_FORMATS {
            assert!(
                FormatInput::parse(f.name, &f.minutes.to_string(), f.colour).is_ok(),
                "{}",
                f.name
            );
        }
    }
}
