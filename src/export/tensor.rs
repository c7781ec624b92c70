//! The typed pieces of an ONNX graph: constant tensors and the declared type
//! of a graph input or output, in the model's own precision.
//!
//! An f32 model becomes a float graph and an f64 model a double graph, so
//! that a served model computes in the precision it was trained and
//! evaluated in, as `predict` does.

use std::any::TypeId;

use onnx_protobuf::tensor_proto::DataType;
use onnx_protobuf::tensor_shape_proto::{Dimension, dimension};
use onnx_protobuf::{TensorProto, TensorShapeProto, TypeProto, ValueInfoProto, type_proto};

use crate::nn::Float;
use protobuf::MessageField;

/// The element type of every tensor of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    Float,
    Double,
}

impl Element {
    /// The element type of a model whose numbers are `T`.
    pub fn of<T: Float>() -> Element {
        if TypeId::of::<T>() == TypeId::of::<f32>() {
            Element::Float
        } else {
            Element::Double
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Element::Float => DataType::FLOAT,
            Element::Double => DataType::DOUBLE,
        }
    }

    /// The name onnxruntime and numpy give it.
    pub fn name(self) -> &'static str {
        match self {
            Element::Float => "float32",
            Element::Double => "float64",
        }
    }
}

/// A constant tensor `name` of shape `dims` holding `values` (row-major).
/// An f32 model's numbers are f32 values held in f64, so the cast back is
/// exact; model.json's normalization statistics (f64 in every run) are
/// rounded to f32 as the float graph computes with them.
pub fn constant(name: &str, element: Element, dims: &[usize], values: &[f64]) -> TensorProto {
    let mut tensor = TensorProto::new();
    tensor.name = name.to_string();
    tensor.dims = dims.iter().map(|&d| dimension_value(d)).collect();
    tensor.data_type = element.data_type() as i32;
    match element {
        // The cast rounds to nearest: an f32 weight held in f64 comes back
        // as itself.
        Element::Float => tensor.float_data = values.iter().map(|&v| v as f32).collect(),
        Element::Double => tensor.double_data = values.to_vec(),
    }
    tensor
}

/// A graph input or output `name`: a matrix of `columns` columns and any
/// number of rows (one per example), described by `doc` for a reader of
/// the file (Netron shows it).
pub fn matrix(name: &str, element: Element, columns: usize, doc: String) -> ValueInfoProto {
    let rows = Dimension {
        value: Some(dimension::Value::DimParam("N".to_string())),
        ..Dimension::default()
    };
    let columns = Dimension {
        value: Some(dimension::Value::DimValue(dimension_value(columns))),
        ..Dimension::default()
    };
    let mut shape = TensorShapeProto::new();
    shape.dim = vec![rows, columns];
    let mut tensor = type_proto::Tensor::new();
    tensor.elem_type = element.data_type() as i32;
    tensor.shape = MessageField::some(shape);
    let mut value_type = TypeProto::new();
    value_type.value = Some(type_proto::Value::TensorType(tensor));
    let mut info = ValueInfoProto::new();
    info.name = name.to_string();
    info.type_ = MessageField::some(value_type);
    info.doc_string = doc;
    info
}

/// A size as ONNX stores it. A model's sizes come from vectors in memory,
/// far below i64's range.
fn dimension_value(size: usize) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}
