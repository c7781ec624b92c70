//! Tables of cases: each line a value and how a person must read it.

use super::*;

#[test]
fn numbers_have_four_significant_digits_and_an_exponent_outside_1e_minus_3_to_1e5() {
    let cases: [(f64, &str); 20] = [
        (0.0, "0"),
        (12_345.678, "12346"),
        (1e300, "1e300"),
        (-1.234_567e270, "-1.235e270"),
        (2.3e-5, "2.3e-5"),
        (-0.0, "0"),
        (1e-4, "1e-4"),
        (0.000_999, "9.99e-4"),
        (0.001, "0.001"),
        (0.111_574, "0.1116"),
        (0.855, "0.855"),
        (63.8362, "63.84"),
        (12345.6, "12346"),
        (99_999.7, "1e5"),
        (1e5, "1e5"),
        (123_456_789.0, "1.235e8"),
        (-0.5, "-0.5"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
    ];
    for (x, shown) in cases {
        assert_eq!(number(x), shown, "{x:e}");
    }
}

#[test]
fn whole_numbers_read_as_integers() {
    for (x, shown) in [
        (25.0, "25"),
        (1.0, "1"),
        (400.0, "400"),
        (12_000.0, "12000"),
    ] {
        assert_eq!(number(x), shown);
    }
}

#[test]
fn more_digits_on_request_keep_every_digit_before_the_point() {
    let cases: [(f64, usize, &str); 6] = [
        (0.123_456_789_012_3, 10, "0.123456789"),
        (1_234.567_890_123, 10, "1234.56789"),
        (123_456_789.26, 10, "123456789.3"),
        (12_345_678_901.0, 10, "1.23456789e10"),
        (1.5e-7, 10, "1.5e-7"),
        (2.0 / 3.0, 2, "0.67"),
    ];
    for (x, digits, shown) in cases {
        assert_eq!(number_with(x, digits), shown, "{x:e} to {digits}");
    }
}

#[test]
fn a_mean_over_one_value_says_n_1_instead_of_a_spread_of_0() {
    assert_eq!(mean_std(0.855_31, None, 1), "0.8553 (n = 1)");
    assert_eq!(signed(0.012_93), "+0.01293");
    assert_eq!(signed(-0.02), "−0.02");
    assert_eq!(signed(0.0), "0");
    assert_eq!(signed(-3.2e-7), "−3.2e-7");
    assert_eq!(mean_std(25.0, None, 1), "25 (n = 1)");
    // n = 1 with a deviation given (of nothing) still shows none.
    assert_eq!(mean_std(0.855_31, Some(0.0), 1), "0.8553 (n = 1)");
}

#[test]
fn a_mean_is_rounded_to_the_place_of_its_two_digit_deviation() {
    let cases: [(f64, f64, usize, &str); 12] = [
        (0.095_67, 0.002_09, 3, "0.0957 ± 0.0021"),
        (0.095_67, 0.012_89, 2, "0.096 ± 0.013"),
        (0.86, 0.025, 3, "0.860 ± 0.025"),
        (0.855_31, 0.012_04, 3, "0.855 ± 0.012"),
        // Four significant digits at most, however small the spread.
        (123.456_7, 0.002_1, 3, "123.5 ± 0.0021"),
        // A large spread rounds the mean to tens; at least one digit stays.
        (1234.5, 560.0, 3, "1230 ± 560"),
        (0.8, 12.0, 3, "0.8 ± 12"),
        // Rounding up to a power of ten keeps the deviation's place.
        (0.099_96, 0.002_1, 3, "0.1000 ± 0.0021"),
        // Outside 1e-3 to 1e5 both sides are scientific.
        (1.234_5e-4, 2.13e-6, 3, "1.234e-4 ± 2.1e-6"),
        (2.5e8, 1.2e7, 3, "2.50e8 ± 1.2e7"),
        // Epochs of three runs: a mean of whole numbers that differ.
        (21.333_333, 4.509_249, 3, "21.3 ± 4.5"),
        (f64::NAN, 0.1, 3, "NaN ± 0.1"),
    ];
    for (mean, std, n, shown) in cases {
        assert_eq!(mean_std(mean, Some(std), n), shown, "{mean} ± {std}");
    }
}

#[test]
fn equal_values_show_no_spread_and_whole_ones_read_as_integers() {
    assert_eq!(mean_std(25.0, Some(0.0), 3), "25");
    assert_eq!(mean_std(120_000.0, Some(0.0), 2), "120000");
    assert_eq!(mean_std(0.855_31, Some(0.0), 3), "0.8553 ± 0");
    // Three runs of 0.1 average to 0.10000000000000002, with a deviation of
    // rounding noise: no spread.
    let runs = [0.1, 0.1, 0.1];
    let mean = runs.iter().sum::<f64>() / 3.0;
    let squares: f64 = runs.iter().map(|v| (v - mean) * (v - mean)).sum();
    assert_eq!(mean_std(mean, Some((squares / 2.0).sqrt()), 3), "0.1 ± 0");
}

#[test]
fn whole_values_are_written_in_full_and_others_as_numbers() {
    let cases: [(f64, &str); 7] = [
        (25.0, "25"),
        (120_000.0, "120000"),
        (-3.0, "-3"),
        (-0.0, "0"),
        (1e300, "1e300"),
        (2.5, "2.5"),
        (f64::NAN, "NaN"),
    ];
    for (x, shown) in cases {
        assert_eq!(integer(x), shown, "{x:e}");
    }
}

#[test]
fn a_quoted_value_keeps_every_digit_it_was_written_with() {
    let cases: [(f64, &str); 9] = [
        (0.999_99, "0.99999"),
        (1e300, "1e300"),
        (-1e300, "-1e300"),
        (1.5e-7, "1.5e-7"),
        (0.001, "0.001"),
        (123_456.0, "123456"),
        (1e30, "1e30"),
        (-0.0, "0"),
        (f64::INFINITY, "inf"),
    ];
    for (x, shown) in cases {
        assert_eq!(exact(x), shown, "{x:e}");
        if x.is_finite() {
            assert_eq!(shown.parse::<f64>().expect("reads back"), x);
        }
    }
}

#[test]
fn an_f32_is_quoted_in_its_own_shortest_digits() {
    let cases: [(f32, &str); 7] = [
        (0.1, "0.1"),
        (1.0, "1"),
        (-0.0, "0"),
        (1e-5, "1e-5"),
        (123_456_790.0, "1.2345679e8"),
        (3.402_823_5e38, "3.4028235e38"),
        (f32::NAN, "NaN"),
    ];
    for (x, shown) in cases {
        assert_eq!(exact_f32(x), shown, "{x:e}");
        if x.is_finite() {
            assert_eq!(shown.parse::<f32>().expect("reads back"), x);
        }
    }
}

#[test]
fn labels_have_as_few_digits_as_tell_the_values_apart_and_at_least_three() {
    let cases: [(&[f64], &[&str]); 7] = [
        (&[0.001, 0.0012, 0.0013], &["0.001", "0.0012", "0.0013"]),
        (&[0.123_45, 0.123_46], &["0.12345", "0.12346"]),
        (&[0.01, 0.1, 1.0], &["0.01", "0.1", "1"]),
        (
            &[0.001_228_242_355_185_628_4, 0.572_029_306_165_529_2],
            &["0.00123", "0.572"],
        ),
        (&[1.370e-4, 1.371e-4, 0.5], &["1.37e-4", "1.371e-4", "0.5"]),
        // A value drawn twice is one label, not a reason for more digits.
        (&[0.25, 0.25, 0.5], &["0.25", "0.25", "0.5"]),
        (&[], &[]),
    ];
    for (values, shown) in cases {
        assert_eq!(labels(values), shown, "{values:?}");
    }
    // Neighbouring floats need all seventeen digits, and still differ.
    let close = [0.1, 0.1_f64.next_up()];
    let shown = labels(&close);
    assert_ne!(shown[0], shown[1]);
    for (value, label) in close.iter().zip(&shown) {
        assert_eq!(label.parse::<f64>().expect("reads back"), *value);
    }
}

#[test]
fn plurals_follow_the_count() {
    for (n, shown) in [(0, "0 runs"), (1, "1 run"), (2, "2 runs")] {
        assert_eq!(plural(n, "run", "runs"), shown);
    }
    assert_eq!(plural(1, "class", "classes"), "1 class");
    assert_eq!(plural(3, "class", "classes"), "3 classes");
}

#[test]
fn cutting_counts_characters_not_bytes() {
    let cases: [(&str, usize, &str); 5] = [
        ("short", 10, "short"),
        ("exactly", 7, "exactly"),
        ("température", 6, "tempé…"),
        ("ΔΔΔΔΔ", 3, "ΔΔ…"),
        ("日本語のテキスト", 4, "日本語…"),
    ];
    for (text, max, shown) in cases {
        assert_eq!(cut(text, max), shown);
        assert!(cut(text, max).chars().count() <= max);
    }
}

#[test]
fn zeros_are_trimmed_from_fractions_only() {
    for (text, shown) in [
        ("0.5000", "0.5"),
        ("2.000", "2"),
        ("100", "100"),
        ("1.05", "1.05"),
    ] {
        assert_eq!(trim_zeros(text), shown);
    }
}

#[test]
fn toml_strings_lose_their_quotes_and_other_values_stay_as_written() {
    let cases = [
        ("\"sgd\"", "sgd"),
        ("0.1", "0.1"),
        ("[8, 4]", "[8, 4]"),
        ("\"a\\\"b\"", "\"a\\\"b\""),
    ];
    for (value, shown) in cases {
        assert_eq!(unquoted(value), shown);
    }
}

#[test]
fn control_characters_are_escaped() {
    assert_eq!(printable("a\nb\0c"), "a\\nb\\0c");
    assert_eq!(printable("héllo Δ"), "héllo Δ");
}

#[test]
fn did_you_mean_offers_the_likely_typo_whatever_its_case() {
    let keys = ["learning_rate", "epochs", "batch_size", "seed"];
    let cases: [(&str, Option<&str>); 6] = [
        ("learnin_rate", Some("learning_rate")),
        ("Learning_Rate", Some("learning_rate")),
        ("epoch", Some("epochs")),
        ("batchsize", Some("batch_size")),
        ("momentum", None),
        ("xyz", None),
    ];
    for (word, offered) in cases {
        assert_eq!(closest(word, &keys), offered, "{word}");
    }
    let columns = ["Age".to_string(), "Height".to_string()];
    assert_eq!(closest("heigth", &columns), Some("Height"));
    assert_eq!(closest("anything", &[] as &[String]), None);
}

#[test]
fn among_equally_close_candidates_the_first_is_offered() {
    assert_eq!(closest("ab", &["ab", "AB"]), Some("ab"));
    assert_eq!(closest("ab", &["AB", "ab"]), Some("AB"));
}

#[test]
fn tables_pad_by_characters_and_align_numbers_right() {
    let mut table = Table::new(&["name", "Δ loss"])
        .left_then_right(1)
        .indent("  ");
    table.row(["température", "0.5"]);
    table.row(["x", "12.25"]);
    assert_eq!(
        table.render(),
        "  name         Δ loss\n  température     0.5\n  x             12.25\n"
    );
}

#[test]
fn table_cells_are_escaped_and_short_rows_filled() {
    let mut table = Table::new(&["a", "b", "c"]).align(2, Align::Right);
    table.row(["line\nbreak"]);
    assert_eq!(table.render(), "a            b  c\nline\\nbreak\n");
    assert!(!table.is_empty());
}

#[test]
fn durations_read_in_the_unit_that_suits_them() {
    let cases: [(f64, &str); 6] = [
        (0.040_758, "0.041 s"),
        (2.0, "2 s"),
        (12.34, "12.3 s"),
        (125.0, "2 min 05 s"),
        (3720.0, "1 h 02 min"),
        (f64::NAN, "—"),
    ];
    for (s, shown) in cases {
        assert_eq!(seconds(s), shown);
    }
}

#[test]
fn sizes_use_powers_of_a_thousand() {
    for (n, shown) in [
        (845, "845 bytes"),
        (612_400, "612.4 KB"),
        (2_310_000, "2.31 MB"),
    ] {
        assert_eq!(bytes(n), shown);
    }
}
