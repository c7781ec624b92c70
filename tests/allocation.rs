//! The training loop allocates nothing once it runs: every buffer is made
//! before the first batch. Counted with a global allocator that tallies
//! every allocation this test binary makes on the training thread and on
//! its helpers (`--threads`), apart from the scratch space that the `gemm`
//! crate's kernel allocates on each large product (counted separately and
//! reported; synapse cannot hand it a buffer).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use synapse::experiment;
use synapse::nn::Float;
use synapse::nn::team;
use synapse::train::{EpochEnd, Evaluator, Trainer};

struct Counting;

// Per thread, so that the test harness and other tests running at the same
// time are not counted.
thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static KERNEL_ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// The helpers' threads, started by the one test that uses them.
static HELPER_ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static HELPER_KERNEL_ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn count() {
    let kernel = synapse::nn::fast::matmul::inside_kernel();
    if team::on_helper() {
        let counter = if kernel {
            &HELPER_KERNEL_ALLOCATIONS
        } else {
            &HELPER_ALLOCATIONS
        };
        counter.fetch_add(1, Ordering::Relaxed);
        return;
    }
    let counter = if kernel {
        &KERNEL_ALLOCATIONS
    } else {
        &ALLOCATIONS
    };
    // try_with: a thread being torn down may still allocate.
    let _ = counter.try_with(|c| c.set(c.get() + 1));
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get) + HELPER_ALLOCATIONS.load(Ordering::Relaxed)
}

fn kernel_allocations() -> usize {
    KERNEL_ALLOCATIONS.with(Cell::get) + HELPER_KERNEL_ALLOCATIONS.load(Ordering::Relaxed)
}

// SAFETY: forwards to the system allocator, only counting calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by three epochs of training (and their validation) on
/// `threads` threads, after one epoch to warm up.
fn allocations_in_steady_state<T: Float>(
    experiment_file: &str,
    sets: &[&str],
    threads: usize,
) -> usize {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("experiments")
        .join(experiment_file);
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let (config, data) = match experiment::load(&file, &sets) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{error}"),
    };
    // One measurement at a time: the helpers' counts are process-wide.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    team::set_threads(threads);
    let mut trainer = Trainer::<T>::new(&config, &data);
    let mut evaluator = Evaluator::new(&trainer.network);
    let validation = data.validation.as_ref().expect("a validation split");
    let rate = config.training.learning_rate;
    let mut epoch = |n: usize, trainer: &mut Trainer<'_, T>| {
        let end = trainer.train_epoch(n, rate, &|| false);
        assert!(matches!(end, EpochEnd::Completed(_)), "{end:?}");
        evaluator.summary(
            &trainer.network,
            validation,
            config.training.loss,
            data.task,
            data.normalization.target,
        );
    };
    epoch(1, &mut trainer);
    let before = allocations();
    let kernel_before = kernel_allocations();
    for n in 2..=4 {
        epoch(n, &mut trainer);
    }
    let ours = allocations() - before;
    let kernel = kernel_allocations() - kernel_before;
    let helpers = HELPER_KERNEL_ALLOCATIONS.load(Ordering::Relaxed);
    team::set_threads(1);
    // Printed after counting: printing allocates when the output is captured.
    println!(
        "{experiment_file} {sets:?}, {threads} threads: {} kernel scratch allocations per epoch \
         ({helpers} on helpers so far)",
        kernel / 3
    );
    ours
}

#[test]
fn the_training_loop_allocates_nothing_in_the_steady_state() {
    // Plain sgd steps inside the backward pass: one example at a time
    // (heart), batches whose products the kernel adds to the weights itself
    // (spiral at 128), and batches whose derivatives go through a buffer
    // first (heart at 600: a 1-unit layer, and deeper than 512).
    let cases: [(&str, &[&str]); 6] = [
        ("heart.toml", &[]),
        ("iris.toml", &["training.optimizer=\"momentum\""]),
        ("heart-disease.toml", &[]),
        (
            "spiral.toml",
            &["training.batch_size=32", "training.l2=0.001"],
        ),
        (
            "spiral.toml",
            &["training.optimizer=\"sgd\"", "training.batch_size=128"],
        ),
        ("heart.toml", &["training.batch_size=600"]),
    ];
    for (file, sets) in cases {
        assert_eq!(
            allocations_in_steady_state::<f64>(file, sets, 1),
            0,
            "{file} f64 {sets:?}"
        );
        assert_eq!(
            allocations_in_steady_state::<f32>(file, sets, 1),
            0,
            "{file} f32 {sets:?}"
        );
    }
}

#[test]
fn two_threads_allocate_nothing_in_the_steady_state_either() {
    // Wide enough layers that the products are cut for two threads: the
    // hidden layers' by rows (units), the 3-unit output layer's by columns
    // (examples) at a batch of 128 (which blocks the helper takes is up to
    // timing; the printed count of its kernel's allocations shows it took
    // some).
    let wide = ["model.layers.0.units=128", "model.layers.1.units=128"];
    for batch in ["training.batch_size=128", "training.batch_size=16"] {
        let mut sets = wide.to_vec();
        sets.push(batch);
        assert_eq!(
            allocations_in_steady_state::<f32>("spiral.toml", &sets, 2),
            0,
            "spiral f32 {sets:?}"
        );
        assert_eq!(
            allocations_in_steady_state::<f64>("spiral.toml", &sets, 2),
            0,
            "spiral f64 {sets:?}"
        );
    }
}

#[test]
fn the_counter_sees_allocations() {
    // The check above must be able to fail.
    let before = allocations();
    let v: Vec<u64> = std::hint::black_box(vec![1, 2, 3]);
    assert!(allocations() > before);
    drop(v);
}
