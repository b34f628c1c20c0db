//! The bytes of cached pages: personal slots cut out of a page, each piece deflated on its own
//! and joined into one gzip stream for a signed-in reader; gzip for responses that are not kept.

use super::*;

/// A personal part of a cached page, marked in the HTML as `<!--slot:NAME:ARG-->…<!--/slot-->`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub name: String,
    pub arg: String,
}

pub(super) const SLOT_OPEN: &str = "<!--slot:";
pub(super) const SLOT_CLOSE: &str = "<!--/slot-->";

/// One piece of a page: bytes that are the same for everyone, or a personal slot (with what an
/// anonymous reader sees in it). Each piece is deflated on its own with a full flush, so pieces
/// can be put together into one valid gzip stream without compressing the page again.
pub(super) struct Piece {
    pub(super) slot: Option<Slot>,
    pub(super) raw: Bytes,
    pub(super) deflated: Bytes,
    pub(super) crc: flate2::Crc,
}

pub(super) fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/") || t.contains("json") || t.contains("xml"))
        && !headers.contains_key(header::CONTENT_ENCODING)
}

pub(super) fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// Raw deflate of `data` ending in a full flush: byte-aligned, no back-references into it, so
/// such pieces can be concatenated.
pub(super) fn deflate_piece(data: &[u8]) -> Option<Bytes> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::new(6), false);
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        let consumed = usize::try_from(c.total_in()).ok()?;
        c.compress_vec(&data[consumed..], &mut out, FlushCompress::Full)
            .ok()?;
        let consumed = usize::try_from(c.total_in()).ok()?;
        if consumed == data.len() && out.len() < out.capacity() {
            return Some(Bytes::from(out));
        }
        out.reserve(out.capacity().max(1024));
    }
}

pub(super) const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty block with fixed codes: ends a deflate stream of flushed pieces.
pub(super) const DEFLATE_END: [u8; 2] = [0x03, 0x00];

/// A piece of `raw`: shared bytes (a slice of the body, not a copy) with their deflate and CRC.
pub(super) fn piece(slot: Option<Slot>, raw: Bytes) -> Option<Piece> {
    let mut crc = flate2::Crc::new();
    crc.update(&raw);
    Some(Piece {
        slot,
        deflated: deflate_piece(&raw)?,
        raw,
        crc,
    })
}

/// Cuts an HTML body at its slots. `None` when it has none (or they are malformed).
pub(super) fn cut(body: &Bytes) -> Option<Vec<Piece>> {
    let text = std::str::from_utf8(body).ok()?;
    // Offsets of `rest` within the body, for slicing it without copies.
    let offset = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    if !text.contains(SLOT_OPEN) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(SLOT_OPEN) {
        let after = &rest[start + SLOT_OPEN.len()..];
        let head_end = after.find("-->")?;
        let (name, arg) = after[..head_end]
            .split_once(':')
            .unwrap_or((&after[..head_end], ""));
        let inner = &after[head_end + 3..];
        let close = inner.find(SLOT_CLOSE)?;
        let open_len = SLOT_OPEN.len() + head_end + 3;
        let at = offset(rest);
        pieces.push(piece(None, body.slice(at..at + start + open_len))?);
        pieces.push(piece(
            Some(Slot {
                name: name.to_string(),
                arg: arg.to_string(),
            }),
            body.slice(offset(inner)..offset(inner) + close),
        )?);
        rest = &inner[close..];
    }
    pieces.push(piece(None, body.slice(offset(rest)..))?);
    Some(pieces)
}

/// One gzip stream of deflated pieces (`(deflated, crc)` each).
pub(super) fn gzip_of<'a>(parts: impl Iterator<Item = (&'a [u8], &'a flate2::Crc)>) -> Bytes {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(&GZIP_HEADER);
    let mut crc = flate2::Crc::new();
    for (deflated, c) in parts {
        out.extend_from_slice(deflated);
        crc.combine(c);
    }
    out.extend_from_slice(&DEFLATE_END);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    Bytes::from(out)
}

/// Compresses a response that is not kept (no page cache, or too large for it) when the client
/// takes gzip, with a fast level: it is paid on every request, not once.
pub(super) async fn compress_uncached(res: Response, wants_gzip: bool) -> Response {
    if !wants_gzip || !compressible(res.headers()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let body = match collect(body, UNCACHED_GZIP_LIMIT).await {
        Ok(b) => b,
        Err(whole) => return Response::from_parts(parts, whole),
    };
    if body.len() < MIN_GZIP {
        return Response::from_parts(parts, Body::from(body));
    }
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::fast(),
    );
    match enc.write_all(&body).and_then(|()| enc.finish()) {
        Ok(gz) => {
            parts
                .headers
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            parts.headers.remove(header::CONTENT_LENGTH);
            parts
                .headers
                .insert(header::VARY, HeaderValue::from_static(VARY));
            Response::from_parts(parts, Body::from(gz))
        }
        Err(_) => Response::from_parts(parts, Body::from(body)),
    }
}

/// Uncached responses larger than this are streamed as they are.
pub(super) const UNCACHED_GZIP_LIMIT: usize = 32 * 1024 * 1024;

pub(super) fn gzip_whole(body: &Bytes) -> Option<Bytes> {
    let p = piece(None, body.clone())?;
    Some(gzip_of(std::iter::once((&p.deflated[..], &p.crc))))
}

/// The cached page with its slots filled for a signed-in reader: the shared pieces as they are
/// (already deflated when the client takes gzip), only the slots made anew.
pub(super) fn personal(
    entry: &Entry,
    pieces: &[Piece],
    gzip: bool,
    fill: &dyn Fn(&Slot) -> String,
) -> Response {
    let filled: Vec<Option<Piece>> = pieces
        .iter()
        .map(|p| {
            p.slot
                .as_ref()
                .and_then(|s| piece(None, Bytes::from(fill(s))))
        })
        .collect();
    let use_gzip = gzip && entry.gzip.is_some();
    let body = if use_gzip {
        gzip_of(pieces.iter().zip(&filled).map(|(p, f)| match f {
            Some(f) => (&f.deflated[..], &f.crc),
            None => (&p.deflated[..], &p.crc),
        }))
    } else {
        let mut out = Vec::with_capacity(entry.body.len() + 256);
        for (p, f) in pieces.iter().zip(&filled) {
            out.extend_from_slice(f.as_ref().map_or(&p.raw[..], |f| &f.raw[..]));
        }
        Bytes::from(out)
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = entry.status;
    *res.headers_mut() = entry.headers.clone();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if use_gzip {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res
}
