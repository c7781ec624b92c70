//! Thinning a long curve to what a plot can show, in bounded memory: the
//! curve is cut into stretches of equal length and each stretch keeps its
//! lowest and its highest point (and its first non-finite one, where the
//! plot breaks its line). Points arrive one at a time, so a run of any
//! length draws its plots without holding its history; the report thins
//! the curves it reads back with the same code, so both show the same shape.

/// A plot panel is 600 px wide: more points per line than this cannot be
/// seen, and would only make the plot file larger.
pub const MAX_PLOT_POINTS: usize = 600;

/// A point of the curve with its position in the sequence fed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Indexed {
    index: u64,
    point: (f64, f64),
}

/// What one stretch keeps. Ties go to the first lowest and the last
/// highest point, so a stretch of two points always keeps both, and two
/// merged stretches keep exactly what one stretch of both would have.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Stretch {
    low: Option<Indexed>,
    high: Option<Indexed>,
    /// The first non-finite point.
    gap: Option<Indexed>,
}

impl Stretch {
    fn add(&mut self, p: Indexed) {
        let y = p.point.1;
        if !y.is_finite() {
            self.gap = self.gap.or(Some(p));
            return;
        }
        if self.low.is_none_or(|l| y < l.point.1) {
            self.low = Some(p);
        }
        if self.high.is_none_or(|h| y >= h.point.1) {
            self.high = Some(p);
        }
    }

    /// `self` followed by `later`.
    fn merge(self, later: Stretch) -> Stretch {
        let mut merged = self;
        for p in [later.low, later.high, later.gap].into_iter().flatten() {
            merged.add(p);
        }
        merged
    }

    fn points(&self) -> impl Iterator<Item = Indexed> {
        [self.low, self.high, self.gap].into_iter().flatten()
    }
}

/// A curve fed point by point, kept to at most about `max` points (the
/// first and the last included; half as many again where stretches hold
/// non-finite points) whatever its length; a curve of at most `max` points
/// is kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Thinner {
    /// The most closed stretches kept before pairs of them are merged; even.
    stretches: usize,
    /// Points per stretch: 1, then doubling.
    width: u64,
    closed: Vec<Stretch>,
    open: Stretch,
    /// Points fed into `open`.
    open_len: u64,
    first: Option<Indexed>,
    last: Option<Indexed>,
    count: u64,
}

impl Thinner {
    pub fn new(max: usize) -> Thinner {
        // Each stretch keeps two finite points: max / 2 of them, at least two
        // so that pairs can merge.
        let stretches = (max / 2).max(2) & !1;
        Thinner {
            stretches,
            width: 1,
            closed: Vec::with_capacity(stretches),
            open: Stretch::default(),
            open_len: 0,
            first: None,
            last: None,
            count: 0,
        }
    }

    /// Points fed so far.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn push(&mut self, point: (f64, f64)) {
        let p = Indexed {
            index: self.count,
            point,
        };
        self.count += 1;
        self.first = self.first.or(Some(p));
        self.last = Some(p);
        if self.open_len == 0 && self.closed.len() == self.stretches {
            // Twice as long stretches, as if they had been from the start;
            // only once a point needs the room, so that a curve of exactly
            // `max` points is kept whole.
            let merged: Vec<Stretch> = self
                .closed
                .chunks(2)
                .map(|pair| pair[0].merge(pair.get(1).copied().unwrap_or_default()))
                .collect();
            self.closed.clear();
            self.closed.extend(merged);
            self.width *= 2;
        }
        self.open.add(p);
        self.open_len += 1;
        if self.open_len == self.width {
            self.closed.push(std::mem::take(&mut self.open));
            self.open_len = 0;
        }
    }

    /// The points kept, with their positions in the sequence fed, in order.
    pub fn kept(&self) -> Vec<(u64, (f64, f64))> {
        let mut kept: Vec<Indexed> = self
            .closed
            .iter()
            .chain([&self.open])
            .flat_map(Stretch::points)
            .chain(self.first)
            .chain(self.last)
            .collect();
        kept.sort_by_key(|p| p.index);
        kept.dedup_by_key(|p| p.index);
        kept.into_iter().map(|p| (p.index, p.point)).collect()
    }

    pub fn points(&self) -> Vec<(f64, f64)> {
        self.kept().into_iter().map(|(_, point)| point).collect()
    }
}

/// At most about `max` of `points` (in x order), keeping the shape.
pub fn thin(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    let mut thinner = Thinner::new(max);
    for &point in points {
        thinner.push(point);
    }
    thinner.points()
}

/// Which of `values` (one per epoch) [`thin`] keeps.
pub fn keep_mask(values: &[f64], max: usize) -> Vec<bool> {
    let mut thinner = Thinner::new(max);
    for (i, &y) in values.iter().enumerate() {
        thinner.push((i as f64, y));
    }
    let mut keep = vec![false; values.len()];
    for (index, _) in thinner.kept() {
        if let Some(kept) = usize::try_from(index).ok().and_then(|i| keep.get_mut(i)) {
            *kept = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_curves_are_left_alone() {
        let points: Vec<(f64, f64)> = (1..=600).map(|e| (e as f64, 1.0 / e as f64)).collect();
        assert_eq!(thin(&points, 600), points);
        // Flat stretches too: ties keep both points of a pair.
        let flat: Vec<(f64, f64)> = (1..=600).map(|e| (e as f64, 1.0)).collect();
        assert_eq!(thin(&flat, 600), flat);
    }

    #[test]
    fn long_curves_keep_their_ends_extremes_and_gaps() {
        let mut points: Vec<(f64, f64)> = (1..=10_000)
            .map(|e| (e as f64, crate::math::sin(e as f64 / 300.0)))
            .collect();
        points[5000].1 = f64::NAN;
        points[7000].1 = 5.0;
        points[8000].1 = -5.0;
        let thinned = thin(&points, 600);
        assert!(thinned.len() <= 603, "{}", thinned.len());
        assert!(thinned.len() >= 300, "{}", thinned.len());
        assert_eq!(thinned.first(), points.first());
        assert_eq!(thinned.last(), points.last());
        assert!(thinned.iter().any(|p| p.1.is_nan()));
        assert!(thinned.contains(&(7001.0, 5.0)));
        assert!(thinned.contains(&(8001.0, -5.0)));
        assert!(thinned.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn one_spike_in_a_hundred_thousand_points_survives() {
        // Each stretch keeps its lowest and its highest point, so a single
        // epoch far above the rest (a loss spike) is still drawn, whichever
        // way the stretches fall.
        for spike_at in [0usize, 1, 31_337, 65_536, 99_998, 99_999] {
            let points: Vec<(f64, f64)> = (0..100_000)
                .map(|i| {
                    let y = if i == spike_at {
                        50.0
                    } else {
                        1.0 + crate::math::sin(i as f64 / 1000.0) / 10.0
                    };
                    (i as f64, y)
                })
                .collect();
            let thinned = thin(&points, MAX_PLOT_POINTS);
            assert!(thinned.len() <= MAX_PLOT_POINTS + 3, "{}", thinned.len());
            assert!(
                thinned.contains(&(spike_at as f64, 50.0)),
                "spike at {spike_at} lost"
            );
            // And a dip, the lowest point of its stretch.
            let mut dipped = points.clone();
            dipped[spike_at].1 = -50.0;
            assert!(thin(&dipped, MAX_PLOT_POINTS).contains(&(spike_at as f64, -50.0)));
        }
    }

    #[test]
    fn memory_stays_bounded_whatever_the_length() {
        let mut thinner = Thinner::new(600);
        let mut most = 0;
        for i in 0..1_000_000u32 {
            // Every point non-finite now and then: gaps are bounded too.
            let y = if i % 7 == 0 {
                f64::NAN
            } else {
                f64::from(i % 97)
            };
            thinner.push((f64::from(i), y));
            most = most.max(thinner.closed.len());
        }
        assert!(most <= 300, "{most} stretches");
        assert!(thinner.closed.capacity() <= 300);
        assert!(thinner.points().len() <= 905, "{}", thinner.points().len());
        assert_eq!(thinner.len(), 1_000_000);
    }

    #[test]
    fn the_result_does_not_depend_on_when_it_is_read() {
        // A resumed run feeds the same points in two sittings; reading the
        // points between does not change what is kept.
        let points: Vec<(f64, f64)> = (0..5000)
            .map(|i| (i as f64, ((i * 37) % 101) as f64))
            .collect();
        let mut fed = Thinner::new(100);
        for (i, &p) in points.iter().enumerate() {
            fed.push(p);
            if i % 777 == 0 {
                let _ = fed.points();
            }
        }
        assert_eq!(fed.points(), thin(&points, 100));
    }

    #[test]
    fn masks_keep_what_thin_keeps() {
        let values: Vec<f64> = (0..3000).map(|i| ((i * 13) % 59) as f64).collect();
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, v))
            .collect();
        let kept: Vec<(f64, f64)> = points
            .iter()
            .zip(keep_mask(&values, 400))
            .filter_map(|(p, k)| k.then_some(*p))
            .collect();
        assert_eq!(kept, thin(&points, 400));
    }
}
