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
use crate::cli::discover::discover;
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
        let report = check::check(&root, &entries, &self.vfs, &options(&self.policies));
        self.analysis = Analysis::new(report, &self.vfs);
        self.publish();
    }

    /// Sends the diagnostics of every file whose diagnostics changed, and clears the files that
    /// became clean or left the workspace.
    fn publish(&mut self) {
        let mut current: HashMap<Url, Vec<lsp_types::Diagnostic>> = HashMap::new();
        for info in &self.analysis.files {
            current.entry(info.uri.clone()).or_default();
        }
        for diagnostic in &self.analysis.report.diagnostics {
            let uri = self.analysis.info(diagnostic.primary.file).uri.clone();
            current
                .entry(uri)
                .or_default()
                .push(to_proto::diagnostic(&self.analysis, diagnostic));
        }
        for uri in self.published.keys() {
            current.entry(uri.clone()).or_default();
        }
        for (uri, diagnostics) in &current {
            if self.published.get(uri) == Some(diagnostics) {
                continue;
            }
            let version = uri_to_path(uri)
                .and_then(|p| self.docs.get(&p))
                .map(|d| d.version);
            let params = PublishDiagnosticsParams::new(uri.clone(), diagnostics.clone(), version);
            let note = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
            (self.send)(Message::Notification(note));
        }
        current.retain(|_, d| !d.is_empty());
        self.published = current;
    }
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
