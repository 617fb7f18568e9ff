//! JSON with comments and trailing commas (as VS Code, Cursor and Zed accept)
//! turned into strict JSON of the same length, so byte offsets keep pointing
//! at the original text.

/// Blanks out `//` and `/* */` comments and trailing commas.
pub fn to_strict_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    // Offset of the last comma outside strings, while only whitespace or
    // comments have followed it.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                pending_comma = None;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    blank(&mut out, i);
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map(|e| i + 2 + e + 2)
                    .unwrap_or(bytes.len());
                for j in i..end {
                    blank(&mut out, j);
                }
                i = end;
                continue;
            }
            b',' => pending_comma = Some(i),
            b'}' | b']' => {
                if let Some(comma) = pending_comma.take() {
                    out[comma] = b' ';
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    // Only ASCII bytes outside strings were replaced, by ASCII spaces, so the
    // result is still valid UTF-8; fall back to the input if not.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Replaces a comment byte with a space, keeping newlines (line numbers) and
/// the continuation bytes of multi-byte characters valid.
fn blank(out: &mut [u8], i: usize) {
    if out[i] != b'\n' && out[i].is_ascii() {
        out[i] = b' ';
    } else if !out[i].is_ascii() {
        // A multi-byte char inside a comment: spaces for every byte.
        out[i] = b' ';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_comments_and_trailing_commas_keeping_offsets() {
        let text = "{\n  // servers\n  \"a\": [1, 2,], /* é */\n  \"b\": \"x // y\",\n}";
        let strict = to_strict_json(text);
        assert_eq!(strict.len(), text.len());
        let value: serde_json::Value = serde_json::from_str(&strict).unwrap();
        assert_eq!(value["b"], "x // y");
        assert_eq!(value["a"][1], 2);
    }
}
