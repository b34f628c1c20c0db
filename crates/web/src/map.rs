//! Maps from the city's own tile server (setting `map_tiles`), drawn as SVG: the tiles as
//! `<image>`s, the places as circles. No script and no other host: without the setting there
//! is no map at all, and pages are complete without one (addresses, distances, `geo:` links).
//! Pages that draw a map send a Content-Security-Policy that also allows images from the tile
//! server's origin (`csp`), nothing else.

use domain::offers::geo::Point;

/// Tile size in pixels (the usual 256 of slippy maps).
const TILE: f64 = 256.0;

/// The city's tile server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiles {
    /// `https://tiles.example/{z}/{x}/{y}.png`.
    template: String,
    /// `https://tiles.example`: what the CSP allows.
    origin: String,
    /// Shown under every map (the tiles' licence), e.g. `© OpenStreetMap-Mitwirkende`.
    pub attribution: String,
}

impl Tiles {
    /// The tile server of `template` (https, or http on a loopback address; with `{z}`, `{x}`
    /// and `{y}`), or the reason it is refused.
    pub fn new(template: &str, attribution: &str) -> Result<Tiles, String> {
        let t = template.trim();
        let rest = t
            .strip_prefix("https://")
            .map(|r| ("https://", r))
            .or_else(|| {
                t.strip_prefix("http://")
                    .filter(|r| r.starts_with("127.0.0.1") || r.starts_with("localhost"))
                    .map(|r| ("http://", r))
            });
        let Some((scheme, rest)) = rest else {
            return Err("map_tiles must start with https:// (or http:// on 127.0.0.1)".into());
        };
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        {
            return Err(format!("map_tiles has no usable host: {t:?}"));
        }
        for part in ["{z}", "{x}", "{y}"] {
            if !rest.contains(part) {
                return Err(format!("map_tiles lacks {part}: {t:?}"));
            }
        }
        if t.chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ';'))
        {
            return Err(format!("map_tiles holds characters a URL may not: {t:?}"));
        }
        Ok(Tiles {
            template: t.to_string(),
            origin: format!("{scheme}{host}"),
            attribution: attribution.trim().to_string(),
        })
    }

    fn href(&self, z: u32, x: i64, y: i64) -> String {
        self.template
            .replace("{z}", &z.to_string())
            .replace("{x}", &x.to_string())
            .replace("{y}", &y.to_string())
    }

    /// The site's Content-Security-Policy with images from the tile server allowed too.
    pub fn csp(&self) -> String {
        crate::middleware::CSP.replacen(
            "img-src 'self' data:",
            &format!("img-src 'self' data: {}", self.origin),
            1,
        )
    }
}

/// `res` with the Content-Security-Policy `csp` (a page with a map), if given.
pub fn with_csp(
    mut res: axum::response::Response,
    csp: Option<String>,
) -> axum::response::Response {
    if let Some(v) = csp.and_then(|c| axum::http::HeaderValue::from_str(&c).ok()) {
        res.headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

/// World pixel coordinates of `p` at zoom `z` (Web Mercator).
fn pixel(p: Point, z: u32) -> (f64, f64) {
    let scale = TILE * f64::from(1u32 << z);
    let x = (p.lon + 180.0) / 360.0 * scale;
    let lat = p.lat.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * scale;
    (x, y)
}

/// A map to draw: its size, its tiles and its marks, in the map's own pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub width: u32,
    pub height: u32,
    /// `href`, x, y of each tile.
    pub tiles: Vec<(String, f64, f64)>,
    /// x, y and the label (a number, or empty) of each place.
    pub marks: Vec<(f64, f64, String)>,
    pub attribution: String,
}

/// A map of `width`×`height` pixels around `places` (a point and its label, which may be
/// empty), the one place in the middle, at the greatest zoom up to 17 that shows them all with
/// a margin; `None` without places.
pub fn draw(tiles: &Tiles, places: &[(Point, String)], width: u32, height: u32) -> Option<Map> {
    let first = places.first()?.0;
    let points: Vec<Point> = places.iter().map(|(p, _)| *p).collect();
    let margin = 24.0;
    let zoom = (3..=17u32)
        .rev()
        .find(|&z| {
            let px: Vec<(f64, f64)> = points.iter().map(|p| pixel(*p, z)).collect();
            let (min_x, max_x) = px
                .iter()
                .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
            let (min_y, max_y) = px
                .iter()
                .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.1), a.1.max(p.1)));
            max_x - min_x <= f64::from(width) - 2.0 * margin
                && max_y - min_y <= f64::from(height) - 2.0 * margin
        })
        .unwrap_or(3);
    let px: Vec<(f64, f64)> = points.iter().map(|p| pixel(*p, zoom)).collect();
    let centre = if points.len() == 1 {
        pixel(first, zoom)
    } else {
        let (min_x, max_x) = px
            .iter()
            .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
        let (min_y, max_y) = px
            .iter()
            .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.1), a.1.max(p.1)));
        ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0)
    };
    let left = centre.0 - f64::from(width) / 2.0;
    let top = centre.1 - f64::from(height) / 2.0;
    let count = 1i64 << zoom;
    let (tx0, ty0) = ((left / TILE).floor() as i64, (top / TILE).floor() as i64);
    let (tx1, ty1) = (
        ((left + f64::from(width)) / TILE).floor() as i64,
        ((top + f64::from(height)) / TILE).floor() as i64,
    );
    let mut out = Vec::new();
    for ty in ty0.max(0)..=ty1.min(count - 1) {
        for tx in tx0..=tx1 {
            let wrapped = tx.rem_euclid(count);
            out.push((
                tiles.href(zoom, wrapped, ty),
                tx as f64 * TILE - left,
                ty as f64 * TILE - top,
            ));
        }
    }
    Some(Map {
        width,
        height,
        tiles: out,
        marks: px
            .iter()
            .zip(places)
            .map(|((x, y), (_, label))| ((x - left).round(), (y - top).round(), label.clone()))
            .collect(),
        attribution: tiles.attribution.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiles() -> Tiles {
        Tiles::new(
            "https://karte.musterstadt.example/tiles/{z}/{x}/{y}.png",
            "© OSM",
        )
        .unwrap()
    }

    #[test]
    fn only_a_usable_template_is_taken() {
        assert_eq!(tiles().origin, "https://karte.musterstadt.example");
        assert!(
            Tiles::new("http://karte.example/{z}/{x}/{y}.png", "").is_err(),
            "plain http elsewhere"
        );
        assert!(Tiles::new("http://127.0.0.1:9000/{z}/{x}/{y}.png", "").is_ok());
        assert!(Tiles::new("https://karte.example/{z}/{x}.png", "").is_err());
        assert!(Tiles::new("https://karte.example/{z}/{x}/{y}.png\"onload", "").is_err());
        assert!(Tiles::new("https:///{z}/{x}/{y}", "").is_err());
        assert!(
            tiles()
                .csp()
                .contains("img-src 'self' data: https://karte.musterstadt.example;")
        );
    }

    #[test]
    fn a_point_sits_in_the_middle_of_its_tiles() {
        let p = Point::new(50.93, 10.10).unwrap();
        let m = draw(&tiles(), &[(p, String::new())], 512, 320).unwrap();
        assert_eq!(m.marks, vec![(256.0, 160.0, String::new())]);
        // Zoom 17 for one point; the tiles cover the whole map and no more than needed.
        assert!(m.tiles.iter().all(|(h, _, _)| h.contains("/tiles/17/")));
        assert!(
            m.tiles.len() <= 9 && m.tiles.len() >= 4,
            "{}",
            m.tiles.len()
        );
        let covers = |x: f64, y: f64| {
            m.tiles
                .iter()
                .any(|(_, tx, ty)| x >= *tx && x < tx + 256.0 && y >= *ty && y < ty + 256.0)
        };
        assert!(covers(0.0, 0.0) && covers(511.0, 319.0));
    }

    #[test]
    fn several_points_all_fit_with_numbers() {
        let pts = [
            (Point::new(50.93, 10.10).unwrap(), "1".to_string()),
            (Point::new(50.96, 10.05).unwrap(), "2".to_string()),
            (Point::new(50.90, 10.16).unwrap(), "3".to_string()),
        ];
        let m = draw(&tiles(), &pts, 640, 400).unwrap();
        for (x, y, _) in &m.marks {
            assert!(
                (0.0..=640.0).contains(x) && (0.0..=400.0).contains(y),
                "{x},{y}"
            );
        }
        let labels: Vec<&str> = m.marks.iter().map(|m| m.2.as_str()).collect();
        assert_eq!(labels, ["1", "2", "3"]);
        assert!(draw(&tiles(), &[], 640, 400).is_none());
    }
}
