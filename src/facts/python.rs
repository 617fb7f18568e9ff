//! Python-only facts the project passes read (see `crate::project::python_tools`
//! and `crate::project::python_dispatch`): which server object each tool was
//! registered on, the classes of the file, tool listings whose name only the
//! project can resolve, and dispatch branches labelled by a constant.

use crate::finding::Span;

/// What the Python frontend records beyond the language-neutral facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PyFacts {
    /// The server object a tool was registered on (`jira_mcp` of
    /// `@jira_mcp.tool()` or `jira_mcp.add_tool(f)`), keyed by the tool's
    /// `span`: a mount prefix applies to the tools of one server object.
    pub registrations: Vec<(Span, String)>,
    /// Every class of the file, in source order.
    pub classes: Vec<PyClass>,
    /// `Tool(name=…, description=…)` calls whose name is not a literal or a
    /// constant of the file (`self.name`, an imported constant): the span of
    /// the call (see `FileFacts::calls`), with whether it sits inside an `if`.
    pub listings: Vec<(Span, bool)>,
    /// Branches that dispatch on a dotted or constant name
    /// (`if name == ToolName.SEARCH:`, `case Tools.READ:`): the name as
    /// written and the span of the branch.
    pub dispatch_names: Vec<(String, Span)>,
    /// Tools decorated on an object the file cannot tell is an MCP server
    /// (`docs = AuditedFastMCP(…)` with the class imported from the
    /// project, in a module that does not import the SDK): the object and
    /// the tool, kept if the project shows the class is a FastMCP subclass.
    pub candidates: Vec<(String, crate::facts::ToolDef)>,
    /// The declared parameters of each function (index into
    /// `FileFacts::functions`), `Context` ones left out, for a tool whose
    /// registration does not carry its schema (`mcp.tool(name=…)(self.deploy)`,
    /// a handler linked by the project layer): its arguments, their
    /// `Literal[…]` / numeric types and their spans are read off the handler.
    pub signatures: Vec<(usize, Vec<crate::facts::Param>)>,
}

/// `class Name(Base, …):` with its methods.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PyClass {
    pub name: String,
    /// The whole class definition.
    pub span: Span,
    /// The base classes as written (`ToolHandler`, `base.Tool`,
    /// `FastMCP[Ctx]` → `FastMCP`).
    pub bases: Vec<String>,
    /// The methods defined directly in the class body: indexes into
    /// `FileFacts::functions`.
    pub methods: Vec<usize>,
}

impl PyFacts {
    /// The declared parameters of function `function` (see `signatures`).
    pub fn signature(&self, function: usize) -> Option<&[crate::facts::Param]> {
        self.signatures
            .iter()
            .find(|(f, _)| *f == function)
            .map(|(_, params)| params.as_slice())
    }

    /// The server object a tool (by its `span`) was registered on.
    pub fn registered_on(&self, tool: Span) -> Option<&str> {
        self.registrations
            .iter()
            .find(|(s, _)| *s == tool)
            .map(|(_, o)| o.as_str())
    }

    /// The class whose body directly holds `span` (the innermost one).
    pub fn class_at(&self, span: Span) -> Option<&PyClass> {
        self.classes
            .iter()
            .filter(|c| c.span.start <= span.start && span.end <= c.span.end)
            .min_by_key(|c| c.span.len())
    }
}
