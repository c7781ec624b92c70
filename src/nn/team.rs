//! The threads of `--threads N`: the thread that trains and N − 1 helpers
//! that share the blocks of its products and of the work fused with them.
//!
//! Why not rayon, which the sweep uses: a batch of the wide workload is
//! some ten products of 0.1-0.4 ms with a few microseconds of one-thread
//! work between them. Rayon's idle workers go to sleep within microseconds,
//! and waking a sleeping thread on this 2-core virtual machine took longer
//! than the half product it was woken for: two threads made an epoch 5%
//! faster on one machine and slower on another (0.55 s against 0.53 s, one
//! thread), while the products alone, timed back to back, ran 1.9× faster.
//! So a helper here keeps looking for the next job for a while (`SPIN`)
//! before it sleeps, and a job is handed over through one atomic word.
//!
//! Who runs a block never changes what it computes: the caller cuts the
//! work into blocks by its shapes alone, and each block is computed whole by
//! one thread. A block runs exactly once, by the caller or a helper, and the
//! caller returns only when every block has finished.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long an idle helper looks for the next job before it sleeps: longer
/// than the gaps inside an epoch, short enough that a helper costs nothing
/// once training is over.
const SPIN: Duration = Duration::from_millis(2);

/// The job word: generation (32 bits) | blocks (16) | next block (16). One
/// word, so that claiming a block checks in one compare-and-swap that it
/// belongs to the job being run: a helper that read the word of a finished
/// job fails its swap, never runs a block of the next job with the last
/// one's work.
const FIELD: u64 = 0xFFFF;

/// Blocks a job may have; more run on the caller's thread alone.
pub const MAX_BLOCKS: usize = FIELD as usize;

/// The work of one job: block index → its work.
type Work<'a> = &'a (dyn Fn(usize) + Sync);

struct Shared {
    ticket: AtomicU64,
    /// The current job's work, a pointer to a `Work` on the caller's stack;
    /// valid while the job has blocks unfinished.
    work: AtomicPtr<Work<'static>>,
    /// Blocks of the current job finished.
    done: AtomicUsize,
    /// Helpers asleep or about to be.
    sleepers: AtomicUsize,
    stop: AtomicBool,
    /// The first panic of a block, for the caller to resume.
    panic: std::sync::Mutex<Option<Box<dyn Any + Send>>>,
}

impl Shared {
    /// Claims the next block of the current job and runs it. False when the
    /// current job has no block left to claim.
    fn run_one(&self) -> bool {
        let ticket = self.ticket.load(Ordering::Acquire);
        let (blocks, next) = ((ticket >> 16) & FIELD, ticket & FIELD);
        if next >= blocks {
            return false;
        }
        if self
            .ticket
            .compare_exchange_weak(ticket, ticket + 1, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
        {
            // Another thread took it, or a new job began: look again.
            return true;
        }
        // SAFETY: the swap claimed block `next` of the job that `ticket`
        // names, so that job is unfinished, and its caller keeps `work`
        // alive and in place until every block is done; the pointer was
        // stored before the job's word was published (release/acquire).
        let work = unsafe { *self.work.load(Ordering::Acquire) };
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| work(next as usize)))
            && let Ok(mut slot) = self.panic.lock()
        {
            slot.get_or_insert(payload);
        }
        self.done.fetch_add(1, Ordering::Release);
        true
    }

    fn has_work(&self) -> bool {
        let ticket = self.ticket.load(Ordering::SeqCst);
        ticket & FIELD < (ticket >> 16) & FIELD
    }
}

/// A calling thread's helpers.
struct Team {
    shared: Arc<Shared>,
    helpers: Vec<JoinHandle<()>>,
    generation: u64,
}

impl Team {
    fn new(helpers: usize) -> Team {
        let shared = Arc::new(Shared {
            ticket: AtomicU64::new(0),
            work: AtomicPtr::new(std::ptr::null_mut()),
            done: AtomicUsize::new(0),
            sleepers: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            panic: std::sync::Mutex::new(None),
        });
        let helpers = (0..helpers)
            .filter_map(|i| {
                let shared = Arc::clone(&shared);
                thread::Builder::new()
                    .name(format!("synapse-helper-{}", i + 1))
                    .spawn(move || help(&shared))
                    .ok()
            })
            .collect();
        Team {
            shared,
            helpers,
            generation: 0,
        }
    }

    fn run(&mut self, blocks: usize, work: Work<'_>) {
        let shared = &*self.shared;
        shared.done.store(0, Ordering::Relaxed);
        // SAFETY (of the lifetime's erasure): the pointer is read only by a
        // thread that claimed a block of this job, and this function does
        // not return before every block has finished.
        let erased: *const Work<'_> = &work;
        shared
            .work
            .store(erased.cast::<Work<'static>>().cast_mut(), Ordering::Release);
        self.generation = (self.generation + 1) & 0xFFFF_FFFF;
        shared.ticket.store(
            self.generation << 32 | (blocks as u64) << 16,
            Ordering::SeqCst,
        );
        if shared.sleepers.load(Ordering::SeqCst) > 0 {
            for helper in &self.helpers {
                helper.thread().unpark();
            }
        }
        // A block that panics is caught where it ran (`run_one`), so every
        // block still runs and this waits for all before the panic goes on.
        while shared.run_one() {}
        let mut looks = 0u32;
        while shared.done.load(Ordering::Acquire) < blocks {
            pause(&mut looks);
        }
        let panicked = shared.panic.lock().ok().and_then(|mut slot| slot.take());
        if let Some(payload) = panicked {
            panic::resume_unwind(payload);
        }
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for helper in self.helpers.drain(..) {
            helper.thread().unpark();
            let _ = helper.join();
        }
    }
}

thread_local! {
    static TEAM: RefCell<Option<Team>> = const { RefCell::new(None) };
    static HELPER: Cell<bool> = const { Cell::new(false) };
}

/// A helper's life: run blocks while there are any, look for more for
/// `SPIN`, then sleep until a job comes or the team ends.
fn help(shared: &Shared) {
    HELPER.with(|h| h.set(true));
    let mut idle_since = Instant::now();
    let mut looks = 0u32;
    while !shared.stop.load(Ordering::Acquire) {
        if shared.run_one() {
            looks = 0;
            continue;
        }
        if looks == 0 {
            idle_since = Instant::now();
        }
        pause(&mut looks);
        if looks.is_multiple_of(1024) && idle_since.elapsed() > SPIN {
            // Counted first, then checked: a caller that publishes a job
            // after the check sees the count and wakes this thread (both
            // sequentially consistent); park returns at once if it did so
            // before the park.
            shared.sleepers.fetch_add(1, Ordering::SeqCst);
            if !shared.has_work() && !shared.stop.load(Ordering::SeqCst) {
                thread::park();
            }
            shared.sleepers.fetch_sub(1, Ordering::SeqCst);
            looks = 0;
        }
    }
}

/// One wait of a thread looking for work or for the end of a job: a spin,
/// and after a while a yield, so that on a machine with more threads
/// running than cores the thread it waits for gets the core.
fn pause(looks: &mut u32) {
    *looks = looks.wrapping_add(1);
    if *looks < YIELD_AFTER {
        std::hint::spin_loop();
    } else {
        thread::yield_now();
    }
}

/// Spins before `pause` yields: a few microseconds, the gap between two
/// products of a batch.
const YIELD_AFTER: u32 = 4096;

/// Lets the work of this thread use `threads` threads: it and
/// `threads − 1` helpers, started now and ended with the thread (or the
/// next call).
pub fn set_threads(threads: usize) {
    TEAM.with(|team| {
        let mut team = team.borrow_mut();
        let helpers = threads.max(1) - 1;
        if team.as_ref().map_or(0, |t| t.helpers.len()) != helpers {
            *team = None;
            if helpers > 0 {
                *team = Some(Team::new(helpers));
            }
        }
    });
}

/// Threads this thread's work may use.
pub fn threads() -> usize {
    TEAM.with(|team| team.borrow().as_ref().map_or(1, |t| t.helpers.len() + 1))
}

/// Runs `work(0)`, …, `work(blocks − 1)`, each exactly once, on this
/// thread and its helpers, and returns when all have finished. Without
/// helpers, or inside another `run`, in order on this thread.
pub fn run(blocks: usize, work: &(dyn Fn(usize) + Sync)) {
    let ran = blocks > 1
        && blocks <= MAX_BLOCKS
        && TEAM.with(|team| match team.try_borrow_mut() {
            Ok(mut team) => match team.as_mut() {
                Some(team) => {
                    team.run(blocks, work);
                    true
                }
                None => false,
            },
            Err(_) => false,
        });
    if !ran {
        (0..blocks).for_each(work);
    }
}

/// How `length` items are cut for `threads` threads: `blocks` blocks of
/// `size`, a multiple of `min`, the last taking what is left over (so no
/// block is shorter than `min`). Needs `length` ≥ `min`.
pub fn split(length: usize, min: usize, threads: usize) -> (usize, usize) {
    let blocks = threads.min(length / min).max(1);
    (length / blocks / min * min, blocks)
}

/// The items of block `index` of a `split`.
pub fn range(index: usize, size: usize, blocks: usize, length: usize) -> Range<usize> {
    let from = index * size;
    from..if index + 1 == blocks {
        length
    } else {
        from + size
    }
}

/// A pass over fewer values than this runs on one thread: handing it over
/// would cost more than it saves.
pub const SMALL_PASS: usize = 1 << 14;

/// `work(columns, their values)` on blocks of the `cols` columns of the
/// column-major `rows`-row matrix in `data`, together covering it once: one
/// block per thread when each gets at least `min` columns and the work
/// reads or writes `pass` ≥ `SMALL_PASS` values in all, else one block.
pub fn split_columns<T: Send>(
    data: &mut [T],
    (rows, cols): (usize, usize),
    min: usize,
    pass: usize,
    work: &(dyn Fn(Range<usize>, &mut [T]) + Sync),
) {
    let threads = threads();
    if threads < 2 || cols < 2 * min || pass < SMALL_PASS {
        work(0..cols, &mut data[..rows * cols]);
        return;
    }
    let (size, blocks) = split(cols, min, threads);
    let shared = SharedColumns::new(data, rows, cols);
    run(blocks, &|index| {
        let columns = range(index, size, blocks, cols);
        // SAFETY: each block of the split takes its own columns.
        let values = unsafe { shared.columns(columns.start, columns.len()) };
        work(columns, values);
    });
}

/// Whether the current thread is one of the helpers: for the allocation
/// test, which counts what they allocate too.
pub fn on_helper() -> bool {
    HELPER.with(Cell::get)
}

/// A matrix, column-major, whose disjoint column ranges the blocks of one
/// `run` write at the same time.
pub struct SharedColumns<'a, T> {
    data: *mut T,
    rows: usize,
    cols: usize,
    _borrow: std::marker::PhantomData<&'a mut [T]>,
}

// SAFETY: it hands out `&mut` to disjoint parts only (see `columns`), so
// sharing it between threads is sharing `&mut [T]` split in pieces.
unsafe impl<T: Send> Send for SharedColumns<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for SharedColumns<'_, T> {}

impl<'a, T> SharedColumns<'a, T> {
    pub fn new(data: &'a mut [T], rows: usize, cols: usize) -> Self {
        assert!(data.len() >= rows * cols);
        SharedColumns {
            data: data.as_mut_ptr(),
            rows,
            cols,
            _borrow: std::marker::PhantomData,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The first element, for a caller that writes rows of its own.
    pub fn pointer(&self) -> *mut T {
        self.data
    }

    /// Columns `from..from + count`.
    ///
    /// # Safety
    /// No two live results may overlap: each block of a `run` takes its
    /// own columns.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn columns(&self, from: usize, count: usize) -> &mut [T] {
        assert!(from + count <= self.cols);
        // SAFETY: in bounds (checked above); disjointness is the caller's.
        unsafe {
            std::slice::from_raw_parts_mut(self.data.add(from * self.rows), count * self.rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_runs_once_on_two_threads_job_after_job() {
        set_threads(2);
        assert_eq!(threads(), 2);
        let counts: Vec<AtomicUsize> = (0..64).map(|_| AtomicUsize::new(0)).collect();
        for job in 0..2000 {
            let blocks = 2 + job % 60;
            run(blocks, &|i| {
                counts[i].fetch_add(1, Ordering::Relaxed);
            });
            // Sometimes long enough for the helper to fall asleep.
            if job % 500 == 0 {
                thread::sleep(SPIN * 3);
            }
        }
        set_threads(1);
        let expected = |i: usize| (0..2000).filter(|job| i < 2 + job % 60).count();
        for (i, count) in counts.iter().enumerate() {
            assert_eq!(count.load(Ordering::Relaxed), expected(i), "block {i}");
        }
    }

    #[test]
    fn the_helper_takes_blocks_the_caller_leaves() {
        set_threads(2);
        let helped = AtomicBool::new(false);
        // The caller's block waits for the helper's: it runs only if the
        // helper claims the other block.
        run(2, &|_| {
            if on_helper() {
                helped.store(true, Ordering::SeqCst);
            } else {
                let started = Instant::now();
                while !helped.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(10)
                {
                    thread::yield_now();
                }
            }
        });
        set_threads(1);
        assert!(
            helped.load(Ordering::SeqCst),
            "the helper ran no block in 10 s"
        );
    }

    #[test]
    fn a_panic_in_a_block_reaches_the_caller_after_every_block() {
        set_threads(2);
        let finished = AtomicUsize::new(0);
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            run(8, &|i| {
                if i == 3 {
                    panic!("block 3");
                }
                finished.fetch_add(1, Ordering::Relaxed);
            })
        }));
        assert!(caught.is_err());
        assert_eq!(finished.load(Ordering::Relaxed), 7);
        // The team still works.
        let sum = AtomicUsize::new(0);
        run(4, &|i| {
            sum.fetch_add(i, Ordering::Relaxed);
        });
        assert_eq!(sum.load(Ordering::Relaxed), 6);
        set_threads(1);
        assert_eq!(threads(), 1);
    }
}
