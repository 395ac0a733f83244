//! One pass over each stage per workspace size, with wall time, throughput and this process's
//! peak memory: the curve in docs/performance.md. `cargo bench --bench stages`.
//!
//! Sizes come from `ZONELINT_BENCH_SIZES` (default 1k, 3k, 10k, 30k, 100k). Each stage runs
//! `ZONELINT_BENCH_REPEAT` times (default 3) and the fastest run is shown: on a shared machine
//! the minimum is the figure least disturbed by other work.
//!
//! Parse and model build run on this thread alone, so beside their wall time the table gives
//! the CPU time this thread spent in them (`cpu` columns, from /proc/thread-self/schedstat):
//! on a loaded machine that is the steadier figure. `ZONELINT_BENCH_FRONT_ONLY=1` stops after
//! parse and model build, for quick before/after comparisons of the front end.
//!
//! A second table gives every output format's time and size per workspace size: the report is
//! made once, then each format is written from it (`output::write`), fastest of the repeats.

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
    let front_only = std::env::var_os("ZONELINT_BENCH_FRONT_ONLY").is_some();
    let policies = builtin_policies();
    let mut formats = Vec::new();
    println!(
        "{:>8} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "comps",
        "text MB",
        "findings",
        "parse ms",
        "cpu ms",
        "MB/s cpu",
        "build ms",
        "cpu ms",
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

        let (parse, parse_cpu) = fastest(repeat, || {
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
        // Lowering takes the trees; each run gets a copy made outside the timed part.
        let (build, build_cpu) = fastest_from(
            repeat,
            || (loaded.sources.clone(), loaded.files.clone()),
            |(sources, files)| model::build(sources, files).1.len(),
        );
        drop(loaded);
        if front_only {
            println!(
                "{:>8} {:>9.2} {:>9} {:>10.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                n,
                mb,
                "-",
                ms(parse),
                ms(parse_cpu),
                mb / parse_cpu.as_secs_f64(),
                ms(build),
                ms(build_cpu),
            );
            continue;
        }
        let (check, _) = fastest(repeat, || fixture.check(&policies).diagnostics.len());
        let report = fixture.check(&policies);
        let context = output::Context::default();
        let (human, _) = fastest(repeat, || output::human::write(&report, &context).len());
        let (json, _) = fastest(repeat, || output::json::write(&report, &context).len());
        for format in <output::Format as clap::ValueEnum>::value_variants() {
            let (time, _) = fastest(repeat, || output::write(*format, &report, &context).len());
            let bytes = output::write(*format, &report, &context).len();
            formats.push((n, format.name(), time, bytes));
        }
        println!(
            "{:>8} {:>9.2} {:>9} {:>10.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.0} {:>10.1} {:>10.1}",
            n,
            mb,
            report.diagnostics.len(),
            ms(parse),
            ms(parse_cpu),
            mb / parse_cpu.as_secs_f64(),
            ms(build),
            ms(build_cpu),
            ms(check),
            n as f64 / check.as_secs_f64(),
            ms(human),
            ms(json),
        );
    }
    if !formats.is_empty() {
        println!(
            "\n{:>8} {:>8} {:>10} {:>10} {:>9}",
            "comps", "format", "write ms", "output MB", "MB/s"
        );
        for (n, name, time, bytes) in formats {
            let mb = bytes as f64 / 1e6;
            println!(
                "{n:>8} {name:>8} {:>10.1} {mb:>10.2} {:>9.1}",
                ms(time),
                mb / time.as_secs_f64()
            );
        }
    }
    if let Some(peak) = peak_rss_kib() {
        println!("peak RSS of this process: {:.1} MiB", peak as f64 / 1024.0);
    }
}

/// The fastest of `repeat` runs: (wall time, CPU time of this thread), each the minimum.
fn fastest<T>(repeat: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    fastest_from(repeat, || (), |()| f())
}

/// Like [`fastest`], for a step that consumes its input: `setup` makes a fresh one for each
/// run, outside the timed part.
fn fastest_from<I, T>(
    repeat: usize,
    mut setup: impl FnMut() -> I,
    mut f: impl FnMut(I) -> T,
) -> (Duration, Duration) {
    let runs: Vec<(Duration, Duration)> = (0..repeat)
        .map(|_| {
            let input = setup();
            let (start, cpu_start) = (Instant::now(), thread_cpu());
            std::hint::black_box(f(input));
            (start.elapsed(), thread_cpu().saturating_sub(cpu_start))
        })
        .collect();
    let wall = runs.iter().map(|r| r.0).min().unwrap_or_default();
    let cpu = runs.iter().map(|r| r.1).min().unwrap_or_default();
    (wall, cpu)
}

/// CPU time this thread has run, from Linux's /proc (first field of schedstat, in ns); zero
/// where that file does not exist.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
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
