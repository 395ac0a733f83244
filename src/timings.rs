//! `zonelint check --timings`: where a run spends its time, stage by stage and policy by policy.
//!
//! Recording is off unless the command line turns it on, so the pipeline pays one relaxed
//! atomic load per measured step. A process-wide recorder (rather than a value threaded through
//! every stage) keeps the library's signatures free of a concern only the CLI has.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static RECORDED: Mutex<Vec<Timing>> = Mutex::new(Vec::new());

/// One measured step.
#[derive(Debug, Clone)]
pub struct Timing {
    /// `stage` for pipeline stages, `policy` for one policy's evaluation.
    pub kind: &'static str,
    pub name: String,
    pub elapsed: Duration,
}

pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Starts measuring; the time is recorded when the guard is dropped.
pub fn start(kind: &'static str, name: impl Into<String>) -> Option<Guard> {
    enabled().then(|| Guard {
        kind,
        name: name.into(),
        started: Instant::now(),
    })
}

pub struct Guard {
    kind: &'static str,
    name: String,
    started: Instant,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let timing = Timing {
            kind: self.kind,
            name: std::mem::take(&mut self.name),
            elapsed: self.started.elapsed(),
        };
        RECORDED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(timing);
    }
}

/// Everything recorded so far, emptied.
pub fn take() -> Vec<Timing> {
    std::mem::take(
        &mut *RECORDED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    )
}

/// The table `--timings` prints: stages in the order they ran, then the slowest policies.
/// Policies run in parallel, so their times add up to more than the `policies` stage.
pub fn table(timings: &[Timing], slowest: usize) -> String {
    use std::fmt::Write;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut out = String::from("timings (wall clock, ms):\n");
    for t in timings.iter().filter(|t| t.kind == "stage") {
        let _ = writeln!(out, "  {:>9.1}  {}", ms(t.elapsed), t.name);
    }
    let mut policies: Vec<&Timing> = timings.iter().filter(|t| t.kind == "policy").collect();
    if !policies.is_empty() {
        let total: Duration = policies.iter().map(|t| t.elapsed).sum();
        policies.sort_by(|a, b| b.elapsed.cmp(&a.elapsed).then(a.name.cmp(&b.name)));
        let _ = writeln!(
            out,
            "slowest policies ({} ran, {:.1} ms summed over all threads):",
            policies.len(),
            ms(total)
        );
        for t in policies.iter().take(slowest) {
            let _ = writeln!(out, "  {:>9.1}  {}", ms(t.elapsed), t.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_stages_in_order_and_policies_slowest_first() {
        let t = |kind, name: &str, ms| Timing {
            kind,
            name: name.into(),
            elapsed: Duration::from_millis(ms),
        };
        let table = table(
            &[
                t("stage", "load", 5),
                t("policy", "fast", 1),
                t("policy", "slow", 9),
                t("stage", "policies", 10),
            ],
            1,
        );
        assert_eq!(
            table,
            "timings (wall clock, ms):\n        5.0  load\n       10.0  policies\n\
             slowest policies (2 ran, 10.0 ms summed over all threads):\n        9.0  slow\n"
        );
    }
}
