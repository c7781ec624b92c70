//! Matrix products on column-major slices, without allocation.
//!
//! nalgebra's own products take a slow path for transposed operands and for
//! any dimension of 5 or less (the 1-unit output layer, 3-input heart data),
//! and its small-shape path misreads strided views (dimforge/nalgebra#1616).
//! So the network calls this instead, on nalgebra's storage: the products
//! of one example (`matvec`, `matvec_transposed`, `outer`) and small
//! products of a batch run plain loops, larger ones the `gemm` crate's
//! kernel (see `kernel`).
//!
//! Threads never change a result. The kernel computes each output element
//! as one chain of fused multiply-adds over the inner dimension, in order,
//! whichever tile of the output the element falls in (edge tiles included),
//! as long as the inner dimension is not cut (`KERNEL_WHOLE_DEPTH`) and a
//! block is not a single row or column (its matrix-vector paths add
//! otherwise). So with `--threads` above 1 a large product is cut into
//! blocks of output rows or columns (`Cut`),
//! each at least `MIN_BLOCK` wide and computed by one thread, and the bits
//! are those of the whole product on one thread (tested for both cuts, both
//! precisions and both ways of storing, in `matmul_tests.rs`).

use std::cell::Cell;

use crate::nn::float::Float;
use crate::nn::team::{self, SharedColumns};

/// Still reachable here, where the products that use the threads are.
pub use crate::nn::team::set_threads;

/// A matrix view: `rows × cols`, element (i, j) at `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
pub struct Operand<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    rs: usize,
    cs: usize,
}

impl<'a, T> Operand<'a, T> {
    /// A column-major matrix stored in `data`.
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
        assert!(
            data.len() >= rows * cols,
            "{} values cannot hold a {rows}×{cols} matrix",
            data.len()
        );
        Operand {
            data,
            rows,
            cols,
            rs: 1,
            cs: rows,
        }
    }

    /// The transpose, without copying.
    pub fn t(self) -> Self {
        Operand {
            rows: self.cols,
            cols: self.rows,
            rs: self.cs,
            cs: self.rs,
            ..self
        }
    }

    /// Columns `from..from + count`, without copying.
    fn columns(self, from: usize, count: usize) -> Self {
        let offset = (from * self.cs).min(self.data.len());
        Operand {
            data: &self.data[offset..],
            cols: count,
            ..self
        }
    }

    /// Rows `from..from + count`, without copying.
    fn rows(self, from: usize, count: usize) -> Self {
        self.t().columns(from, count).t()
    }

    fn at(&self, i: usize, j: usize) -> T
    where
        T: Copy,
    {
        self.data[i * self.rs + j * self.cs]
    }

    /// Whether the view's last element lies inside `data`.
    fn fits(&self) -> bool {
        self.rows == 0
            || self.cols == 0
            || (self.rows - 1) * self.rs + (self.cols - 1) * self.cs < self.data.len()
    }
}

/// The kernel sums a product of up to this depth (the inner dimension) in
/// one piece. A deeper one it would cut into pieces whose size depends on
/// the processor's caches (gemm-common's `kernel_params`, never under 512),
/// so `kernel_gemm` cuts it first, into pieces of this depth added in
/// order: the same sums, to the bit, on every machine.
const KERNEL_WHOLE_DEPTH: usize = 512;

/// Below this many multiply-adds the kernel's packing costs more than it saves.
const SMALL_PRODUCT: usize = 4096;
/// From this many multiply-adds a product is shared between threads: half
/// of it is then some hundreds of nanoseconds of work, more than handing it
/// over costs.
const SHARED_PRODUCT: usize = 1 << 15;
/// The narrowest block a thread is given: a multiple of the kernel's tile
/// heights and widths, and never the single row or column that the kernel
/// would add up another way.
const MIN_BLOCK: usize = 16;

thread_local! {
    /// Whether this thread is inside the `gemm` kernel, which allocates its
    /// packing buffers on each call (see `inside_kernel`).
    static IN_KERNEL: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside the matrix kernel. The kernel of the
/// `gemm` crate allocates scratch space for packing on every call; the
/// allocation test uses this to tell those from allocations of synapse's own.
pub fn inside_kernel() -> bool {
    IN_KERNEL.with(Cell::get)
}

/// How an m×n product of depth k is shared between `threads` threads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cut {
    /// One thread computes it all.
    Whole,
    /// `blocks` blocks of `width` output columns, the last one with the
    /// columns left over (as wide or wider).
    Columns { width: usize, blocks: usize },
    /// `blocks` blocks of `height` output rows, likewise.
    Rows { height: usize, blocks: usize },
}

impl Cut {
    /// Columns first for a product whose output goes on to work of its own
    /// (`then`): each thread keeps its examples, from the product through
    /// the activation to the next layer's product (cut the same way), and
    /// never reads what the other core just wrote. Rows first otherwise (the
    /// weight gradients): each thread then packs only its own rows of A for
    /// the kernel, where cut by columns every thread packed all of A (the W3
    /// epoch at 2 threads took 0.300 s cut by columns, 0.291 s by rows,
    /// 0.286 s so, measured). Whole when the product is small or too narrow
    /// both ways.
    pub fn of(m: usize, n: usize, k: usize, threads: usize, columns_first: bool) -> Cut {
        if threads < 2 || m * n * k < SHARED_PRODUCT || k > KERNEL_WHOLE_DEPTH {
            return Cut::Whole;
        }
        let split = |length| team::split(length, MIN_BLOCK, threads);
        let (by_columns, by_rows) = (n >= 2 * MIN_BLOCK, m >= 2 * MIN_BLOCK);
        if by_columns && (columns_first || !by_rows) {
            let (width, blocks) = split(n);
            Cut::Columns { width, blocks }
        } else if by_rows {
            let (height, blocks) = split(m);
            Cut::Rows { height, blocks }
        } else {
            Cut::Whole
        }
    }
}

/// What a product does with each sum s of its output element c.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Store<T> {
    /// c ← s.
    Set,
    /// c ← c + factor·s, rounded once (a fused multiply-add): a gradient
    /// descent step (factor −rate) straight from the product, without the
    /// gradient stored in between.
    AddScaled(T),
}

impl<T: Float> Store<T> {
    #[inline(always)]
    fn put(self, c: &mut T, sum: T) {
        match self {
            Store::Set => *c = sum,
            Store::AddScaled(factor) => *c = factor.mul_add(sum, *c),
        }
    }
}

/// C (m×n, column-major in `c`) ← A·B.
pub fn gemm<T: Float>(a: Operand<'_, T>, b: Operand<'_, T>, c: &mut [T], m: usize, n: usize) {
    gemm_store(a, b, c, m, n, Store::Set);
}

/// Whether `gemm_store` with `Store::AddScaled(factor)`, over an m×n
/// product of depth k with a column-major A, gives to the bit the product
/// `gemm` gives with c + factor·(that product) rounded once. True of the plain loops of small products, and of the
/// kernel's general path: its running sums, then one multiply-add per
/// element. Not of the paths it takes for thin shapes, a single row or
/// column (its matrix-vector products) or a depth of 1 or 2, which add as
/// they go; nor of a product deeper than `KERNEL_WHOLE_DEPTH`, whose pieces
/// are added one by one. (Its path for at most 256 outputs needs a
/// row-major A, which a column-major A of more than one row is not.)
pub fn adds_exactly(m: usize, n: usize, k: usize) -> bool {
    m * n * k < SMALL_PRODUCT || (m > 1 && n > 1 && k > 2 && k <= KERNEL_WHOLE_DEPTH)
}

/// C (m×n, column-major in `c`) ← A·B, or as `store` says: the product by
/// its shape, as the module's introduction explains.
pub fn gemm_store<T: Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    m: usize,
    n: usize,
    store: Store<T>,
) {
    gemm_then(a, b, c, m, n, store, None);
}

/// What a caller does to a block of output columns once they are computed
/// (a layer's bias and activation): `then(first column, those columns)`.
pub type Then<'a, T> = Option<&'a (dyn Fn(usize, &mut [T]) + Sync)>;

/// `gemm_store`, then `then` on every column of C, each column once: on a
/// block of columns by the thread that computed it, while it is still in
/// that core's cache, or over all columns after a product cut into rows.
pub fn gemm_then<T: Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    m: usize,
    n: usize,
    store: Store<T>,
    then: Then<'_, T>,
) {
    let k = a.cols;
    assert!(
        a.rows == m && b.rows == k && b.cols == n && c.len() >= m * n && a.fits() && b.fits(),
        "matrix shapes do not match: ({}×{})·({}×{}) into {m}×{n}",
        a.rows,
        a.cols,
        b.rows,
        b.cols
    );
    if m == 0 || n == 0 {
        return;
    }
    let c = &mut c[..m * n];
    if m * n * k < SMALL_PRODUCT {
        small_gemm(a, b, c, m, store);
        if let Some(then) = then {
            then(0, c);
        }
        return;
    }
    match Cut::of(m, n, k, team::threads(), then.is_some()) {
        Cut::Whole => {
            kernel_gemm(a, b, c, m, n, store);
            if let Some(then) = then {
                then(0, c);
            }
        }
        Cut::Columns { width, blocks } => {
            let out = SharedColumns::new(c, m, n);
            team::run(blocks, &|index| {
                let columns = team::range(index, width, blocks, n);
                let (from, count) = (columns.start, columns.len());
                // SAFETY: block `index` alone takes these columns.
                let columns = unsafe { out.columns(from, count) };
                kernel_gemm(a, b.columns(from, count), columns, m, count, store);
                if let Some(then) = then {
                    then(from, columns);
                }
            });
        }
        Cut::Rows { height, blocks } => {
            let out = SharedColumns::new(c, m, n);
            team::run(blocks, &|index| {
                let rows = team::range(index, height, blocks, m);
                let (from, count) = (rows.start, rows.len());
                // SAFETY: every block writes only its own rows `from..from
                // + count` of C's columns (leading dimension m), which lie
                // inside `c`.
                unsafe { kernel_rows(a.rows(from, count), b, &out, from, count, n, store) };
            });
            if let Some(then) = then {
                team::split_columns(c, (m, n), MIN_BLOCK, m * n, &|columns, values| {
                    then(columns.start, values);
                });
            }
        }
    }
}

/// Rows `from..from + count` of C (m×n in `out`) ← A's rows · B.
///
/// # Safety
/// No other thread may touch those rows of C meanwhile.
unsafe fn kernel_rows<T: Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    out: &SharedColumns<'_, T>,
    from: usize,
    count: usize,
    n: usize,
    store: Store<T>,
) {
    let m = out.rows();
    // SAFETY: the view's last element, row from + count − 1 of column
    // n − 1, lies inside the matrix; the rows are the caller's alone.
    unsafe { kernel_gemm_at(a, b, out.pointer().add(from), m, count, n, store) }
}

/// The kernel's product into a column-major C of `m` rows (contiguous).
fn kernel_gemm<T: Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    m: usize,
    n: usize,
    store: Store<T>,
) {
    assert!(c.len() >= m * n);
    // SAFETY: c holds the m×n matrix, a distinct mutable slice.
    unsafe { kernel_gemm_at(a, b, c.as_mut_ptr(), m, m, n, store) }
}

/// The kernel's product into the m×n matrix at `c` with column stride
/// `ld`, deep ones in pieces of `KERNEL_WHOLE_DEPTH`, each added to C in
/// turn (rounded once, as the kernel adds its own pieces).
///
/// # Safety
/// `c` with column stride `ld` must describe an m×n matrix that nothing
/// else reads or writes meanwhile, overlapping neither operand.
unsafe fn kernel_gemm_at<T: Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: *mut T,
    ld: usize,
    m: usize,
    n: usize,
    store: Store<T>,
) {
    let k = a.cols;
    let mut store = store;
    let mut from = 0;
    loop {
        let depth = KERNEL_WHOLE_DEPTH.min(k - from);
        IN_KERNEL.with(|k| k.set(true));
        let (pa, pb) = (a.columns(from, depth), b.rows(from, depth));
        // SAFETY: `gemm_then` checked that both views lie inside their
        // slices; C is the caller's contract.
        unsafe {
            kernel(
                m,
                depth,
                n,
                pa.data.as_ptr(),
                pa.rs as isize,
                pa.cs as isize,
                pb.data.as_ptr(),
                pb.rs as isize,
                pb.cs as isize,
                c,
                1,
                ld as isize,
                match store {
                    Store::Set => None,
                    Store::AddScaled(factor) => Some(factor),
                },
            )
        }
        IN_KERNEL.with(|k| k.set(false));
        from += depth;
        if from >= k {
            break;
        }
        if store == Store::Set {
            store = Store::AddScaled(T::one());
        }
    }
}

/// The `gemm` crate's product, single-threaded: its kernels use AVX-512 or
/// AVX2 where the processor has them and pack small matrices cheaply, which
/// the `matrixmultiply` kernel behind nalgebra does not. With `add_scaled` =
/// Some(f) it takes C ← C + f·A·B, each element rounded once, else C ← A·B.
///
/// # Safety
/// The pointers and strides must describe valid m×k, k×n and m×n
/// matrices, and C must not overlap A or B.
#[allow(clippy::too_many_arguments)]
unsafe fn kernel<T: Float>(
    m: usize,
    k: usize,
    n: usize,
    a: *const T,
    rsa: isize,
    csa: isize,
    b: *const T,
    rsb: isize,
    csb: isize,
    c: *mut T,
    rsc: isize,
    csc: isize,
    add_scaled: Option<T>,
) {
    // gemm computes dst ← α·dst + β·lhs·rhs. Not reading the destination
    // gives dst ← 1·lhs·rhs; reading it with α = 1 gives dst + β·lhs·rhs,
    // which its kernels round once, as a fused multiply-add.
    let (read_dst, beta) = match add_scaled {
        None => (false, T::one()),
        Some(factor) => (true, factor),
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c,
            csc,
            rsc,
            read_dst,
            a,
            csa,
            rsa,
            b,
            csb,
            rsb,
            T::one(),
            beta,
            false,
            false,
            false,
            gemm::Parallelism::None,
        )
    }
}

/// Values that the loops below work on at once. A loop over an array of a
/// length known when compiling becomes a few vector instructions with the
/// running sums kept in registers; a loop over a length known only when
/// running pays for its set-up on every call, and the 8-unit layers of
/// small networks are as short as loops get.
const LANES: usize = 8;

/// Plain loops for products too small for a kernel. Each output element is
/// one sum, in an order fixed by the shapes alone.
fn small_gemm<T: Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    m: usize,
    store: Store<T>,
) {
    let k = a.cols;
    if a.cs == 1 && a.rs != 1 {
        // The rows of A are contiguous: each C[i, j] is a dot product.
        for (j, column) in c.chunks_exact_mut(m).enumerate() {
            for (i, out) in column.iter_mut().enumerate() {
                let row = &a.data[i * a.rs..];
                let sum = if b.rs == 1 {
                    dot(&row[..k], &b.data[j * b.cs..j * b.cs + k])
                } else {
                    dot_strided(row, a.cs, b, j, k)
                };
                store.put(out, sum);
            }
        }
    } else if a.rs == 1 {
        // The columns of A are contiguous: C[:, j] = Σ_p A[:, p]·B[p, j],
        // `LANES` rows at a time, the sums of a block of rows in registers
        // across the whole of p.
        for (j, column) in c.chunks_exact_mut(m).enumerate() {
            let (blocks, rest) = column.as_chunks_mut::<LANES>();
            for (block, out) in blocks.iter_mut().enumerate() {
                let mut sums = [T::zero(); LANES];
                for p in 0..k {
                    let factor = b.at(p, j);
                    let from = p * a.cs + block * LANES;
                    let values: [T; LANES] = fixed(&a.data[from..from + LANES]);
                    for i in 0..LANES {
                        sums[i] += values[i] * factor;
                    }
                }
                for (out, sum) in out.iter_mut().zip(sums) {
                    store.put(out, sum);
                }
            }
            let first = blocks.len() * LANES;
            for (i, out) in rest.iter_mut().enumerate() {
                store.put(out, dot_strided(&a.data[first + i..], a.cs, b, j, k));
            }
        }
    } else {
        for (j, column) in c.chunks_exact_mut(m).enumerate() {
            for (i, out) in column.iter_mut().enumerate() {
                store.put(
                    out,
                    (0..k).fold(T::zero(), |s, p| s + a.at(i, p) * b.at(p, j)),
                );
            }
        }
    }
}

/// Calls `$fixed::<T, W>(args)` with the constant W = `$width` when that is
/// at most 8 (`LANES`), and `$general(args)` otherwise. Layers this
/// narrow are the rule for one example at a time; with their width known
/// when compiling, a loop over a layer's values is a handful of vector
/// instructions, with nothing spent on set-up, remainders or bounds.
macro_rules! by_width {
    ($width:expr, $fixed:ident, $general:ident, ($($arg:expr),*)) => {
        match $width {
            1 => $fixed::<T, 1>($($arg),*),
            2 => $fixed::<T, 2>($($arg),*),
            3 => $fixed::<T, 3>($($arg),*),
            4 => $fixed::<T, 4>($($arg),*),
            5 => $fixed::<T, 5>($($arg),*),
            6 => $fixed::<T, 6>($($arg),*),
            7 => $fixed::<T, 7>($($arg),*),
            8 => $fixed::<T, 8>($($arg),*),
            _ => $general($($arg),*),
        }
    };
}

pub(super) use by_width;

// `by_width!` and the one-example products below assume eight lanes.
const _: () = assert!(LANES == 8);

/// y ← W·x for one example: W is `y.len() × x.len()`, column-major.
///
/// The products of a single example (batch size 1, the textbook's update)
/// come here rather than to `gemm`: with a handful of values per product,
/// the shape checks and dispatch of a general product cost more than the
/// arithmetic. Sums run in the same order as `gemm`'s small products.
pub fn matvec<T: Float>(w: &[T], x: &[T], y: &mut [T]) {
    debug_assert_eq!(w.len(), y.len() * x.len());
    if y.is_empty() {
        return;
    }
    by_width!(y.len(), matvec_fixed, matvec_general, (w, x, y));
}

fn matvec_fixed<T: Float, const R: usize>(w: &[T], x: &[T], y: &mut [T]) {
    y[..R].copy_from_slice(&matvec_array::<T, R>(w, x));
}

/// W·x for a W of `R` rows, as an array: for a caller that goes on working
/// on the sums in registers (a layer's bias and activation).
#[inline(always)]
pub fn matvec_array<T: Float, const R: usize>(w: &[T], x: &[T]) -> [T; R] {
    let (columns, _) = w[..R * x.len()].as_chunks::<R>();
    let mut sums = [T::zero(); R];
    for (column, &factor) in columns.iter().zip(x) {
        for i in 0..R {
            sums[i] += column[i] * factor;
        }
    }
    sums
}

/// Wider layers: the plain loops of a small `gemm`, which sum in this order
/// too.
fn matvec_general<T: Float>(w: &[T], x: &[T], y: &mut [T]) {
    let (rows, inputs) = (y.len(), x.len());
    small_gemm(
        Operand::new(w, rows, inputs),
        Operand::new(x, inputs, 1),
        y,
        rows,
        Store::Set,
    );
}

/// y ← Wᵀ·x for one example: W is `x.len() × y.len()`, column-major.
pub fn matvec_transposed<T: Float>(w: &[T], x: &[T], y: &mut [T]) {
    debug_assert_eq!(w.len(), y.len() * x.len());
    if x.is_empty() || y.is_empty() {
        y.fill(T::zero());
        return;
    }
    by_width!(
        x.len(),
        matvec_transposed_fixed,
        matvec_transposed_general,
        (w, x, y)
    );
}

fn matvec_transposed_fixed<T: Float, const R: usize>(w: &[T], x: &[T], y: &mut [T]) {
    let x: [T; R] = fixed(x);
    let (columns, _) = w.as_chunks::<R>();
    for (out, column) in y.iter_mut().zip(columns) {
        *out = dot(column, &x);
    }
}

fn matvec_transposed_general<T: Float>(w: &[T], x: &[T], y: &mut [T]) {
    let (rows, outputs) = (x.len(), y.len());
    small_gemm(
        Operand::new(w, rows, outputs).t(),
        Operand::new(x, rows, 1),
        y,
        outputs,
        Store::Set,
    );
}

/// C ← x·yᵀ (or as `store` says), column-major `x.len() × y.len()`: the
/// weight gradient of one example.
pub fn outer<T: Float>(x: &[T], y: &[T], c: &mut [T], store: Store<T>) {
    debug_assert_eq!(c.len(), x.len() * y.len());
    if x.is_empty() || y.is_empty() {
        return;
    }
    by_width!(x.len(), outer_fixed, outer_general, (x, y, c, store));
}

fn outer_fixed<T: Float, const R: usize>(x: &[T], y: &[T], c: &mut [T], store: Store<T>) {
    let x: [T; R] = fixed(x);
    let (columns, _) = c.as_chunks_mut::<R>();
    for (column, &factor) in columns.iter_mut().zip(y) {
        for i in 0..R {
            // 0 + …, as `gemm`'s sums start: −0 becomes +0 alike.
            store.put(&mut column[i], T::zero() + x[i] * factor);
        }
    }
}

fn outer_general<T: Float>(x: &[T], y: &[T], c: &mut [T], store: Store<T>) {
    let (rows, columns) = (x.len(), y.len());
    small_gemm(
        Operand::new(x, rows, 1),
        Operand::new(y, columns, 1).t(),
        c,
        rows,
        store,
    );
}

/// The first R values of a slice as an array.
#[inline(always)]
pub fn fixed<T: Float, const R: usize>(values: &[T]) -> [T; R] {
    let mut array = [T::zero(); R];
    array.copy_from_slice(&values[..R]);
    array
}

/// Σ x[p]·y[p] over slices of equal length: `LANES` running sums over the
/// whole chunks, added pairwise, then the rest in index order. Shorter
/// dependency chains than one running sum, and at least as accurate.
#[inline(always)]
fn dot<T: Float>(x: &[T], y: &[T]) -> T {
    let (x_chunks, x_rest) = x.as_chunks::<LANES>();
    let (y_chunks, y_rest) = y.as_chunks::<LANES>();
    let mut total = T::zero();
    if !x_chunks.is_empty() {
        let mut sums = [T::zero(); LANES];
        for (x, y) in x_chunks.iter().zip(y_chunks) {
            let (x, y) = (*x, *y);
            for i in 0..LANES {
                sums[i] += x[i] * y[i];
            }
        }
        total = add_pairwise(sums);
    }
    for (&x, &y) in x_rest.iter().zip(y_rest) {
        total += x * y;
    }
    total
}

/// Σ_p row[p·stride]·B[p, j], in index order.
#[inline(always)]
fn dot_strided<T: Float>(row: &[T], stride: usize, b: Operand<'_, T>, j: usize, k: usize) -> T {
    (0..k).fold(T::zero(), |s, p| s + row[p * stride] * b.at(p, j))
}

/// s[0] + … + s[LANES − 1] as a balanced tree of additions.
#[inline(always)]
fn add_pairwise<T: Float>(mut sums: [T; LANES]) -> T {
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for i in 0..width {
            sums[i] += sums[i + width];
        }
    }
    sums[0]
}

#[cfg(test)]
#[path = "matmul_tests.rs"]
mod tests;
