//! The reply of a remote API call is the service's data, not the request
//! sent. `client.scrape.startAndWait({ url, formats })` on an SDK client
//! object sends the tool's `url` as the request's payload; what comes back
//! (`result.data.screenshot`) is a URL the service chose. When nothing
//! else is known of such a call (not a project function, not a catalog
//! sink or client, its receiver holds no taint), the argument's taint does
//! not pass into the reply.

use super::*;

/// Receivers that are language built-ins or utility namespaces, whose
/// methods compute their result from the arguments (`JSON.stringify({…})`).
const BUILTIN_ROOTS: &[&str] = &[
    "JSON",
    "Object",
    "Array",
    "Promise",
    "Reflect",
    "Math",
    "String",
    "Number",
    "Buffer",
    "console",
    "URL",
    "URLSearchParams",
    "Date",
    "Symbol",
    "Map",
    "Set",
    "_",
    "R",
];

/// Method names that transform or check the object they get rather than
/// send it somewhere (`schema.parse({ url })`, `merge({ url })`).
const TRANSFORMS: &[&str] = &[
    "parse",
    "safeParse",
    "parseAsync",
    "safeParseAsync",
    "validate",
    "validateSync",
    "assign",
    "merge",
    "extend",
    "clone",
    "copy",
    "stringify",
    "serialize",
    "encode",
    "format",
    "normalize",
    "transform",
    "map",
    "pick",
    "omit",
    "then",
    "resolve",
    "of",
    "from",
    "with",
    "build",
    "render",
    "template",
    "compile",
    "interpolate",
    "fill",
    "join",
    "concat",
    "push",
    "set",
    "get",
];

impl Analyzer<'_, '_> {
    /// Is `call` a method of an object the code holds (`client.x.y(…)`,
    /// `this.api.run(…)`) whose tainted arguments are all object literals
    /// (the request's payload)? Then its result is the remote reply.
    pub(super) fn payload_only_reply(&mut self, frame: &Frame<'_>, call: &Call, at: usize) -> bool {
        if call.receiver.is_some() || TRANSFORMS.contains(&call.method()) {
            return false;
        }
        let Some(receiver) = call.receiver() else {
            return false;
        };
        let mut segments = receiver.split(['.', ':']).filter(|s| !s.is_empty());
        let Some(root) = segments.next() else {
            return false;
        };
        // `this.client.scrape(…)`: the object's field is the client.
        if matches!(root, "this" | "self") {
            if segments.next().is_none() {
                return false;
            }
        } else if frame.facts.imports.iter().any(|i| i.local == root)
            || BUILTIN_ROOTS.contains(&root)
            || root.chars().next().is_some_and(char::is_uppercase)
            || frame.lookup(root).is_some()
        {
            // A module, a namespace, a class, or a tainted object.
            return false;
        }
        let mut payload = false;
        for arg in &call.args {
            if self.eval(frame, &arg.value, at).is_none() {
                continue;
            }
            if !matches!(arg.value.value, Value::Object(_)) || arg.name.is_some() {
                return false;
            }
            payload = true;
        }
        payload
    }
}
