//! Count, mean, median, p90, min and max of a list of durations (in seconds).

use serde::Serialize;

/// The summary of a list of durations, in seconds. Empty lists have only a count of 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// How many values.
    pub count: usize,
    /// The arithmetic mean.
    pub mean: Option<f64>,
    /// The middle value; for an even count, the mean of the two middle values.
    pub median: Option<f64>,
    /// The 90th percentile, interpolated linearly between the closest ranks.
    pub p90: Option<f64>,
    /// The smallest value.
    pub min: Option<f64>,
    /// The largest value.
    pub max: Option<f64>,
}

impl Summary {
    /// Summarizes `values` (any order; NaN values are ignored).
    ///
    /// ```
    /// use opsbook_stats::Summary;
    /// let s = Summary::of(&[60.0, 180.0, 120.0, 600.0]);
    /// assert_eq!((s.count, s.median, s.max), (4, Some(150.0), Some(600.0)));
    /// assert_eq!(s.p90.map(f64::round), Some(474.0)); // 180 + 0.7 × (600 − 180)
    /// ```
    pub fn of(values: &[f64]) -> Summary {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        sorted.sort_by(f64::total_cmp);
        let count = sorted.len();
        if count == 0 {
            return Summary::default();
        }
        let mean = sorted.iter().sum::<f64>() / count as f64;
        Summary {
            count,
            mean: Some(mean),
            median: percentile(&sorted, 0.5),
            p90: percentile(&sorted, 0.9),
            min: sorted.first().copied(),
            max: sorted.last().copied(),
        }
    }
}

/// The `p`-quantile (0 ≤ p ≤ 1) of sorted values, interpolated linearly between the
/// closest ranks: rank h = (n − 1)·p, value x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). For p = 0.5
/// this is the median (the mean of the two middle values for an even count).
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let frac = h - lo as f64;
    Some(sorted[lo] + frac * (sorted[hi] - sorted[lo]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_counts() {
        let s = Summary::of(&[5.0, 1.0, 3.0]);
        assert_eq!(s.median, Some(3.0));
        assert!((s.p90.unwrap() - 4.6).abs() < 1e-9);
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!(s.median, Some(2.5));
        assert_eq!(s.mean, Some(2.5));
        let s = Summary::of(&[7.0]);
        assert_eq!(
            (s.median, s.p90, s.min, s.max),
            (Some(7.0), Some(7.0), Some(7.0), Some(7.0))
        );
        assert_eq!(Summary::of(&[]).count, 0);
    }
}
