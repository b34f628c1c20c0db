//! Radar layout maths: sectors (fields of action) × rings (status or target year), one dot per
//! measure, placed so that no two dots overlap and none is ever dropped.
//!
//! Every cell (a sector of a ring) keeps its dots at least half a spacing away from its borders,
//! and dots inside a cell are at least one spacing apart along rows and between rows, so any two
//! dots are at least one spacing (dot diameter plus a gap) apart. The dot radius is the largest
//! for which every cell holds its dots; if even the smallest does not fit, the drawing grows.

use std::f64::consts::PI;

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Width and height of the square drawing (SVG user units).
    pub size: f64,
    pub centre: f64,
    /// Ring borders from inside out: `rings + 1` radii.
    pub ring_radii: Vec<f64>,
    /// Start and end angle of each sector in radians, clockwise from 12 o'clock.
    pub sectors: Vec<(f64, f64)>,
    pub dot_radius: f64,
    /// Centre of each item's dot, in input order.
    pub dots: Vec<(f64, f64)>,
}

const BASE_SIZE: f64 = 1000.0;
const MARGIN: f64 = 30.0;
const MAX_DOT: f64 = 11.0;
const MIN_DOT: f64 = 2.5;
const GAP: f64 = 0.35; // gap between dots as a share of the radius

/// Lays out `items`, each `(sector, ring)`, on `sectors` sectors and `rings` rings.
pub fn layout(sectors: usize, rings: usize, items: &[(usize, usize)]) -> Layout {
    let sectors = sectors.max(1);
    let rings = rings.max(1);
    let mut counts = vec![vec![0usize; rings]; sectors];
    for &(s, r) in items {
        counts[s.min(sectors - 1)][r.min(rings - 1)] += 1;
    }
    // Sector angles: proportional to the number of dots, with a floor so small fields stay visible.
    let total = items.len() as f64;
    let floor = (total / sectors as f64 * 0.5).max(1.0);
    let weights: Vec<f64> = counts
        .iter()
        .map(|c| c.iter().sum::<usize>() as f64 + floor)
        .collect();
    let wsum: f64 = weights.iter().sum();
    let mut angles = Vec::with_capacity(sectors);
    let mut a = -PI / 2.0;
    for w in &weights {
        let span = 2.0 * PI * w / wsum;
        angles.push((a, a + span));
        a += span;
    }
    // Ring areas: proportional to the densest sector's demand in that ring.
    let need: Vec<f64> = (0..rings)
        .map(|r| {
            (0..sectors)
                .map(|s| counts[s][r] as f64 / (angles[s].1 - angles[s].0))
                .fold(0.0, f64::max)
        })
        .collect();
    let max_need = need.iter().copied().fold(0.0, f64::max).max(1.0);
    let need: Vec<f64> = need.iter().map(|n| n + max_need * 0.25).collect();
    let need_sum: f64 = need.iter().sum();

    let mut size = BASE_SIZE;
    loop {
        let centre = size / 2.0;
        let outer = centre - MARGIN;
        let inner = outer * 0.08;
        let mut radii = vec![inner];
        let mut acc = 0.0;
        for n in &need {
            acc += n / need_sum;
            radii.push((inner * inner + (outer * outer - inner * inner) * acc).sqrt());
        }
        let fits = |dot: f64| {
            (0..sectors).all(|s| {
                (0..rings).all(|r| {
                    counts[s][r] == 0
                        || capacity(&rows(radii[r], radii[r + 1], angles[s], dot)) >= counts[s][r]
                })
            })
        };
        if fits(MIN_DOT) {
            let (mut lo, mut hi) = (MIN_DOT, MAX_DOT);
            if fits(hi) {
                lo = hi;
            }
            for _ in 0..30 {
                if hi - lo < 0.01 {
                    break;
                }
                let mid = (lo + hi) / 2.0;
                if fits(mid) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let dot = lo;
            let mut dots = vec![(0.0, 0.0); items.len()];
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); sectors * rings];
            for (i, &(s, r)) in items.iter().enumerate() {
                members[s.min(sectors - 1) * rings + r.min(rings - 1)].push(i);
            }
            for (cell, ids) in members.iter().enumerate() {
                if ids.is_empty() {
                    continue;
                }
                let (s, r) = (cell / rings, cell % rings);
                let cell_rows = rows(radii[r], radii[r + 1], angles[s], dot);
                for (&i, p) in ids.iter().zip(place(&cell_rows, ids.len(), centre)) {
                    dots[i] = p;
                }
            }
            return Layout {
                size,
                centre,
                ring_radii: radii,
                sectors: angles,
                dot_radius: dot,
                dots,
            };
        }
        size *= 1.5;
    }
}

/// A row of dot positions inside a cell: its radius, first and last angle and how many fit.
struct Row {
    rho: f64,
    from: f64,
    to: f64,
    cap: usize,
}

fn rows(r0: f64, r1: f64, (a0, a1): (f64, f64), dot: f64) -> Vec<Row> {
    let d = dot * (2.0 + GAP);
    let mut out = Vec::new();
    let mut rho = r0 + d / 2.0;
    while rho <= r1 - d / 2.0 + 1e-9 {
        let half = (d / (2.0 * rho)).min(1.0).asin();
        let from = a0 + half;
        let to = a1 - half;
        if to >= from {
            let step = 2.0 * half;
            let cap = ((to - from) / step + 1e-9).floor() as usize + 1;
            out.push(Row { rho, from, to, cap });
        }
        rho += d;
    }
    out
}

fn capacity(rows: &[Row]) -> usize {
    rows.iter().map(|r| r.cap).sum()
}

/// Spreads `n` dots over the rows in proportion to their capacity (largest remainder), each row's
/// dots evenly over its span.
fn place(rows: &[Row], n: usize, centre: f64) -> Vec<(f64, f64)> {
    let cap = capacity(rows) as f64;
    let mut take: Vec<usize> = rows
        .iter()
        .map(|r| ((n as f64) * r.cap as f64 / cap).floor() as usize)
        .collect();
    let mut left = n - take.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = (n as f64) * rows[a].cap as f64 / cap - take[a] as f64;
        let fb = (n as f64) * rows[b].cap as f64 / cap - take[b] as f64;
        fb.total_cmp(&fa)
    });
    while left > 0 {
        let mut progressed = false;
        for &i in &order {
            if left > 0 && take[i] < rows[i].cap {
                take[i] += 1;
                left -= 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    let mut out = Vec::with_capacity(n);
    for (r, (row, k)) in rows.iter().zip(take).enumerate() {
        // A lone dot may sit anywhere in its row: alternate its place so that sparse cells do
        // not line up as a spoke.
        let lone = [0.5, 0.2, 0.8][r % 3];
        for j in 0..k {
            let theta = if k == 1 {
                row.from + (row.to - row.from) * lone
            } else {
                row.from + (row.to - row.from) * j as f64 / (k - 1) as f64
            };
            out.push((
                centre + row.rho * theta.cos(),
                centre + row.rho * theta.sin(),
            ));
        }
    }
    out
}

/// SVG path of an annular sector (a cell or a whole sector band).
pub fn annular_sector_path(centre: f64, r0: f64, r1: f64, a0: f64, a1: f64) -> String {
    let large = if a1 - a0 > PI { 1 } else { 0 };
    let p = |r: f64, a: f64| (centre + r * a.cos(), centre + r * a.sin());
    if a1 - a0 >= 2.0 * PI - 1e-9 {
        // A full ring: two half arcs each way.
        let (ox, oy) = p(r1, a0);
        let (mx, my) = p(r1, a0 + PI);
        let (ix, iy) = p(r0, a0);
        let (jx, jy) = p(r0, a0 + PI);
        return format!(
            "M{ox:.1},{oy:.1}A{r1:.1},{r1:.1} 0 1 1 {mx:.1},{my:.1}A{r1:.1},{r1:.1} 0 1 1 {ox:.1},{oy:.1}Z\
             M{ix:.1},{iy:.1}A{r0:.1},{r0:.1} 0 1 0 {jx:.1},{jy:.1}A{r0:.1},{r0:.1} 0 1 0 {ix:.1},{iy:.1}Z"
        );
    }
    let (x0, y0) = p(r1, a0);
    let (x1, y1) = p(r1, a1);
    let (x2, y2) = p(r0, a1);
    let (x3, y3) = p(r0, a0);
    format!(
        "M{x0:.1},{y0:.1}A{r1:.1},{r1:.1} 0 {large} 1 {x1:.1},{y1:.1}L{x2:.1},{y2:.1}A{r0:.1},{r0:.1} 0 {large} 0 {x3:.1},{y3:.1}Z"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_no_overlap(l: &Layout, n: usize) {
        assert_eq!(l.dots.len(), n);
        let min = 2.0 * l.dot_radius;
        // Bucket dots into a grid of cells `min` wide: overlapping dots are in neighbouring cells.
        let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
            std::collections::HashMap::new();
        for (i, &(x, y)) in l.dots.iter().enumerate() {
            assert!(
                x - l.dot_radius >= 0.0 && x + l.dot_radius <= l.size,
                "dot {i} outside"
            );
            assert!(
                y - l.dot_radius >= 0.0 && y + l.dot_radius <= l.size,
                "dot {i} outside"
            );
            grid.entry(((x / min).floor() as i64, (y / min).floor() as i64))
                .or_default()
                .push(i);
        }
        for (&(gx, gy), members) in &grid {
            for &i in members {
                let (x, y) = l.dots[i];
                for dx in -1..=1 {
                    for dy in -1..=1 {
                        for &j in grid
                            .get(&(gx + dx, gy + dy))
                            .map(Vec::as_slice)
                            .unwrap_or(&[])
                        {
                            if j <= i {
                                continue;
                            }
                            let (u, v) = l.dots[j];
                            let d = ((x - u).powi(2) + (y - v).powi(2)).sqrt();
                            assert!(d >= min - 1e-6, "dots {i} and {j} overlap: {d} < {min}");
                        }
                    }
                }
            }
        }
    }

    fn skewed(n: usize, sectors: usize, rings: usize) -> Vec<(usize, usize)> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // A third of everything lands in sector 0, ring 1.
                if x.is_multiple_of(3) {
                    (0, 1.min(rings - 1))
                } else {
                    ((x >> 8) as usize % sectors, (x >> 20) as usize % rings)
                }
            })
            .collect()
    }

    #[test]
    fn two_thousand_measures_on_nine_sectors_never_overlap() {
        let items = skewed(2000, 9, 4);
        let l = layout(9, 4, &items);
        assert_no_overlap(&l, 2000);
        assert!(l.dot_radius >= MIN_DOT);
    }

    #[test]
    fn any_number_of_sectors_and_rings_works() {
        for (s, r, n) in [
            (1, 1, 0),
            (1, 4, 30),
            (2, 4, 7),
            (4, 4, 60),
            (23, 6, 300),
            (9, 12, 500),
        ] {
            let l = layout(s, r, &skewed(n, s, r));
            assert_no_overlap(&l, n);
            assert_eq!(l.sectors.len(), s);
            assert_eq!(l.ring_radii.len(), r + 1);
        }
    }

    #[test]
    fn an_overfull_cell_grows_the_drawing_instead_of_dropping_dots() {
        let items = vec![(0, 0); 25000];
        let l = layout(9, 4, &items);
        assert!(l.size > BASE_SIZE);
        assert_no_overlap(&l, 25000);
    }

    #[test]
    fn sector_paths_are_closed() {
        assert!(annular_sector_path(500.0, 40.0, 400.0, 0.0, 1.0).ends_with('Z'));
        assert!(
            annular_sector_path(500.0, 40.0, 400.0, 0.0, 2.0 * PI)
                .matches('Z')
                .count()
                == 2
        );
    }
}
