//! The server's state between messages: workspace folders, open documents, the last analysis,
//! and what was last published.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{PublishDiagnosticsParams, Url};

use super::analysis::{Analysis, uri_to_path};
use super::to_proto;
use super::vfs::Vfs;
use crate::check;
use crate::check::incremental::Previous;
use crate::cli::discover::discover;
use crate::diagnostics::{Diagnostic, FileId};
use crate::model::Date;
use crate::model::workspace::Limits;
use crate::policy::{self, PolicySet};

pub struct Document {
    pub version: i32,
    pub text: Arc<str>,
}

/// Sends a message to the client (the channel type belongs to lsp-server's dependencies).
pub type Send = Box<dyn Fn(Message)>;

pub struct Server {
    send: Send,
    /// Workspace folders, as given by the client.
    roots: Vec<PathBuf>,
    /// Model files found under the roots.
    discovered: Vec<PathBuf>,
    discovered_root: Option<PathBuf>,
    pub docs: HashMap<PathBuf, Document>,
    pub vfs: Vfs,
    pub analysis: Analysis,
    /// The built-in policy packs, loaded once.
    policies: PolicySet,
    pub stale: bool,
    published: HashMap<Url, Vec<lsp_types::Diagnostic>>,
    /// What each policy found in the last build, for the next one to keep where it can.
    runs: Option<check::incremental::PolicyRuns>,
}

impl Server {
    /// The loaded catalogues and policies, for hover and completion.
    pub fn policies(&self) -> &PolicySet {
        &self.policies
    }

    pub fn new(send: Send, roots: Vec<PathBuf>) -> Server {
        let vfs = Vfs::default();
        let policies = match policy::load(policy::builtin_sources(None)) {
            Ok(policies) => policies,
            Err((_, errors)) => {
                // The built-in packs are tested; should they fail, the model is still checked.
                eprintln!(
                    "zonelint lsp: {} problem(s) in the built-in policies",
                    errors.len()
                );
                PolicySet::default()
            }
        };
        let empty = check::check(Path::new("/"), &[], &vfs, &options(&policies));
        let mut server = Server {
            policies,
            send,
            roots,
            discovered: Vec::new(),
            discovered_root: None,
            docs: HashMap::new(),
            analysis: Analysis::new(empty, &vfs),
            vfs,
            stale: true,
            published: HashMap::new(),
            runs: None,
        };
        server.rediscover();
        server
    }

    /// Finds the model files under the workspace folders again (same rules as `zonelint check`).
    pub fn rediscover(&mut self) {
        self.discovered.clear();
        self.discovered_root = None;
        let roots: Vec<PathBuf> = self.roots.iter().filter(|r| r.exists()).cloned().collect();
        if roots.is_empty() {
            return;
        }
        match discover(&roots) {
            Ok(found) => {
                for warning in found.warnings {
                    eprintln!("zonelint lsp: {warning}");
                }
                self.discovered = found.files;
                self.discovered_root = Some(found.root);
            }
            Err(message) => eprintln!("zonelint lsp: {message}"),
        }
        self.vfs.forget_all_disk();
        self.stale = true;
    }

    pub fn set_roots(&mut self, roots: Vec<PathBuf>) {
        self.roots = roots;
        self.rediscover();
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    pub fn open(&mut self, uri: Url, version: i32, text: String) {
        let Some(path) = uri_to_path(&uri) else {
            return;
        };
        let text: Arc<str> = Arc::from(text);
        self.vfs.open.insert(path.clone(), text.clone());
        self.docs.insert(path, Document { version, text });
        self.stale = true;
    }

    pub fn change(&mut self, uri: &Url, version: i32, text: String) {
        let Some(path) = uri_to_path(uri) else { return };
        let text: Arc<str> = Arc::from(text);
        self.vfs.open.insert(path.clone(), text.clone());
        match self.docs.get_mut(&path) {
            Some(doc) => {
                doc.version = version;
                doc.text = text;
            }
            None => {
                self.docs.insert(path, Document { version, text });
            }
        }
        self.stale = true;
    }

    pub fn close(&mut self, uri: &Url) {
        let Some(path) = uri_to_path(uri) else { return };
        self.docs.remove(&path);
        self.vfs.open.remove(&path);
        self.vfs.forget_disk(&path);
        self.stale = true;
    }

    /// A file changed on disk (saved, or changed by another program).
    pub fn disk_changed(&mut self, uri: &Url) {
        if let Some(path) = uri_to_path(uri) {
            self.vfs.forget_disk(&path);
        }
        self.stale = true;
    }

    pub fn document(&self, uri: &Url) -> Option<&Document> {
        self.docs.get(&uri_to_path(uri)?)
    }

    /// Rebuilds the model if anything changed since the last build.
    pub fn refresh(&mut self) {
        if !self.stale {
            return;
        }
        self.stale = false;
        let mut entries: BTreeSet<PathBuf> = self.discovered.iter().cloned().collect();
        entries.extend(
            self.docs
                .keys()
                .filter(|p| p.extension().is_some_and(|e| e == "iacs"))
                .cloned(),
        );
        let entries: Vec<PathBuf> = entries.into_iter().collect();
        let root = self.discovered_root.clone().unwrap_or_else(|| {
            // No workspace folder: each open file is checked with its own directory as root.
            common_dir(&entries)
        });
        self.vfs.root = root.clone();
        // Policies the edit cannot change keep their findings (check/incremental.rs).
        let previous = self.runs.take().map(|runs| Previous {
            model: &self.analysis.report.model,
            runs,
        });
        let (report, runs) = check::incremental::check(
            &root,
            &entries,
            &self.vfs,
            &options(&self.policies),
            previous,
        );
        self.runs = Some(runs);
        let timing = crate::timings::start("stage", "lsp: index");
        let analysis = Analysis::new(report, &self.vfs);
        drop(timing);
        let previous = std::mem::replace(&mut self.analysis, analysis);
        let timing = crate::timings::start("stage", "lsp: publish");
        self.publish(&previous);
        drop(timing);
        // Freeing a whole model and report takes a millisecond or two at 5,000 lines; the next
        // keystroke need not wait for it.
        rayon::spawn(move || drop(previous));
    }

    /// Sends the diagnostics of every file whose diagnostics changed, and clears the files that
    /// became clean or left the workspace.
    ///
    /// A file whose text, findings and related files are the same as in the `previous` build
    /// keeps what was published for it: converting thousands of unchanged findings to LSP
    /// (messages, UTF-16 positions, URLs) after every keystroke only to compare them was most of
    /// this step.
    fn publish(&mut self, previous: &Analysis) {
        let analysis = &self.analysis;
        let unchanged = unchanged_files(previous, analysis);
        let before = by_file(previous);
        let now = by_file(analysis);
        let mut uses = HashMap::<&Url, usize>::new();
        for info in &analysis.files {
            *uses.entry(&info.uri).or_default() += 1;
        }
        let mut old = std::mem::take(&mut self.published);
        let mut current: HashMap<Url, Vec<lsp_types::Diagnostic>> = HashMap::new();
        let mut changed: Vec<Url> = Vec::new();
        for (i, info) in analysis.files.iter().enumerate() {
            let group = &now[i];
            let reusable = unchanged[i]
                && uses[&info.uri] == 1
                && before[i] == *group
                && group.iter().all(|d| {
                    d.secondary
                        .iter()
                        .all(|l| unchanged.get(l.file.0 as usize) == Some(&true))
                });
            if reusable {
                // Clean files are not kept in `published`; they are cleared again below.
                let kept = old.remove(&info.uri).unwrap_or_default();
                if kept.is_empty() {
                    changed.push(info.uri.clone());
                }
                current.insert(info.uri.clone(), kept);
                continue;
            }
            let entry = current.entry(info.uri.clone()).or_default();
            entry.extend(group.iter().map(|d| to_proto::diagnostic(analysis, d)));
            changed.push(info.uri.clone());
        }
        // Files that left the workspace (or whose diagnostics now sit elsewhere): clear them.
        for uri in old.keys() {
            if !current.contains_key(uri) {
                current.insert(uri.clone(), Vec::new());
                changed.push(uri.clone());
            }
        }
        changed.sort();
        changed.dedup();
        for uri in changed {
            let diagnostics = &current[&uri];
            if !diagnostics.is_empty() && old.get(&uri) == Some(diagnostics) {
                continue;
            }
            let version = uri_to_path(&uri)
                .and_then(|p| self.docs.get(&p))
                .map(|d| d.version);
            let params = PublishDiagnosticsParams::new(uri, diagnostics.clone(), version);
            let note = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
            (self.send)(Message::Notification(note));
        }
        current.retain(|_, d| !d.is_empty());
        self.published = current;
    }
}

/// For each file of `now`, whether it is the same file with the same text as in `previous`
/// (the same file list in the same order, so file ids mean the same in both).
fn unchanged_files(previous: &Analysis, now: &Analysis) -> Vec<bool> {
    let same_list = previous.files.len() == now.files.len()
        && previous
            .files
            .iter()
            .zip(&now.files)
            .all(|(a, b)| a.uri == b.uri);
    (0..now.files.len())
        .map(|i| {
            let id = FileId(i as u32);
            same_list
                && previous.report.model.sources.get(id).name
                    == now.report.model.sources.get(id).name
                && previous.text(id) == now.text(id)
        })
        .collect()
}

/// The diagnostics of each file, by the file of their primary label, in report order.
fn by_file(analysis: &Analysis) -> Vec<Vec<&Diagnostic>> {
    let mut groups = vec![Vec::new(); analysis.files.len()];
    for d in &analysis.report.diagnostics {
        if let Some(group) = groups.get_mut(d.primary.file.0 as usize) {
            group.push(d);
        }
    }
    groups
}

fn options(policies: &PolicySet) -> check::Options<'_> {
    check::Options {
        policies,
        limits: Limits::default(),
        today: Date::today(),
        achieved_levels: true,
    }
}

fn common_dir(paths: &[PathBuf]) -> PathBuf {
    let mut dirs = paths.iter().filter_map(|p| p.parent());
    let Some(first) = dirs.next() else {
        return PathBuf::from("/");
    };
    let mut common = first.to_path_buf();
    for dir in dirs {
        while !dir.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;

    type Seen = Rc<RefCell<HashMap<Url, Vec<lsp_types::Diagnostic>>>>;

    /// A server on `root` that records what a client would show: the last diagnostics
    /// published for each file.
    fn server(root: &Path) -> (Server, Seen) {
        let seen: Seen = Rc::default();
        let sink = seen.clone();
        let send: Send = Box::new(move |message| {
            if let Message::Notification(note) = message {
                let p: PublishDiagnosticsParams = serde_json::from_value(note.params).unwrap();
                sink.borrow_mut().insert(p.uri, p.diagnostics);
            }
        });
        (Server::new(send, vec![root.to_path_buf()]), seen)
    }

    fn shown(seen: &Seen) -> HashMap<Url, Vec<lsp_types::Diagnostic>> {
        let mut shown = seen.borrow().clone();
        shown.retain(|_, d| !d.is_empty());
        shown
    }

    const ZONES: &str = "\
organization org \"Org\" {
  roles = [asset-owner]
}

/// The cell.
zone cell \"Cell\" {
  kind      = control
  level     = 1
  sl_target = 2
  owner     = org
  component plc : embedded-device \"PLC\" {
    vendor        = \"V\"
    sl_capability = [2, 2, 2, 1, 2, 1, 2]
    maintainer    = org
  }
}

zone ops {
  kind      = control
  level     = 2
  sl_target = 2
  owner     = org
  component hmi : host-device { sl_capability = [2, 2, 2, 2, 2, 2, 2] }
}
";

    const CONDUITS: &str = "\
conduit link {
  zones   = [cell, ops]
  default = deny
  flow f0 : plc -> hmi { protocol = opc-ua  port = 4840 }
}
";

    /// After every edit, what the client shows equals what a server that starts from scratch
    /// on the same texts shows, so reusing unchanged files' diagnostics never leaves one stale.
    #[test]
    fn incremental_diagnostics_equal_a_full_check_after_each_edit() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("zones.iacs"), ZONES).unwrap();
        std::fs::write(root.join("conduits.iacs"), CONDUITS).unwrap();
        let zones = Url::from_file_path(root.join("zones.iacs")).unwrap();
        let conduits = Url::from_file_path(root.join("conduits.iacs")).unwrap();

        let (mut server, seen) = server(&root);
        server.refresh();
        server.open(zones.clone(), 1, ZONES.into());
        server.open(conduits.clone(), 1, CONDUITS.into());
        server.refresh();

        let edits: Vec<(&Url, String)> = vec![
            // A typo: one model error, and the findings that read `kind` change.
            (&zones, ZONES.replacen("  kind ", "  knd  ", 1)),
            (&zones, ZONES.into()),
            // A renamed zone: the conduit in the other file no longer resolves.
            (&zones, ZONES.replace("zone ops {", "zone ops2 {")),
            (&zones, ZONES.into()),
            // Lines above everything: every span of the file moves, and the related
            // information the other file's findings point at with it.
            (&zones, format!("// a\n// b\n\n{ZONES}")),
            // A component the flow names disappears.
            (
                &zones,
                ZONES.replace("  component hmi", "  // component hmi"),
            ),
            (&zones, ZONES.into()),
            // An edit in the other file only.
            (
                &conduits,
                CONDUITS.replace("}\n", "  flow f1 : hmi -> plc { protocol = https }\n}\n"),
            ),
            // Capability changes: findings change, nothing else.
            (
                &zones,
                ZONES.replace("[2, 2, 2, 1, 2, 1, 2]", "[1, 1, 1, 1, 1, 1, 1]"),
            ),
            // Half-typed text, then the same text again (nothing to rebuild differently).
            (&zones, ZONES.replace("zone ops {", "zone ops { compo")),
            (&zones, ZONES.replace("zone ops {", "zone ops { compo")),
            (&conduits, CONDUITS.into()),
            (&zones, ZONES.into()),
        ];
        let mut versions = HashMap::new();
        for (step, (uri, text)) in edits.into_iter().enumerate() {
            let version = versions.entry(uri.clone()).or_insert(1);
            *version += 1;
            server.change(uri, *version, text.clone());
            server.refresh();

            let (mut fresh, fresh_seen) = self::server(&root);
            for (path, doc) in &server.docs {
                let uri = Url::from_file_path(path).unwrap();
                fresh.open(uri, doc.version, doc.text.to_string());
            }
            fresh.refresh();
            let expected = shown(&fresh_seen);
            assert!(!expected.is_empty(), "step {step}: the model has findings");
            assert_eq!(shown(&seen), expected, "step {step}");
        }

        // A closed document falls back to the disk; a removed file is cleared.
        server.close(&zones);
        std::fs::remove_file(root.join("conduits.iacs")).unwrap();
        server.close(&conduits);
        server.rediscover();
        server.refresh();
        let (mut fresh, fresh_seen) = self::server(&root);
        fresh.refresh();
        assert_eq!(shown(&seen), shown(&fresh_seen));
        assert!(!shown(&seen).contains_key(&conduits));
    }
}
