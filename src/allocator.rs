//! The memory allocator of synapse's programs (the CLI and the benchmarks):
//! mimalloc, in its stable v2 line.
//!
//! Each product large enough for the `gemm` kernel allocates scratch space
//! for packing and frees it again. glibc's allocator spent about 5% of the
//! digits epoch on that (merging free chunks in `malloc_consolidate`);
//! mimalloc hands the same block back. Every program declares it,
//!
//! ```text
//! #[global_allocator]
//! static ALLOCATOR: synapse::Allocator = synapse::Allocator;
//! ```
//!
//! so that the benchmarks time what the CLI runs. The allocation test
//! counts allocations with an allocator of its own.
//!
//! `.cargo/config.toml` builds mimalloc with arenas committed as they are
//! used (`MI_DEFAULT_ARENA_EAGER_COMMIT=0`). Committed up front, they made
//! the peak of `synapse run` on the wide workload 8–11 MB higher than with
//! glibc, and that of the heart run 9 MB; as used, the peaks match glibc's
//! within a few MB (measured; README, "Speed").

pub use mimalloc::MiMalloc as Allocator;
