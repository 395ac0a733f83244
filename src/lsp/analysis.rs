//! One build of the workspace and everything the handlers look up in it: the report, each
//! file's URI and line index, and the reverse index from positions to elements.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Url};

use super::index::SymbolIndex;
use super::line_index::LineIndex;
use super::vfs::{Vfs, normalize};
use crate::check::Report;
use crate::diagnostics::FileId;
use crate::syntax::Span;

pub struct FileInfo {
    pub uri: Url,
    pub path: PathBuf,
    pub lines: LineIndex,
}

pub struct Analysis {
    pub report: Report,
    pub files: Vec<FileInfo>,
    by_path: HashMap<PathBuf, FileId>,
    pub index: SymbolIndex,
}

/// The path a `file:` URI names, in the form the loader uses (canonical when it exists).
pub fn uri_to_path(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    let path = uri.to_file_path().ok()?;
    Some(std::fs::canonicalize(&path).unwrap_or_else(|_| normalize(&path)))
}

impl Analysis {
    pub fn new(report: Report, vfs: &Vfs) -> Analysis {
        let mut files = Vec::new();
        let mut by_path = HashMap::new();
        for (id, source) in report.model.sources.iter() {
            let path = vfs
                .path_of(&source.name)
                .unwrap_or_else(|| vfs.root.join(&source.name));
            let uri = Url::from_file_path(&path)
                .unwrap_or_else(|()| Url::parse("file:///unknown").expect("a valid URL"));
            by_path.insert(path.clone(), id);
            files.push(FileInfo {
                uri,
                path,
                lines: LineIndex::new(&source.text),
            });
        }
        let index = SymbolIndex::build(&report.model);
        Analysis {
            report,
            files,
            by_path,
            index,
        }
    }

    pub fn file(&self, uri: &Url) -> Option<FileId> {
        let path = uri_to_path(uri)?;
        self.file_by_path(&path)
    }

    pub fn file_by_path(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.report.model.sources.get(file).text
    }

    pub fn info(&self, file: FileId) -> &FileInfo {
        &self.files[file.0 as usize]
    }

    pub fn range(&self, file: FileId, span: Span) -> Range {
        let lines = &self.info(file).lines;
        let text = self.text(file);
        Range::new(
            lines.position(text, span.start),
            lines.position(text, span.end),
        )
    }

    pub fn location(&self, file: FileId, span: Span) -> lsp_types::Location {
        lsp_types::Location::new(self.info(file).uri.clone(), self.range(file, span))
    }

    pub fn offset(&self, file: FileId, position: Position) -> usize {
        self.info(file).lines.offset(self.text(file), position)
    }
}
