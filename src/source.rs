//! A loaded source file and the byte-offset → line/column mapping.

use crate::finding::{Location, Position, Span};

/// Line start offsets of a text, for converting byte offsets to positions.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Inside lines longer than `STRIDE` bytes, every `STRIDE` bytes (rounded
    /// down to a char boundary): (byte offset, code points from the line's
    /// start). A column is then counted from the nearest checkpoint, not from
    /// the start of a megabyte-long minified line for every finding.
    checkpoints: Vec<(usize, usize)>,
}

/// Distance between column checkpoints in long lines.
const STRIDE: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            if end - start <= STRIDE {
                continue;
            }
            let (mut at, mut chars) = (start, 0);
            while at + STRIDE < end {
                let next = clamp_to_char_boundary(text, at + STRIDE);
                if next <= at {
                    break;
                }
                chars += text[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 0-based `line` (without its newline).
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let mut end = self
            .starts
            .get(line + 1)
            .map(|s| s - 1)
            .unwrap_or(text.len());
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based position of a byte offset; the column counts code points.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        let mut column = 1;
        // The nearest checkpoint at or before the offset, if it is on this line.
        let nearest = self.checkpoints.partition_point(|&(at, _)| at <= offset);
        if let Some(&(at, chars)) = nearest.checked_sub(1).and_then(|i| self.checkpoints.get(i))
            && at >= start
        {
            start = at;
            column += chars;
        }
        column += text[start..offset].chars().count();
        Position {
            line: line + 1,
            column,
        }
    }

    pub fn location(&self, text: &str, span: Span) -> Location {
        let span = Span::new(
            clamp_to_char_boundary(text, span.start),
            clamp_to_char_boundary(text, span.end),
        );
        Location {
            span,
            start: self.position(text, span.start),
            end: self.position(text, span.end),
        }
    }
}

/// Rounds an offset down to the nearest char boundary inside `text`.
pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points() {
        let text = "a = 1\nné = \"ghp\"\n";
        let idx = LineIndex::new(text);
        let off = text.find("\"ghp").unwrap();
        assert_eq!(idx.position(text, off), Position { line: 2, column: 6 });
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        // An offset inside a multi-byte char is clamped, not a panic.
        let inside = text.find('é').unwrap() + 1;
        assert_eq!(idx.position(text, inside).column, 2);
        assert_eq!(idx.position(text, 10_000).line, 3);
    }

    #[test]
    fn columns_on_long_lines_match_a_plain_count() {
        let line: String = (0..3000)
            .map(|i| if i % 7 == 0 { "é,x" } else { "ab," })
            .collect();
        let text = format!("first\n{line}\n{line}é\nlast");
        let idx = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(997).chain([text.len()]) {
            let offset = clamp_to_char_boundary(&text, offset);
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let want = text[start..offset].chars().count() + 1;
            assert_eq!(idx.position(&text, offset).column, want, "offset {offset}");
        }
    }
}
