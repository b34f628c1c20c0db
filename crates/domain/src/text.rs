//! Text rules: slugs, sanitised Markdown, German search terms and sort keys.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static GERMAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::German));

/// A URL slug: lower-case ASCII letters, digits and single hyphens; umlauts transliterated.
pub fn slugify(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().flat_map(char::to_lowercase) {
        let rep: &str = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' => "a",
            'é' | 'è' | 'ê' => "e",
            'ó' | 'ò' | 'ô' => "o",
            'í' | 'ì' => "i",
            'ú' | 'ù' => "u",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(rep);
    }
    let mut slug = String::with_capacity(out.len());
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(part);
    }
    slug.truncate(80);
    slug.trim_end_matches('-').to_string()
}

pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 80
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// Markdown to HTML, sanitised: only harmless tags, links get `rel="noopener noreferrer nofollow"`.
pub fn markdown_to_safe_html(markdown: &str) -> String {
    let parser =
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&html)
        .to_string()
}

/// German search terms of a text: lower-cased words, Snowball-stemmed, with a plural `s` after a
/// vowel removed ("Kitas" → "kita") which the Snowball German stemmer keeps.
pub fn search_terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| stem(&w.to_lowercase()))
        .filter(|w| !w.is_empty())
        .collect()
}

fn stem(word: &str) -> String {
    let mut w = word.to_string();
    let chars: Vec<char> = w.chars().collect();
    if chars.len() > 3
        && chars[chars.len() - 1] == 's'
        && matches!(chars[chars.len() - 2], 'a' | 'i' | 'o' | 'u' | 'y')
    {
        w.pop();
    }
    let stemmed = GERMAN.stem(&w).into_owned();
    // Fold umlauts after stemming so "Schüler" and "Schueler" meet.
    stemmed
        .replace('ä', "a")
        .replace('ö', "o")
        .replace('ü', "u")
        .replace('ß', "ss")
}

/// The text stored in a record's search column: its stemmed terms joined by spaces.
pub fn search_document(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        for t in search_terms(p) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&t);
        }
    }
    out
}

/// A key that sorts German titles the same on every database (DIN 5007-1: ä = a, ß = ss,
/// case-insensitive), compared byte-wise.
pub fn sort_key(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() || c == ' ' => out.push(c),
            _ => {}
        }
    }
    out
}

/// Checks a required single-line text field; returns the trimmed value or the reason.
pub fn required(value: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("must not be empty".into());
    }
    limit(v, max)
}

pub fn limit(value: &str, max: usize) -> Result<String, String> {
    let n = value.chars().count();
    if n > max {
        return Err(format!("is {n} characters long, at most {max} are allowed"));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate_umlauts() {
        assert_eq!(
            slugify("Mobilität & Straßen — 2025!"),
            "mobilitaet-strassen-2025"
        );
        assert_eq!(
            slugify("  PC-Treffs für Senioren "),
            "pc-treffs-fuer-senioren"
        );
        assert!(is_slug("digital-government"));
        assert!(!is_slug("Digital Government"));
    }

    #[test]
    fn plural_and_singular_share_a_stem() {
        assert_eq!(search_terms("Schulen"), search_terms("Schule"));
        assert_eq!(search_terms("Kitas"), search_terms("Kita"));
        assert_eq!(
            search_terms("Seniorinnen und Senioren")[2],
            search_terms("Senior")[0]
        );
    }

    #[test]
    fn markdown_is_sanitised() {
        let html =
            markdown_to_safe_html("**fett** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>fett</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn sort_key_follows_din_5007() {
        assert!(sort_key("Ärzte") < sort_key("Bäder"));
        assert_eq!(sort_key("Straße"), "strasse");
    }

    #[test]
    fn field_lengths_are_checked() {
        assert_eq!(required("  a ", 3), Ok("a".into()));
        assert!(required("  ", 3).is_err());
        assert!(required("abcd", 3).unwrap_err().contains("at most 3"));
    }
}
