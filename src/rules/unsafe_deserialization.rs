//! MCL207 unsafe-deserialization: pickle, yaml.load and the like on tool or
//! network input.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    UnsafeDeserialization,
    "MCL207",
    "unsafe-deserialization",
    Level::Error,
    cwe = 502,
    owasp = owasp::MCP05,
    summary = "pickle / yaml.load / similar on tool or network input",
    doc = "../../rules/MCL207-unsafe-deserialization.md",
    class = SinkClass::Deserialize,
    help = "use a data-only format (json.loads, yaml.safe_load, JSON.parse); never unpickle data the server did not write itself",
);
