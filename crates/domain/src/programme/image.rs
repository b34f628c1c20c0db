//! An event's image: a raster file (`crate::image`: PNG, JPEG or WebP, its size in pixels read
//! from its header) of at most [`MAX_BYTES`] and [`MAX_SIDE`] pixels a side.

pub use crate::image::Checked;
use crate::image::Problem;

/// The largest image accepted, in bytes.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 6000;
/// The longest alternative text, in characters.
pub const MAX_ALT: usize = 300;

/// Checks an uploaded image; the error is a translation key.
pub fn check(bytes: &[u8]) -> Result<Checked, &'static str> {
    crate::image::check(bytes, MAX_BYTES, MAX_SIDE).map_err(|p| match p {
        Problem::Empty => "event-image-empty",
        Problem::TooLarge => "event-image-too-large",
        Problem::Type => "event-image-type",
        Problem::Broken => "event-image-broken",
        Problem::Dimensions => "event-image-dimensions",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_named_for_an_image() {
        assert_eq!(check(b""), Err("event-image-empty"));
        assert_eq!(check(b"GIF89a"), Err("event-image-type"));
        assert_eq!(check(b"\x89PNG\r\n\x1a\nshort"), Err("event-image-broken"));
        assert_eq!(
            check(&vec![0x89; MAX_BYTES + 1]),
            Err("event-image-too-large")
        );
        let mut wide = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        wide.extend_from_slice(&7000u32.to_be_bytes());
        wide.extend_from_slice(&10u32.to_be_bytes());
        assert_eq!(check(&wide), Err("event-image-dimensions"));
    }
}
