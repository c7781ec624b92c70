//! Where the time of a run goes, for `--timings`: each phase's wall time
//! (config, data, training, evaluation, each figure, files), measured on
//! every run and printed only when asked. Clocks differ from run to run,
//! so none of this enters a result file: a run with `--timings` writes the
//! same bytes as one without.
//!
//! A phase is a top-level row (its share is of the whole wall time, so the
//! shares of the rows add up to 100% with `other`, the time no phase
//! claimed); a part is an indented row under its phase (one figure of the
//! figures), its share also of the whole, so that a person compares any
//! two rows directly.

use std::time::{Duration, Instant};

use crate::text::{Table, number};

/// The phases of a run, in the order they ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    phases: Vec<Phase>,
}

#[derive(Debug, Clone, PartialEq)]
struct Phase {
    name: String,
    time: Duration,
    /// Indented under the phase: its pieces, by name.
    parts: Vec<(String, Duration)>,
}

/// The phase names a run reports, in order; each is present in every run's
/// table (at 0 where it did nothing), so that tables line up.
pub const CONFIG: &str = "config";
pub const DATA: &str = "data";
pub const TRAINING: &str = "training";
pub const EVALUATION: &str = "evaluation";
pub const FIGURES: &str = "figures";
pub const FILES: &str = "files";
/// The rows under the phases: what no phase claimed, and the wall time.
pub const OTHER: &str = "other";
pub const TOTAL: &str = "total";

impl Timings {
    /// The phases of a run, every one at 0.
    pub fn of_a_run() -> Timings {
        let mut timings = Timings::default();
        for name in [CONFIG, DATA, TRAINING, EVALUATION, FIGURES, FILES] {
            timings.add(name, Duration::ZERO);
        }
        timings
    }

    /// Adds `time` to the phase `name` (a new phase goes last).
    pub fn add(&mut self, name: &str, time: Duration) {
        match self.phases.iter_mut().find(|p| p.name == name) {
            Some(phase) => phase.time += time,
            None => self.phases.push(Phase {
                name: name.to_string(),
                time,
                parts: Vec::new(),
            }),
        }
    }

    /// Adds `time` to the part `part` of the phase `name`, and not to the
    /// phase: a phase whose parts ran at once measures its own wall time.
    pub fn add_part(&mut self, name: &str, part: &str, time: Duration) {
        self.add(name, Duration::ZERO);
        if let Some(phase) = self.phases.iter_mut().find(|p| p.name == name) {
            match phase.parts.iter_mut().find(|(n, _)| n == part) {
                Some((_, t)) => *t += time,
                None => phase.parts.push((part.to_string(), time)),
            }
        }
    }

    /// Adds `time` to the part `part` of the phase `name` and to the phase:
    /// a part run on its own, the others before or after it.
    pub fn add_serial_part(&mut self, name: &str, part: &str, time: Duration) {
        self.add(name, time);
        self.add_part(name, part, time);
    }

    /// Runs `f`, adding the time it took to the phase `name`.
    pub fn time<R>(&mut self, name: &str, f: impl FnOnce() -> R) -> R {
        let started = Instant::now();
        let result = f();
        self.add(name, started.elapsed());
        result
    }

    /// Adds every phase and part of `other` to this one's (a sweep's runs,
    /// summed).
    pub fn merge(&mut self, other: &Timings) {
        for phase in &other.phases {
            self.add(&phase.name, phase.time);
            for (part, time) in &phase.parts {
                self.add_part(&phase.name, part, *time);
            }
        }
    }

    /// The phases' time together.
    pub fn sum(&self) -> Duration {
        self.phases.iter().map(|p| p.time).sum()
    }

    /// The table `--timings` prints: phase, seconds, share of `total`;
    /// `other` is `total` less the phases (never below 0).
    pub fn table(&self, total: Duration) -> String {
        let mut table = Table::new(&["phase", "seconds", "share"]).left_then_right(1);
        let whole = total.as_secs_f64();
        let share = |time: Duration| {
            if whole > 0.0 {
                format!("{}%", number(100.0 * time.as_secs_f64() / whole))
            } else {
                "—".to_string()
            }
        };
        let mut row = |name: &str, time: Duration| {
            table.row([name.to_string(), number(time.as_secs_f64()), share(time)])
        };
        for phase in &self.phases {
            row(&phase.name, phase.time);
            for (part, time) in &phase.parts {
                row(&format!("  {part}"), *time);
            }
        }
        row(OTHER, total.saturating_sub(self.sum()));
        row(TOTAL, total);
        table.render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn phases_add_up_with_other_to_the_total() {
        let mut timings = Timings::of_a_run();
        timings.add(TRAINING, ms(60));
        timings.add(FIGURES, ms(20));
        timings.add_part(FIGURES, "cost", ms(12));
        timings.add_part(FIGURES, "network", ms(8));
        timings.add(FILES, ms(10));
        assert_eq!(timings.sum(), ms(90));
        let table = timings.table(ms(100));
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines,
            [
                "phase       seconds  share",
                "config            0     0%",
                "data              0     0%",
                "training       0.06    60%",
                "evaluation        0     0%",
                "figures        0.02    20%",
                "  cost        0.012    12%",
                "  network     0.008     8%",
                "files          0.01    10%",
                "other          0.01    10%",
                "total           0.1   100%",
            ]
        );
    }

    #[test]
    fn merged_runs_sum_phase_by_phase_and_part_by_part() {
        let mut one = Timings::of_a_run();
        one.add(DATA, ms(3));
        one.add_part(FIGURES, "cost", ms(5));
        let mut sum = Timings::default();
        sum.merge(&one);
        sum.merge(&one);
        let mut expected = Timings::of_a_run();
        expected.add(DATA, ms(6));
        expected.add_part(FIGURES, "cost", ms(10));
        assert_eq!(sum, expected);
        // Phases past the total leave no negative `other`.
        let table = sum.table(ms(1));
        let other: Vec<&str> = table
            .lines()
            .find(|l| l.starts_with("other"))
            .expect("an other row")
            .split_whitespace()
            .collect();
        assert_eq!(other, ["other", "0", "0%"], "{table}");
    }
}
