//! The real binary, run the way users and CI run it: exit codes, output formats, colour, and
//! which files a directory check reads. Output is snapshotted as `tests/snapshots/cli__*.snap`,
//! with the temporary directory replaced by `[ROOT]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_zonelint");

/// The parties of the plant: an organization, declared in a file of its own.
const PARTIES: &str = "organization acme \"Acme Water\" { roles = [asset-owner] }\n";

/// A small plant that passes every built-in policy (with PARTIES beside it). Should a new
/// policy report something here, either the policy has a false positive or this model needs
/// the attribute the policy asks for.
const CLEAN: &str = r#"import "parties.iacs"

system works "Acme water works" {
  owner         = acme
  perimeter     = "The works network from the DMZ firewall inwards"
  access_points = [dmz_to_control]
}

zone control "Cell zone" {
  kind              = control
  level             = 1
  sl_target         = 1
  owner             = acme
  boundary          = "VLAN 10 behind fw1"
  physical_boundary = "Cabinet C1"
  segmentation      = vlan
  component plc1 : embedded-device { sl_capability = 1 }
}

zone dmz "OT DMZ" {
  kind              = dmz
  level             = 3.5
  sl_target         = 1
  owner             = acme
  boundary          = "VLAN 20 behind fw1"
  physical_boundary = "Server room rack R1"
  segmentation      = vlan
  component historian : host-device { sl_capability = 1  malware_protection = central }
  component fw1 : network-device { sl_capability = 1  functions = [firewall]  config_record = "Rule base FW1-2026" }
}

conduit dmz_to_control "Historian polling" {
  zones     = [dmz, control]
  sl_target = 1
  via       = fw1
  default   = deny
  flow polling : historian -> plc1 { protocol = opc-ua  port = 4840  auth = certificate  integrity = cryptographic  encryption = tls }
}

evidence operations_records "Audit storage, integrity checks and backups" {
  requirement = ["SR 2.9", "SR 3.3", "SR 7.3", "SR 7.4", "SR 7.5"]
  scope       = [control, dmz]
  location    = "https://wiki.example/ot/records"
  date        = 2026-03-01
}
"#;

/// CLEAN with model errors that fill every field of the JSON output: a note (an import
/// cycle, with BROKEN_PARTIES), a related location (the duplicate), help. Nothing else: the
/// policies find the rest of the plant in order.
fn broken() -> String {
    CLEAN
        .replace(
            "  kind              = control\n",
            "  kind              = control\n  levle             = 1\n  kind              = dmz\n",
        )
        .replace(
            "component plc1 : embedded-device { sl_capability = 1 }",
            "component plc1 : embedded-device { sl_capability = 1  zone = dmz }",
        )
}

/// PARTIES importing the plant back, which closes an import cycle.
const BROKEN_PARTIES: &str =
    "import \"plant.iacs\"\norganization acme \"Acme Water\" { roles = [asset-owner] }\n";

/// A temporary project: a directory with a `.git` marker, so it is its own workspace root
/// whatever lies above it.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(dir.path().join(".git")).expect("a .git marker");
        Project { dir }
    }

    fn root(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).expect("the temporary directory exists")
    }

    fn write(&self, path: &str, text: &str) -> &Project {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a directory"))
            .expect("a directory for the file");
        std::fs::write(path, text).expect("a written file");
        self
    }

    /// Runs zonelint in the project directory, without colour and at a fixed width.
    fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args)
    }

    fn run_in(&self, subdir: &str, args: &[&str]) -> Run {
        let output = Command::new(BIN)
            .args(args)
            .current_dir(self.root().join(subdir))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .output()
            .expect("zonelint runs");
        let root = self.root();
        let clean = |bytes: &[u8]| {
            String::from_utf8(bytes.to_vec())
                .expect("zonelint prints UTF-8")
                .replace(&*root.to_string_lossy(), "[ROOT]")
        };
        Run {
            code: output.status.code().expect("zonelint exits normally"),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn transcript(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn snapshot(name: &str, run: &Run) {
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, run.transcript()));
}

#[test]
fn a_clean_model_exits_0() {
    let project = Project::new();
    project
        .write("plant.iacs", CLEAN)
        .write("parties.iacs", PARTIES);
    let run = project.run(&["check", "plant.iacs"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    snapshot("clean", &run);
}

#[test]
fn a_broken_model_exits_1() {
    let project = Project::new();
    project
        .write("plant.iacs", &broken())
        .write("parties.iacs", BROKEN_PARTIES);
    let run = project.run(&["check", "plant.iacs"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    snapshot("broken", &run);
}

#[test]
fn a_missing_path_exits_2() {
    let project = Project::new();
    let run = project.run(&["check", "no/such/model.iacs"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stdout.is_empty());
    snapshot("missing_path", &run);
}

#[test]
fn bad_arguments_exit_2() {
    let project = Project::new();
    for (name, args) in [
        ("unknown_format", &["check", "--format", "xml"][..]),
        ("unknown_flag", &["check", "--bogus"][..]),
        ("no_subcommand", &[][..]),
    ] {
        let run = project.run(args);
        assert_eq!(run.code, 2, "{name}: {}", run.transcript());
        snapshot(&format!("bad_arguments__{name}"), &run);
    }
}

#[test]
fn help_and_version() {
    let project = Project::new();
    let help = project.run(&["--help"]);
    assert_eq!(help.code, 0);
    snapshot("help", &help);
    let check_help = project.run(&["check", "--help"]);
    assert_eq!(check_help.code, 0);
    snapshot("check_help", &check_help);
    let version = project.run(&["--version"]);
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout,
        format!("zonelint {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// ----- JSON -----

#[test]
fn json_output_matches_the_documented_schema() {
    let project = Project::new();
    project
        .write("plant.iacs", &broken())
        .write("parties.iacs", BROKEN_PARTIES);
    let run = project.run(&["check", "--format", "json", "plant.iacs"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let document: Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    let schema = documented_schema();
    let mut problems = Vec::new();
    check_object(&document, "Document", &schema, "$", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(document["summary"]["errors"], 4);
    let files: Vec<&Value> = document["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| &d["location"]["file"])
        .collect();
    assert!(
        files
            .iter()
            .all(|f| *f == "plant.iacs" || *f == "parties.iacs"),
        "file names are relative to the current directory: {files:?}"
    );
    let versionless = run.stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("json", versionless));
}

#[test]
fn json_output_of_a_clean_model() {
    let project = Project::new();
    project
        .write("plant.iacs", CLEAN)
        .write("parties.iacs", PARTIES);
    let run = project.run(&["check", "--format", "json", "plant.iacs"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let document: Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    let mut problems = Vec::new();
    check_object(
        &document,
        "Document",
        &documented_schema(),
        "$",
        &mut problems,
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(document["diagnostics"], Value::Array(Vec::new()));
}

/// The field tables of docs/json-output.md: object name -> (field, type).
fn documented_schema() -> BTreeMap<String, Vec<(String, String)>> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json-output.md"))
            .expect("docs/json-output.md exists");
    let mut schema: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current = None;
    for line in doc.lines() {
        if let Some(name) = line.strip_prefix("### ") {
            current = Some(name.trim().to_string());
            continue;
        }
        let Some(object) = &current else { continue };
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [_, field, ty, ..] = cells.as_slice()
            && let Some(field) = field.strip_prefix('`').and_then(|f| f.strip_suffix('`'))
        {
            schema
                .entry(object.clone())
                .or_default()
                .push((field.to_string(), ty.to_string()));
        }
    }
    assert!(
        schema.contains_key("Document"),
        "docs/json-output.md has no Document table"
    );
    schema
}

fn check_object(
    value: &Value,
    object: &str,
    schema: &BTreeMap<String, Vec<(String, String)>>,
    path: &str,
    problems: &mut Vec<String>,
) {
    let Some(fields) = schema.get(object) else {
        problems.push(format!(
            "{path}: the documentation has no table for {object}"
        ));
        return;
    };
    let Some(map) = value.as_object() else {
        problems.push(format!("{path}: expected an object ({object})"));
        return;
    };
    for key in map.keys() {
        if !fields.iter().any(|(f, _)| f == key) {
            problems.push(format!("{path}.{key}: not documented for {object}"));
        }
    }
    for (field, ty) in fields {
        let at = format!("{path}.{field}");
        // "string, absent unless ..." documents a field that appears only in some cases.
        let (ty, optional) = match ty.split_once(", absent unless") {
            Some((ty, _)) => (ty, true),
            None => (ty.as_str(), false),
        };
        match map.get(field) {
            None if optional => {}
            None => problems.push(format!("{at}: documented but missing")),
            Some(v) => check_type(v, ty, schema, &at, problems),
        }
    }
}

fn check_type(
    value: &Value,
    ty: &str,
    schema: &BTreeMap<String, Vec<(String, String)>>,
    path: &str,
    problems: &mut Vec<String>,
) {
    let ok = match ty {
        "integer" => value.is_u64(),
        "string" => value.is_string(),
        "string or null" => value.is_string() || value.is_null(),
        _ => {
            if let Some(object) = ty
                .strip_prefix("object (")
                .and_then(|t| t.strip_suffix(')'))
            {
                check_object(value, object, schema, path, problems);
                return;
            }
            if let Some(item) = ty.strip_prefix("array of ") {
                let Some(items) = value.as_array() else {
                    problems.push(format!("{path}: expected an array"));
                    return;
                };
                for (i, element) in items.iter().enumerate() {
                    let at = format!("{path}[{i}]");
                    if item == "string" {
                        check_type(element, "string", schema, &at, problems);
                    } else {
                        check_object(element, item, schema, &at, problems);
                    }
                }
                return;
            }
            problems.push(format!(
                "{path}: the documented type `{ty}` is not understood"
            ));
            return;
        }
    };
    if !ok {
        problems.push(format!("{path}: expected {ty}, found {value}"));
    }
}

// ----- colour -----

const ESC: char = '\u{1b}';

#[test]
fn no_color_is_respected_when_piped() {
    let project = Project::new();
    project
        .write("plant.iacs", &broken())
        .write("parties.iacs", BROKEN_PARTIES);
    // `--color auto`, the default.
    let auto = project.run(&["check", "plant.iacs"]);
    assert!(auto.stdout.contains("unknown-attribute"));
    assert!(!auto.stdout.contains(ESC) && !auto.stderr.contains(ESC));
    let always = project.run(&["check", "--color", "always", "plant.iacs"]);
    assert!(
        always.stdout.contains(ESC),
        "--color always colours even a pipe"
    );
}

/// On a terminal zonelint colours its output, unless NO_COLOR is set. The terminal is a
/// pseudo-terminal made by `script` (util-linux).
#[test]
fn no_color_is_respected_on_a_terminal() {
    if !client_available("script", &["--version"]) {
        return;
    }
    let project = Project::new();
    project
        .write("plant.iacs", &broken())
        .write("parties.iacs", BROKEN_PARTIES);
    let on_terminal = |no_color: Option<&str>| {
        let mut command = Command::new("script");
        command
            .args(["-qec", &format!("{BIN} check plant.iacs"), "/dev/null"])
            .current_dir(project.root())
            .env_remove("NO_COLOR");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let output = command.output().expect("script runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let coloured = on_terminal(None);
    assert!(coloured.contains("unknown-attribute"), "{coloured}");
    assert!(
        coloured.contains(ESC),
        "a terminal without NO_COLOR gets colour"
    );
    let plain = on_terminal(Some("1"));
    assert!(plain.contains("unknown-attribute"), "{plain}");
    assert!(
        !plain.contains(ESC),
        "NO_COLOR=1 turns colour off:\n{plain}"
    );
}

/// Whether an external program runs. When it does not, the test is skipped with a reason,
/// unless ZONELINT_REQUIRE_CLIENTS=1 asks for a failure instead.
fn client_available(program: &str, args: &[&str]) -> bool {
    let found = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("ZONELINT_REQUIRE_CLIENTS").as_deref() != Ok("1"),
            "`{program}` is required (ZONELINT_REQUIRE_CLIENTS=1) but does not run"
        );
        eprintln!("skipped: `{program}` is not installed");
    }
    found
}

// ----- which files a check reads -----

#[test]
fn a_directory_check_finds_nested_files_and_skips_hidden_and_build_directories() {
    let project = Project::new();
    project
        .write("models/plant.iacs", CLEAN)
        .write("models/parties.iacs", PARTIES)
        .write(
            "models/site/north/operators.iacs",
            "organization north_ops \"North pumping\" { roles = [maintenance-service-provider] }\n",
        )
        .write("models/.drafts/broken.iacs", "zone {")
        .write("models/target/broken.iacs", "zone {")
        .write("models/node_modules/broken.iacs", "zone {")
        .write("models/notes.txt", "not a model\n");
    let run = project.run(&["check", "models"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    // plant.iacs, parties.iacs and the nested operators.iacs; none of the broken ones.
    assert!(
        run.stdout.contains("checked 3 files"),
        "{}",
        run.transcript()
    );
    snapshot("directory", &run);
}

#[test]
fn an_import_outside_the_checked_directory_but_inside_the_git_root_works() {
    let project = Project::new();
    project.write("common/parties.iacs", PARTIES).write(
        "sites/north/plant.iacs",
        &CLEAN.replace("\"parties.iacs\"", "\"../../common/parties.iacs\""),
    );
    let run = project.run(&["check", "sites/north"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("checked 2 files"),
        "{}",
        run.transcript()
    );
    // Run from inside the checked directory: the root is still found through `.git`.
    let from_inside = project.run_in("sites/north", &["check", "."]);
    assert_eq!(from_inside.code, 0, "{}", from_inside.transcript());
}

#[test]
fn an_import_beyond_the_root_is_refused() {
    let project = Project::new();
    // The file exists, one level above the repository: refused all the same.
    project
        .write("outside.iacs", PARTIES)
        .write("repo/.git/HEAD", "ref: refs/heads/main\n")
        .write(
            "repo/models/plant.iacs",
            &CLEAN.replace("\"parties.iacs\"", "\"../../outside.iacs\""),
        );
    let run = project.run_in("repo", &["check", "models"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("import-outside-workspace"));
    snapshot("import_beyond_root", &run);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_root_is_refused() {
    let project = Project::new();
    project
        .write("outside.iacs", "organization acme {}\n")
        .write("repo/.git/HEAD", "ref: refs/heads/main\n")
        .write(
            "repo/plant.iacs",
            "import \"parties.iacs\"\nzone control { owner = acme }\n",
        );
    std::os::unix::fs::symlink(
        project.root().join("outside.iacs"),
        project.root().join("repo/parties.iacs"),
    )
    .expect("a symbolic link");
    // Checking the file itself (the link is not an entry: it is only reached by the import).
    let run = project.run_in("repo", &["check", "plant.iacs"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("import-outside-workspace"),
        "{}",
        run.transcript()
    );
}
