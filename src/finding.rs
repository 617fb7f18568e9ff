//! Findings: what a rule reports. Spans are byte offsets into the file's text;
//! line and column are computed once, after the rules ran (see `Location`).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// A half-open byte range into a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Severity of a finding. Ordered so that `Error > Warning > Note`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary span with its own message ("host set here", "taint enters here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One step of a data flow (source → … → sink), for taint findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowStep {
    pub span: Span,
    pub message: String,
    /// The project file the step is in, when it is not the finding's file
    /// (an index into the scan's project).
    pub file: Option<usize>,
}

/// One path of a finding's data flow (source → … → sink): a taint finding
/// reached from several tools has one flow per tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// What this path is, when a finding has several ("from tool `read_file`").
    pub message: String,
    pub steps: Vec<FlowStep>,
}

/// A resolved flow step; `path` is set when the step is in another file.
#[derive(Debug, Clone)]
pub struct FlowLocation {
    pub path: Option<PathBuf>,
    pub location: Location,
    pub message: String,
}

/// What a rule emits. The engine stamps the rule's code, level and the file;
/// rules only describe what they saw and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// The data flows that lead here, one per path (tool) when there are several.
    pub flows: Vec<Flow>,
    /// A level for this finding instead of the rule's default (a weaker
    /// variant of the pattern, such as a loopback-only server).
    pub level: Option<Level>,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            flows: Vec::new(),
            level: None,
        }
    }

    pub fn with_level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The finding's one data flow.
    pub fn with_flow(mut self, steps: Vec<FlowStep>) -> Self {
        self.flows = vec![Flow {
            message: String::new(),
            steps,
        }];
        self
    }

    /// Several data flows leading to the same place (one per tool).
    pub fn with_flows(mut self, flows: Vec<Flow>) -> Self {
        self.flows = flows;
        self
    }
}

/// A line/column position; both 1-based, the column counted in Unicode code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A resolved span: byte range plus start and end positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    #[serde(skip)]
    pub span: Span,
    pub start: Position,
    pub end: Position,
}

/// A finding ready for reporting: the rule's identity, the file, resolved
/// locations and a fingerprint that survives unrelated edits.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub message: String,
    /// The path as the user should see it (relative to the working directory when possible).
    pub path: PathBuf,
    pub location: Location,
    pub labels: Vec<(Location, String)>,
    pub help: Option<String>,
    /// The data flows that lead to the finding, each resolved.
    pub flows: Vec<FlowPath>,
    /// Stable across line moves: hash of rule, path and the finding's source text.
    pub fingerprint: String,
    /// The file's text, kept only for files that have findings (for snippets).
    pub source: Option<Arc<str>>,
    /// The role of the code the finding is in (`crate::roles`).
    pub role: crate::roles::Role,
}

/// A resolved flow.
#[derive(Debug, Clone)]
pub struct FlowPath {
    pub message: String,
    pub steps: Vec<FlowLocation>,
}

impl Finding {
    /// The first flow's steps (what reports that show one flow show).
    pub fn flow(&self) -> &[FlowLocation] {
        self.flows
            .first()
            .map(|f| f.steps.as_slice())
            .unwrap_or(&[])
    }

    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &'static str) {
        (
            &self.path,
            self.location.start.line,
            self.location.start.column,
            self.code,
        )
    }
}
