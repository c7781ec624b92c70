//! How a run ended: the one list of statuses that training returns and
//! summary.json and a sweep's summary.csv hold, read by compare and the
//! report. Anything else in those files was not written by
//! synapse and is refused, so an edited status can neither be mistaken for
//! a result nor reach a terminal.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Completed,
    EarlyStopped,
    Diverged,
    Interrupted,
    /// A sweep run that could not run to its end (an I/O error).
    Failed,
    /// A sweep run not run yet (another shard's, or after --fail-fast).
    Pending,
    /// A sweep run whose values were rejected: written by 0.2.0 sweeps, and
    /// still read.
    Invalid,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Completed,
        Status::EarlyStopped,
        Status::Diverged,
        Status::Interrupted,
        Status::Failed,
        Status::Pending,
        Status::Invalid,
    ];

    /// The word serde writes (a test holds the two together).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::EarlyStopped => "early_stopped",
            Status::Diverged => "diverged",
            Status::Interrupted => "interrupted",
            Status::Failed => "failed",
            Status::Pending => "pending",
            Status::Invalid => "invalid",
        }
    }

    /// The status spelled `text`, or a message listing the ones there are.
    /// Read through serde, so the words are those summary.json holds.
    pub fn parse(text: &str) -> Result<Status, String> {
        use serde::de::IntoDeserializer;
        let read: Result<Status, serde::de::value::Error> =
            Status::deserialize(text.into_deserializer());
        read.map_err(|_| {
            format!(
                "unknown status `{}`; a status is one of {}",
                crate::text::printable(text),
                Status::ALL.map(Status::as_str).join(", ")
            )
        })
    }

    /// Whether training ended this way, so that a run directory with a
    /// summary.json holds it; failed, pending and invalid are sweep rows'.
    pub fn is_training_end(self) -> bool {
        matches!(
            self,
            Status::Completed | Status::EarlyStopped | Status::Diverged | Status::Interrupted
        )
    }

    /// Whether the run trained to an end worth comparing: diverged or
    /// interrupted runs would drag a point's mean.
    pub fn succeeded(self) -> bool {
        matches!(self, Status::Completed | Status::EarlyStopped)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_as_written_in_text_and_in_json() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Ok(status));
            let json = serde_json::to_string(&status).expect("serializes");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            let back: Status = serde_json::from_str(&json).expect("parses");
            assert_eq!(back, status);
        }
    }

    #[test]
    fn an_unknown_status_is_refused_listing_the_known_ones_with_control_characters_escaped() {
        for text in ["", "Completed", "done", "completed ", "\u{1b}[2J"] {
            let message = Status::parse(text).expect_err(text);
            assert!(
                message.contains(
                    "completed, early_stopped, diverged, interrupted, failed, pending, invalid"
                ),
                "{message}"
            );
            assert!(!message.contains('\u{1b}'), "{message:?}");
        }
        assert!(serde_json::from_str::<Status>("\"done\"").is_err());
    }

    #[test]
    fn only_training_ends_have_a_run_directory_and_only_two_succeed() {
        let ends: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.is_training_end())
            .collect();
        assert_eq!(
            ends,
            [
                Status::Completed,
                Status::EarlyStopped,
                Status::Diverged,
                Status::Interrupted
            ]
        );
        let succeeded: Vec<Status> = Status::ALL.into_iter().filter(|s| s.succeeded()).collect();
        assert_eq!(succeeded, [Status::Completed, Status::EarlyStopped]);
    }
}
