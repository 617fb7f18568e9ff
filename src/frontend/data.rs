//! A position-keeping document model for data files: JSON (with comments and
//! trailing commas), YAML and TOML all become one `Node` tree whose keys and
//! values carry byte spans into the original text, so that a finding points
//! at the exact key or value. `serde_json::Value` and friends lose positions;
//! this layer keeps them.

use crate::finding::Span;

/// Deeper documents are refused (a manifest is a few levels deep).
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value's text: a string literal with its quotes, a whole object…
    pub span: Span,
    pub value: NodeValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// The string after unescaping.
    Str(String),
    /// A number as written.
    Num(String),
    Bool(bool),
    Null,
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// Why a document could not be read: where, and the parser's message.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    pub offset: usize,
    pub message: String,
}

impl Node {
    fn new(span: Span, value: NodeValue) -> Self {
        Node { span, value }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.value {
            NodeValue::Object(members) => members.iter().find(|m| m.key == key),
            _ => None,
        }
    }

    /// `a.b.c`, following object keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            NodeValue::Bool(b) => Some(*b),
            // YAML and hand-written configs: "true".
            NodeValue::Str(s) if s == "true" => Some(true),
            NodeValue::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member] {
        match &self.value {
            NodeValue::Object(members) => members,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            NodeValue::Array(items) => items,
            _ => &[],
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.value, NodeValue::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self.value, NodeValue::Array(_))
    }

    /// A scalar's text (strings, numbers and booleans), for values such as
    /// environment variables that clients stringify.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            NodeValue::Str(s) => Some(s.clone()),
            NodeValue::Num(n) => Some(n.clone()),
            NodeValue::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A canonical JSON rendering (object keys sorted), for hashing.
    pub fn canonical(&self, out: &mut String) {
        match &self.value {
            NodeValue::Str(s) => push_json_string(out, s),
            NodeValue::Num(n) => out.push_str(n),
            NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            NodeValue::Null => out.push_str("null"),
            NodeValue::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.canonical(out);
                }
                out.push(']');
            }
            NodeValue::Object(members) => {
                let mut sorted: Vec<&Member> = members.iter().collect();
                sorted.sort_by(|a, b| a.key.cmp(&b.key));
                out.push('{');
                for (i, m) in sorted.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_json_string(out, &m.key);
                    out.push(':');
                    m.value.canonical(out);
                }
                out.push('}');
            }
        }
    }
}

pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------- JSON / JSONC

/// Parses JSON, accepting `//` and `/* */` comments and trailing commas (as
/// VS Code, Cursor, Zed and Claude Code accept them).
pub fn parse_json(text: &str) -> Result<Node, DataError> {
    let mut parser = JsonParser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    // A byte-order mark is not content.
    if text.starts_with('\u{FEFF}') {
        parser.pos = 3;
    }
    parser.skip_trivia()?;
    let node = parser.value(0)?;
    parser.skip_trivia()?;
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("trailing characters after the JSON value"));
    }
    Ok(node)
}

struct JsonParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl JsonParser<'_> {
    fn error(&self, message: &str) -> DataError {
        DataError {
            offset: self.pos.min(self.bytes.len()),
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_trivia(&mut self) -> Result<(), DataError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    match self.text[self.pos + 2..].find("*/") {
                        Some(end) => self.pos += 2 + end + 2,
                        None => return Err(self.error("unterminated block comment")),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, DataError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(Span::new(start, self.pos), NodeValue::Str(s)))
            }
            Some(b't') if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                Ok(Node::new(Span::new(start, self.pos), NodeValue::Bool(true)))
            }
            Some(b'f') if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                Ok(Node::new(
                    Span::new(start, self.pos),
                    NodeValue::Bool(false),
                ))
            }
            Some(b'n') if self.text[self.pos..].starts_with("null") => {
                self.pos += 4;
                Ok(Node::new(Span::new(start, self.pos), NodeValue::Null))
            }
            Some(b'-' | b'0'..=b'9') => {
                while self.peek().is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.pos += 1;
                }
                let number = &self.text[start..self.pos];
                if number.parse::<f64>().is_err() {
                    self.pos = start;
                    return Err(self.error(&format!("invalid number `{number}`")));
                }
                Ok(Node::new(
                    Span::new(start, self.pos),
                    NodeValue::Num(number.to_string()),
                ))
            }
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of file, expected a value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, DataError> {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::new(
                        Span::new(start, self.pos),
                        NodeValue::Object(members),
                    ));
                }
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of file, expected `}`")),
                Some(_) => return Err(self.error("expected a string key or `}`")),
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after the key"));
            }
            self.pos += 1;
            self.skip_trivia()?;
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                None => return Err(self.error("unexpected end of file, expected `,` or `}`")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, DataError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(
                        Span::new(start, self.pos),
                        NodeValue::Array(items),
                    ));
                }
                None => return Err(self.error("unexpected end of file, expected `]`")),
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                None => return Err(self.error("unexpected end of file, expected `,` or `]`")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// A string literal at `pos` (on its opening quote), unescaped.
    fn string(&mut self) -> Result<String, DataError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = self.peek();
                    self.pos += 1;
                    match escaped {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{C}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let high = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&high)
                                && self.text[self.pos..].starts_with("\\u")
                            {
                                self.pos += 2;
                                let low = self.hex4()?;
                                let combined = 0x10000
                                    + ((high - 0xD800) << 10)
                                    + (low.wrapping_sub(0xDC00) & 0x3FF);
                                char::from_u32(combined)
                            } else {
                                char::from_u32(high)
                            };
                            out.push(c.unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("invalid escape in string"));
                        }
                    }
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unexpected end of file inside a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, DataError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))
    }
}

// ---------------------------------------------------------------------- YAML

/// Parses the first document of a YAML stream from the parser's events.
/// Aliases are not expanded (they become null), so alias bombs cost nothing.
pub fn parse_yaml(text: &str) -> Result<Node, DataError> {
    use granit_parser::{Event, Parser};

    enum Frame {
        Seq(usize, Vec<Node>),
        Map(usize, Vec<Member>, Option<(String, Span)>),
    }

    let offset_of = |marker: &granit_parser::Marker| {
        marker
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(text, marker.index()))
            .min(text.len())
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let parser = Parser::new_from_str(text);
    for result in parser {
        let (event, span) = result.map_err(|e| DataError {
            offset: offset_of(e.marker()),
            message: e.info().to_string(),
        })?;
        let start = offset_of(&span.start);
        let end = offset_of(&span.end);
        let finished: Option<Node> = match event {
            Event::Scalar(value, style, _, _) => {
                let plain = matches!(style, granit_parser::ScalarStyle::Plain);
                let value = if plain {
                    plain_scalar(&value)
                } else {
                    NodeValue::Str(value.into_owned())
                };
                Some(Node::new(Span::new(start, end), value))
            }
            Event::Alias(_) => Some(Node::new(Span::new(start, end), NodeValue::Null)),
            Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(DataError {
                        offset: start,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(Frame::Seq(start, Vec::new()));
                None
            }
            Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(DataError {
                        offset: start,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(Frame::Map(start, Vec::new(), None));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(s, items)) => {
                    let e = items.last().map_or(end, |n| n.span.end.max(end));
                    Some(Node::new(Span::new(s, e), NodeValue::Array(items)))
                }
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(s, members, _)) => {
                    let e = members.last().map_or(end, |m| m.value.span.end.max(s));
                    Some(Node::new(Span::new(s, e), NodeValue::Object(members)))
                }
                _ => None,
            },
            Event::DocumentEnd if root.is_some() => break,
            _ => None,
        };
        let Some(node) = finished else { continue };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, members, pending)) => match pending.take() {
                None => {
                    let key = match &node.value {
                        NodeValue::Str(s) | NodeValue::Num(s) => s.clone(),
                        NodeValue::Bool(b) => b.to_string(),
                        NodeValue::Null => "null".to_string(),
                        // Complex keys are not used by any MCP format.
                        _ => String::new(),
                    };
                    *pending = Some((key, node.span));
                }
                Some((key, key_span)) => members.push(Member {
                    key,
                    key_span,
                    value: node,
                }),
            },
        }
    }
    Ok(root.unwrap_or_else(|| Node::new(Span::default(), NodeValue::Null)))
}

/// YAML 1.2 core schema for plain scalars.
fn plain_scalar(text: &str) -> NodeValue {
    match text {
        "true" | "True" | "TRUE" => NodeValue::Bool(true),
        "false" | "False" | "FALSE" => NodeValue::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => NodeValue::Null,
        _ if text.parse::<f64>().is_ok()
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')) =>
        {
            NodeValue::Num(text.to_string())
        }
        _ => NodeValue::Str(text.to_string()),
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

// ---------------------------------------------------------------------- TOML

pub fn parse_toml(text: &str) -> Result<Node, DataError> {
    use toml::de::{DeTable, DeValue};

    fn convert(value: &DeValue<'_>, span: Span, depth: usize) -> Node {
        let value = match value {
            DeValue::String(s) => NodeValue::Str(s.to_string()),
            DeValue::Integer(i) => NodeValue::Num(i.as_str().to_string()),
            DeValue::Float(f) => NodeValue::Num(f.as_str().to_string()),
            DeValue::Boolean(b) => NodeValue::Bool(*b),
            DeValue::Datetime(d) => NodeValue::Str(d.to_string()),
            DeValue::Array(items) if depth < MAX_DEPTH => NodeValue::Array(
                items
                    .iter()
                    .map(|item| {
                        let r = item.span();
                        convert(item.get_ref(), Span::new(r.start, r.end), depth + 1)
                    })
                    .collect(),
            ),
            DeValue::Table(table) if depth < MAX_DEPTH => NodeValue::Object(
                table
                    .iter()
                    .map(|(key, value)| {
                        let k = key.span();
                        let v = value.span();
                        Member {
                            key: key.get_ref().to_string(),
                            key_span: Span::new(k.start, k.end),
                            value: convert(value.get_ref(), Span::new(v.start, v.end), depth + 1),
                        }
                    })
                    .collect(),
            ),
            _ => NodeValue::Null,
        };
        Node::new(span, value)
    }

    let table = DeTable::parse(text).map_err(|e| DataError {
        offset: e.span().map_or(0, |s| s.start),
        message: e.message().to_string(),
    })?;
    let span = table.span();
    let root = DeValue::Table(table.into_inner());
    Ok(convert(&root, Span::new(span.start, span.end), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spans_point_at_keys_and_values() {
        let text = "{\n  // c\n  \"a\": {\"b\": \"x\\u200by\",},\n}";
        let root = parse_json(text).unwrap();
        let a = root.member("a").unwrap();
        assert_eq!(&text[a.key_span.start..a.key_span.end], "\"a\"");
        let b = a.value.get("b").unwrap();
        assert_eq!(b.as_str(), Some("x\u{200b}y"));
        assert_eq!(&text[b.span.start..b.span.end], "\"x\\u200by\"");
    }

    #[test]
    fn json_errors_have_offsets() {
        let err = parse_json("{\"a\": [1, 2}").unwrap_err();
        assert_eq!(err.offset, 11);
        assert!(parse_json("\"\\ud800\"").is_ok());
        assert!(parse_json(&"[".repeat(500)).is_err());
    }

    #[test]
    fn yaml_spans() {
        let text = "mcpServers:\n  - name: git\n    command: uvx\n    args: [\"mcp-server-git\"]\n";
        let root = parse_yaml(text).unwrap();
        let first = &root.get("mcpServers").unwrap().items()[0];
        let command = first.get("command").unwrap();
        assert_eq!(&text[command.span.start..command.span.end], "uvx");
        let arg = &first.get("args").unwrap().items()[0];
        assert_eq!(arg.as_str(), Some("mcp-server-git"));
        assert_eq!(&text[arg.span.start..arg.span.end], "\"mcp-server-git\"");
        let key = first.member("command").unwrap().key_span;
        assert_eq!(&text[key.start..key.end], "command");
    }

    #[test]
    fn toml_spans() {
        let text = "[mcp_servers.github]\ncommand = \"docker\"\nargs = [\"run\", \"-i\"]\n";
        let root = parse_toml(text).unwrap();
        let server = root.path(&["mcp_servers", "github"]).unwrap();
        let command = server.get("command").unwrap();
        assert_eq!(&text[command.span.start..command.span.end], "\"docker\"");
        let key = root
            .get("mcp_servers")
            .unwrap()
            .member("github")
            .unwrap()
            .key_span;
        assert_eq!(&text[key.start..key.end], "github");
    }

    /// Mutated documents (bytes dropped, duplicated, swapped for syntax)
    /// never panic any of the three parsers or the lowering.
    #[test]
    fn mutations_never_panic() {
        let seeds = [
            (
                crate::facts::Language::Json,
                "{\"mcpServers\": {\"a\": {\"command\": \"npx\", \"args\": [\"-y\", \"p@1\", \"\\u00e9\"], \"env\": {\"K\": \"v\"}}}, \"tools\": [{\"name\": \"x\", \"inputSchema\": {}}]}",
            ),
            (
                crate::facts::Language::Yaml,
                "mcpServers:\n  - name: a\n    command: uvx\n    args: [\"x==1.0\", '~']\nextensions:\n  b: {cmd: npx, args: [p]}\n",
            ),
            (
                crate::facts::Language::Toml,
                "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"-y\", \"p\"]\nenv = { K = \"v\" }\n",
            ),
        ];
        let noise = b"{}[]\":,\\\n -#'\xc3\xa9\x00=";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (language, seed) in seeds {
            for _ in 0..1500 {
                let mut bytes = seed.as_bytes().to_vec();
                for _ in 0..(next() % 4 + 1) {
                    let at = (next() as usize) % (bytes.len() + 1);
                    match next() % 3 {
                        0 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        1 => bytes.insert(at, noise[(next() as usize) % noise.len()]),
                        _ => {
                            let end = (at + (next() as usize) % 8).min(bytes.len());
                            let chunk = bytes[at..end].to_vec();
                            bytes.splice(at..at, chunk);
                        }
                    }
                }
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                let _ = crate::frontend::manifest::lower(
                    language,
                    std::path::Path::new(".mcp.json"),
                    &text,
                );
            }
        }
    }
}
