//! Column typing: each used column holds one kind of cell (numbers,
//! TRUE/FALSE or text categories), set by its first kept row; a cell of
//! another kind is an error naming both. Features are laid out as numbers
//! row by row (text categories interned), the target kept as its values.

use std::collections::HashMap;

use crate::data::cell::{self, Cell, Kind};
use crate::data::table::{Column, Feature, Values};

/// Lays out the feature cells of the kept rows row by row (see
/// `Table::cells`), holding each column to the kind of its first cell.
pub(super) struct FeatureCells {
    names: Vec<String>,
    /// Each column's kind, set by the first kept row.
    kinds: Vec<Kind>,
    first_row: usize,
    /// Per column, the index of each distinct text (text columns only).
    texts: Vec<HashMap<String, usize>>,
    cells: Vec<f64>,
}

impl FeatureCells {
    pub(super) fn new(names: &[String]) -> Self {
        FeatureCells {
            names: names.to_vec(),
            kinds: Vec::new(),
            first_row: 0,
            texts: vec![HashMap::new(); names.len()],
            cells: Vec::new(),
        }
    }

    pub(super) fn reserve(&mut self, rows: usize) {
        let _ = self
            .cells
            .try_reserve_exact(rows.saturating_mul(self.names.len()));
    }

    /// Appends one row, or says which column's cell does not fit and why.
    pub(super) fn push(&mut self, row_cells: &[Cell], row: usize) -> Result<(), (usize, String)> {
        if self.kinds.is_empty() {
            self.first_row = row;
            self.kinds = row_cells
                .iter()
                .map(|cell| cell.kind().unwrap_or(Kind::Number))
                .collect();
        }
        for (k, (&cell, &kind)) in row_cells.iter().zip(&self.kinds).enumerate() {
            let value = match (kind, cell) {
                (Kind::Number, Cell::Number(x)) => x,
                (Kind::Boolean, Cell::Boolean(b)) => f64::from(b),
                (Kind::Text, Cell::Text(t)) => {
                    let texts = &mut self.texts[k];
                    let next = texts.len();
                    let id = match texts.get(t) {
                        Some(&id) => id,
                        None => {
                            texts.insert(t.to_string(), next);
                            next
                        }
                    };
                    id as f64
                }
                (kind, cell) => return Err((k, mismatch(kind, cell, self.first_row))),
            };
            self.cells.push(value);
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> (Vec<Feature>, Vec<f64>) {
        self.cells.shrink_to_fit();
        let features = self
            .names
            .into_iter()
            .zip(self.kinds)
            .zip(self.texts)
            .map(|((name, kind), interned)| {
                let mut texts = vec![String::new(); interned.len()];
                for (text, id) in interned {
                    if let Some(slot) = texts.get_mut(id) {
                        *slot = text;
                    }
                }
                Feature { name, kind, texts }
            })
            .collect();
        (features, self.cells)
    }
}

/// Collects the target column's cells, holding it to the kind of its first cell.
pub(super) struct ColumnBuilder {
    name: String,
    pub(super) values: Option<Values>,
    first_row: usize,
    /// The rows to make room for at the first cell.
    pub(super) capacity: usize,
}

impl ColumnBuilder {
    pub(super) fn new(name: String) -> Self {
        ColumnBuilder {
            name,
            values: None,
            first_row: 0,
            capacity: 0,
        }
    }

    pub(super) fn push(&mut self, cell: Cell, row: usize) -> Result<(), String> {
        let Some(values) = &mut self.values else {
            self.first_row = row;
            let mut values = match cell {
                Cell::Number(_) => Values::Number(Vec::new()),
                Cell::Boolean(_) => Values::Boolean(Vec::new()),
                Cell::Text(_) => Values::Text(Vec::new()),
                Cell::Empty => return Ok(()),
            };
            let capacity = self.capacity.max(1);
            match &mut values {
                Values::Number(v) => {
                    let _ = v.try_reserve_exact(capacity);
                }
                Values::Boolean(v) => {
                    let _ = v.try_reserve_exact(capacity);
                }
                Values::Text(v) => {
                    let _ = v.try_reserve_exact(capacity);
                }
            }
            self.values = Some(values);
            return self.push(cell, row);
        };
        match (values, cell) {
            (_, Cell::Empty) => {}
            (Values::Number(values), Cell::Number(x)) => values.push(x),
            (Values::Boolean(values), Cell::Boolean(b)) => values.push(b),
            (Values::Text(values), Cell::Text(t)) => values.push(t.to_string()),
            (values, cell) => return Err(mismatch(kind_of(values), cell, self.first_row)),
        }
        Ok(())
    }

    pub(super) fn finish(self) -> Column {
        let mut values = self.values.unwrap_or(Values::Number(Vec::new()));
        match &mut values {
            Values::Number(v) => v.shrink_to_fit(),
            Values::Boolean(v) => v.shrink_to_fit(),
            Values::Text(v) => v.shrink_to_fit(),
        }
        Column {
            name: self.name,
            // Only reached with at least one kept row, whose cells are all set.
            values,
        }
    }
}

fn kind_of(values: &Values) -> Kind {
    match values {
        Values::Number(_) => Kind::Number,
        Values::Boolean(_) => Kind::Boolean,
        Values::Text(_) => Kind::Text,
    }
}

/// Why `cell` does not fit a column of `column_kind`, whose first cell is in `first_row`.
fn mismatch(column_kind: Kind, cell: Cell, first_row: usize) -> String {
    let shown = match cell {
        Cell::Number(x) => x.to_string(),
        Cell::Boolean(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Text(t) => super::cell::shown(t),
        Cell::Empty => String::new(),
    };
    let what = match (column_kind, cell.kind()) {
        (Kind::Number, _) => format!("`{shown}` is not a number"),
        (Kind::Boolean, _) => format!("`{shown}` is not TRUE or FALSE"),
        (Kind::Text, Some(Kind::Number)) => format!("`{shown}` is a number"),
        (Kind::Text, _) => format!("`{shown}` is TRUE/FALSE"),
    };
    let hint = match cell {
        Cell::Text(t) if cell::looks_like_missing_marker(t) => {
            "; leave the cell empty for a missing value"
        }
        _ => "; a column holds numbers, TRUE/FALSE or text categories, not a mix",
    };
    format!(
        "{what}, but earlier rows of this column are {} (from row {first_row}){hint}",
        cell::plural(column_kind),
    )
}
