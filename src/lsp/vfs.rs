//! The files the server sees: open documents' unsaved text over the disk.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::model::workspace::FileSystem;
use crate::syntax::{self, SyntaxFile};

/// Open documents by path, and a cache of disk contents so a rebuild after a keystroke does
/// not read every file again. The cache is dropped for a file when the client reports it
/// changed on disk.
#[derive(Default)]
pub struct Vfs {
    pub open: HashMap<PathBuf, Arc<str>>,
    disk: RefCell<HashMap<PathBuf, Arc<[u8]>>>,
    /// The last tree parsed for each file, with the text it was parsed from.
    trees: RefCell<HashMap<PathBuf, (Arc<str>, SyntaxFile)>>,
    /// Display name -> path, filled as the loader names files, to map diagnostics back.
    names: RefCell<HashMap<String, PathBuf>>,
    pub root: PathBuf,
}

impl Vfs {
    pub fn forget_disk(&self, path: &Path) {
        self.disk.borrow_mut().remove(path);
    }
    pub fn forget_all_disk(&self) {
        self.disk.borrow_mut().clear();
    }
    pub fn path_of(&self, name: &str) -> Option<PathBuf> {
        self.names.borrow().get(name).cloned()
    }
}

/// `a/./b/../c` -> `a/c`, without touching the disk (for documents not saved yet).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl FileSystem for Vfs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if let Some(text) = self.open.get(path) {
            return Ok(text.as_bytes().to_vec());
        }
        if let Some(bytes) = self.disk.borrow().get(path) {
            return Ok(bytes.to_vec());
        }
        let bytes = std::fs::read(path)?;
        self.disk
            .borrow_mut()
            .insert(path.to_path_buf(), Arc::from(bytes.as_slice()));
        Ok(bytes)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        match std::fs::canonicalize(path) {
            Ok(p) => Ok(p),
            Err(err) => {
                let normal = normalize(path);
                if self.open.contains_key(&normal) {
                    Ok(normal)
                } else {
                    Err(err)
                }
            }
        }
    }

    fn parse(&self, path: &Path, text: &str) -> SyntaxFile {
        if let Some((cached, tree)) = self.trees.borrow().get(path)
            && **cached == *text
        {
            return tree.clone();
        }
        let tree = syntax::parse(text);
        self.trees
            .borrow_mut()
            .insert(path.to_path_buf(), (Arc::from(text), tree.clone()));
        tree
    }

    fn display_name(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        let name = shown.to_string_lossy().replace('\\', "/");
        self.names
            .borrow_mut()
            .insert(name.clone(), path.to_path_buf());
        name
    }
}
