//! Rules of the site's branding: which logo files are accepted and which accent colours keep
//! the WCAG AA contrast against white.

/// The largest logo accepted, in bytes.
pub const MAX_LOGO: usize = 512 * 1024;

/// The smallest contrast ratio of the accent colour against white (WCAG 2.x AA, normal text).
pub const MIN_CONTRAST: f64 = 4.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Svg,
    Webp,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Svg => "image/svg+xml",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// What a logo file is, judged by its first bytes (never by its name); the error is a
/// translation key.
///
/// SVG files are text: they are refused when they carry scripts, event attributes, embedded
/// HTML, entity declarations or references to other hosts. The check is a first line of defence
/// with a clear message; the logo is also always served with `Content-Security-Policy:
/// default-src 'none'; style-src 'unsafe-inline'`, so even an SVG that slipped through cannot run
/// a script or load anything when opened on its own (and `<img>` never runs SVG scripts).
pub fn check_logo(bytes: &[u8]) -> Result<ImageKind, &'static str> {
    if bytes.is_empty() {
        return Err("logo-empty");
    }
    if bytes.len() > MAX_LOGO {
        return Err("logo-too-large");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageKind::Jpeg);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(ImageKind::Webp);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err("logo-type");
    };
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let lower = text.to_lowercase();
    if !text.starts_with('<') || !lower.contains("<svg") {
        return Err("logo-type");
    }
    if svg_is_unsafe(&lower) {
        return Err("logo-svg-unsafe");
    }
    Ok(ImageKind::Svg)
}

fn svg_is_unsafe(lower: &str) -> bool {
    const FORBIDDEN: [&str; 7] = [
        "<script",
        "<foreignobject",
        "<iframe",
        "<!entity",
        "javascript:",
        "@import",
        "data:text/html",
    ];
    if FORBIDDEN.iter().any(|f| lower.contains(f)) {
        return true;
    }
    // Event attributes: whitespace, "on", letters, optional spaces, "=".
    let b = lower.as_bytes();
    for i in 0..b.len().saturating_sub(3) {
        if b[i].is_ascii_whitespace() && b[i + 1] == b'o' && b[i + 2] == b'n' {
            let mut j = i + 3;
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j > i + 3 && j < b.len() && b[j] == b'=' {
                return true;
            }
        }
    }
    // References to anything but the file itself (`href="#id"`) or embedded data.
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    for attr in ["href=", "src=", "url("] {
        for (at, _) in compact.match_indices(attr) {
            let rest = compact[at + attr.len()..].trim_start_matches(['"', '\'']);
            if !(rest.starts_with('#') || rest.starts_with("data:image/")) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_known_by_their_first_bytes() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\nrest"), Ok(ImageKind::Png));
        assert_eq!(
            check_logo(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Ok(ImageKind::Jpeg)
        );
        assert_eq!(check_logo(b"RIFF\x10\0\0\0WEBPVP8 "), Ok(ImageKind::Webp));
        assert_eq!(
            check_logo(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"#a\"/></svg>"),
            Ok(ImageKind::Svg)
        );
        assert_eq!(check_logo(b"GIF89a"), Err("logo-type"));
        assert_eq!(
            check_logo(b"<html><body>no</body></html>"),
            Err("logo-type")
        );
        assert_eq!(check_logo(b""), Err("logo-empty"));
        assert_eq!(check_logo(&vec![0x89; MAX_LOGO + 1]), Err("logo-too-large"));
    }

    #[test]
    fn unsafe_svgs_are_refused() {
        for svg in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><SCRIPT>alert(1)</SCRIPT></svg>",
            "<svg onload=\"alert(1)\"></svg>",
            "<svg><rect\nonclick = 'x'/></svg>",
            "<svg><image href=\"https://tracker.example/x.png\"/></svg>",
            "<svg><image xlink:href='//tracker.example/x.png'/></svg>",
            "<svg><rect style=\"fill:url(https://x.example/f)\"/></svg>",
            "<svg><a href=\"javascript:alert(1)\">x</a></svg>",
            "<svg><foreignObject><div/></foreignObject></svg>",
        ] {
            assert_eq!(check_logo(svg.as_bytes()), Err("logo-svg-unsafe"), "{svg}");
        }
        assert_eq!(
            check_logo(b"<svg><g fill=\"url(#grad)\" data-one=\"1\"/></svg>"),
            Ok(ImageKind::Svg)
        );
    }

    #[test]
    fn the_shipped_accent_passes_and_a_light_blue_does_not() {
        use crate::colour::{contrast_on_white, parse_hex};
        assert!(contrast_on_white(parse_hex("#1f4e8c").unwrap()) >= MIN_CONTRAST);
        let light = contrast_on_white(parse_hex("#66A3FF").unwrap());
        assert!(light < MIN_CONTRAST && light > 2.0, "{light}");
    }
}
