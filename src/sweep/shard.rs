//! `--shard K/N`: which runs of a sweep one of N machines runs.
//!
//! Run positions are dealt round-robin: shard K of N owns positions K,
//! K + N, K + 2N, ... (1-based), so every run is in exactly one shard and
//! each shard's runs spread over the whole sweep (a grid's slow corner is
//! not all on one machine). The command and its property test use this one
//! rule.

/// Shard `index` of `count`, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    /// Shard `index` of `count`; `None` unless 1 ≤ index ≤ count.
    pub fn new(index: usize, count: usize) -> Option<Shard> {
        (1..=count)
            .contains(&index)
            .then_some(Shard { index, count })
    }

    /// Parses the argument of `--shard`, "K/N".
    pub fn parse(text: &str) -> Result<Shard, String> {
        text.split_once('/')
            .and_then(|(k, n)| Shard::new(k.trim().parse().ok()?, n.trim().parse().ok()?))
            .ok_or_else(|| {
                // The argument's control characters are shown, not sent to
                // the terminal, as `--set`'s are.
                format!(
                    "--shard {}: expected K/N with 1 ≤ K ≤ N, for example --shard 2/4",
                    crate::text::printable(text)
                )
            })
    }

    /// Whether the run at `position` (1-based, in the sweep's order) is
    /// this shard's.
    pub fn owns(&self, position: usize) -> bool {
        position >= 1 && (position - 1) % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn shards_parse_from_k_slash_n() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse(" 1 / 1 "), Ok(Shard { index: 1, count: 1 }));
        for bad in [
            "0/4", "5/4", "x", "1/0", "0/0", "2", "/4", "2/", "-1/4", "1/4/5", "",
        ] {
            let error = Shard::parse(bad).expect_err(bad);
            assert!(
                error.starts_with(&format!("--shard {bad}: expected K/N")),
                "{error}"
            );
        }
    }

    #[test]
    fn a_control_character_in_the_argument_is_shown_escaped() {
        let error = Shard::parse("1\u{1b}[2J/2").expect_err("not K/N");
        assert!(
            error.starts_with("--shard 1\\u{1b}[2J/2: expected K/N"),
            "{error}"
        );
    }

    #[test]
    fn the_first_shard_owns_the_first_run_and_every_nth_after() {
        let shard = Shard::new(1, 3).expect("a shard");
        let owned: Vec<usize> = (1..=10).filter(|&p| shard.owns(p)).collect();
        assert_eq!(owned, [1, 4, 7, 10]);
        assert!(!shard.owns(0), "positions start at 1");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// For any N and run count, every run is in exactly one of the N
        /// shards, and only K in 1..=N parse.
        #[test]
        fn shards_partition_the_runs(runs in 1..=300usize, n in 1..=12usize) {
            let mut seen = vec![0usize; runs];
            for k in 1..=n {
                let shard = Shard::parse(&format!("{k}/{n}"));
                prop_assert_eq!(&shard, &Ok(Shard { index: k, count: n }));
                let Ok(shard) = shard else { continue };
                for position in (1..=runs).filter(|&p| shard.owns(p)) {
                    seen[position - 1] += 1;
                }
            }
            prop_assert!(seen.iter().all(|&count| count == 1), "{:?}", seen);
            let (zero, beyond) = (format!("0/{n}"), format!("{}/{n}", n + 1));
            prop_assert!(Shard::parse(&zero).is_err());
            prop_assert!(Shard::parse(&beyond).is_err());
        }
    }
}
