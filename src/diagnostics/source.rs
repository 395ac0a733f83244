//! The files of one run: their display names and texts, addressed by [`FileId`].

use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FileId(pub u32);

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should read it: relative to the workspace root, `/` separated.
    pub name: String,
    pub text: Arc<str>,
}

#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Line starts of each file, computed when first asked for.
    lines: Vec<OnceLock<Arc<LineIndex>>>,
}

/// Where each line of a text starts, so that a byte offset becomes a line in O(log n) instead
/// of a scan from the top of the file (outputs ask for every label of every diagnostic).
#[derive(Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0. Lines end at `\n`.
    starts: Vec<usize>,
    /// The text has a carriage return not followed by a line feed, which some renderers count
    /// as a line break of its own.
    pub lone_carriage_return: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        // memchr scans a word or a vector at a time: every file is indexed once per run, and
        // a byte-by-byte scan of a large workspace showed up in profiles.
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let lone_carriage_return =
            memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        LineIndex {
            starts,
            lone_carriage_return,
        }
    }
    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }
    /// The length in bytes of a 0-based line, its line break included; 0 past the last line.
    pub fn line_len(&self, line: usize, text_len: usize) -> usize {
        match (self.starts.get(line), self.starts.get(line + 1)) {
            (Some(start), Some(next)) => next - start,
            (Some(start), None) => text_len - start,
            _ => 0,
        }
    }
    /// The byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        self.lines.push(OnceLock::new());
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 4 billion files"))
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.iter().find(|(_, f)| f.name == name).map(|(id, _)| id)
    }
    /// The line index of a file.
    pub fn lines(&self, id: FileId) -> Arc<LineIndex> {
        self.lines[id.0 as usize]
            .get_or_init(|| Arc::new(LineIndex::new(&self.get(id).text)))
            .clone()
    }
    /// The line index of a file, borrowed (no reference count to touch in a hot loop).
    pub fn line_index(&self, id: FileId) -> &LineIndex {
        self.lines[id.0 as usize].get_or_init(|| Arc::new(LineIndex::new(&self.get(id).text)))
    }
    /// 1-based line and column (in characters) of a byte offset, for text outputs.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = &self.get(id).text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let lines = self.line_index(id);
        let line = lines.line_of(offset);
        let col = text[lines.line_start(line)..offset].chars().count() + 1;
        (line + 1, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
