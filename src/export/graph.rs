//! The network of a model.json as ONNX nodes: normalization, then each
//! layer's Gemm and activation, then the output in the target's units.
//!
//! Every node is one that onnxruntime's CPU provider runs in float and in
//! double (Sub, Div, Mul, Add, Max, Gemm, Sigmoid, Tanh, Relu, Softmax), so
//! an f64 model is served in f64. LeakyRelu has no double kernel there, so
//! leaky_relu is written as Max(z, 0.01·z), which is the same function: for
//! z > 0 the larger is z, otherwise 0.01·z.

use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::{AttributeProto, GraphProto, NodeProto};

use super::tensor::{self, Element};
use crate::config::{Activation, Task};
use crate::nn::Float;
use crate::nn::activation::LEAKY_SLOPE;
use crate::results::model_file::{LayerFile, ModelFile};

/// The graph input: raw rows, one column per model.json input.
pub const INPUT: &str = "input";

/// The graph output's name for each task: what its numbers are.
pub fn output_name(task: Task) -> &'static str {
    match task {
        Task::Binary => "probability",
        Task::Multiclass => "probabilities",
        Task::Regression => "prediction",
    }
}

/// The graph of `model`, whose numbers are of type `element`. The model is
/// one whose shapes `predict`'s checks accepted.
pub fn graph<T: Float>(model: &ModelFile<T>, element: Element) -> GraphProto {
    let mut graph = Builder {
        element,
        graph: GraphProto::new(),
        value: INPUT.to_string(),
    };
    graph.graph.name = "synapse".to_string();
    let n = &model.normalization;
    // Skipped where they would change nothing (normalize = "none"), so the
    // graph shows only what happens to the numbers.
    if n.shift.iter().any(|&s| s != 0.0) {
        graph.apply("Sub", "normalization.shift", &[n.shift.len()], &n.shift);
    }
    if n.scale.iter().any(|&s| s != 1.0) {
        graph.apply("Div", "normalization.scale", &[n.scale.len()], &n.scale);
    }
    for (l, layer) in model.layers.iter().enumerate() {
        graph.layer(l, layer);
    }
    if let Some(target) = n.target {
        // As predict maps the output back: output × scale + shift.
        graph.apply("Mul", "target.scale", &[1], &[target.scale]);
        graph.apply("Add", "target.shift", &[1], &[target.shift]);
    }
    // The last node writes the graph's output under its own name.
    let output = output_name(model.task);
    if let Some(last) = graph.graph.node.last_mut() {
        last.output = vec![output.to_string()];
    }
    let units = model.layers.last().map_or(0, |l| l.units);
    graph.graph.input = vec![tensor::matrix(
        INPUT,
        element,
        model.inputs.len(),
        input_doc(model),
    )];
    graph.graph.output = vec![tensor::matrix(output, element, units, output_doc(model))];
    graph.graph
}

/// The graph input's description: the columns, in order, as raw values.
fn input_doc<T>(model: &ModelFile<T>) -> String {
    format!(
        "Raw (un-normalized) values, one row per example, columns in this order: {}. \
         A `column=category` input is 1 where the row's `column` is `category`, else 0.",
        model.inputs.join(", ")
    )
}

fn output_doc<T>(model: &ModelFile<T>) -> String {
    match model.task {
        Task::Binary => format!(
            "The probability of class `{}` (the other: `{}`).",
            model.classes.get(1).map_or("", String::as_str),
            model.classes.first().map_or("", String::as_str)
        ),
        Task::Multiclass => format!(
            "The probability of each class, in this order: {}.",
            model.classes.join(", ")
        ),
        Task::Regression => format!("`{}` in its own units.", model.target),
    }
}

/// A graph under construction, and the name of the value computed last.
struct Builder {
    element: Element,
    graph: GraphProto,
    value: String,
}

impl Builder {
    /// A constant tensor `name` in the graph's precision.
    fn constant(&mut self, name: &str, dims: &[usize], values: &[f64]) -> String {
        self.graph
            .initializer
            .push(tensor::constant(name, self.element, dims, values));
        name.to_string()
    }

    /// A node `op` of `inputs` and `attributes`, whose output becomes the
    /// current value under the name `output`.
    fn node(
        &mut self,
        op: &str,
        inputs: Vec<String>,
        output: &str,
        attributes: Vec<AttributeProto>,
    ) {
        let mut node = NodeProto::new();
        node.op_type = op.to_string();
        node.name = output.to_string();
        node.input = inputs;
        node.output = vec![output.to_string()];
        node.attribute = attributes;
        self.graph.node.push(node);
        self.value = output.to_string();
    }

    /// `op(current value, constant)`, element-wise with broadcasting.
    fn apply(&mut self, op: &str, name: &str, dims: &[usize], values: &[f64]) {
        let constant = self.constant(name, dims, values);
        let input = self.value.clone();
        self.node(
            op,
            vec![input, constant],
            &format!("{name}.out"),
            Vec::new(),
        );
    }

    /// z = a·Wᵀ + b, then the activation. model.json's weights are `units`
    /// rows of one column per input, which Gemm takes as B with transB = 1.
    fn layer<T: Float>(&mut self, l: usize, layer: &LayerFile<T>) {
        let fan_in = layer.weights.first().map_or(0, Vec::len);
        let weights: Vec<f64> = layer
            .weights
            .iter()
            .flat_map(|row| row.iter().map(|w| w.as_f64()))
            .collect();
        let biases: Vec<f64> = layer.biases.iter().map(|b| b.as_f64()).collect();
        let w = self.constant(
            &format!("layers.{l}.weights"),
            &[layer.units, fan_in],
            &weights,
        );
        let b = self.constant(&format!("layers.{l}.biases"), &[layer.units], &biases);
        let a = self.value.clone();
        let z = format!("layers.{l}.z");
        self.node("Gemm", vec![a, w, b], &z, vec![int("transB", 1)]);
        let out = format!("layers.{l}.a");
        match layer.activation {
            Activation::Identity => {}
            Activation::Sigmoid => self.node("Sigmoid", vec![z], &out, Vec::new()),
            Activation::Tanh => self.node("Tanh", vec![z], &out, Vec::new()),
            Activation::Relu => self.node("Relu", vec![z], &out, Vec::new()),
            Activation::LeakyRelu => {
                let slope = self.constant(&format!("layers.{l}.slope"), &[], &[LEAKY_SLOPE]);
                let scaled = format!("layers.{l}.slope_z");
                self.node("Mul", vec![z.clone(), slope], &scaled, Vec::new());
                self.node("Max", vec![z, scaled], &out, Vec::new());
            }
            // Over each row's units: one example's classes.
            Activation::Softmax => self.node("Softmax", vec![z], &out, vec![int("axis", 1)]),
        }
    }
}

/// An integer attribute.
fn int(name: &str, value: i64) -> AttributeProto {
    let mut attribute = AttributeProto::new();
    attribute.name = name.to_string();
    attribute.type_ = AttributeType::INT.into();
    attribute.i = value;
    attribute
}
