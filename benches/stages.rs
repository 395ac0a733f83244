//! One pass over each stage per workspace size, with wall time, throughput and this process's
//! peak memory: the curve in docs/performance.md. `cargo bench --bench stages`.
//!
//! Sizes come from `ZONELINT_BENCH_SIZES` (default 1k, 3k, 10k, 30k, 100k). Each stage runs
//! `ZONELINT_BENCH_REPEAT` times (default 3) and the fastest run is shown: on a shared machine
//! the minimum is the figure least disturbed by other work.

mod common;

use std::time::{Duration, Instant};

use zonelint::model::{self, workspace};
use zonelint::output;
use zonelint::syntax;

use common::{Fixture, builtin_policies};

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we do not support.
    let sizes: Vec<usize> = std::env::var("ZONELINT_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 3_000, 10_000, 30_000, 100_000]);
    let repeat: usize = std::env::var("ZONELINT_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let policies = builtin_policies();
    println!(
        "{:>8} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "comps",
        "text MB",
        "findings",
        "parse ms",
        "MB/s",
        "build ms",
        "check ms",
        "comp/s",
        "human ms",
        "json ms"
    );
    for n in sizes {
        let fixture = Fixture::new(n);
        let texts: Vec<&str> = fixture
            .workspace
            .files
            .iter()
            .map(|f| f.text.as_str())
            .collect();
        let mb = fixture.bytes() as f64 / 1e6;

        let parse = fastest(repeat, || {
            texts
                .iter()
                .map(|t| syntax::parse(t).items.len())
                .sum::<usize>()
        });
        let loaded = workspace::load(
            fixture.fs.root(),
            &fixture.entries,
            &fixture.fs,
            workspace::Limits::default(),
        );
        let build = fastest(repeat, || {
            model::build(loaded.sources.clone(), &loaded.files).1.len()
        });
        drop(loaded);
        let check = fastest(repeat, || fixture.check(&policies).diagnostics.len());
        let report = fixture.check(&policies);
        let context = output::Context::default();
        let human = fastest(repeat, || output::human::write(&report, &context).len());
        let json = fastest(repeat, || output::json::write(&report, &context).len());
        println!(
            "{:>8} {:>9.2} {:>9} {:>10.1} {:>9.1} {:>9.1} {:>9.1} {:>9.0} {:>10.1} {:>10.1}",
            n,
            mb,
            report.diagnostics.len(),
            ms(parse),
            mb / parse.as_secs_f64(),
            ms(build),
            ms(check),
            n as f64 / check.as_secs_f64(),
            ms(human),
            ms(json),
        );
    }
    if let Some(peak) = peak_rss_kib() {
        println!("peak RSS of this process: {:.1} MiB", peak as f64 / 1024.0);
    }
}

fn fastest<T>(repeat: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..repeat)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// VmHWM: the most resident memory this process has used, from Linux's /proc.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
