//! A provider's logo: a raster file (`crate::image`: PNG, JPEG or WebP, never SVG — providers
//! are not the city, and an SVG can carry scripts and references to other hosts) of at most
//! [`MAX_BYTES`], the site logo's limit, with an alternative text that is required.

pub use crate::image::Checked;
use crate::image::{AltProblem, Problem};

/// The largest logo accepted, in bytes (the site logo's limit).
pub const MAX_BYTES: usize = crate::branding::MAX_LOGO;
/// The largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 4000;
/// The longest alternative text, in characters.
pub const MAX_ALT: usize = 200;
/// The box a logo is shown in on the provider's page, in CSS pixels (width, height).
pub const PAGE_BOX: (u32, u32) = (240, 120);
/// The box a logo is shown in beside the provider's name on an offer's page.
pub const OFFER_BOX: (u32, u32) = (120, 60);

/// Checks an uploaded logo; the error is a translation key.
pub fn check(bytes: &[u8]) -> Result<Checked, &'static str> {
    crate::image::check(bytes, MAX_BYTES, MAX_SIDE).map_err(|p| match p {
        Problem::Empty => "provider-logo-empty",
        Problem::TooLarge => "provider-logo-too-large",
        Problem::Type => "provider-logo-type",
        Problem::Broken => "provider-logo-broken",
        Problem::Dimensions => "provider-logo-dimensions",
    })
}

/// The alternative text as stored (one line, trimmed); the error is a translation key.
pub fn alt(raw: &str) -> Result<String, &'static str> {
    crate::image::alt_text(raw, MAX_ALT).map_err(|p| match p {
        AltProblem::Missing => "provider-logo-alt-missing",
        AltProblem::TooLong => "provider-logo-alt-long",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::branding::ImageKind;
    use crate::image::tests::png;

    #[test]
    fn a_logo_is_a_raster_file_never_svg() {
        let c = check(&png(400, 200)).unwrap();
        assert_eq!((c.kind, c.width, c.height), (ImageKind::Png, 400, 200));
        assert_eq!(
            check(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"),
            Err("provider-logo-type")
        );
        assert_eq!(check(b"GIF89a"), Err("provider-logo-type"));
        assert_eq!(check(b""), Err("provider-logo-empty"));
        assert_eq!(check(&png(400, 200)[..20]), Err("provider-logo-broken"));
        assert_eq!(check(&png(4001, 10)), Err("provider-logo-dimensions"));
        let mut big = png(10, 10);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check(&big), Err("provider-logo-too-large"));
    }

    #[test]
    fn its_alternative_text_is_required_and_bounded() {
        assert_eq!(alt(" Stadtbibliothek\n"), Ok("Stadtbibliothek".to_string()));
        assert_eq!(alt("   "), Err("provider-logo-alt-missing"));
        assert_eq!(alt(&"x".repeat(MAX_ALT + 1)), Err("provider-logo-alt-long"));
    }
}
