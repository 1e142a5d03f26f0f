//! Work spread over the available cores with results handed on in input
//! order, whatever the scheduling: `lint` checks files in parallel and
//! prints them in the order given, keeping only a bounded window of
//! finished-but-not-yet-printed results in memory.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Stack of each worker thread: the YAML parser recurses once per nesting
/// level, so the workers get the main thread's stack, not a spawned
/// thread's 2 MiB.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// How far (in items per worker) the workers may run ahead of the item
/// being handed on.
const AHEAD_PER_WORKER: usize = 8;

/// Runs `work(0..n)` on up to `threads` workers and calls `sink` with each
/// result in index order. `sink` returns false to stop early (a closed
/// pipe); items not started then are never worked on.
pub fn for_each_ordered<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(usize) -> T + Sync,
    mut sink: impl FnMut(T) -> bool,
) {
    let threads = threads.min(n);
    if threads <= 1 {
        sequential(n, &work, &mut sink);
        return;
    }
    let window = threads * AHEAD_PER_WORKER;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // The index of the next item to hand on, which workers wait behind.
    let handed = Mutex::new(0usize);
    let moved = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    let spawned = std::thread::scope(|s| {
        let mut spawned = 0;
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, handed, moved, work) = (&next, &stop, &handed, &moved, &work);
            let worker = move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n || stop.load(Ordering::Relaxed) {
                    return;
                }
                {
                    let mut h = handed.lock().unwrap_or_else(|p| p.into_inner());
                    while i >= *h + window && !stop.load(Ordering::Relaxed) {
                        h = moved.wait(h).unwrap_or_else(|p| p.into_inner());
                    }
                }
                if stop.load(Ordering::Relaxed) || tx.send((i, work(i))).is_err() {
                    return;
                }
            };
            let ok = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, worker)
                .is_ok();
            spawned += usize::from(ok);
        }
        if spawned == 0 {
            return 0;
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut at = 0;
        'receive: for (i, t) in rx.iter() {
            pending.insert(i, t);
            while let Some(t) = pending.remove(&at) {
                at += 1;
                let go = sink(t);
                *handed.lock().unwrap_or_else(|p| p.into_inner()) = at;
                moved.notify_all();
                if !go {
                    stop.store(true, Ordering::Relaxed);
                    moved.notify_all();
                    break 'receive;
                }
            }
        }
        spawned
    });
    // No worker could be started: do the work here.
    if spawned == 0 {
        sequential(n, &work, &mut sink);
    }
}

fn sequential<T>(n: usize, work: &impl Fn(usize) -> T, sink: &mut impl FnMut(T) -> bool) {
    for i in 0..n {
        if !sink(work(i)) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_the_timing() {
        let mut got = Vec::new();
        for_each_ordered(
            200,
            4,
            |i| {
                // Later items finish first.
                std::thread::sleep(std::time::Duration::from_micros(
                    ((200 - i) % 7) as u64 * 50,
                ));
                i * 2
            },
            |x| {
                got.push(x);
                true
            },
        );
        assert_eq!(got, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_sink_that_stops_stops_the_work() {
        let done = AtomicUsize::new(0);
        let mut seen = 0;
        for_each_ordered(
            10_000,
            2,
            |_| done.fetch_add(1, Ordering::Relaxed),
            |_| {
                seen += 1;
                seen < 5
            },
        );
        assert_eq!(seen, 5);
        // Workers run at most a window ahead of what was handed on.
        assert!(done.load(Ordering::Relaxed) <= 5 + 2 * AHEAD_PER_WORKER + 2);
    }
}
