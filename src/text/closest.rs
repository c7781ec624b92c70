//! "Did you mean …?": the one rule by which a misspelt key, column or value
//! is matched to what was allowed.

/// The least Jaro-Winkler similarity (0 to 1, of the lowercased words) at
/// which a candidate is offered. Jaro-Winkler favours a shared beginning,
/// as typos usually keep one (`learnin_rate`, `Heigth`); at 0.8, unrelated
/// words of a similar length stay below it (`epochs` and `seed`: 0.0).
pub const SIMILARITY: f64 = 0.8;

/// The candidate most like `word`, ignoring case, if any is at least
/// `SIMILARITY` alike; among equally alike candidates, the first.
pub fn closest<'c, S: AsRef<str>>(word: &str, candidates: &'c [S]) -> Option<&'c str> {
    let wanted = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let similarity = strsim::jaro_winkler(&wanted, &candidate.to_lowercase());
        // Strictly greater: among equals, the first candidate wins.
        if similarity >= SIMILARITY && best.is_none_or(|(b, _)| similarity > b) {
            best = Some((similarity, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}
