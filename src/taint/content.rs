//! Untrusted content (MCL701): values that hold text the server did not
//! write — a network response, a file read from a path the caller chose —
//! and how much of it they still hold as they are narrowed (a response → its
//! body or parsed document → a field of it). The engine carries a `Content`
//! beside a value's taint, with its own flow; `rules/catalog/content.toml`
//! says which members, fields and calls do what.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::engine::Step;
use crate::facts::Language;
use crate::rules::words;

/// Flow steps kept per content value. Not an analysis limit (no note): the
/// content stays untrusted past the bound; only its explanation is shortened.
const MAX_STEPS: usize = 16;

/// Where untrusted content comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentSource {
    /// A network response. `open` when the caller chose where the request
    /// goes (a tool argument decides its host); `url` is
    /// the request URL's known text, with `{}` for what is not known.
    Network { open: bool, url: String },
    /// A file read from a path a tool argument decides.
    File,
    /// In a function's summary, whatever content its parameter holds: what
    /// the function does to it (marks it, keeps only a field) is applied to
    /// the caller's content. Never reported itself.
    Argument,
}

/// How much of the content a value holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// The response object itself.
    Response,
    /// The whole body as text (a page, a file).
    Body,
    /// The whole body parsed (JSON), or a list / sub-document of it.
    Document,
    /// A field that holds free text someone wrote (`body`, `snippet`, `title`).
    FreeText(String),
    /// A field that is not free text (an id, a count, a status) or whose
    /// meaning is unknown: not reported.
    Field,
}

/// Untrusted content a value holds, and how it got here.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub source: ContentSource,
    pub shape: Shape,
    /// From the read or request, each step the content took.
    pub steps: Vec<Step>,
    /// Delimited, escaped or marked as untrusted on the way.
    pub marked: bool,
}

impl Content {
    pub fn new(source: ContentSource, shape: Shape, steps: Vec<Step>) -> Content {
        Content {
            source,
            shape,
            steps,
            marked: false,
        }
    }

    /// Adds a step; past the bound, the latest step replaces the one before
    /// it, so that the flow always ends where the content is returned.
    pub fn push(&mut self, step: Step) {
        if self.steps.len() < MAX_STEPS {
            self.steps.push(step);
        } else if let Some(last) = self.steps.last_mut() {
            *last = step;
        }
    }

    /// Still holds text the model would read (not a metadata field).
    pub fn is_text(&self) -> bool {
        self.shape != Shape::Field
    }

    /// Which of two contents a value that holds both is reported for: real
    /// content before a summary's probe, the unmarked one, then the one
    /// holding more text.
    pub fn outranks(&self, other: &Content) -> bool {
        let rank = |c: &Content| {
            let shape = match &c.shape {
                Shape::Field => 0,
                Shape::Response => 1,
                Shape::FreeText(field) if is_authored_field(field) => 3,
                Shape::FreeText(_) => 2,
                Shape::Document | Shape::Body => 4,
            };
            let real = c.source != ContentSource::Argument;
            (real as u8) * 16 + (!c.marked as u8) * 8 + shape
        };
        rank(self) > rank(other)
    }

    /// Reads member, attribute or key `name` of the value.
    pub fn member(&mut self, name: &str) {
        let lists = lists();
        self.shape = match &self.shape {
            Shape::Response => {
                if lists.response_text.contains(name) {
                    Shape::Body
                } else if lists.response_document.contains(name) {
                    Shape::Document
                } else if lists.response_meta.contains(name) || lists.scalar.contains(name) {
                    Shape::Field
                } else {
                    // `send`, `then`, `raise_for_status`, `error_for_status`…
                    Shape::Response
                }
            }
            Shape::Body => {
                if lists.scalar.contains(name) {
                    Shape::Field
                } else {
                    Shape::Body
                }
            }
            // A free-text field read further is a sub-document after all
            // (`obj["Contents"][0]["Key"]`).
            Shape::FreeText(_) if lists.scalar.contains(name) => Shape::Field,
            Shape::Document | Shape::Field | Shape::FreeText(_) => {
                field_shape(&self.shape, name, lists)
            }
        };
    }

    /// Calls method `method` on the value, with its first argument when that
    /// is a string (`data.get("body")`). `false` when the result is no
    /// longer the content: a method of a metadata field other than a key
    /// lookup (`s3_client.get_object(…)` on a client built from a region).
    pub fn method(&mut self, method: &str, key: Option<&str>) -> bool {
        let lists = lists();
        match (&self.shape, method, key) {
            (Shape::Response, _, _) => self.member(method),
            (
                Shape::Document | Shape::Field,
                "get" | "pop" | "getattr" | "get_str" | "pointer",
                Some(key),
            ) => {
                self.shape = field_shape(&self.shape, key, lists);
            }
            (Shape::Field, _, _) if !lists.elements.contains(method) => return false,
            (Shape::Field, _, _) => {}
            (Shape::Document, _, _) => {
                if lists.scalar.contains(method) {
                    self.shape = Shape::Field;
                }
            }
            (Shape::Body | Shape::FreeText(_), _, _) => {
                if lists.scalar.contains(method) || lists.extractors.contains(method) {
                    self.shape = Shape::Field;
                }
            }
        }
        true
    }

    /// Does a call given the content as an argument (not as its receiver)
    /// still return it? Not when it is a metadata field — the result is
    /// something else looked up with it (`s3.get_object(Bucket=ds["bucket"])`)
    /// — nor from an extraction, which keeps only matches.
    pub fn survives_call(&self, method: &str) -> bool {
        self.shape != Shape::Field && !lists().extractors.contains(method)
    }

    /// A call that parses its argument (`json.loads(text)`).
    pub fn parsed(&mut self) {
        if matches!(self.shape, Shape::Body | Shape::FreeText(_)) {
            self.shape = Shape::Document;
        }
    }

    /// Are the words of a URL or a tool name about third-party writing?
    pub fn about_untrusted(text: &str) -> bool {
        let lists = lists();
        words(text)
            .iter()
            .any(|w| lists.untrusted_words.contains(w.as_str()))
    }
}

/// A field of a document, or of a field.
fn field_shape(shape: &Shape, name: &str, lists: &Lists) -> Shape {
    let all = words(name);
    let Some(last) = all.last() else {
        return shape.clone();
    };
    if lists.free_text.contains(last.as_str()) {
        Shape::FreeText(name.to_string())
    } else if lists.collection.contains(last.as_str()) {
        // `part.body.data`: the text field's own payload.
        match shape {
            Shape::FreeText(_) => shape.clone(),
            _ => Shape::Document,
        }
    } else if last.chars().all(|c| c.is_ascii_digit()) {
        // `items.0`, `data[0]`: an element keeps what the list held.
        shape.clone()
    } else {
        Shape::Field
    }
}

/// Is `name` a member of a response object (`data`, `text`, `status`)?
pub fn is_response_member(name: &str) -> bool {
    let lists = lists();
    lists.response_text.contains(name)
        || lists.response_document.contains(name)
        || lists.response_meta.contains(name)
}

/// Is a free-text field someone else's writing whatever host it came from?
pub fn is_authored_field(name: &str) -> bool {
    words(name)
        .last()
        .is_some_and(|w| lists().authored.contains(w.as_str()))
}

/// Does a call's name say it delimits, escapes or neutralises text?
pub fn is_marking_call(method: &str) -> bool {
    words(method)
        .iter()
        .any(|w| lists().marking.contains(w.as_str()))
}

/// Is `canonical` a call that parses a body into a document?
pub fn is_parser(canonical: &str) -> bool {
    lists().parsers.contains(canonical)
}

/// Is this call a read of a file's content?
pub fn is_reader(language: Language, canonical: &str, method: Option<&str>) -> bool {
    let lists = lists();
    let readers = match language {
        Language::Python => &lists.python,
        Language::Rust => &lists.rust,
        Language::Go => &lists.go,
        _ => &lists.typescript,
    };
    readers.readers.contains(canonical) || method.is_some_and(|m| readers.methods.contains(m))
}

/// Does the literal text around a value mark it as untrusted: a marker
/// phrase anywhere, or a tag pair around the value (`<page url="{}">{}</page>`)?
/// `text` has `{}` where each substituted value goes; `hole` is the value's.
pub fn text_marks(text: &str, hole: usize) -> bool {
    let lower = text.to_lowercase();
    if lists().markers.iter().any(|m| lower.contains(m.as_str())) {
        return true;
    }
    let Some((at, _)) = lower.match_indices("{}").nth(hole) else {
        return false;
    };
    let (before, after) = (&lower[..at], &lower[at + 2..]);
    // A closing tag after the value that names a tag opened before it, and
    // is not HTML formatting (`<b>{}</b>`).
    let mut rest = after;
    while let Some(found) = rest.find("</") {
        rest = &rest[found + 2..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
            .collect();
        if !name.is_empty() && !is_html_formatting(&name) && before.contains(&format!("<{name}")) {
            return true;
        }
    }
    false
}

/// A `str.format` text with each `{…}` placeholder written `{}`.
pub fn placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' && chars.peek() == Some(&'{') {
            chars.next();
            out.push('{');
        } else if c == '{' {
            for inner in chars.by_ref() {
                if inner == '}' {
                    break;
                }
            }
            out.push_str("{}");
        } else {
            out.push(c);
        }
    }
    out
}

/// HTML elements that format text rather than delimit it.
fn is_html_formatting(tag: &str) -> bool {
    matches!(
        tag,
        "b" | "i"
            | "u"
            | "s"
            | "em"
            | "strong"
            | "p"
            | "div"
            | "span"
            | "a"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "code"
            | "pre"
            | "td"
            | "tr"
            | "th"
            | "table"
            | "small"
            | "sup"
            | "sub"
            | "mark"
            | "title"
            | "body"
            | "html"
            | "head"
            | "details"
            | "summary"
            | "tt"
            | "kbd"
            | "font"
            | "center"
            | "label"
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ReadersFile {
    #[serde(default)]
    readers: Vec<String>,
    #[serde(default)]
    reader_methods: Vec<String>,
}

/// An SDK client whose calls fetch from an API (`rules/catalog/content.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiClient {
    #[serde(default)]
    factories: Vec<String>,
    #[serde(default)]
    factory_prefixes: Vec<String>,
    /// The call that sends the request at the end of a chain (`execute`);
    /// without one, every call on the client does.
    pub response_method: Option<String>,
    /// `document` or `response`.
    shape: String,
}

impl ApiClient {
    /// What a response of this client is, before anything is read of it.
    pub fn shape(&self) -> Shape {
        match self.shape.as_str() {
            "response" => Shape::Response,
            _ => Shape::Document,
        }
    }
}

/// Does a module (import path, `/` written `.`) provide an API client?
pub fn is_client_module(module: &str) -> bool {
    !module.is_empty()
        && lists().api_clients.iter().any(|c| {
            c.factories.iter().chain(&c.factory_prefixes).any(|f| {
                f.strip_prefix(module)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
        })
}

/// Does a client method write (`insert`, `sendMessage`, `chat_postMessage`)?
pub fn is_client_write(method: &str) -> bool {
    let words = words(method);
    // `chat_postMessage`: the verb follows the namespace.
    words
        .iter()
        .take(2)
        .any(|w| lists().client_write_verbs.contains(w.as_str()))
}

/// The API client a factory call (canonical callee) makes, if any.
pub fn api_client(factory: &str) -> Option<&'static ApiClient> {
    lists().api_clients.iter().find(|c| {
        c.factories.iter().any(|f| f == factory)
            || c.factory_prefixes
                .iter()
                .any(|p| factory.starts_with(p.as_str()))
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ContentFile {
    response_text_members: Vec<String>,
    response_document_members: Vec<String>,
    response_meta_members: Vec<String>,
    document_parsers: Vec<String>,
    free_text_fields: Vec<String>,
    authored_fields: Vec<String>,
    collection_fields: Vec<String>,
    scalar_members: Vec<String>,
    element_methods: Vec<String>,
    extractor_methods: Vec<String>,
    untrusted_content_words: Vec<String>,
    untrusted_content_markers: Vec<String>,
    marking_words: Vec<String>,
    client_write_verbs: Vec<String>,
    #[serde(default)]
    api_client: Vec<ApiClient>,
    python: ReadersFile,
    typescript: ReadersFile,
    rust: ReadersFile,
    #[serde(default)]
    go: ReadersFile,
}

#[derive(Debug, Default)]
struct Readers {
    readers: HashSet<String>,
    methods: HashSet<String>,
}

#[derive(Debug, Default)]
struct Lists {
    response_text: HashSet<String>,
    response_document: HashSet<String>,
    response_meta: HashSet<String>,
    parsers: HashSet<String>,
    free_text: HashSet<String>,
    authored: HashSet<String>,
    collection: HashSet<String>,
    scalar: HashSet<String>,
    elements: HashSet<String>,
    extractors: HashSet<String>,
    untrusted_words: HashSet<String>,
    markers: Vec<String>,
    marking: HashSet<String>,
    api_clients: Vec<ApiClient>,
    client_write_verbs: HashSet<String>,
    python: Readers,
    typescript: Readers,
    rust: Readers,
    go: Readers,
}

const CATALOG: &str = include_str!("../../rules/catalog/content.toml");

fn parse(text: &str) -> Result<Lists, String> {
    let file: ContentFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let set = |v: Vec<String>| v.into_iter().collect::<HashSet<String>>();
    let readers = |r: ReadersFile| Readers {
        readers: set(r.readers),
        methods: set(r.reader_methods),
    };
    Ok(Lists {
        response_text: set(file.response_text_members),
        response_document: set(file.response_document_members),
        response_meta: set(file.response_meta_members),
        parsers: set(file.document_parsers),
        free_text: set(file.free_text_fields),
        authored: set(file.authored_fields),
        collection: set(file.collection_fields),
        scalar: set(file.scalar_members),
        elements: set(file.element_methods),
        extractors: set(file.extractor_methods),
        untrusted_words: set(file.untrusted_content_words),
        markers: file
            .untrusted_content_markers
            .into_iter()
            .map(|m| m.to_lowercase())
            .collect(),
        marking: set(file.marking_words),
        api_clients: file.api_client,
        client_write_verbs: set(file.client_write_verbs),
        python: readers(file.python),
        typescript: readers(file.typescript),
        rust: readers(file.rust),
        go: readers(file.go),
    })
}

/// The embedded lists. An invalid embedded catalog (caught by tests) would
/// make MCL701 find nothing, never crash a scan.
fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| parse(CATALOG).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network() -> Content {
        Content::new(
            ContentSource::Network {
                open: true,
                url: String::new(),
            },
            Shape::Response,
            Vec::new(),
        )
    }

    #[test]
    fn embedded_catalog_parses() {
        let parsed = parse(CATALOG);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    #[test]
    fn responses_narrow_to_bodies_documents_and_fields() {
        let mut text = network();
        text.member("text");
        assert_eq!(text.shape, Shape::Body);
        let mut status = network();
        status.member("status_code");
        assert_eq!(status.shape, Shape::Field);
        let mut doc = network();
        assert!(doc.method("json", None));
        assert_eq!(doc.shape, Shape::Document);
        doc.member("items");
        assert_eq!(doc.shape, Shape::Document);
        doc.member("0");
        assert_eq!(doc.shape, Shape::Document);
        let mut id = doc.clone();
        assert!(id.method("get", Some("node_id")));
        assert_eq!(id.shape, Shape::Field);
        doc.member("body_text");
        assert_eq!(doc.shape, Shape::FreeText("body_text".into()));
        let mut weather = network();
        weather.member("json");
        weather.member("main");
        weather.member("temp");
        assert_eq!(weather.shape, Shape::Field);
    }

    #[test]
    fn markers_and_tag_pairs_mark_text() {
        assert!(text_marks(
            "<untrusted-content>\n{}\n</untrusted-content>",
            0
        ));
        assert!(text_marks("<page url=\"{}\">\n{}\n</page>", 1));
        assert!(text_marks("The following is external content: {}", 0));
        assert!(!text_marks("Contents of {}:\n{}", 1));
        assert!(!text_marks("<b>{}</b> said {}", 0));
        assert!(!text_marks("<doc>{}</doc>\n{}", 1));
        assert!(is_marking_call("wrap_untrusted"));
        assert!(is_marking_call("escapeMarkdown"));
        assert!(!is_marking_call("strip"));
        assert!(!is_marking_call("wrap"));
    }
}
