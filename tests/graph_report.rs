//! `zonelint graph` and `zonelint report`: snapshots of every format, colouring, escaping, and
//! the real renderers (Graphviz, headless Chromium) where installed.

mod common;

use std::process::Command;

use common::{check_dir, client_available, fixture, stderr, stdout, zonelint};
use zonelint::compliance;
use zonelint::diagnostics::{Diagnostic, FindingInfo, Label, fingerprint};
use zonelint::model::SlVector;
use zonelint::output::graph::{self, dot, mermaid};
use zonelint::output::report::html;

fn run(args: &[&str]) -> String {
    let out = zonelint(args, &fixture("outputs"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn graph_dot() {
    insta::assert_snapshot!(run(&["graph", "plant"]));
}

#[test]
fn graph_mermaid() {
    insta::assert_snapshot!(run(&["graph", "plant", "--format", "mermaid"]));
}

#[test]
fn report_markdown() {
    insta::assert_snapshot!(run(&["report", "plant"]));
}

#[test]
fn report_html() {
    insta::assert_snapshot!(run(&["report", "plant", "--format", "html"]));
}

#[test]
fn zones_turn_red_below_target_or_with_an_open_error() {
    let mut report = check_dir(&fixture("outputs/plant"));
    let mut compliance = compliance::from_model(&report.model);
    // SL-A known for the DMZ: below SL-T in RDF.
    let dmz = compliance
        .zones
        .iter_mut()
        .find(|z| z.qid == "dmz")
        .unwrap();
    dmz.sl_achieved = Some(SlVector([2, 2, 2, 2, 2, 2, 2]));
    // SL-A known and met for the safety cell.
    let safety = compliance
        .zones
        .iter_mut()
        .find(|z| z.qid == "cell.safety")
        .unwrap();
    safety.sl_achieved = Some(SlVector::uniform(3));
    // SL-A unknown for the vendor zone, but an open error finding on one of its components.
    let link = report.model.lookup("vendor.vendor_link").unwrap();
    let at = report.model.element(link).name_at;
    let mut finding =
        Diagnostic::error("dd-test", "external link", Label::new(at.file, at.span, ""));
    finding.finding = Some(Box::new(FindingInfo {
        element: "vendor.vendor_link".into(),
        fingerprint: fingerprint("dd-test", "vendor.vendor_link"),
        ..FindingInfo::default()
    }));
    report.diagnostics.push(finding);

    let diagram = graph::diagram(&report, &compliance);
    let text = dot::write(&diagram);
    let line = |zone: &str| {
        text.lines()
            .find(|l| l.contains(&format!("tooltip=\"{zone}\"")) && l.contains("fillcolor"))
            .unwrap()
            .to_string()
    };
    assert!(line("dmz").contains("#f8d7da"), "below SL-T is red");
    assert!(
        line("cell.safety").contains("#d4edda"),
        "meets SL-T is green"
    );
    assert!(
        line("vendor").contains("#f8d7da"),
        "open error finding is red"
    );
    assert!(line("enterprise").contains("#e8f1fb"), "unknown is neutral");
    let mermaid = mermaid::write(&diagram);
    assert!(mermaid.contains("class zone4,zone12 failing"), "{mermaid}");
}

#[test]
fn dot_renders_with_graphviz() {
    if !client_available("dot", &["-V"]) {
        return;
    }
    let text = run(&["graph", "plant"]);
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "Graphviz warned: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("<svg"));
    for label in [
        "Industrial DMZ",
        "Safety cell",
        "via fw_it, fw_cell",
        "Cell zone &lt;line 1&gt;",
    ] {
        assert!(svg.contains(label), "missing {label}");
    }
    // The nested zone is drawn inside its parent's cluster.
    assert!(svg.contains("<title>cluster_1</title>"));
}

/// A model whose strings try to break out of the HTML.
const HOSTILE: &str = r#"zone evil "<script>document.title='pwned'</script>" {
  kind = control
  sl_target = 2
  component x : embedded-device "<img src=x onerror=alert(1)>" { sl_capability = 1 }
}
"#;

#[test]
fn html_escapes_every_model_string() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.iacs"), HOSTILE).unwrap();
    let out = zonelint(&["report", "--format", "html", "m.iacs"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(!page.contains("src=\"http"), "no external assets");
    assert!(!page.contains("<link"), "no external stylesheets");
    assert_eq!(
        html::escape("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
}

#[test]
fn html_report_renders_in_headless_chromium_and_the_script_does_not_run() {
    if !client_available("chromium", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.iacs"), HOSTILE).unwrap();
    let report = dir.path().join("report.html");
    let out = zonelint(
        &[
            "report",
            "--format",
            "html",
            "m.iacs",
            "--output",
            report.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let profile = tempfile::tempdir().unwrap();
    let dom = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", report.display()))
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(dom.contains("<table id=\"overview\">"), "{dom}");
    assert!(
        dom.contains("<td class=\"num\">2</td>"),
        "SL-T cells rendered"
    );
    // Had the script run, it would have renamed the page.
    assert!(dom.contains("<title>zonelint compliance report</title>"));
    assert!(!dom.contains("pwned</title>"));
    assert!(
        !dom.contains("<script"),
        "no script element reached the DOM"
    );
}

fn example(args: &[&str]) -> String {
    let out = zonelint(
        args,
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
    );
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn graph_of_the_water_treatment_example() {
    insta::assert_snapshot!(
        "water_treatment_dot",
        example(&["graph", "water-treatment"])
    );
    insta::assert_snapshot!(
        "water_treatment_mermaid",
        example(&["graph", "water-treatment", "--format", "mermaid"])
    );
}
