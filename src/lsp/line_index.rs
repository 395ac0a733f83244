//! Byte offsets <-> LSP positions (line, UTF-16 code unit), with clamping: a position past the
//! end of a line or of the file means its end, never a panic.

use lsp_types::Position;

#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column: usize = text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(line as u32, column as u32)
    }

    /// The byte offset of a position; a line past the end is the end of the file, a column
    /// past the end of its line is the end of that line (before its line break).
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_units() {
        // `ü` is one UTF-16 unit and two bytes; the emoji is two units and four bytes.
        let text = "zone Füllstation \"🚰 water\" {\n  kind = dmz\r\n}";
        let index = LineIndex::new(text);
        let name = text.find("Füll").unwrap();
        assert_eq!(index.position(text, name), Position::new(0, 5));
        let after_name = name + "Füllstation".len();
        assert_eq!(index.position(text, after_name), Position::new(0, 16));
        let water = text.find("water").unwrap();
        assert_eq!(index.position(text, water), Position::new(0, 21));
        assert_eq!(index.offset(text, Position::new(0, 21)), water);
        assert_eq!(index.offset(text, Position::new(0, 16)), after_name);
        let kind = text.find("kind").unwrap();
        assert_eq!(index.position(text, kind), Position::new(1, 2));
        assert_eq!(index.offset(text, Position::new(1, 2)), kind);
    }

    #[test]
    fn clamps_out_of_range_positions() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 99)), 2);
        assert_eq!(index.offset(text, Position::new(7, 0)), text.len());
        assert_eq!(index.offset(text, Position::new(1, 99)), text.len());
        assert_eq!(index.position(text, 999), Position::new(1, 2));
        // Inside a multi-byte character: its start.
        let text = "é";
        assert_eq!(LineIndex::new(text).position(text, 1), Position::new(0, 0));
    }
}
