//! Translations: Fluent files for German (default) and English, compiled into the binary.

use axum::http::HeaderMap;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    De,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }

    pub fn parse(v: &str) -> Option<Lang> {
        match v.trim().to_ascii_lowercase().as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks from an `Accept-Language` header: the first of de/en by quality, German otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("de") {
                Lang::De
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::De)
    }
}

struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    /// Messages without arguments, formatted once.
    plain: HashMap<String, String>,
}

fn catalogue(lang: Lang, source: &str) -> Catalogue {
    let res = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, errors)) => {
            // A broken line in a translation file is a build defect; the i18n test catches it.
            tracing::error!(?errors, lang = lang.code(), "translation file has errors");
            r
        }
    };
    let id = match lang {
        Lang::De => unic_langid::langid!("de"),
        Lang::En => unic_langid::langid!("en"),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    let ids: Vec<String> = message_ids(source);
    if let Err(errors) = bundle.add_resource(res) {
        tracing::error!(?errors, "duplicate translation keys");
    }
    let mut plain = HashMap::new();
    for id in ids {
        if let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) {
            let mut errors = vec![];
            let text = bundle.format_pattern(pattern, None, &mut errors);
            if errors.is_empty() {
                plain.insert(id, text.into_owned());
            }
        }
    }
    Catalogue { bundle, plain }
}

/// One Fluent file per feature and language: `i18n/<lang>/<feature>.ftl`.
macro_rules! feature_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../i18n/", $lang, "/layout.ftl")),
            include_str!(concat!("../i18n/", $lang, "/error.ftl")),
            include_str!(concat!("../i18n/", $lang, "/radar.ftl")),
            include_str!(concat!("../i18n/", $lang, "/accounts.ftl")),
            include_str!(concat!("../i18n/", $lang, "/admin.ftl")),
            include_str!(concat!("../i18n/", $lang, "/mail.ftl")),
            include_str!(concat!("../i18n/", $lang, "/demo.ftl")),
            include_str!(concat!("../i18n/", $lang, "/participation.ftl")),
            include_str!(concat!("../i18n/", $lang, "/comments.ftl")),
            include_str!(concat!("../i18n/", $lang, "/ideas.ftl")),
            include_str!(concat!("../i18n/", $lang, "/notifications.ftl")),
            include_str!(concat!("../i18n/", $lang, "/programme.ftl")),
            include_str!(concat!("../i18n/", $lang, "/offers.ftl")),
            include_str!(concat!("../i18n/", $lang, "/offers_office.ftl")),
            include_str!(concat!("../i18n/", $lang, "/requests.ftl")),
            include_str!(concat!("../i18n/", $lang, "/volunteering.ftl")),
            include_str!(concat!("../i18n/", $lang, "/search.ftl")),
            include_str!(concat!("../i18n/", $lang, "/newsletter.ftl")),
        ]
    };
}

const DE_FILES: [&str; 18] = feature_files!("de");
const EN_FILES: [&str; 18] = feature_files!("en");

/// The whole catalogue of a language: its feature files one after the other.
fn source(lang: Lang) -> String {
    let files = match lang {
        Lang::De => &DE_FILES,
        Lang::En => &EN_FILES,
    };
    files.join("\n")
}

static DE: LazyLock<Catalogue> = LazyLock::new(|| catalogue(Lang::De, &source(Lang::De)));
static EN: LazyLock<Catalogue> = LazyLock::new(|| catalogue(Lang::En, &source(Lang::En)));

/// The reader's language: `?lang=en|de` on the URL, else `Accept-Language`, else German. No
/// cookie is set: anonymous readers get none.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(q) = query {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("lang=")
                && let Some(l) = Lang::parse(v)
            {
                return l;
            }
        }
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or(Lang::De)
}

/// The translator handed to templates: `t.get("key")`, `t.n("key", "count", 3)`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    fn cat(&self) -> &'static Catalogue {
        match self.lang {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// A message without arguments; the key itself when missing (tests catch that).
    pub fn get(&self, key: &str) -> String {
        self.cat()
            .plain
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Whether `key` is a message of this language (with or without arguments).
    pub fn has(&self, key: &str) -> bool {
        self.cat().bundle.has_message(key)
    }

    /// A message with named arguments; numbers select plural forms.
    pub fn args(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let cat = self.cat();
        let Some(pattern) = cat.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Num(n) => fa.set(*name, FluentValue::from(*n)),
                Arg::Str(s) => fa.set(*name, FluentValue::from(s.clone())),
            }
        }
        let mut errors = vec![];
        cat.bundle
            .format_pattern(pattern, Some(&fa), &mut errors)
            .into_owned()
    }

    pub fn n<V: std::borrow::Borrow<i64>>(&self, key: &str, name: &str, value: V) -> String {
        self.args(key, &[(name, Arg::Num(*value.borrow()))])
    }

    pub fn s(&self, key: &str, name: &str, value: &str) -> String {
        self.args(key, &[(name, Arg::Str(value.to_string()))])
    }

    pub fn status(&self, status: &str) -> String {
        self.get(&format!("status-{status}"))
    }
}

#[derive(Debug, Clone)]
pub enum Arg {
    Num(i64),
    Str(String),
}

/// Message ids of a Fluent source: lines of the form `id = …` at the start of a line.
fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.split_once(" ="))
        .map(|(id, _)| id)
        .filter(|id| {
            id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .collect()
}

/// Keys of a catalogue, sorted, for the completeness test.
pub fn keys(lang: Lang) -> Vec<String> {
    let mut k = message_ids(&source(lang));
    k.sort();
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        assert_eq!(keys(Lang::De), keys(Lang::En));
        assert!(keys(Lang::De).len() > 100);
    }

    #[test]
    fn no_key_is_defined_twice() {
        for lang in [Lang::De, Lang::En] {
            let ids = message_ids(&source(lang));
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                ids.len(),
                unique.len(),
                "a translation key is defined twice"
            );
        }
    }

    #[test]
    fn plurals_follow_the_language() {
        let de = Tr::new(Lang::De);
        assert_eq!(de.n("measures-total", "count", 1), "1 Maßnahme");
        assert_eq!(de.n("measures-total", "count", 5), "5 Maßnahmen");
        assert_eq!(
            Tr::new(Lang::En).n("list-results", "count", 0),
            "No measure found."
        );
    }

    #[test]
    fn accept_language_prefers_quality() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,de;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("fr, de;q=0.5, en;q=0.4"),
            Lang::De
        );
        assert_eq!(Lang::from_accept_language("fr"), Lang::De);
        assert_eq!(Lang::from_accept_language(""), Lang::De);
    }
}
