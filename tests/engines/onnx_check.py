"""Checks an ONNX file written by `synapse export` against `synapse predict`.

usage: onnx_check.py MODEL.json FILE.onnx ROWS.csv PREDICTED.csv TOLERANCE

ROWS.csv holds raw rows with the columns the model was trained on;
PREDICTED.csv is `synapse predict RUN ROWS.csv`'s output for them. The rows
are encoded as the README tells a caller to (one input per model.json input,
in order; `column=category` is 1 where the cell is that category, else 0;
TRUE/FALSE are 1/0), fed to onnxruntime's CPU provider in the model's
precision, and each output compared with predict's:
|a - b| <= TOLERANCE * (1 + |b|).

Prints one JSON line (rows, largest difference, the ONNX file's size, the
precision); exits 1 when a difference is over the
tolerance, 2 on bad arguments. Needs onnxruntime and numpy.
"""

import csv
import json
import os
import sys

import numpy as np
import onnxruntime


def encode(model, header, rows):
    """The input matrix of `rows` as model.json's inputs describe it."""
    column = {name: i for i, name in enumerate(header)}
    one_hot = {}
    for group in model["categories"]:
        for category in group["categories"]:
            one_hot[f"{group['column']}={category}"] = (group["column"], category)
    matrix = []
    for row in rows:
        values = []
        for name in model["inputs"]:
            if name in one_hot:
                source, category = one_hot[name]
                values.append(1.0 if row[column[source]].strip() == category else 0.0)
            else:
                cell = row[column[name]].strip()
                boolean = {"true": 1.0, "false": 0.0}.get(cell.lower())
                values.append(boolean if boolean is not None else float(cell))
        matrix.append(values)
    return matrix


def expected(model, header, rows):
    """predict's numbers: the probability columns, or the prediction."""
    column = {name: i for i, name in enumerate(header)}
    if model["task"] == "regression":
        names = ["prediction"]
    elif model["task"] == "binary":
        names = [f"probability_{model['classes'][1]}"]
    else:
        names = [f"probability_{c}" for c in model["classes"]]
    return np.array([[float(row[column[n]]) for n in names] for row in rows])


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    return lines[0], [line for line in lines[1:] if line]


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    model_path, onnx_path, rows_path, predicted_path, tolerance = argv[1:]
    tolerance = float(tolerance)
    with open(model_path, encoding="utf-8") as f:
        model = json.load(f)
    header, rows = read_csv(rows_path)
    predicted_header, predicted = read_csv(predicted_path)

    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    feed = session.get_inputs()[0]
    dtype = np.float64 if feed.type == "tensor(double)" else np.float32
    inputs = np.array(encode(model, header, rows), dtype=dtype)
    (outputs,) = session.run(None, {feed.name: inputs})
    want = expected(model, predicted_header, predicted)
    if outputs.shape != want.shape or outputs.dtype != dtype:
        print(f"output {outputs.shape} {outputs.dtype}, predict gave {want.shape}", file=sys.stderr)
        return 1
    got = outputs.astype(np.float64)
    difference = np.abs(got - want)
    allowed = tolerance * (1 + np.abs(want))
    report = {
        "rows": len(rows),
        "largest_difference": float(difference.max(initial=0.0)),
        "bytes": os.path.getsize(onnx_path),
        "precision": np.dtype(dtype).name,
    }
    print(json.dumps(report))
    over = np.argwhere(difference > allowed)
    if len(over):
        i, j = over[0]
        print(
            f"row {i + 1}, output {j}: onnxruntime {got[i, j]!r}, predict {want[i, j]!r}, "
            f"|difference| {difference[i, j]:.3g} > {tolerance:g} * (1 + |predict|); "
            f"{len(over)} outputs over",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
