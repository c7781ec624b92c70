//! Which of the network's inputs are numbers, as opposed to the one-hot
//! inputs (`column=category`) of a text column: a number has an axis to
//! draw along and a median to hold still; a category has neither.

use super::PreparedData;

/// The indices, in input order, of the inputs that are not one-hot
/// encodings of a text column.
pub fn numeric_inputs(data: &PreparedData) -> Vec<usize> {
    let one_hot: Vec<String> = data
        .categories
        .iter()
        .flat_map(|feature| {
            feature
                .categories
                .iter()
                .map(move |category| format!("{}={category}", feature.column))
        })
        .collect();
    (0..data.inputs.len())
        .filter(|&i| !one_hot.contains(&data.inputs[i]))
        .collect()
}
