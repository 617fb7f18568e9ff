//! Go-only facts the project passes read (see `crate::project::go_tools`):
//! handlers and names a registration gives by reference (a function of
//! another file of the package, a method value, a constant of another
//! package), the functions that build SDK tools from their own parameters
//! (a project's `MustTool(name, description, handler)`), and tool values of
//! the project's own types that become SDK tools elsewhere.

use crate::facts::{Param, ToolDef};
use crate::finding::Span;

/// What the Go frontend records beyond the language-neutral facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoFacts {
    /// Tools (index into `FileFacts::tools`) whose handler the file names
    /// but does not define.
    pub handler_refs: Vec<(usize, HandlerRef)>,
    /// Tools whose name is a constant the file does not define
    /// (`tools.SearchName`): the tool and the name as written.
    pub name_refs: Vec<(usize, String)>,
    /// The same for descriptions.
    pub description_refs: Vec<(usize, String)>,
    /// Methods: index into `functions` and the receiver's type name
    /// (`Server` of `func (s *Server) search(…)`).
    pub receivers: Vec<(usize, String)>,
    /// The declared type of each parameter of each function, as written
    /// (`context.Context`, `*SearchArgs`), by index into `functions`.
    pub param_types: Vec<(usize, Vec<String>)>,
    /// Struct types of the file with their fields as tool parameters (the
    /// `json` name, the `jsonschema` description).
    pub structs: Vec<GoStruct>,
    /// Functions that build an SDK tool from their own parameters.
    pub wrappers: Vec<ToolWrapper>,
    /// Tool values of a project type (`api.Tool{Name: "x"}` inside
    /// `api.ServerTool{Tool: …, Handler: h}`): tools when the project turns
    /// such values into SDK tools (`converts_tools`).
    pub tool_candidates: Vec<(ToolDef, Option<HandlerRef>)>,
    /// An SDK tool is built from another value's fields (`&mcp.Tool{Name:
    /// t.Tool.Name}`): the project registers tools of its own types.
    pub converts_tools: bool,
    /// That conversion sets the SDK tool's annotations from the value.
    pub converts_annotations: bool,
    /// Tools returned alone by a named function (index into `tools`, index
    /// into `functions`): its callers register them with a handler.
    pub tool_factories: Vec<(usize, usize)>,
    /// Functions whose last statement returns a name or a string, as
    /// written (`DefaultToolsetName`): a call of one may be a constant.
    pub returns: Vec<(usize, String)>,
    /// The file imports an MCP SDK package.
    pub uses_sdk: bool,
    /// Regions that run only when an early exit was not taken: from an
    /// `if cfg.ReadOnly { return }` to the end of its block (see
    /// `frontend::go_gates`).
    pub gates: Vec<Span>,
}

impl GoFacts {
    /// Does the code at `at` run only past an early-exit gate?
    pub fn gated(&self, at: Span) -> bool {
        self.gates
            .iter()
            .any(|g| g.start <= at.start && at.end <= g.end)
    }
}

/// How a registration names its handler when it does not write it inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerRef {
    /// A function: `search`, `tools.Search`.
    Name(String),
    /// A method value `h.search`: a method named `search` of some type.
    Method(String),
    /// A call of a function that returns the handler (`searchHandler(client)`):
    /// the function literal it returns, else the function itself.
    Factory(String),
}

/// A function that builds an SDK tool from its parameters: the positions
/// of the parameters that give the name, description and handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolWrapper {
    /// Index into `functions`.
    pub function: usize,
    pub name: usize,
    pub description: Option<usize>,
    pub handler: Option<usize>,
    /// The SDK tool it builds carries annotations (computed from its
    /// parameters or set per call).
    pub annotated: bool,
}

/// `type SearchArgs struct { Query string `json:"query" jsonschema:"…"` }`.
#[derive(Debug, Clone, PartialEq)]
pub struct GoStruct {
    pub name: String,
    pub span: Span,
    pub fields: Vec<Param>,
}

impl GoFacts {
    pub fn receiver(&self, function: usize) -> Option<&str> {
        self.receivers
            .iter()
            .find(|(f, _)| *f == function)
            .map(|(_, r)| r.as_str())
    }

    pub fn params_of(&self, function: usize) -> Option<&[String]> {
        self.param_types
            .iter()
            .find(|(f, _)| *f == function)
            .map(|(_, t)| t.as_slice())
    }

    pub fn struct_named(&self, name: &str) -> Option<&GoStruct> {
        self.structs.iter().find(|s| s.name == name)
    }
}
