//! How far an offer is from a person: points on the Earth, great-circle distance, a box for an
//! indexed prefilter, a factor for ordering by distance in plain SQL arithmetic, distances as
//! people read them and German postcodes. No IO.

/// Mean Earth radius (IUGG), in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point given by latitude and longitude in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A point if both numbers are finite, the latitude within -90..=90 and the longitude within
    /// -180..=180.
    pub fn new(lat: f64, lon: f64) -> Option<Point> {
        let ok = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        ok.then_some(Point { lat, lon })
    }

    /// A point as people paste it from a map: `51.05, 13.74`, `51.05 13.74` or `51.05;13.74`
    /// (latitude first, decimal point). Anything else, or a point out of range, gives `None`.
    pub fn parse(text: &str) -> Option<Point> {
        let mut parts = text
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|p| !p.is_empty());
        let lat = parts.next()?.parse().ok()?;
        let lon = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Point::new(lat, lon)
    }
}

/// The great-circle distance between two points in metres (haversine formula on a sphere with
/// the mean Earth radius; within about 0.5 % of the ellipsoidal distance).
pub fn distance_m(a: Point, b: Point) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.clamp(0.0, 1.0).sqrt().asin()
}

/// For ordering by distance in SQL with arithmetic only (the same on SQLite and PostgreSQL): the
/// factor by which longitude differences shrink at this latitude, cos(lat). Ordering by
/// `(lat - :lat)^2 + ((lon - :lon) * :scale)^2` is close to ordering by true distance within a
/// city or region.
pub fn lon_scale(lat: f64) -> f64 {
    lat.to_radians().cos()
}

/// The box around `centre` that holds every point within `radius_m` (for an indexed prefilter):
/// (min_lat, max_lat, min_lon, max_lon), a little generous, never smaller than the true box.
///
/// Latitudes are clamped to -90..=90. When the circle reaches a pole or crosses the antimeridian
/// the longitude range is the whole -180..=180, so one pair of `BETWEEN`s always suffices.
/// A negative or NaN radius counts as 0; an infinite one gives the whole world.
pub fn bounding_box(centre: Point, radius_m: f64) -> (f64, f64, f64, f64) {
    const WORLD: (f64, f64, f64, f64) = (-90.0, 90.0, -180.0, 180.0);
    if radius_m.is_infinite() && radius_m > 0.0 {
        return WORLD;
    }
    let radius = if radius_m.is_nan() {
        0.0
    } else {
        radius_m.max(0.0)
    };
    // Angular radius with 0.1 % and a metre to spare against rounding.
    let d = (radius * 1.001 + 1.0) / EARTH_RADIUS_M;
    if d >= std::f64::consts::PI {
        return WORLD;
    }
    let dlat = d.to_degrees();
    let min_lat = (centre.lat - dlat).max(-90.0);
    let max_lat = (centre.lat + dlat).min(90.0);
    let cos_lat = centre.lat.to_radians().cos();
    // The widest longitude a circle reaches is asin(sin d / cos lat), which is a little more than
    // d / cos lat; if sin d >= cos lat the circle holds a pole.
    let ratio = d.sin() / cos_lat;
    if max_lat >= 90.0 || min_lat <= -90.0 || ratio.is_nan() || ratio >= 1.0 {
        return (min_lat, max_lat, -180.0, 180.0);
    }
    let dlon = ratio.asin().to_degrees();
    let (min_lon, max_lon) = (centre.lon - dlon, centre.lon + dlon);
    if min_lon < -180.0 || max_lon > 180.0 {
        return (min_lat, max_lat, -180.0, 180.0);
    }
    (min_lat, max_lat, min_lon, max_lon)
}

/// A distance as people read it: German "350 m", "1,2 km", "12 km" (under 1 km rounded to 50 m;
/// under 10 km one decimal; else whole km, thousands grouped: "12.345 km"); English "350 m",
/// "1.2 km", "12 km", "12,345 km". The unit changes where the rounded number would read
/// "1000 m" or "10,0 km". A negative or non-finite distance reads as "0 m".
pub fn format_distance(m: f64, english: bool) -> String {
    let m = if m.is_finite() { m.max(0.0) } else { 0.0 };
    let fifty = (m / 50.0).round() * 50.0;
    if fifty < 1000.0 {
        return format!("{fifty:.0} m");
    }
    let tenths = (m / 100.0).round();
    if tenths < 100.0 {
        let text = format!("{:.1} km", tenths / 10.0);
        return if english {
            text
        } else {
            text.replace('.', ",")
        };
    }
    let digits = format!("{:.0}", (m / 1000.0).round());
    let separator = if english { ',' } else { '.' };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    format!("{grouped} km")
}

/// A German postcode: exactly five ASCII digits after trimming; `None` otherwise.
pub fn parse_postcode(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).unwrap()
    }

    /// The point `distance` metres from `start` in direction `bearing` (degrees from north).
    fn destination(start: Point, bearing: f64, distance: f64) -> Point {
        let (lat1, lon1) = (start.lat.to_radians(), start.lon.to_radians());
        let (theta, delta) = (bearing.to_radians(), distance / EARTH_RADIUS_M);
        let lat2 = (lat1.sin() * delta.cos() + lat1.cos() * delta.sin() * theta.cos()).asin();
        let lon2 = lon1
            + (theta.sin() * delta.sin() * lat1.cos()).atan2(delta.cos() - lat1.sin() * lat2.sin());
        let lon = (lon2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
        p(lat2.to_degrees(), lon)
    }

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= expected.abs() * tolerance
    }

    #[test]
    fn points_must_be_on_the_earth() {
        assert_eq!(
            Point::new(51.05, 13.74),
            Some(Point {
                lat: 51.05,
                lon: 13.74
            })
        );
        assert!(Point::new(90.0, 180.0).is_some());
        assert!(Point::new(-90.0, -180.0).is_some());
        for (lat, lon) in [
            (90.1, 0.0),
            (-90.1, 0.0),
            (0.0, 180.5),
            (0.0, -181.0),
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
        ] {
            assert_eq!(Point::new(lat, lon), None, "{lat} {lon}");
        }
    }

    #[test]
    fn parses_points_as_pasted() {
        let dresden = Some(p(51.05, 13.74));
        for text in [
            "51.05, 13.74",
            "51.05 13.74",
            " 51.05,13.74 ",
            "51.05;13.74",
            "51.05\t13.74",
        ] {
            assert_eq!(Point::parse(text), dresden, "{text}");
        }
        assert_eq!(Point::parse("-33.9,-70"), Some(p(-33.9, -70.0)));
        for text in [
            "",
            "51.05",
            "51.05, 13.74, 3",
            "51,05 13,74",
            "91, 13",
            "nan, 13",
            "inf 13",
            "Dresden",
        ] {
            assert_eq!(Point::parse(text), None, "{text}");
        }
    }

    #[test]
    fn known_distances() {
        let alex = p(52.5219, 13.4132);
        let tor = p(52.5163, 13.3777);
        // About 2.48 km on the sphere (2.49 km on the WGS 84 ellipsoid), not quite the 2.45 km
        // often quoted for these two points.
        assert!(
            close(distance_m(alex, tor), 2480.0, 0.01),
            "{}",
            distance_m(alex, tor)
        );
        let berlin = p(52.5200, 13.4050);
        let munich = p(48.1351, 11.5820);
        assert!(close(distance_m(berlin, munich), 504_000.0, 0.01));
        // One degree of longitude on the equator, and half way round the Earth.
        let degree = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        assert!(close(distance_m(p(0.0, 0.0), p(0.0, 1.0)), degree, 1e-9));
        let half = EARTH_RADIUS_M * std::f64::consts::PI;
        assert!(close(distance_m(p(0.0, 0.0), p(0.0, 180.0)), half, 1e-9));
        assert!(close(distance_m(p(90.0, 0.0), p(-90.0, 0.0)), half, 1e-9));
        // Across the antimeridian the short way.
        assert!(close(
            distance_m(p(0.0, 179.5), p(0.0, -179.5)),
            degree,
            1e-9
        ));
        assert_eq!(distance_m(alex, alex), 0.0);
        assert_eq!(distance_m(alex, tor), distance_m(tor, alex));
    }

    #[test]
    fn lon_scale_is_the_cosine_of_the_latitude() {
        assert!(close(lon_scale(0.0), 1.0, 1e-12));
        assert!(close(lon_scale(60.0), 0.5, 1e-12));
        assert!(close(lon_scale(-60.0), 0.5, 1e-12));
        assert!(lon_scale(90.0).abs() < 1e-12);
        // Within a city the scaled flat distance agrees with the great circle.
        let (a, b) = (p(51.05, 13.74), p(51.08, 13.80));
        let scale = lon_scale(a.lat);
        let flat = ((b.lat - a.lat).powi(2) + ((b.lon - a.lon) * scale).powi(2)).sqrt();
        let flat_m = flat.to_radians() * EARTH_RADIUS_M;
        assert!(close(flat_m, distance_m(a, b), 0.005));
    }

    #[test]
    fn box_holds_every_point_at_the_radius() {
        let centres = [
            p(51.05, 13.74),
            p(0.0, 0.0),
            p(-45.0, 100.0),
            p(70.0, -20.0),
            p(84.0, 10.0),
            p(-89.9, 0.0),
            p(10.0, 179.9),
            p(-10.0, -179.95),
        ];
        for centre in centres {
            for radius in [0.0, 1.0, 500.0, 5_000.0, 50_000.0, 1_000_000.0] {
                let (min_lat, max_lat, min_lon, max_lon) = bounding_box(centre, radius);
                assert!(min_lat <= centre.lat && centre.lat <= max_lat);
                assert!(min_lon <= centre.lon && centre.lon <= max_lon);
                for step in 0..72 {
                    let q = destination(centre, f64::from(step) * 5.0, radius);
                    let inside = (min_lat..=max_lat).contains(&q.lat)
                        && (min_lon..=max_lon).contains(&q.lon);
                    assert!(inside, "{centre:?} {radius} {step}: {q:?}");
                }
            }
        }
    }

    #[test]
    fn box_is_only_a_little_generous() {
        let centre = p(51.05, 13.74);
        let (min_lat, max_lat, min_lon, max_lon) = bounding_box(centre, 10_000.0);
        let north = destination(centre, 0.0, 10_000.0).lat - centre.lat;
        assert!(close(max_lat - centre.lat, north, 0.002));
        assert!(close(centre.lat - min_lat, north, 0.002));
        let east = destination(centre, 90.0, 10_000.0).lon - centre.lon;
        assert!(close(max_lon - centre.lon, east, 0.002));
        assert!(close(centre.lon - min_lon, east, 0.002));
    }

    #[test]
    fn box_edge_cases() {
        let world = (-90.0, 90.0, -180.0, 180.0);
        assert_eq!(bounding_box(p(0.0, 0.0), f64::INFINITY), world);
        assert_eq!(bounding_box(p(0.0, 0.0), 30_000_000.0), world);
        let (_, max_lat, min_lon, max_lon) = bounding_box(p(89.99, 0.0), 5_000.0);
        assert_eq!((max_lat, min_lon, max_lon), (90.0, -180.0, 180.0));
        for radius in [-5.0, f64::NAN] {
            let (min_lat, max_lat, min_lon, max_lon) = bounding_box(p(51.0, 13.0), radius);
            assert!(min_lat < 51.0 && max_lat > 51.0 && max_lat - min_lat < 0.001);
            assert!(min_lon < 13.0 && max_lon > 13.0 && max_lon - min_lon < 0.001);
        }
    }

    #[test]
    fn formats_distances() {
        let cases = [
            (0.0, "0 m", "0 m"),
            (24.0, "0 m", "0 m"),
            (26.0, "50 m", "50 m"),
            (349.0, "350 m", "350 m"),
            (374.0, "350 m", "350 m"),
            (974.0, "950 m", "950 m"),
            (975.0, "1,0 km", "1.0 km"),
            (1_234.0, "1,2 km", "1.2 km"),
            (1_250.0, "1,3 km", "1.3 km"),
            (9_949.0, "9,9 km", "9.9 km"),
            (9_950.0, "10 km", "10 km"),
            (12_345.0, "12 km", "12 km"),
            (999_600.0, "1.000 km", "1,000 km"),
            (12_345_000.0, "12.345 km", "12,345 km"),
            (-3.0, "0 m", "0 m"),
            (f64::NAN, "0 m", "0 m"),
        ];
        for (m, german, english) in cases {
            assert_eq!(format_distance(m, false), german, "{m}");
            assert_eq!(format_distance(m, true), english, "{m}");
        }
    }

    #[test]
    fn parses_postcodes() {
        assert_eq!(parse_postcode("01067"), Some("01067".to_string()));
        assert_eq!(parse_postcode(" 10178\n"), Some("10178".to_string()));
        for bad in [
            "",
            "1067",
            "010671",
            "01 067",
            "D-01067",
            "0106a",
            "０１０６７",
            "01067 Dresden",
        ] {
            assert_eq!(parse_postcode(bad), None, "{bad}");
        }
    }
}
