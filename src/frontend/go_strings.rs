//! Go string literals as the compiler reads them. An interpreted literal
//! (`"…"`) is a sequence of bytes: `\xNN` and octal `\NNN` escapes are single
//! bytes (three of them spell one UTF-8 character, `"\xe2\x80\x8b"` is a
//! zero-width space), `\uXXXX` / `\UXXXXXXXX` are code points written as
//! UTF-8. Raw literals (`` `…` ``) keep their text, carriage returns dropped.
//! Rules that look for hidden characters (MCL402) see what the binary holds.

/// The value of a Go string literal, quotes included in `literal`.
pub fn unquote(literal: &str) -> String {
    if let Some(raw) = literal
        .strip_prefix('`')
        .map(|r| r.strip_suffix('`').unwrap_or(r))
    {
        // The spec drops carriage returns from raw literals.
        return raw.replace('\r', "");
    }
    let inner = literal
        .strip_prefix('"')
        .map(|r| r.strip_suffix('"').unwrap_or(r))
        .unwrap_or(literal);
    decode_interpreted(inner)
}

/// The text between the quotes of an interpreted literal, escapes decoded.
/// A malformed escape keeps its text (the compiler would reject the file;
/// a scan must not).
pub fn decode_interpreted(inner: &str) -> String {
    let bytes = inner.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let (decoded, used) = escape(&bytes[i..]);
        match decoded {
            Some(Decoded::Byte(b)) => out.push(b),
            Some(Decoded::Char(c)) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            None => out.extend_from_slice(&bytes[i..i + used]),
        }
        i += used;
    }
    // Bytes escapes may spell invalid UTF-8: shown as U+FFFD, as a Go
    // program printing it to a UTF-8 terminal would.
    String::from_utf8_lossy(&out).into_owned()
}

enum Decoded {
    Byte(u8),
    Char(char),
}

/// One escape at the start of `at` (which starts with `\`): what it is and
/// how many bytes it takes.
fn escape(at: &[u8]) -> (Option<Decoded>, usize) {
    let Some(&kind) = at.get(1) else {
        return (None, 1);
    };
    let simple = |b: u8| (Some(Decoded::Byte(b)), 2);
    match kind {
        b'a' => simple(0x07),
        b'b' => simple(0x08),
        b'f' => simple(0x0c),
        b'n' => simple(b'\n'),
        b'r' => simple(b'\r'),
        b't' => simple(b'\t'),
        b'v' => simple(0x0b),
        b'\\' => simple(b'\\'),
        b'\'' => simple(b'\''),
        b'"' => simple(b'"'),
        b'x' => match hex(at.get(2..4)) {
            Some(v) => (Some(Decoded::Byte(v as u8)), 4),
            None => (None, 2),
        },
        b'u' => match hex(at.get(2..6)).and_then(char::from_u32) {
            Some(c) => (Some(Decoded::Char(c)), 6),
            None => (None, 2),
        },
        b'U' => match hex(at.get(2..10)).and_then(char::from_u32) {
            Some(c) => (Some(Decoded::Char(c)), 10),
            None => (None, 2),
        },
        b'0'..=b'7' => match at.get(1..4).and_then(octal) {
            Some(v) => (Some(Decoded::Byte(v)), 4),
            None => (None, 2),
        },
        _ => (None, 2),
    }
}

fn hex(digits: Option<&[u8]>) -> Option<u32> {
    let digits = std::str::from_utf8(digits?).ok()?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// Three octal digits, at most 255 (`\377`).
fn octal(digits: &[u8]) -> Option<u8> {
    if !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'));
    u8::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_as_go_does() {
        assert_eq!(unquote(r#""a\u200bb""#), "a\u{200b}b");
        assert_eq!(unquote(r#""\U0001F600""#), "\u{1F600}");
        assert_eq!(unquote(r#""\xe2\x80\x8b""#), "\u{200b}");
        assert_eq!(unquote(r#""\342\200\256x""#), "\u{202e}x");
        assert_eq!(unquote(r#""tab\there\n\"q\"\\""#), "tab\there\n\"q\"\\");
        assert_eq!(unquote(r#""\a\b\f\v""#), "\u{7}\u{8}\u{c}\u{b}");
    }

    #[test]
    fn raw_strings_stay_raw() {
        assert_eq!(unquote(r"`a\u200bb`"), r"a\u200bb");
        assert_eq!(unquote("`line\r\nnext`"), "line\nnext");
    }

    #[test]
    fn malformed_escapes_keep_their_text() {
        assert_eq!(unquote(r#""\q\x4""#), r"\q\x4");
        assert_eq!(unquote(r#""\uD800""#), r"\uD800");
        assert_eq!(unquote(r#""\777""#), r"\777");
        assert_eq!(unquote(r#""end\""#), "end\\");
        assert_eq!(unquote(r#""\xff""#), "\u{fffd}");
    }
}
