//! Rules for people's accounts: roles, passwords, display names.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Editor,
    Moderator,
    Organiser,
    Provider,
    Citizen,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Editor,
        Role::Moderator,
        Role::Organiser,
        Role::Provider,
        Role::Citizen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Moderator => "moderator",
            Role::Organiser => "organiser",
            Role::Provider => "provider",
            Role::Citizen => "citizen",
        }
    }

    pub fn parse(v: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == v.trim().to_ascii_lowercase())
    }
}

pub const MIN_PASSWORD: usize = 10;
/// Long passphrases are welcome; the limit only keeps hashing cheap.
pub const MAX_PASSWORD: usize = 256;

/// The most common passwords (and patterns people use for this site), refused whatever their length.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789a",
    "1234567890a",
    "qwertzuiop",
    "qwertyuiop",
    "passwort123",
    "password123",
    "passwort1234",
    "password1234",
    "hallo12345",
    "hallo123456",
    "schatz12345",
    "ichliebedich",
    "fussball123",
    "fußball123",
    "sommer2024",
    "sommer2025",
    "sommer2026",
    "winter2025",
    "frühling2025",
    "herbst2025",
    "0987654321",
    "1111111111",
    "0000000000",
    "abcdefghij",
    "abcd123456",
    "aaaaaaaaaa",
    "qwertz1234",
    "asdfghjkl1",
    "iloveyou123",
    "musterstadt",
    "musterstadt1",
    "musterstadt123",
    "stadtradar",
    "stadtradar1",
    "stadtradar123",
    "digitalisierung",
    "passwort!",
    "password!",
    "passwortpasswort",
    "passwordpassword",
    "letmein1234",
    "welcome123",
    "willkommen1",
    "willkommen123",
    "geheim1234",
    "geheim12345",
    "dragon12345",
    "monkey12345",
    "superman123",
    "starwars123",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "q1w2e3r4t5",
    "123qweasdzxc",
    "trustno1234",
    "baseball123",
];

/// Checks a new password; the reason is a translation key.
pub fn check_password(password: &str, email: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err("password-too-short");
    }
    if n > MAX_PASSWORD {
        return Err("password-too-long");
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if COMMON.contains(&lower.as_str())
        || (!local.is_empty() && local.len() >= 4 && lower.contains(&local))
    {
        return Err("password-too-common");
    }
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) {
        return Err("password-too-common");
    }
    Ok(())
}

/// A public display name (pseudonym): 2–60 characters, no line breaks, no e-mail address.
pub fn check_display_name(name: &str) -> Result<String, &'static str> {
    let n = name.trim();
    let len = n.chars().count();
    if len < 2 {
        return Err("name-too-short");
    }
    if len > 60 {
        return Err("name-too-long");
    }
    if n.contains('@') || n.chars().any(char::is_control) {
        return Err("name-invalid");
    }
    Ok(n.to_string())
}

/// E-mail addresses are compared and stored lower-cased and trimmed.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        assert_eq!(check_password("kurz", "a@b.de"), Err("password-too-short"));
        assert_eq!(
            check_password("Passwort123", "a@b.de"),
            Err("password-too-common")
        );
        assert_eq!(
            check_password("annamueller!", "annamueller@musterstadt.de"),
            Err("password-too-common")
        );
        assert_eq!(
            check_password("zzzzzzzzzzzz", "a@b.de"),
            Err("password-too-common")
        );
        assert_eq!(
            check_password(&"x".repeat(300), "a@b.de"),
            Err("password-too-long")
        );
        assert!(check_password("Grüne Ampel am Rathausplatz", "a@b.de").is_ok());
        assert!(
            check_password(&"ab".repeat(40), "a@b.de").is_ok(),
            "no maximum below 64"
        );
    }

    #[test]
    fn display_names_are_pseudonyms() {
        assert_eq!(check_display_name("  Anna M. "), Ok("Anna M.".to_string()));
        assert_eq!(check_display_name("a"), Err("name-too-short"));
        assert_eq!(check_display_name("anna@x.de"), Err("name-invalid"));
        assert_eq!(check_display_name(&"n".repeat(61)), Err("name-too-long"));
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("Admin"), Some(Role::Admin));
        assert_eq!(Role::parse("organiser"), Some(Role::Organiser));
        assert_eq!(Role::parse("chef"), None);
    }
}
