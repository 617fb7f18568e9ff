//! Progress of a long scan on a terminal: "files done / total" and the
//! phase, redrawn on one line of standard error.
//!
//! The scan reports through process-wide counters (cheap atomics, no lock,
//! nothing to thread through the pipeline); only the command line starts a
//! `Bar` that draws them, and only when a person is watching: standard error
//! is a terminal, `--quiet` is not given, and no CI variable is set (CI logs
//! are terminals for some runners and would fill with redraws). Nothing is
//! drawn before the scan has run for a second.

use std::io::{IsTerminal, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

static DONE: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);
static PHASE: AtomicU8 = AtomicU8::new(0);

/// The parts of a scan, as the bar names them.
#[derive(Clone, Copy)]
pub enum Phase {
    Reading = 1,
    Project = 2,
    Checking = 3,
}

const PHASE_NAMES: [&str; 4] = ["", "reading files", "linking the project", "checking"];

/// Starts a phase of `total` steps.
pub fn phase(phase: Phase, total: usize) {
    DONE.store(0, Ordering::Relaxed);
    TOTAL.store(total, Ordering::Relaxed);
    PHASE.store(phase as u8, Ordering::Relaxed);
}

/// One step of the current phase done.
pub fn advance() {
    DONE.fetch_add(1, Ordering::Relaxed);
}

/// The line drawing the counters, while it lives.
pub struct Bar {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Whether a bar belongs on this standard error.
pub fn wanted(quiet: bool) -> bool {
    !quiet
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

impl Bar {
    /// Draws the counters every tenth of a second, after a first second.
    pub fn start() -> Bar {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("mcplint-progress".into())
            .spawn(move || draw(&seen))
            .ok();
        Bar { stop, thread }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How long a scan runs before the bar shows: a second, or the
/// milliseconds in `MCPLINT_PROGRESS_AFTER_MS` (the tests' way of seeing
/// the bar on a short scan).
fn delay() -> Duration {
    std::env::var("MCPLINT_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

fn draw(stop: &AtomicBool) {
    let started = Instant::now();
    let delay = delay();
    let mut drawn = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(if delay.is_zero() { 5 } else { 100 }));
        if started.elapsed() < delay {
            continue;
        }
        let name = PHASE_NAMES[usize::from(PHASE.load(Ordering::Relaxed)).min(3)];
        let (done, total) = (DONE.load(Ordering::Relaxed), TOTAL.load(Ordering::Relaxed));
        let line = if total > 0 {
            format!("mcplint: {name} {}/{total}", done.min(total))
        } else {
            format!("mcplint: {name}")
        };
        let mut err = std::io::stderr().lock();
        // `\r` and erase-line: the bar redraws in place.
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
