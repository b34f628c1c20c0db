//! Typed settings: defaults → `stadtradar.toml` → `STADTRADAR_*` environment → command line.
//! Unknown keys are rejected; a bad value stops start-up with one line naming the setting.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://data/stadtradar.db` (default) or `postgres://user@host/db`.
    pub database_url: String,
    /// Address to listen on.
    pub addr: String,
    /// Public base URL, used in feeds and API links.
    pub base_url: String,
    /// Log filter (`info`, `warn`, `stadtradar=debug,info`, …).
    pub log: String,
    /// Log format: `text` or `json`.
    pub log_format: String,
    /// SMTP server; empty: mail is written as `.eml` files to `outbox_dir`.
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls` (default), `tls` or `none`.
    pub smtp_security: String,
    pub smtp_user: String,
    pub smtp_password: String,
    /// Sender of all mail, e.g. `Digitalisierungsradar Musterstadt <radar@musterstadt.de>`.
    pub mail_from: String,
    /// Folder for `.eml` files when no SMTP server is set.
    pub outbox_dir: String,
    /// Memory for cached pages, in MB (0: no page cache, every page is rendered anew).
    pub page_cache_mb: usize,
    /// Reverse proxies (IP addresses or CIDR networks) whose `X-Forwarded-For` names the client;
    /// empty (default): the connection's address is the client. In the environment a
    /// comma-separated list (`STADTRADAR_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8`).
    #[serde(deserialize_with = "list_or_commas")]
    pub trusted_proxies: Vec<String>,
    /// Seconds a client has to send a request's line and headers, counted from the connection's
    /// opening or the end of the previous response (so also the keep-alive idle limit).
    pub header_read_timeout_secs: u64,
    /// Seconds after which a connection where no byte moves either way is closed; more than the
    /// 30 s a request may take.
    pub idle_timeout_secs: u64,
    /// Comments and replies one account may post a minute …
    pub comment_limit_per_minute: i64,
    /// … and an hour.
    pub comment_limit_per_hour: i64,
    /// Comments and replies from one client address a minute (all accounts and guests).
    pub comment_limit_per_client_minute: i64,
    /// The city's own map tile server, `https://tiles.example/{z}/{x}/{y}.png`; empty
    /// (default): no maps, pages load nothing from another host.
    pub map_tiles: String,
    /// The tiles' licence, shown under every map (`© OpenStreetMap-Mitwirkende`).
    pub map_attribution: String,
    /// Newsletter mails queued a minute while an issue goes out (0: as fast as the queue takes
    /// them); counted from the start, for all instances together.
    pub newsletter_rate: u32,
}

/// A list of strings, given as a TOML array or as one comma-separated string (environment).
fn list_or_commas<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(v) => v,
        Either::Text(t) => t
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact(&self.database_url))
            .field("addr", &self.addr)
            .field("base_url", &self.base_url)
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_security", &self.smtp_security)
            .field("smtp_user", &self.smtp_user)
            .field(
                "smtp_password",
                &if self.smtp_password.is_empty() {
                    ""
                } else {
                    "***"
                },
            )
            .field("mail_from", &self.mail_from)
            .field("outbox_dir", &self.outbox_dir)
            .field("page_cache_mb", &self.page_cache_mb)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("header_read_timeout_secs", &self.header_read_timeout_secs)
            .field("idle_timeout_secs", &self.idle_timeout_secs)
            .field("comment_limit_per_minute", &self.comment_limit_per_minute)
            .field("comment_limit_per_hour", &self.comment_limit_per_hour)
            .field(
                "comment_limit_per_client_minute",
                &self.comment_limit_per_client_minute,
            )
            .field("map_tiles", &self.map_tiles)
            .field("map_attribution", &self.map_attribution)
            .field("newsletter_rate", &self.newsletter_rate)
            .finish()
    }
}

/// Hides a password in a database URL.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/stadtradar.db".into(),
            addr: "127.0.0.1:8080".into(),
            base_url: String::new(),
            log: "info".into(),
            log_format: "text".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_user: String::new(),
            smtp_password: String::new(),
            mail_from: "Digitalisierungsradar <radar@localhost.localdomain>".into(),
            outbox_dir: "data/outbox".into(),
            page_cache_mb: web::cache::DEFAULT_MB,
            trusted_proxies: Vec::new(),
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            comment_limit_per_minute: web::comments::PER_ACCOUNT_MINUTE,
            comment_limit_per_hour: web::comments::PER_ACCOUNT_HOUR,
            comment_limit_per_client_minute: web::comments::PER_CLIENT_MINUTE,
            map_tiles: String::new(),
            map_attribution: String::new(),
            newsletter_rate: domain::newsletter::DEFAULT_RATE,
        }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<String>,
}

impl Settings {
    pub fn load(config: Option<&str>, overrides: Overrides) -> Result<Settings, String> {
        let file = config.unwrap_or("stadtradar.toml");
        if config.is_some() && !std::path::Path::new(file).exists() {
            return Err(format!("config file {file} does not exist"));
        }
        let mut s: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("STADTRADAR_").ignore(&["test_pg_url"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| {
                let key = e.path.join(".");
                let msg = e.kind.to_string();
                if key.is_empty() {
                    format!("setting error: {msg}")
                } else {
                    format!("setting {key}: {msg}")
                }
            })?;
        if !(s.database_url.starts_with("sqlite:")
            || s.database_url.starts_with("postgres:")
            || s.database_url.starts_with("postgresql:"))
        {
            return Err(format!(
                "setting database_url (STADTRADAR_DATABASE_URL): {:?} must start with sqlite:// or postgres://",
                redact(&s.database_url)
            ));
        }
        let addr: SocketAddr = s.addr.parse().map_err(|_| {
            format!(
                "setting addr (STADTRADAR_ADDR): {:?} is not an address like 127.0.0.1:8080",
                s.addr
            )
        })?;
        if s.base_url.is_empty() {
            s.base_url = format!("http://{addr}");
        }
        if !(s.base_url.starts_with("http://") || s.base_url.starts_with("https://")) {
            return Err(format!(
                "setting base_url (STADTRADAR_BASE_URL): {:?} must start with http:// or https://",
                s.base_url
            ));
        }
        if !matches!(s.log_format.as_str(), "text" | "json") {
            return Err(format!(
                "setting log_format (STADTRADAR_LOG_FORMAT): {:?} must be text or json",
                s.log_format
            ));
        }
        if web::mail::Security::parse(&s.smtp_security).is_none() {
            return Err(format!(
                "setting smtp_security (STADTRADAR_SMTP_SECURITY): {:?} must be starttls, tls or none",
                s.smtp_security
            ));
        }
        if s.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(format!(
                "setting mail_from (STADTRADAR_MAIL_FROM): {:?} is not a sender address",
                s.mail_from
            ));
        }
        if tracing_subscriber::EnvFilter::try_new(&s.log).is_err() {
            return Err(format!(
                "setting log (STADTRADAR_LOG): {:?} is not a log filter such as info or warn",
                s.log
            ));
        }
        s.trusted_proxy_networks()?;
        if !(1..=3600).contains(&s.header_read_timeout_secs) {
            return Err(format!(
                "setting header_read_timeout_secs (STADTRADAR_HEADER_READ_TIMEOUT_SECS): {} must be 1 to 3600",
                s.header_read_timeout_secs
            ));
        }
        if !(31..=3600).contains(&s.idle_timeout_secs) {
            return Err(format!(
                "setting idle_timeout_secs (STADTRADAR_IDLE_TIMEOUT_SECS): {} must be 31 to 3600 (more than the 30 s a request may take)",
                s.idle_timeout_secs
            ));
        }
        for (name, env, v) in [
            (
                "comment_limit_per_minute",
                "STADTRADAR_COMMENT_LIMIT_PER_MINUTE",
                s.comment_limit_per_minute,
            ),
            (
                "comment_limit_per_hour",
                "STADTRADAR_COMMENT_LIMIT_PER_HOUR",
                s.comment_limit_per_hour,
            ),
            (
                "comment_limit_per_client_minute",
                "STADTRADAR_COMMENT_LIMIT_PER_CLIENT_MINUTE",
                s.comment_limit_per_client_minute,
            ),
        ] {
            if !(1..=1_000_000).contains(&v) {
                return Err(format!("setting {name} ({env}): {v} must be 1 to 1000000"));
            }
        }
        Ok(s)
    }

    /// The comment limits as the web layer takes them.
    pub fn comment_limits(&self) -> web::comments::PostLimits {
        web::comments::PostLimits {
            per_minute: self.comment_limit_per_minute,
            per_hour: self.comment_limit_per_hour,
            per_client_minute: self.comment_limit_per_client_minute,
        }
    }

    /// The `trusted_proxies`, parsed; the error names the setting and the bad entry.
    pub fn trusted_proxy_networks(&self) -> Result<Vec<domain::net::Cidr>, String> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                domain::net::Cidr::parse(p).map_err(|e| {
                    format!("setting trusted_proxies (STADTRADAR_TRUSTED_PROXIES): {e}")
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_password_is_redacted() {
        let s = Settings {
            smtp_password: "geheim".into(),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("geheim"));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:geheim@db/radar"),
            "postgres://app:***@db/radar"
        );
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn bad_values_name_the_setting() {
        let e = Settings::load(
            None,
            Overrides {
                addr: Some("localhost".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.contains("setting addr"), "{e}");
        let e = Settings::load(
            None,
            Overrides {
                database_url: Some("mysql://x".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.contains("database_url"), "{e}");
        let e = Settings::load(None, Overrides::default());
        let s = e.unwrap();
        assert_eq!(s.smtp_security, "starttls");
        assert!(s.trusted_proxies.is_empty());
        assert_eq!((s.header_read_timeout_secs, s.idle_timeout_secs), (10, 60));
        assert_eq!(s.base_url, "http://127.0.0.1:8080");
        assert_eq!(s.newsletter_rate, 600);
    }

    #[test]
    fn trusted_proxies_come_as_a_list_or_comma_separated() {
        use figment::providers::Serialized;
        let from = |v: serde_json::Value| -> Settings {
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Serialized::default("trusted_proxies", v))
                .extract()
                .unwrap()
        };
        let s = from(serde_json::json!(["127.0.0.1", "10.0.0.0/8"]));
        assert_eq!(s.trusted_proxies, ["127.0.0.1", "10.0.0.0/8"]);
        let s = from(serde_json::json!("127.0.0.1, ::1 ,"));
        assert_eq!(s.trusted_proxies, ["127.0.0.1", "::1"]);
        assert_eq!(s.trusted_proxy_networks().unwrap().len(), 2);
        let bad = from(serde_json::json!("127.0.0.1,10.0.0.0/33"));
        let e = bad.trusted_proxy_networks().unwrap_err();
        assert!(
            e.contains("setting trusted_proxies") && e.contains("10.0.0.0/33"),
            "{e}"
        );
    }
}
