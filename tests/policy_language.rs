//! Policy-language errors are diagnostics pointing into the policy file, raised at load time;
//! each kind is snapshotted here. Also: the worked custom policy from the docs loads and works.

use std::path::Path;

use zonelint::check::{self, Options};
use zonelint::diagnostics::{RenderOptions, render_all};
use zonelint::model::Date;
use zonelint::model::workspace::{Disk, Limits};
use zonelint::policy::{self, PolicySource};

fn load_with(name: &str, text: &str) -> Result<policy::PolicySet, String> {
    let mut sources: Vec<PolicySource> = policy::builtin_sources(None)
        .into_iter()
        .filter(|s| s.name.ends_with("catalogue.policy"))
        .collect();
    sources.push(PolicySource {
        name: name.to_string(),
        pack: "custom".into(),
        text: text.to_string(),
    });
    policy::load(sources)
        .map_err(|(sources, errors)| render_all(&errors, &sources, RenderOptions::default()))
}

#[test]
fn policy_errors_point_into_the_policy_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-errors");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    assert!(names.len() >= 8);
    for path in names {
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let rendered = load_with(&format!("policy-errors/{name}"), &text)
            .expect_err("every fixture here is broken");
        assert!(
            rendered.contains(&format!("policy-errors/{name}")),
            "{name}: error not located in the file:\n{rendered}"
        );
        insta::with_settings!({ snapshot_path => "snapshots/policy-errors", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name.trim_end_matches(".policy").to_string(), rendered);
        });
    }
}

/// The organisational policy of docs/policy-language.md, run on a model it must flag once.
#[test]
fn the_documented_custom_policy_works() {
    let doc = include_str!("../docs/policy-language.md");
    let start = doc
        .find("policy acme-ews-maintainer")
        .expect("the worked example is in the docs");
    let doc_start = doc[..start].rfind("```policy\n").expect("fenced") + "```policy\n".len();
    let end = start + doc[start..].find("\n```").expect("closed fence");
    let text = &doc[doc_start..end];
    let set = load_with("acme/engineering.policy", text)
        .unwrap_or_else(|e| panic!("the documented policy must load:\n{e}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let model = dir.path().join("plant.iacs");
    std::fs::write(
        &model,
        "organization acme_ot { }\norganization vendor_x { }\nzone control {\n  component ews1 : host-device { functions = [engineering]  maintainer = vendor_x }\n  component ews2 : host-device { functions = [engineering]  maintainer = acme_ot }\n  component hmi1 : host-device { functions = [hmi]  maintainer = vendor_x }\n}\n",
    )
    .expect("write model");
    let options = Options {
        policies: &set,
        limits: Limits::default(),
        today: Date {
            year: 2026,
            month: 6,
            day: 1,
        },
        achieved_levels: false,
    };
    let report = check::check(
        dir.path(),
        &[model],
        &Disk {
            base: dir.path().to_path_buf(),
        },
        &options,
    );
    let hits: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "acme-ews-maintainer")
        .collect();
    assert_eq!(hits.len(), 1, "{:#?}", report.diagnostics);
    assert!(
        hits[0].message.contains("control.ews1"),
        "{}",
        hits[0].message
    );
}
