//! Raster images people upload (an event's image, a provider's logo): PNG, JPEG and WebP only,
//! known by their first bytes (never by a file name or a declared type), with their size in
//! pixels read from the file's header, so pages can give an image its width and height and
//! nothing moves while it loads. A file whose header cannot be read is refused. SVG is never a
//! raster image: it can carry scripts and references to other hosts.
//!
//! The alternative text of such an image is checked here too: one line, required, bounded.

use crate::branding::ImageKind;

/// A checked image: its type and size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// Why a file is not accepted. Each use maps it to a message of its own ("das Bild", "das Logo").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// No file, or an empty one.
    Empty,
    /// More bytes than allowed.
    TooLarge,
    /// Not PNG, JPEG or WebP.
    Type,
    /// The header does not parse, or says zero pixels.
    Broken,
    /// Wider or higher than allowed.
    Dimensions,
}

/// Checks an uploaded image against a limit in bytes and one in pixels per side.
pub fn check(bytes: &[u8], max_bytes: usize, max_side: u32) -> Result<Checked, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(Problem::TooLarge);
    }
    let (kind, size) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        (ImageKind::Png, png_size(bytes))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (ImageKind::Jpeg, jpeg_size(bytes))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        (ImageKind::Webp, webp_size(bytes))
    } else {
        return Err(Problem::Type);
    };
    let (width, height) = size
        .filter(|(w, h)| *w > 0 && *h > 0)
        .ok_or(Problem::Broken)?;
    if width > max_side || height > max_side {
        return Err(Problem::Dimensions);
    }
    Ok(Checked {
        kind,
        width,
        height,
    })
}

/// Why an alternative text is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AltProblem {
    Missing,
    TooLong,
}

/// An alternative text as stored: line breaks become spaces, surrounding space goes; required
/// and at most `max_chars` characters.
pub fn alt_text(raw: &str, max_chars: usize) -> Result<String, AltProblem> {
    let one_line = raw.replace("\r\n", " ").replace(['\n', '\r'], " ");
    let text = one_line.trim();
    if text.is_empty() {
        Err(AltProblem::Missing)
    } else if text.chars().count() > max_chars {
        Err(AltProblem::TooLong)
    } else {
        Ok(text.to_string())
    }
}

/// The size at which an image of `width` × `height` pixels fits a box of `max_w` × `max_h`
/// (never larger than it is, never smaller than one pixel), for a page's `width` and `height`.
pub fn fit(width: u32, height: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    let (w, h) = (u64::from(width.max(1)), u64::from(height.max(1)));
    let (bw, bh) = (u64::from(max_w.max(1)), u64::from(max_h.max(1)));
    if w <= bw && h <= bh {
        return (width.max(1), height.max(1));
    }
    // Scale by the tighter of the two ratios, in integers: w/bw against h/bh.
    let (nw, nh) = if w * bh >= h * bw {
        (bw, (h * bw + w / 2) / w)
    } else {
        ((w * bh + h / 2) / h, bh)
    };
    (
        u32::try_from(nw.max(1)).unwrap_or(max_w),
        u32::try_from(nh.max(1)).unwrap_or(max_h),
    )
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        0,
    ]))
}

/// PNG: the first chunk is `IHDR`, with width and height as big-endian 32-bit numbers.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// JPEG: the segments up to the first start-of-frame marker, which holds height and width.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        // A marker: 0xFF (maybe repeated as fill), then its code.
        if *b.get(at)? != 0xFF {
            return None;
        }
        while *b.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *b.get(at)?;
        at += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            // Start of scan or end of image before any frame: not a readable image.
            0xDA | 0xD9 => return None,
            // Start of frame (every kind but DHT, JPG and DAC, which share the range).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let h = be16(b, at + 3)?;
                let w = be16(b, at + 5)?;
                return Some((w, h));
            }
            _ => {
                let len = be16(b, at)? as usize;
                if len < 2 {
                    return None;
                }
                at += len;
            }
        }
    }
}

/// WebP: the first chunk is `VP8 ` (lossy), `VP8L` (lossless) or `VP8X` (extended).
fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            // Frame tag (3 bytes) at 20, start code 9d 01 2a at 23, then 14-bit sizes.
            if b.get(23..26)? != [0x9d, 0x01, 0x2a] {
                return None;
            }
            Some((le16(b, 26)? & 0x3fff, le16(b, 28)? & 0x3fff))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2f {
                return None;
            }
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const MAX_BYTES: usize = 2 * 1024 * 1024;

    fn check_default(b: &[u8]) -> Result<Checked, Problem> {
        check(b, MAX_BYTES, 6000)
    }

    /// The head of a PNG of `w` × `h` pixels, as far as `check` reads it (for the tests of
    /// every image upload).
    pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn png_sizes_are_read_from_the_header() {
        let c = check_default(&png(640, 360)).unwrap();
        assert_eq!((c.kind, c.width, c.height), (ImageKind::Png, 640, 360));
        assert_eq!(check_default(&png(0, 10)), Err(Problem::Broken));
        assert_eq!(check_default(&png(7000, 10)), Err(Problem::Dimensions));
        assert_eq!(check_default(&png(10, 10)[..20]), Err(Problem::Broken));
    }

    #[test]
    fn jpeg_sizes_come_from_the_first_frame_after_other_segments() {
        // SOI, an APP0 segment of 16 bytes, a DHT (0xC4: not a frame), then SOF2.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x03, 0x00]);
        b.extend_from_slice(&[0xFF, 0xC2, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03]);
        let c = check_default(&b).unwrap();
        assert_eq!((c.kind, c.width, c.height), (ImageKind::Jpeg, 640, 480));
        // A scan before any frame, or a file cut short, is broken.
        assert_eq!(
            check_default(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]),
            Err(Problem::Broken)
        );
        assert_eq!(check_default(&b[..12]), Err(Problem::Broken));
    }

    #[test]
    fn webp_sizes_of_the_three_kinds() {
        let head = |chunk: &[u8]| {
            let mut b = b"RIFF\0\0\0\0WEBP".to_vec();
            b.extend_from_slice(chunk);
            b.extend_from_slice(&[0, 0, 0, 0]);
            b
        };
        let mut lossy = head(b"VP8 ");
        lossy.extend_from_slice(&[0, 0, 0, 0x9d, 0x01, 0x2a]);
        lossy.extend_from_slice(&800u16.to_le_bytes());
        lossy.extend_from_slice(&600u16.to_le_bytes());
        assert_eq!(
            check_default(&lossy).map(|c| (c.width, c.height)),
            Ok((800, 600))
        );
        let mut lossless = head(b"VP8L");
        lossless.push(0x2f);
        let bits: u32 = 99 | (49 << 14);
        lossless.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(
            check_default(&lossless).map(|c| (c.width, c.height)),
            Ok((100, 50))
        );
        let mut extended = head(b"VP8X");
        extended.extend_from_slice(&[0, 0, 0, 0]);
        extended.extend_from_slice(&[0x1f, 0x03, 0]);
        extended.extend_from_slice(&[0x57, 0x02, 0]);
        assert_eq!(
            check_default(&extended).map(|c| (c.width, c.height)),
            Ok((800, 600))
        );
        assert_eq!(check_default(&head(b"ABCD")), Err(Problem::Broken));
    }

    #[test]
    fn other_files_are_refused_by_their_content() {
        assert_eq!(check_default(b""), Err(Problem::Empty));
        assert_eq!(
            check_default(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(Problem::Type)
        );
        assert_eq!(check_default(b"GIF89a"), Err(Problem::Type));
        let mut big = png(10, 10);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check_default(&big), Err(Problem::TooLarge));
    }

    #[test]
    fn alternative_texts_are_one_line_required_and_bounded() {
        assert_eq!(
            alt_text("  Das Logo:\r\nein Buch  ", 200),
            Ok("Das Logo: ein Buch".to_string())
        );
        assert_eq!(alt_text(" \n ", 200), Err(AltProblem::Missing));
        assert_eq!(alt_text(&"ä".repeat(200), 200).map(|t| t.len()), Ok(400));
        assert_eq!(alt_text(&"ä".repeat(201), 200), Err(AltProblem::TooLong));
    }

    #[test]
    fn images_fit_their_box_keeping_their_shape() {
        assert_eq!(fit(100, 50, 240, 120), (100, 50));
        assert_eq!(fit(1000, 500, 240, 120), (240, 120));
        assert_eq!(fit(1000, 200, 240, 120), (240, 48));
        assert_eq!(fit(300, 900, 240, 120), (40, 120));
        assert_eq!(fit(6000, 1, 240, 120), (240, 1));
    }
}
