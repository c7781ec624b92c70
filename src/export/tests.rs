//! The ONNX file read back: its declared types and shapes, the operators it
//! uses, and its numbers, computed by a small interpreter of those
//! operators (onnxruntime itself runs in tests/integration/export.rs).

use std::collections::HashMap;

use onnx_protobuf::tensor_proto::DataType;
use onnx_protobuf::{GraphProto, Message, ModelProto, TensorProto, type_proto};

use super::*;
use crate::config::{Activation, Normalize, Task};
use crate::nn::activation::sigmoid;
use crate::nn::combinations::ALL as ACTIVATIONS;
use crate::results::model_file::{LayerFile, NormalizationFile, TargetNormalization};

/// Operators that onnxruntime's CPU provider runs in float and in double.
const BOTH_PRECISIONS: [&str; 10] = [
    "Sub", "Div", "Mul", "Add", "Max", "Gemm", "Sigmoid", "Tanh", "Relu", "Softmax",
];

/// Two raw inputs, normalized by (x − 1) / [2, 4]; a hidden layer of two
/// units with `hidden`; one output unit with `output`.
fn model<T: Float>(task: Task, hidden: Activation, output: Activation) -> ModelFile<T> {
    let units = if task == Task::Multiclass { 2 } else { 1 };
    let of = |values: &[f64]| values.iter().map(|&v| T::of(v)).collect::<Vec<T>>();
    ModelFile {
        format: crate::results::model_file::FORMAT.to_string(),
        task,
        inputs: vec!["a".into(), "b=x".into()],
        target: "y".into(),
        normalization: NormalizationFile {
            kind: Normalize::Standard,
            shift: vec![1.0, 1.0],
            scale: vec![2.0, 4.0],
            target: (task == Task::Regression).then_some(TargetNormalization {
                shift: 1.0,
                scale: 10.0,
            }),
        },
        categories: vec![],
        classes: match task {
            Task::Binary => vec!["no".into(), "yes".into()],
            Task::Multiclass => vec!["p".into(), "q".into()],
            Task::Regression => vec![],
        },
        layers: vec![
            LayerFile {
                units: 2,
                activation: hidden,
                weights: vec![of(&[1.0, -2.0]), of(&[0.5, 0.5])],
                biases: of(&[0.0, 0.0]),
            },
            LayerFile {
                units,
                activation: output,
                weights: (0..units).map(|u| of(&[2.0, 3.0 - u as f64])).collect(),
                biases: of(&vec![0.5; units]),
            },
        ],
    }
}

fn read_back<T: Float>(model: &ModelFile<T>) -> ModelProto {
    ModelProto::parse_from_bytes(&bytes(model)).expect("the bytes are an ONNX model")
}

fn graph(onnx: &ModelProto) -> &GraphProto {
    onnx.graph.as_ref().expect("a graph")
}

/// (element type, dimensions) of a graph input or output; `None` for N.
fn declared(info: &onnx_protobuf::ValueInfoProto) -> (i32, Vec<Option<i64>>) {
    let Some(type_proto::Value::TensorType(tensor)) = &info.type_.value else {
        panic!("{} is not a tensor", info.name);
    };
    let dims = tensor
        .shape
        .dim
        .iter()
        .map(|d| match &d.value {
            Some(onnx_protobuf::tensor_shape_proto::dimension::Value::DimValue(v)) => Some(*v),
            _ => None,
        })
        .collect();
    (tensor.elem_type, dims)
}

#[test]
fn the_file_declares_opset_17_and_the_models_precision_throughout() {
    let f32_model = read_back(&model::<f32>(
        Task::Binary,
        Activation::Tanh,
        Activation::Sigmoid,
    ));
    let f64_model = read_back(&model::<f64>(
        Task::Binary,
        Activation::Tanh,
        Activation::Sigmoid,
    ));
    for (onnx, element) in [(f32_model, DataType::FLOAT), (f64_model, DataType::DOUBLE)] {
        assert_eq!(onnx.opset_import.len(), 1);
        assert_eq!(
            (
                onnx.opset_import[0].domain.as_str(),
                onnx.opset_import[0].version
            ),
            ("", 17)
        );
        assert_eq!(onnx.ir_version, 8);
        let graph = graph(&onnx);
        assert_eq!(graph.input.len(), 1);
        assert_eq!(graph.input[0].name, "input");
        assert_eq!(
            declared(&graph.input[0]),
            (element as i32, vec![None, Some(2)])
        );
        assert_eq!(graph.output[0].name, "probability");
        assert_eq!(
            declared(&graph.output[0]),
            (element as i32, vec![None, Some(1)])
        );
        for tensor in &graph.initializer {
            assert_eq!(tensor.data_type, element as i32, "{}", tensor.name);
        }
        let inputs = onnx
            .metadata_props
            .iter()
            .find(|p| p.key == "synapse.inputs")
            .expect("the inputs");
        assert_eq!(inputs.value, r#"["a","b=x"]"#);
    }
}

#[test]
fn every_activation_uses_only_operators_that_run_in_float_and_double() {
    for activation in ACTIVATIONS {
        let (hidden, output) = match activation {
            // Softmax is for the output layer only.
            Activation::Softmax => (Activation::Relu, Activation::Softmax),
            other => (other, Activation::Identity),
        };
        let onnx = read_back(&model::<f64>(Task::Multiclass, hidden, output));
        let ops: Vec<&str> = graph(&onnx)
            .node
            .iter()
            .map(|n| n.op_type.as_str())
            .collect();
        for op in &ops {
            assert!(
                BOTH_PRECISIONS.contains(op),
                "{activation:?}: {op} in {ops:?}"
            );
        }
        let expected: &[&str] = match activation {
            Activation::Identity => &["Sub", "Div", "Gemm", "Gemm"],
            Activation::LeakyRelu => &["Sub", "Div", "Gemm", "Mul", "Max", "Gemm"],
            Activation::Softmax => &["Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"],
            Activation::Sigmoid => &["Sub", "Div", "Gemm", "Sigmoid", "Gemm"],
            Activation::Tanh => &["Sub", "Div", "Gemm", "Tanh", "Gemm"],
            Activation::Relu => &["Sub", "Div", "Gemm", "Relu", "Gemm"],
        };
        assert_eq!(ops, expected, "{activation:?}");
    }
}

#[test]
fn without_normalization_the_graph_starts_at_the_first_layer() {
    let mut model = model::<f64>(Task::Binary, Activation::Relu, Activation::Sigmoid);
    model.normalization.kind = Normalize::None;
    model.normalization.shift = vec![0.0, 0.0];
    model.normalization.scale = vec![1.0, 1.0];
    let onnx = read_back(&model);
    let first = &graph(&onnx).node[0];
    assert_eq!(
        (first.op_type.as_str(), first.input[0].as_str()),
        ("Gemm", "input")
    );
}

/// The numbers of a tensor, as f64.
fn values(tensor: &TensorProto) -> Vec<f64> {
    if tensor.data_type == DataType::FLOAT as i32 {
        tensor.float_data.iter().map(|&v| f64::from(v)).collect()
    } else {
        tensor.double_data.clone()
    }
}

/// One row through the graph, by the meaning ONNX gives each operator (for
/// the shapes this graph has: a row, a vector constant or a scalar).
fn evaluate(graph: &GraphProto, row: &[f64]) -> Vec<f64> {
    let mut env: HashMap<String, (Vec<i64>, Vec<f64>)> = graph
        .initializer
        .iter()
        .map(|t| (t.name.clone(), (t.dims.clone(), values(t))))
        .collect();
    env.insert("input".into(), (vec![row.len() as i64], row.to_vec()));
    for node in &graph.node {
        let arg = |i: usize| env[&node.input[i]].1.clone();
        let x = arg(0);
        let each = |f: &dyn Fn(f64, f64) -> f64| -> Vec<f64> {
            let c = arg(1);
            (0..x.len()).map(|i| f(x[i], c[i % c.len()])).collect()
        };
        let out = match node.op_type.as_str() {
            "Sub" => each(&|a, b| a - b),
            "Div" => each(&|a, b| a / b),
            "Mul" => each(&|a, b| a * b),
            "Add" => each(&|a, b| a + b),
            "Max" => each(&|a, b| a.max(b)),
            "Sigmoid" => x.iter().map(|&z| sigmoid(z)).collect(),
            "Tanh" => x.iter().map(|&z| crate::math::tanh(z)).collect(),
            "Relu" => x.iter().map(|&z| z.max(0.0)).collect(),
            "Softmax" => {
                let e: Vec<f64> = x.iter().map(|&z| crate::math::exp(z)).collect();
                let sum: f64 = e.iter().sum();
                e.iter().map(|v| v / sum).collect()
            }
            "Gemm" => {
                assert_eq!(node.attribute[0].name, "transB");
                assert_eq!(node.attribute[0].i, 1);
                let (dims, w) = &env[&node.input[1]];
                let b = arg(2);
                let (units, fan_in) = (dims[0] as usize, dims[1] as usize);
                (0..units)
                    .map(|u| b[u] + (0..fan_in).map(|i| w[u * fan_in + i] * x[i]).sum::<f64>())
                    .collect()
            }
            op => panic!("{op} is not one the export writes"),
        };
        env.insert(node.output[0].clone(), (vec![out.len() as i64], out));
    }
    env.remove(&graph.output[0].name)
        .expect("the output is computed")
        .1
}

#[test]
fn the_graph_computes_normalization_layers_and_the_target_in_its_units() {
    // (3, 5) normalizes to (1, 1); the hidden z = (−1, 1).
    let row = [3.0, 5.0];
    let cases: Vec<(Task, Activation, Activation, Vec<f64>)> = vec![
        // leaky_relu(−1, 1) = (−0.01, 1); 2·−0.01 + 3·1 + 0.5 = 3.48; × 10 + 1.
        (
            Task::Regression,
            Activation::LeakyRelu,
            Activation::Identity,
            vec![35.8],
        ),
        // relu: (0, 1) → 3.5, then the sigmoid.
        (
            Task::Binary,
            Activation::Relu,
            Activation::Sigmoid,
            vec![sigmoid(3.5)],
        ),
        // identity: (−1, 1) → 2·−1 + 3 + 0.5 = 1.5 and 2·−1 + 2 + 0.5 = 0.5.
        (
            Task::Multiclass,
            Activation::Identity,
            Activation::Softmax,
            {
                let (p, q) = (crate::math::exp(1.5), crate::math::exp(0.5));
                vec![p / (p + q), q / (p + q)]
            },
        ),
    ];
    for (task, hidden, output, expected) in cases {
        let onnx = read_back(&model::<f64>(task, hidden, output));
        let got = evaluate(graph(&onnx), &row);
        assert_eq!(got.len(), expected.len(), "{task:?}");
        for (g, e) in got.iter().zip(&expected) {
            assert!(
                (g - e).abs() <= 1e-12 * (1.0 + e.abs()),
                "{task:?}: {got:?} vs {expected:?}"
            );
        }
        assert_eq!(graph(&onnx).output[0].name, output_name(task));
    }
}
