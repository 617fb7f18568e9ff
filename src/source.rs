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

/// The text of a file saved as UTF-16 with a byte-order mark (Windows
/// editors and PowerShell's `Out-File` write client configs that way);
/// `None` when the bytes do not start with a UTF-16 BOM. The text is UTF-8,
/// so spans, lines and columns of findings refer to the decoded text.
pub fn decode_utf16(bytes: &[u8]) -> Option<Result<String, String>> {
    let (little_endian, body) = match bytes {
        [0xFF, 0xFE, body @ ..] => (true, body),
        [0xFE, 0xFF, body @ ..] => (false, body),
        _ => return None,
    };
    let endian = if little_endian { "LE" } else { "BE" };
    if body.len() % 2 != 0 {
        return Some(Err(format!(
            "file starts with a UTF-16 {endian} byte-order mark but has an odd number of bytes"
        )));
    }
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| {
                format!(
                    "file is not valid UTF-16 {endian} (unpaired surrogate {:#06x})",
                    e.unpaired_surrogate()
                )
            }),
    )
}

/// A file's text: UTF-8, or UTF-16 with a byte-order mark; the error says
/// why it is neither.
pub fn text_of(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(decoded) = decode_utf16(&bytes) {
        return decoded;
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "file is not valid UTF-8 (invalid byte at offset {}) nor UTF-16 with a byte-order mark",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{decode_utf16, text_of};

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_either_way() {
        let text = "{\"mcpServers\": {\"é\": {\"command\": \"npx\"}}} 🔑\n";
        assert_eq!(decode_utf16(&utf16(text, true)), Some(Ok(text.to_string())));
        assert_eq!(
            decode_utf16(&utf16(text, false)),
            Some(Ok(text.to_string()))
        );
        assert_eq!(text_of(utf16(text, false)), Ok(text.to_string()));
        assert_eq!(decode_utf16(b"plain"), None);
        assert_eq!(text_of(b"plain".to_vec()), Ok("plain".to_string()));
        assert!(decode_utf16(&[0xFF, 0xFE, 0x41]).unwrap().is_err());
        // A lone high surrogate.
        assert!(
            decode_utf16(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00])
                .unwrap()
                .is_err()
        );
        assert!(text_of(vec![0x41, 0xC3]).unwrap_err().contains("offset 1"));
    }

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
