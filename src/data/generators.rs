//! The built-in data sets, drawn from the seed's generator stream.
//!
//! Each returns a `Table` that goes through the same pipeline as a CSV file.
//! The order of draws is part of the contract (the same seed must give the
//! same rows in every version), so each generator documents it.

use std::f64::consts::TAU;

use crate::config::Generator;
use crate::math;
use crate::rng::{self, Random, Stream};

use super::error::DataError;
use super::table::{Column, Table, Values, content_hash};

/// The table of `generator` with `rows` rows, and the hash of its canonical CSV.
pub fn generate(
    generator: Generator,
    rows: usize,
    seed: u64,
) -> Result<(Table, String), DataError> {
    let origin = format!("generator `{}`", name(generator));
    if rows == 0 {
        return Err(DataError::new(origin, "`rows` must be at least 1"));
    }
    let mut random = rng::stream(seed, Stream::Generator);
    let (features, target) = match generator {
        Generator::Heart => heart(rows, &mut random),
        Generator::Xor => xor(rows, &mut random),
        Generator::Circles => circles(rows, &mut random),
        Generator::Spiral => spiral(rows, &mut random),
        Generator::Sine => sine(rows, &mut random),
    };
    let target_raw = (0..rows)
        .map(|row| target.values.text(row).unwrap_or_default())
        .collect();
    let table = Table::from_columns(origin, (1..=rows).collect(), features, target, target_raw);
    let hash = content_hash(table.canonical_csv().as_bytes());
    Ok((table, hash))
}

pub fn name(generator: Generator) -> &'static str {
    match generator {
        Generator::Heart => "heart",
        Generator::Xor => "xor",
        Generator::Circles => "circles",
        Generator::Spiral => "spiral",
        Generator::Sine => "sine",
    }
}

fn numbers(name: &str, values: Vec<f64>) -> Column {
    Column {
        name: name.to_string(),
        values: Values::Number(values),
    }
}

/// Rounds to one decimal; dividing (not multiplying by 0.1) gives the double
/// nearest the decimal, so `80.6` prints as `80.6`.
fn round_to_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + math::exp(-z))
}

/// The risk of a heart attack before forty, from height, weight and age.
///
/// For each row, drawing in this order:
///
/// ```text
/// height_cm  = round to 0.1 of clamp(Normal(mean 172, sd 9), 145, 205)
/// bmi_drawn  = clamp(Normal(mean 26, sd 4.5), 16, 45)
/// weight_kg  = round to 0.1 of bmi_drawn × (height_cm / 100)²
/// age_years  = a whole number drawn uniformly from 18 to 39
/// BMI        = weight_kg / (height_cm / 100)²      (from the rounded values)
/// risk       = −3.0 + 0.7 × (BMI − 25) + 0.2 × (age_years − 28)
/// heart_attack_before_40 = 1 with probability 1 / (1 + e^(−risk)), else 0
/// ```
///
/// About 28% of rows are positive. Even knowing the rule, the best possible
/// accuracy is about 87% (the label is a coin flip weighted by the risk),
/// against 72% for always answering 0: learnable, but not perfectly. The
/// network must discover BMI from height and weight on its own.
pub fn heart(rows: usize, random: &mut Random) -> (Vec<Column>, Column) {
    let mut height = Vec::with_capacity(rows);
    let mut weight = Vec::with_capacity(rows);
    let mut age = Vec::with_capacity(rows);
    let mut label = Vec::with_capacity(rows);
    for _ in 0..rows {
        let height_cm = round_to_tenth((172.0 + 9.0 * random.normal()).clamp(145.0, 205.0));
        let bmi_drawn = (26.0 + 4.5 * random.normal()).clamp(16.0, 45.0);
        let metres = height_cm / 100.0;
        let weight_kg = round_to_tenth(bmi_drawn * metres * metres);
        let age_years = (18 + random.below(22)) as f64;
        let bmi = weight_kg / (metres * metres);
        let risk = -3.0 + 0.7 * (bmi - 25.0) + 0.2 * (age_years - 28.0);
        let positive = random.uniform() < sigmoid(risk);
        height.push(height_cm);
        weight.push(weight_kg);
        age.push(age_years);
        label.push(if positive { 1.0 } else { 0.0 });
    }
    (
        vec![
            numbers("height_cm", height),
            numbers("weight_kg", weight),
            numbers("age_years", age),
        ],
        numbers("heart_attack_before_40", label),
    )
}

/// Exclusive or: `x1`, `x2` uniform in [−1, 1) (drawn in that order);
/// `label` = 1 when exactly one of them is positive (x1 · x2 < 0), else 0.
/// No label noise: a network with a hidden layer can reach 100%, a linear
/// model cannot beat about 50%.
pub fn xor(rows: usize, random: &mut Random) -> (Vec<Column>, Column) {
    let mut x1 = Vec::with_capacity(rows);
    let mut x2 = Vec::with_capacity(rows);
    let mut label = Vec::with_capacity(rows);
    for _ in 0..rows {
        let a = random.uniform_in(-1.0, 1.0);
        let b = random.uniform_in(-1.0, 1.0);
        x1.push(a);
        x2.push(b);
        label.push(if a * b < 0.0 { 1.0 } else { 0.0 });
    }
    (
        vec![numbers("x1", x1), numbers("x2", x2)],
        numbers("label", label),
    )
}

/// Two concentric rings: rows alternate inner (`outer` = 0, radius 0.5) and
/// outer (`outer` = 1, radius 1.0). Each row draws an angle uniform in
/// [0, 2π), then the radius + Normal(0, sd 0.1); `x` = r cos(angle),
/// `y` = r sin(angle).
pub fn circles(rows: usize, random: &mut Random) -> (Vec<Column>, Column) {
    let mut x = Vec::with_capacity(rows);
    let mut y = Vec::with_capacity(rows);
    let mut outer = Vec::with_capacity(rows);
    for row in 0..rows {
        let is_outer = row % 2 == 1;
        let angle = random.uniform_in(0.0, TAU);
        let radius = if is_outer { 1.0 } else { 0.5 } + 0.1 * random.normal();
        x.push(radius * math::cos(angle));
        y.push(radius * math::sin(angle));
        outer.push(if is_outer { 1.0 } else { 0.0 });
    }
    (
        vec![numbers("x", x), numbers("y", y)],
        numbers("outer", outer),
    )
}

/// Three interleaved spiral arms (after Karpathy's CS231n example). Rows cycle
/// through the arms `arm_1`, `arm_2`, `arm_3` (target `arm`). The k-th point of
/// arm j (j = 0, 1, 2, with n points) has radius r = k / (n − 1) and angle
/// t = 4j + 4r + Normal(0, sd 0.2); `x` = r sin(t), `y` = r cos(t).
pub fn spiral(rows: usize, random: &mut Random) -> (Vec<Column>, Column) {
    const ARMS: usize = 3;
    let mut x = Vec::with_capacity(rows);
    let mut y = Vec::with_capacity(rows);
    let mut arm = Vec::with_capacity(rows);
    for row in 0..rows {
        let j = row % ARMS;
        let k = row / ARMS;
        let points = (rows - j).div_ceil(ARMS);
        let radius = if points > 1 {
            k as f64 / (points - 1) as f64
        } else {
            0.0
        };
        let angle = 4.0 * j as f64 + 4.0 * radius + 0.2 * random.normal();
        x.push(radius * math::sin(angle));
        y.push(radius * math::cos(angle));
        arm.push(format!("arm_{}", j + 1));
    }
    (
        vec![numbers("x", x), numbers("y", y)],
        Column {
            name: "arm".to_string(),
            values: Values::Text(arm),
        },
    )
}

/// A noisy sine: `x` uniform in [−3, 3), then `y` = sin(x) + Normal(0, sd 0.1).
pub fn sine(rows: usize, random: &mut Random) -> (Vec<Column>, Column) {
    let mut x = Vec::with_capacity(rows);
    let mut y = Vec::with_capacity(rows);
    for _ in 0..rows {
        let input = random.uniform_in(-3.0, 3.0);
        x.push(input);
        y.push(math::sin(input) + 0.1 * random.normal());
    }
    (vec![numbers("x", x)], numbers("y", y))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Generator; 5] = [
        Generator::Heart,
        Generator::Xor,
        Generator::Circles,
        Generator::Spiral,
        Generator::Sine,
    ];

    fn numbers_of(column: &Column) -> Vec<f64> {
        match &column.values {
            Values::Number(values) => values.clone(),
            other => panic!("expected numbers, found {other:?}"),
        }
    }

    #[test]
    fn every_generator_gives_the_same_table_for_the_same_seed() {
        for generator in ALL {
            let (a, hash_a) = generate(generator, 50, 7).unwrap();
            let (b, hash_b) = generate(generator, 50, 7).unwrap();
            assert_eq!(a, b, "{generator:?}");
            assert_eq!(hash_a, hash_b, "{generator:?}");
            assert_eq!(a.len(), 50);
            assert_eq!(a.target_raw.len(), 50);
        }
    }

    #[test]
    fn every_generator_gives_another_table_for_another_seed() {
        for generator in ALL {
            let (a, hash_a) = generate(generator, 50, 7).unwrap();
            let (b, hash_b) = generate(generator, 50, 8).unwrap();
            assert_ne!(a, b, "{generator:?}");
            assert_ne!(hash_a, hash_b, "{generator:?}");
        }
    }

    #[test]
    fn zero_rows_is_an_error() {
        let error = generate(Generator::Xor, 0, 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "generator `xor`: `rows` must be at least 1"
        );
    }

    #[test]
    fn heart_has_the_documented_columns_and_ranges() {
        let (table, _) = generate(Generator::Heart, 2000, 42).unwrap();
        let names: Vec<&str> = table.features.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["height_cm", "weight_kg", "age_years"]);
        assert_eq!(table.target.name, "heart_attack_before_40");
        let height = numbers_of(&table.feature_column(0));
        let age = numbers_of(&table.feature_column(2));
        assert!(height.iter().all(|h| (145.0..=205.0).contains(h)));
        assert!(
            age.iter()
                .all(|a| (18.0..=39.0).contains(a) && a.fract() == 0.0)
        );
        assert!(age.contains(&18.0) && age.contains(&39.0));
        // Rounded to one decimal: the canonical text has at most one.
        for row in 0..20 {
            let text = table.feature_column(1).values.text(row).unwrap_or_default();
            assert!(
                text.split('.').nth(1).is_none_or(|d| d.len() == 1),
                "{text}"
            );
        }
    }

    #[test]
    fn heart_positive_rate_is_in_range_and_learnable_but_not_perfectly() {
        for seed in [1, 42] {
            let (table, _) = generate(Generator::Heart, 5000, seed).unwrap();
            let height = numbers_of(&table.feature_column(0));
            let weight = numbers_of(&table.feature_column(1));
            let age = numbers_of(&table.feature_column(2));
            let label = numbers_of(&table.target);
            let n = label.len() as f64;
            let positive_rate = label.iter().sum::<f64>() / n;
            assert!((0.20..=0.35).contains(&positive_rate), "{positive_rate}");
            // The documented rule, recomputed from the written columns: the
            // accuracy of its best guess, and the rate at which labels agree.
            let mut bayes = 0.0;
            let mut agree = 0.0;
            for i in 0..label.len() {
                let metres = height[i] / 100.0;
                let bmi = weight[i] / (metres * metres);
                let p = sigmoid(-3.0 + 0.7 * (bmi - 25.0) + 0.2 * (age[i] - 28.0));
                bayes += p.max(1.0 - p);
                if (p > 0.5) == (label[i] == 1.0) {
                    agree += 1.0;
                }
            }
            let (bayes, agree) = (bayes / n, agree / n);
            assert!((0.80..=0.92).contains(&bayes), "best accuracy {bayes}");
            assert!((0.80..=0.92).contains(&agree), "rule accuracy {agree}");
            assert!(
                agree > 1.0 - positive_rate + 0.08,
                "{agree} vs {positive_rate}"
            );
        }
    }

    #[test]
    fn xor_labels_follow_the_signs() {
        let (table, _) = generate(Generator::Xor, 200, 3).unwrap();
        let x1 = numbers_of(&table.feature_column(0));
        let x2 = numbers_of(&table.feature_column(1));
        let label = numbers_of(&table.target);
        for i in 0..200 {
            assert!((-1.0..1.0).contains(&x1[i]) && (-1.0..1.0).contains(&x2[i]));
            assert_eq!(label[i] == 1.0, (x1[i] > 0.0) != (x2[i] > 0.0));
        }
    }

    #[test]
    fn circles_alternate_rings_near_their_radius() {
        let (table, _) = generate(Generator::Circles, 400, 3).unwrap();
        let x = numbers_of(&table.feature_column(0));
        let y = numbers_of(&table.feature_column(1));
        let outer = numbers_of(&table.target);
        for (i, &ring) in outer.iter().enumerate() {
            assert_eq!(ring, (i % 2) as f64);
            let radius = math::hypot(x[i], y[i]);
            let expected = if ring == 1.0 { 1.0 } else { 0.5 };
            assert!((radius - expected).abs() < 0.6, "{radius}");
        }
    }

    #[test]
    fn spiral_cycles_through_three_text_arms() {
        let (table, _) = generate(Generator::Spiral, 10, 3).unwrap();
        assert_eq!(table.target.name, "arm");
        assert_eq!(table.target_raw[..4], ["arm_1", "arm_2", "arm_3", "arm_1"]);
        let x = numbers_of(&table.feature_column(0));
        let y = numbers_of(&table.feature_column(1));
        // The first point of each arm is at the centre, the last at radius 1.
        assert_eq!(math::hypot(x[0], y[0]), 0.0);
        assert!((math::hypot(x[9], y[9]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn sine_follows_the_curve_with_small_noise() {
        let (table, _) = generate(Generator::Sine, 500, 3).unwrap();
        let x = numbers_of(&table.feature_column(0));
        let y = numbers_of(&table.target);
        let mean_square: f64 = x
            .iter()
            .zip(y)
            .map(|(x, y)| {
                let error = y - math::sin(*x);
                error * error
            })
            .sum::<f64>()
            / 500.0;
        assert!((0.005..0.02).contains(&mean_square), "{mean_square}");
        assert!(x.iter().all(|x| (-3.0..3.0).contains(x)));
    }

    #[test]
    fn the_hash_is_of_the_canonical_csv() {
        let (table, hash) = generate(Generator::Sine, 5, 1).unwrap();
        assert_eq!(hash, content_hash(table.canonical_csv().as_bytes()));
        assert!(table.canonical_csv().starts_with("x,y\n"));
    }
}
