//! Tables of cases: each line a value and how a person must read it.

use super::*;

#[test]
fn numbers_have_four_significant_digits_and_an_exponent_outside_1e_minus_3_to_1e5() {
    let cases: [(f64, &str); 16] = [
        (0.0, "0"),
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
    assert_eq!(mean_std(0.855_31, Some(0.012_04), 3), "0.8553 ± 0.01204");
    assert_eq!(mean_std(25.0, Some(0.0), 3), "25 ± 0");
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
