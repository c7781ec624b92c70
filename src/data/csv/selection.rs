//! Selection: which columns are the inputs (features) and which the
//! target, found by name in the header, with "did you mean" for a typo.

use crate::data::error::{DataError, quoted_list};

/// The index of column `name`, or an error listing the columns and the
/// closest name.
pub(super) fn find_column(
    origin: &str,
    header: &[String],
    name: &str,
    role: &str,
) -> Result<usize, DataError> {
    if let Some(index) = header.iter().position(|h| h == name) {
        return Ok(index);
    }
    let suggestion = crate::text::closest(name, header)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_else(|| ".".to_string());
    let key = if role == "the target" {
        "data.target"
    } else {
        "data.features"
    };
    Err(DataError::new(
        origin,
        format!(
            "there is no column `{name}` ({role}){suggestion} The columns are: {}",
            quoted_list(header)
        ),
    )
    .about(key))
}

pub(super) fn select_features(
    origin: &str,
    header: &[String],
    target_index: usize,
    features: Option<&[String]>,
) -> Result<Vec<usize>, DataError> {
    let target = header.get(target_index).map_or("", String::as_str);
    let indices: Vec<usize> = match features {
        None => (0..header.len()).filter(|&i| i != target_index).collect(),
        Some(names) => {
            let mut indices = Vec::with_capacity(names.len());
            for (position, name) in names.iter().enumerate() {
                if name == target {
                    return Err(DataError::new(
                        origin,
                        format!(
                            "`{name}` is the target, so it cannot also be a feature; remove it from `features`"
                        ),
                    ));
                }
                if names[..position].contains(name) {
                    return Err(DataError::new(
                        origin,
                        format!("`features` lists `{name}` twice"),
                    ));
                }
                indices.push(find_column(origin, header, name, "a feature")?);
            }
            indices
        }
    };
    if indices.is_empty() {
        return Err(DataError::new(
            origin,
            format!(
                "there are no feature columns: the network needs at least one input besides the target `{target}`"
            ),
        ));
    }
    Ok(indices)
}
