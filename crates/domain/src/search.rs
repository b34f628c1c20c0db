//! One search over everything: the kinds of things it finds, their order on the page, and the
//! rules of its parameters (page size, the longest query).

/// What the search finds, in the order the page shows the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Measures,
    Ideas,
    Events,
    Sessions,
    Offers,
    /// Volunteering roles (`/ehrenamt`).
    Roles,
    Providers,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Measures,
        Kind::Ideas,
        Kind::Events,
        Kind::Sessions,
        Kind::Offers,
        Kind::Roles,
        Kind::Providers,
    ];

    /// The value of `kind=` on the page and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Measures => "measures",
            Kind::Ideas => "ideas",
            Kind::Events => "events",
            Kind::Sessions => "sessions",
            Kind::Offers => "offers",
            Kind::Roles => "roles",
            Kind::Providers => "providers",
        }
    }

    pub fn parse(v: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == v)
    }
}

/// Results of one kind per page.
pub const PER_PAGE: i64 = 20;

/// The longest query, in characters (as the offers' `q`).
pub const MAX_QUERY: usize = 200;

/// The highest page number accepted.
pub const MAX_PAGE: i64 = 10_000;

/// A short plain excerpt of `text` (Markdown source or plain text): at most `max` characters,
/// cut at a word boundary with "…", Markdown's marks (`#`, `*`, `_`, `>`, backticks) and line
/// breaks left out.
pub fn excerpt(text: &str, max: usize) -> String {
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '#' | '*' | '_' | '>' | '`'))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = plain.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    for w in words {
        let len = out.chars().count() + w.chars().count() + usize::from(!out.is_empty());
        if len > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_names() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("Measures"), None);
        assert_eq!(Kind::parse(""), None);
    }

    #[test]
    fn excerpts_end_at_a_word_and_drop_markdown() {
        assert_eq!(excerpt("**Kurz** und\nbündig", 40), "Kurz und bündig");
        assert_eq!(excerpt("eins zwei drei vier", 10), "eins zwei…");
        assert_eq!(excerpt("", 10), "");
    }
}
