//! Criterion benchmarks of each stage on generated workspaces of 1,000, 10,000 and 100,000
//! components: parsing, model building, the full check (policies included) and each output
//! format. `cargo bench --bench pipeline`; see docs/performance.md for the figures.
//!
//! Set `ZONELINT_BENCH_SIZES=1000,10000` to pick sizes (the 100k runs take a while).

mod common;

use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zonelint::model::{self, workspace};
use zonelint::output;
use zonelint::syntax;

use common::{Fixture, builtin_policies};

fn sizes() -> Vec<usize> {
    std::env::var("ZONELINT_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

/// Large workspaces take seconds per iteration: fewer samples keep the run within minutes.
fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    n: usize,
) {
    if n >= 100_000 {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(20));
    } else if n >= 10_000 {
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(10));
    } else {
        group
            .sample_size(50)
            .measurement_time(Duration::from_secs(5));
    }
}

fn pipeline(c: &mut Criterion) {
    let policies = builtin_policies();
    for n in sizes() {
        let fixture = Fixture::new(n);
        let texts: Vec<&str> = fixture
            .workspace
            .files
            .iter()
            .map(|f| f.text.as_str())
            .collect();

        let mut group = c.benchmark_group("parse");
        configure(&mut group, n);
        group.throughput(Throughput::Bytes(fixture.bytes()));
        // One thread, file after file: the per-core parsing speed.
        group.bench_with_input(BenchmarkId::from_parameter(n), &texts, |b, texts| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|t| syntax::parse(t).items.len())
                    .sum::<usize>()
            })
        });
        group.finish();

        let loaded = workspace::load(
            fixture.fs.root(),
            &fixture.entries,
            &fixture.fs,
            workspace::Limits::default(),
        );
        let mut group = c.benchmark_group("model_build");
        configure(&mut group, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &loaded, |b, loaded| {
            // Lowering takes the trees: each iteration gets a copy, made outside the timing.
            b.iter_batched(
                || (loaded.sources.clone(), loaded.files.clone()),
                |(sources, files)| model::build(sources, files),
                BatchSize::LargeInput,
            )
        });
        group.finish();

        let mut group = c.benchmark_group("check");
        configure(&mut group, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &fixture, |b, f| {
            b.iter(|| f.check(&policies).diagnostics.len())
        });
        group.finish();

        let report = fixture.check(&policies);
        let mut group = c.benchmark_group("output_human");
        configure(&mut group, n);
        group.throughput(Throughput::Elements(report.diagnostics.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &report, |b, r| {
            b.iter(|| output::human::write(r, &output::Context::default()).len())
        });
        group.finish();

        let mut group = c.benchmark_group("output_json");
        configure(&mut group, n);
        group.throughput(Throughput::Elements(report.diagnostics.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &report, |b, r| {
            b.iter(|| output::json::write(r, &output::Context::default()).len())
        });
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
