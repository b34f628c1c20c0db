//! Colours the city chooses: parsing `#rrggbb` and the WCAG contrast ratio.

/// The red, green and blue bytes of `#rrggbb`.
pub fn parse_hex(v: &str) -> Option<[u8; 3]> {
    let hex = v.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Relative luminance as WCAG 2.1 defines it.
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// The contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The contrast ratio of a colour against white.
pub fn contrast_on_white(rgb: [u8; 3]) -> f64 {
    contrast(rgb, [255, 255, 255])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((contrast_on_white([0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((contrast_on_white([255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey with 4.5:1 on white.
        let grey = contrast_on_white(parse_hex("#767676").unwrap_or_default());
        assert!(grey > 4.5 && grey < 4.6, "{grey}");
        assert_eq!(parse_hex("#1F4e8c"), Some([0x1f, 0x4e, 0x8c]));
        assert_eq!(parse_hex("1f4e8c"), None);
        assert_eq!(parse_hex("#1f4e8"), None);
        assert_eq!(parse_hex("#1f4e8g"), None);
    }

    #[test]
    fn shipped_palette_keeps_text_contrast() {
        for c in crate::import::PALETTE {
            let ratio = contrast_on_white(parse_hex(c).unwrap_or_default());
            assert!(ratio >= 4.5, "{c}: {ratio}");
        }
    }
}
