//! A trained network as one ONNX file, for the serving stacks that read
//! ONNX (onnxruntime, Netron, …) rather than synapse.
//!
//! The file holds the whole path from raw numbers to the answer, as
//! `predict` computes it: normalization (Sub, Div), each layer (Gemm and its
//! activation), and for regression the target's de-normalization (Mul, Add),
//! so that its output is what predict prints: the probability of the
//! positive class (binary), of each class (multiclass), or the value in the
//! target's own units. Categories are not in the graph: ONNX's text
//! operators are not in every runtime, so the caller one-hot encodes them as
//! model.json lists them (see the graph input's description).
//!
//! Messages are onnx-protobuf's, generated from onnx.proto, so no protoc
//! is needed to build synapse and no encoding is written by hand.

mod graph;
mod tensor;

#[cfg(test)]
mod tests;

use onnx_protobuf::{Message, ModelProto, OperatorSetIdProto, StringStringEntryProto};

pub use graph::{INPUT, output_name};
pub use tensor::Element;

use crate::nn::Float;
use crate::results::model_file::ModelFile;

/// The ONNX operator set the graph is written for; every operator used
/// means the same from 13 on (Softmax over one axis).
pub const OPSET: i64 = 17;
/// The file format version of opset 17 (ONNX 1.12).
const IR_VERSION: i64 = 8;

/// The ONNX model of `model`, in the precision of its numbers.
pub fn model<T: Float>(model: &ModelFile<T>) -> ModelProto {
    let element = Element::of::<T>();
    let mut onnx = ModelProto::new();
    onnx.ir_version = IR_VERSION;
    let mut opset = OperatorSetIdProto::new();
    opset.version = OPSET;
    onnx.opset_import = vec![opset];
    onnx.producer_name = "synapse".to_string();
    onnx.producer_version = env!("CARGO_PKG_VERSION").to_string();
    onnx.doc_string = format!(
        "A {} network trained by synapse, predicting `{}`.",
        task_name(model),
        model.target
    );
    // What a program using the file needs to know, readable without
    // parsing the descriptions: JSON lists, as model.json has them.
    let json = |list: &[String]| serde_json::Value::from(list.to_vec()).to_string();
    onnx.metadata_props = [
        ("synapse.task", task_name(model).to_string()),
        ("synapse.inputs", json(&model.inputs)),
        ("synapse.target", model.target.clone()),
        ("synapse.classes", json(&model.classes)),
        ("synapse.precision", element.name().to_string()),
    ]
    .into_iter()
    .map(|(key, value)| {
        let mut entry = StringStringEntryProto::new();
        entry.key = key.to_string();
        entry.value = value;
        entry
    })
    .collect();
    onnx.graph = protobuf::MessageField::some(graph::graph(model, element));
    onnx
}

/// The bytes of the ONNX file of `model`.
pub fn bytes<T: Float>(model: &ModelFile<T>) -> Vec<u8> {
    // Every field is set from plain values, and writing to memory does not
    // fail.
    self::model(model)
        .write_to_bytes()
        .expect("an ONNX model serializes to memory")
}

fn task_name<T>(model: &ModelFile<T>) -> &'static str {
    match model.task {
        crate::config::Task::Binary => "binary",
        crate::config::Task::Multiclass => "multiclass",
        crate::config::Task::Regression => "regression",
    }
}
