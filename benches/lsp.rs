//! Diagnostics after an edit, in a generated workspace of 5,000 lines in 12 files: the time from
//! `didChange` to the `publishDiagnostics` that reflects it. The server runs in-process over
//! `Connection::memory()`, so the figure is the server's own work (rebuild, diagnostics,
//! publishing), without a transport. Afterwards it prints the fastest time of each stage of an
//! edit (parse, model, policies, SL-A, the server's index and publishing).
//!
//! Run with `cargo bench --bench lsp`.

use std::fmt::Write;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::*;
use serde_json::json;

const FILES: usize = 12;
/// Edits timed stage by stage after the benchmark.
const STAGE_RUNS: usize = 15;
/// Edits whose CPU time is averaged.
const CPU_RUNS: usize = 60;

/// About 500 lines: zones with components, and conduits with flows between them.
fn generated_file(n: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "organization org{n} \"Organisation {n}\" {{\n  roles = [asset-owner]\n}}\n"
    );
    for z in 0..8 {
        let _ = writeln!(
            out,
            "/// Zone {z} of file {n}.\nzone z{n}_{z} \"Zone {z}\" {{"
        );
        let _ = writeln!(
            out,
            "  kind      = control\n  level     = 1\n  sl_target = 2\n  owner     = org{n}\n"
        );
        for c in 0..6 {
            let _ = writeln!(
                out,
                "  component c{n}_{z}_{c} : embedded-device \"Device {c}\" {{\n    vendor        = \"V\"\n    model         = \"M-{c}\"\n    sl_capability = [2, 2, 2, 1, 2, 1, 2]\n    maintainer    = org{n}\n  }}"
            );
        }
        let _ = writeln!(out, "}}\n");
    }
    for z in 0..7 {
        let _ = writeln!(
            out,
            "conduit k{n}_{z} {{\n  zones   = [z{n}_{z}, z{n}_{}]\n  default = deny",
            z + 1
        );
        for f in 0..2 {
            let _ = writeln!(
                out,
                "  flow f{f} : c{n}_{z}_{f} -> c{n}_{}_{f} {{ protocol = opc-ua  port = 4840 }}",
                z + 1
            );
        }
        let _ = writeln!(out, "}}\n");
    }
    out
}

fn wait_for_diagnostics(conn: &Connection, uri: &Url) -> usize {
    loop {
        match conn
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server publishes")
        {
            // Only the fields the loop needs are read: decoding every diagnostic into
            // `lsp_types` would time the benchmark's client, not the server.
            Message::Notification(n)
                if n.method == notif::PublishDiagnostics::METHOD
                    && n.params["uri"].as_str() == Some(uri.as_str()) =>
            {
                return n.params["diagnostics"]
                    .as_array()
                    .expect("a list of diagnostics")
                    .len();
            }
            _ => {}
        }
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut lines = 0;
    for n in 0..FILES {
        let text = generated_file(n);
        lines += text.lines().count();
        std::fs::write(root.join(format!("f{n}.iacs")), text).unwrap();
    }
    eprintln!("workspace: {FILES} files, {lines} lines");

    let (server_side, client) = Connection::memory();
    let server = std::thread::spawn(move || zonelint::lsp::serve(server_side));
    let root_uri = Url::from_file_path(&root).unwrap();
    let init = Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({ "capabilities": {}, "workspaceFolders": [{ "uri": root_uri, "name": "bench" }] }),
    );
    client.sender.send(Message::Request(init)).unwrap();
    let send = |method: &str, params: serde_json::Value| {
        client
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    };
    send(notif::Initialized::METHOD, json!({}));

    let uri = Url::from_file_path(root.join("f0.iacs")).unwrap();
    let clean = generated_file(0);
    // A typo in an attribute name: one diagnostic appears, then goes again.
    let broken = clean.replacen("  kind      = control", "  knd       = control", 1);
    send(
        notif::DidOpenTextDocument::METHOD,
        json!({ "textDocument": { "uri": uri, "languageId": "iacs", "version": 1, "text": clean } }),
    );
    let mut version = 1;
    let mut edit = |text: &str| {
        version += 1;
        send(
            notif::DidChangeTextDocument::METHOD,
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        wait_for_diagnostics(&client, &uri)
    };
    // The typo adds one model error to whatever the policies find.
    let with_typo = edit(&broken);
    assert_eq!(edit(&clean) + 1, with_typo);

    // Kept across criterion's calls, so that every edit changes the diagnostics.
    let mut flip = false;
    c.bench_function("diagnostics after an edit (5,000 lines, 12 files)", |b| {
        b.iter(|| {
            flip = !flip;
            edit(if flip { &broken } else { &clean })
        });
    });

    // Where an edit's time goes: the pipeline's stages and the server's own (`lsp: ...`), the
    // fastest of several edits for each, since the machine may be shared.
    zonelint::timings::enable();
    let _ = zonelint::timings::take();
    let mut best: Vec<(String, Duration)> = Vec::new();
    let mut policies_run = Vec::new();
    for _ in 0..STAGE_RUNS {
        flip = !flip;
        edit(if flip { &broken } else { &clean });
        let timings = zonelint::timings::take();
        policies_run.push(timings.iter().filter(|t| t.kind == "policy").count());
        for t in timings {
            if t.kind != "stage" {
                continue;
            }
            match best.iter_mut().find(|(name, _)| *name == t.name) {
                Some((_, d)) => *d = (*d).min(t.elapsed),
                None => best.push((t.name, t.elapsed)),
            }
        }
    }
    policies_run.sort_unstable();
    eprintln!(
        "policies run again per edit: {} to {} (the others kept their findings)",
        policies_run[0],
        policies_run[policies_run.len() - 1]
    );
    // CPU time of the whole process (server thread, rayon's workers; the client thread only
    // waits) per edit: on a machine shared with other jobs it moves far less than wall time.
    let cpu_before = process_cpu();
    for _ in 0..CPU_RUNS {
        flip = !flip;
        edit(if flip { &broken } else { &clean });
    }
    let cpu = (process_cpu() - cpu_before) / CPU_RUNS as u32;
    eprintln!(
        "CPU time per edit, all threads: {:.2} ms (mean of {CPU_RUNS} edits)",
        cpu.as_secs_f64() * 1000.0
    );
    eprintln!("stages of one edit (fastest of {STAGE_RUNS}, ms):");
    for (name, d) in &best {
        eprintln!("  {:>7.2}  {name}", d.as_secs_f64() * 1000.0);
    }

    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".into(),
            json!(null),
        )))
        .unwrap();
    send(notif::Exit::METHOD, json!(null));
    let _ = server.join();
}

/// CPU time all threads of this process have run, from Linux's /proc (the first field of each
/// task's schedstat, in ns); zero where those files do not exist. Threads that ended earlier
/// are not counted, so take differences over a stretch in which none end.
fn process_cpu() -> Duration {
    let tasks = std::fs::read_dir("/proc/self/task").into_iter().flatten();
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .sum()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
