//! The pre-commit hooks this repository publishes, run by the real `pre-commit` (PyPI) exactly
//! as a user's repository would: `.pre-commit-config.yaml` names this repository (a temporary
//! git commit of the current tree) as a remote repo, pre-commit builds zonelint with
//! `language: rust` (`cargo install` from crates.io), and `git commit` is refused for a model
//! with an error and accepted once it is fixed.
//!
//! The build is the slow part (a release build of zonelint). Its target directory and
//! pre-commit's cache live under `target/pre-commit-test/`, and the commit of the tree is made
//! reproducible (fixed author and dates), so a second run with an unchanged tree reuses both.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::client_available;

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "zonelint tests")
        .env("GIT_AUTHOR_EMAIL", "tests@zonelint.invalid")
        .env("GIT_COMMITTER_NAME", "zonelint tests")
        .env("GIT_COMMITTER_EMAIL", "tests@zonelint.invalid")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A git repository holding the current tree (tracked and untracked files, not ignored ones),
/// committed reproducibly. Returns its path and the commit hash.
fn snapshot_of_this_repository(work: &Path) -> (PathBuf, String) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = ok(git(
        manifest,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    ));
    let repo = work.join("zonelint-src");
    if repo.exists() {
        std::fs::remove_dir_all(&repo).unwrap();
    }
    std::fs::create_dir_all(&repo).unwrap();
    for file in listed.split('\0').filter(|f| !f.is_empty()) {
        let from = manifest.join(file);
        if !from.is_file() {
            continue; // deleted in the work tree but still in the index
        }
        let to = repo.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    ok(git(&repo, &["init", "-q", "-b", "main"]));
    ok(git(&repo, &["add", "-A"]));
    ok(git(
        &repo,
        &["commit", "-q", "-m", "snapshot for the pre-commit test"],
    ));
    let rev = ok(git(&repo, &["rev-parse", "HEAD"])).trim().to_string();
    (repo, rev)
}

fn pre_commit_env(command: &mut Command, work: &Path) {
    command
        .env("PRE_COMMIT_HOME", work.join("cache"))
        .env("CARGO_TARGET_DIR", work.join("cargo-target"))
        .env("CARGO_TERM_COLOR", "never")
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "zonelint tests")
        .env("GIT_AUTHOR_EMAIL", "tests@zonelint.invalid")
        .env("GIT_COMMITTER_NAME", "zonelint tests")
        .env("GIT_COMMITTER_EMAIL", "tests@zonelint.invalid");
}

#[test]
fn pre_commit_runs_the_hooks_refusing_a_broken_model_and_accepting_a_fixed_one() {
    if !client_available("pre-commit", &["--version"]) || !client_available("git", &["--version"]) {
        return;
    }
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit-test");
    std::fs::create_dir_all(&work).unwrap();
    let (source, rev) = snapshot_of_this_repository(&work);

    let user = tempfile::tempdir().unwrap();
    let dir = user.path();
    ok(git(dir, &["init", "-q", "-b", "main"]));
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: zonelint\n      - id: zonelint-fmt\n",
            source.display()
        ),
    )
    .unwrap();
    let mut install = Command::new("pre-commit");
    install.arg("install").current_dir(dir);
    pre_commit_env(&mut install, &work);
    ok(install.output().unwrap());
    // Build the hook environment up front, so a build failure reads as one.
    let mut build = Command::new("pre-commit");
    build.arg("install-hooks").current_dir(dir);
    pre_commit_env(&mut build, &work);
    ok(build.output().unwrap());

    let commit = |message: &str| {
        let mut command = Command::new("git");
        command
            .args(["commit", "-q", "-m", message])
            .current_dir(dir);
        pre_commit_env(&mut command, &work);
        command.output().unwrap()
    };

    // A model with an error: the hook fails and the commit is not made.
    std::fs::write(
        dir.join("plant.iacs"),
        "zone cell { kind = contrl  sl_target = 2 }\n",
    )
    .unwrap();
    ok(git(dir, &["add", "-A"]));
    let refused = commit("add a broken model");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        !refused.status.success(),
        "the commit went through: {output}"
    );
    assert!(output.contains("zonelint check"), "{output}");
    assert!(output.contains("Failed"), "{output}");
    assert!(output.contains("did you mean `control`?"), "{output}");
    assert!(
        !git(dir, &["rev-parse", "HEAD"]).status.success(),
        "no commit exists yet"
    );

    // Fixed (the model `zonelint init` writes, which every built-in policy passes) but laid
    // out by hand: `zonelint-fmt` rewrites the file, so pre-commit stops the commit once.
    let starter = zonelint::config::starter::STARTER_MODEL;
    std::fs::write(
        dir.join("plant.iacs"),
        starter.replace("  owner ", "  owner   "),
    )
    .unwrap();
    ok(git(dir, &["add", "-A"]));
    let reformatted = commit("add the model");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&reformatted.stdout),
        String::from_utf8_lossy(&reformatted.stderr)
    );
    assert!(!reformatted.status.success(), "{output}");
    assert!(
        output.contains("files were modified by this hook"),
        "{output}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("plant.iacs")).unwrap(),
        starter
    );

    // Formatted and clean: both hooks pass and the commit is made.
    ok(git(dir, &["add", "-A"]));
    let accepted = commit("add the model");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&accepted.stdout),
        String::from_utf8_lossy(&accepted.stderr)
    );
    assert!(accepted.status.success(), "{output}");
    assert!(output.contains("Passed"), "{output}");
    let log = ok(git(dir, &["log", "--format=%s"]));
    assert_eq!(log.trim(), "add the model");
}
