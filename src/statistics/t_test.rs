//! Is B better than A? Student's t on the runs of two entries: paired on
//! the per-seed differences where the two share seeds (a seed fixes the
//! initial weights and the split, so pairing removes that part of the
//! noise), Welch's unequal-variance t otherwise. Each gives the difference
//! of the means (B − A) with its 95% confidence interval and the
//! two-sided p-value, and, from the observed difference and spread, about
//! how many seeds would tell a difference of that size.
//!
//! The t distribution comes from `statrs` (its regularized incomplete beta
//! function); everything else is the textbook formulas, checked against
//! scipy in the tests.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The two-sided level of the interval and the test.
pub const ALPHA: f64 = 0.05;
/// The power the seed estimate is for.
pub const POWER: f64 = 0.8;

/// Which test was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// On the per-seed differences over the seeds both sides have.
    Paired,
    /// Welch's, on the two sides' runs as independent samples.
    Welch,
}

impl Test {
    pub fn name(self) -> &'static str {
        match self {
            Test::Paired => "paired",
            Test::Welch => "welch",
        }
    }
}

/// A t-test's outcome for the difference B − A.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TTest {
    pub test: Test,
    /// The means of A and of B over the runs tested (paired: the shared
    /// seeds' runs).
    pub means: (f64, f64),
    /// Mean of B minus mean of A (paired: the mean of the differences).
    pub difference: f64,
    pub t: f64,
    /// Degrees of freedom (Welch–Satterthwaite's for Welch).
    pub df: f64,
    /// The two-sided p-value.
    pub p_value: f64,
    /// The 95% confidence interval of the difference.
    pub ci: (f64, f64),
    /// Pairs (paired) or the smaller side's runs (Welch).
    pub n: usize,
    /// Runs per side that would detect a difference of the observed size
    /// with the observed spread (two-sided α = 0.05, power 0.8, the
    /// iterated t approximation); None where the observed difference is 0.
    pub seeds_needed: Option<usize>,
}

/// The t distribution's cumulative probability at `x` with `df` degrees of
/// freedom.
pub fn t_cdf(x: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.cdf(x),
        Err(_) => f64::NAN,
    }
}

/// The t distribution's quantile: the `x` with `t_cdf(x, df) == p`. The
/// incomplete beta's inverse gives a first value; Newton steps on the
/// cumulative probability take it to full precision.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let Ok(t) = StudentsT::new(0.0, 1.0, df) else {
        return f64::NAN;
    };
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let mut x = t.inverse_cdf(p);
    for _ in 0..4 {
        let density = statrs::distribution::Continuous::pdf(&t, x);
        if !x.is_finite() || density <= 0.0 {
            break;
        }
        x -= (t.cdf(x) - p) / density;
    }
    x
}

/// The standard normal distribution's quantile.
fn z(p: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of `t` with `df` degrees of freedom; a zero standard
/// error (t infinite) gives 0, no difference at all (t NaN from 0/0) 1.
fn two_sided(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return 1.0;
    }
    (2.0 * t_cdf(-t.abs(), df)).min(1.0)
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample variance, n − 1 in the denominator.
fn variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64
}

/// Runs per side for a difference `d` with standard deviation `s` (of the
/// differences when paired, pooled otherwise): the smallest n with
/// n ≥ k·((t₀.₉₇₅ + t₀.₈)·s/|d|)², the t quantiles taken at the degrees of
/// freedom n runs per side would give (n − 1 paired, 2n − 2 unpaired), with
/// k = 1 paired and 2 unpaired. The normal approximation (z for t) is where
/// the search starts; with few seeds it is far too hopeful (it can say 2
/// where 3 just failed), which the t quantiles correct.
fn seeds_needed(d: f64, s: f64, k: f64) -> Option<usize> {
    if d == 0.0 || !d.is_finite() || !s.is_finite() {
        return None;
    }
    let ratio = s / d.abs();
    let required = |quantile: &dyn Fn(f64) -> f64| {
        let r = (quantile(1.0 - ALPHA / 2.0) + quantile(POWER)) * ratio;
        k * r * r
    };
    let normal = required(&z);
    // Beyond this the answer is "very many" and the search would be slow.
    const MOST: usize = 100_000;
    let mut n = (normal.ceil() as usize).clamp(2, MOST);
    while n < MOST {
        let df = if k == 1.0 { n - 1 } else { 2 * n - 2 } as f64;
        if n as f64 >= required(&|p| t_quantile(p, df)) {
            break;
        }
        n += 1;
    }
    Some(n)
}

/// Paired t on `b[i] − a[i]`; None for fewer than two pairs or unequal
/// lengths.
pub fn paired(a: &[f64], b: &[f64]) -> Option<TTest> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let differences: Vec<f64> = a.iter().zip(b).map(|(a, b)| b - a).collect();
    let n = differences.len();
    let d = mean(&differences);
    let s = variance(&differences).sqrt();
    let se = s / (n as f64).sqrt();
    let df = (n - 1) as f64;
    let t = d / se;
    let half = t_quantile(1.0 - ALPHA / 2.0, df) * se;
    Some(TTest {
        test: Test::Paired,
        means: (mean(a), mean(b)),
        difference: d,
        t,
        df,
        p_value: two_sided(t, df),
        ci: (d - half, d + half),
        n,
        seeds_needed: seeds_needed(d, s, 1.0),
    })
}

/// Welch's t on `b` against `a`; None unless each side has two values.
pub fn welch(a: &[f64], b: &[f64]) -> Option<TTest> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (va, vb) = (variance(a), variance(b));
    let d = mean(b) - mean(a);
    let (ea, eb) = (va / na, vb / nb);
    let se = (ea + eb).sqrt();
    let df = (ea + eb) * (ea + eb) / (ea * ea / (na - 1.0) + eb * eb / (nb - 1.0));
    let t = d / se;
    let half = t_quantile(1.0 - ALPHA / 2.0, df) * se;
    let pooled = ((va + vb) / 2.0).sqrt();
    Some(TTest {
        test: Test::Welch,
        means: (mean(a), mean(b)),
        difference: d,
        t,
        df,
        p_value: two_sided(t, df),
        ci: (d - half, d + half),
        n: a.len().min(b.len()),
        seeds_needed: seeds_needed(d, pooled, 2.0),
    })
}

/// One run's value of the metric, with the seed it was trained with.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub seed: String,
    pub value: f64,
}

/// Why two sides could not be tested.
#[derive(Debug, Clone, PartialEq)]
pub enum Untestable {
    /// Fewer than two runs on a side (the runs of A and of B), and fewer
    /// than two seeds in common.
    TooFewRuns { a: usize, b: usize },
}

/// The test for B against A: paired over the seeds both have when they
/// share at least two (the first run of each seed, in A's order), else
/// Welch's on all the runs.
pub fn compare(a: &[Sample], b: &[Sample]) -> Result<TTest, Untestable> {
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for x in a {
        if seen.contains(&x.seed.as_str()) {
            continue;
        }
        seen.push(&x.seed);
        if let Some(y) = b.iter().find(|y| y.seed == x.seed) {
            pairs.push((x.value, y.value));
        }
    }
    if pairs.len() >= 2 {
        let (xa, xb): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        if let Some(test) = paired(&xa, &xb) {
            return Ok(test);
        }
    }
    let va: Vec<f64> = a.iter().map(|s| s.value).collect();
    let vb: Vec<f64> = b.iter().map(|s| s.value).collect();
    welch(&va, &vb).ok_or(Untestable::TooFewRuns {
        a: a.len(),
        b: b.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64) {
        assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}");
    }

    // Reference values from scipy 1.x, computed outside the project with
    // /work/notes/sk-venv/bin/python:
    //   from scipy import stats
    //   a = [0.1071, 0.1102, 0.1043]; b = [0.0957, 0.0991, 0.0921]
    //   r = stats.ttest_rel(b, a); ci = r.confidence_interval(0.95)
    //   a2 = [0.41, 0.38, 0.45, 0.40]; b2 = [0.36, 0.43, 0.39]
    //   r = stats.ttest_ind(b2, a2, equal_var=False); ci = r.confidence_interval(0.95)
    //   stats.t.ppf(p, df), stats.t.cdf(x, df)

    #[test]
    fn the_paired_test_agrees_with_scipy_ttest_rel() {
        let a = [0.1071, 0.1102, 0.1043];
        let b = [0.0957, 0.0991, 0.0921];
        let test = paired(&a, &b).expect("three pairs");
        assert_eq!(test.test, Test::Paired);
        assert_eq!((test.n, test.df), (3, 2.0));
        close(test.t, -35.23251193013691);
        close(test.p_value, 0.0008046154702305898);
        close(test.ci.0, -0.012979207163527073);
        close(test.ci.1, -0.010154126169806276);
        close(test.difference, (-0.0114 - 0.0111 - 0.0122) / 3.0);
    }

    #[test]
    fn welch_s_test_agrees_with_scipy_ttest_ind_unequal_variances() {
        let a = [0.41, 0.38, 0.45, 0.40];
        let b = [0.36, 0.43, 0.39];
        let test = welch(&a, &b).expect("two a side");
        assert_eq!((test.test, test.n), (Test::Welch, 3));
        close(test.t, -0.6651901052377391);
        close(test.df, 3.934976887519261);
        close(test.p_value, 0.5428869455921017);
        close(test.ci.0, -0.086687572834283);
        close(test.ci.1, 0.05335423950094967);
    }

    #[test]
    fn the_t_distribution_agrees_with_scipy() {
        close(t_quantile(0.975, 2.0), 4.302652729749462);
        close(t_quantile(0.975, 3.7), 2.8675207071911895);
        close(t_quantile(0.975, 29.0), 2.045229642132703);
        close(t_quantile(0.05, 5.0), -2.015048373333024);
        close(t_cdf(-2.5, 4.0), 0.03338327240599407);
        close(t_cdf(1.3, 2.5), 0.8497566053646458);
        // norm.ppf(0.975) + norm.ppf(0.8)
        close(z(0.975) + z(0.8), 2.8015852181129683);
    }

    #[test]
    fn seeds_needed_follow_the_iterated_t_approximation() {
        // scipy: n = 34 is the first with n >= ((t.ppf(0.975, n-1) +
        // t.ppf(0.8, n-1)) * 0.01 / 0.005)**2 (33 needs 33.41, 34 needs
        // 33.34); the normal approximation would say 32.
        assert_eq!(seeds_needed(0.005, 0.01, 1.0), Some(34));
        // Unpaired, df = 2n − 2: n = 64 (2·(t.ppf(0.975,126) + t.ppf(0.8,126))²·4 = 63.8).
        assert_eq!(seeds_needed(-0.005, 0.01, 2.0), Some(64));
        // Few seeds: s/|d| = 0.456 gives 2 by the normal approximation,
        // but 3 pairs need ((4.303 + 1.061)·0.456)² = 5.98 and 4 pairs
        // ((3.182 + 0.978)·0.456)² = 3.60: 4.
        assert_eq!(seeds_needed(1.0, 0.456, 1.0), Some(4));
        assert_eq!(seeds_needed(0.0, 0.01, 1.0), None);
    }

    fn samples(values: &[(&str, f64)]) -> Vec<Sample> {
        values
            .iter()
            .map(|(seed, value)| Sample {
                seed: seed.to_string(),
                value: *value,
            })
            .collect()
    }

    #[test]
    fn shared_seeds_are_paired_and_otherwise_the_runs_are_compared_by_welch() {
        let a = samples(&[("1", 0.1071), ("2", 0.1102), ("3", 0.1043)]);
        let b = samples(&[("3", 0.0921), ("1", 0.0957), ("2", 0.0991)]);
        let test = compare(&a, &b).expect("paired");
        assert_eq!((test.test, test.n), (Test::Paired, 3));
        close(test.p_value, 0.0008046154702305898);
        let c = samples(&[("7", 0.36), ("8", 0.43), ("9", 0.39)]);
        let d = samples(&[("1", 0.41), ("2", 0.38), ("3", 0.45), ("4", 0.40)]);
        let test = compare(&d, &c).expect("welch");
        assert_eq!(test.test, Test::Welch);
        close(test.p_value, 0.5428869455921017);
        assert_eq!(
            compare(&a[..1], &b[..1]),
            Err(Untestable::TooFewRuns { a: 1, b: 1 })
        );
    }
}
