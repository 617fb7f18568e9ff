//! Where a runtime value comes from: the environment, the network, a file, or
//! a parameter of the enclosing function. Used to explain dynamic tool
//! descriptions; language-neutral, over lowered expressions.

use crate::facts::{Expr, FileFacts, Origin, Stmt, Value};

/// Calls that return data from the network (the callee's full path or its
/// last segments).
const NETWORK: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.request",
    "httpx.get",
    "httpx.post",
    "client.get",
    "session.get",
    "urlopen",
    "urllib.request.urlopen",
    "fetch",
    "axios.get",
    "axios",
    "got",
    "reqwest::get",
    // Go
    "http.Get",
    "http.Post",
];

/// Calls that read a file.
const FILE_READS: &[&str] = &[
    "open",
    "read_text",
    "read_bytes",
    "readFileSync",
    "readFile",
    "fs::read_to_string",
    "std::fs::read_to_string",
    "read_to_string",
    // Go
    "os.ReadFile",
    "ioutil.ReadFile",
];

fn matches(callee: &str, list: &[&str]) -> bool {
    list.iter().any(|entry| {
        callee == *entry
            || callee
                .strip_suffix(entry)
                .is_some_and(|head| head.ends_with('.') || head.ends_with("::"))
    })
}

/// The value of the one statement that assigns `name` (a loop variable, a
/// destructuring target), when exactly one does.
fn assigned_once<'a>(facts: &'a FileFacts, name: &str) -> Option<&'a Expr> {
    let mut found = facts.statements.iter().filter_map(|s| match s {
        Stmt::Assign { targets, value, .. } if targets.iter().any(|t| t == name) => Some(value),
        _ => None,
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The origins of the data in `expr`; `params` are the enclosing function's parameters.
pub fn origins(expr: &Expr, facts: &FileFacts, params: &[String]) -> Vec<Origin> {
    let mut found = Vec::new();
    collect(expr, facts, params, 0, &mut found);
    found.sort();
    found.dedup();
    found
}

fn collect(expr: &Expr, facts: &FileFacts, params: &[String], depth: usize, out: &mut Vec<Origin>) {
    if depth > 6 {
        return;
    }
    let recurse = |e: &Expr, out: &mut Vec<Origin>| collect(e, facts, params, depth + 1, out);
    match &expr.value {
        Value::EnvLookup { .. } => out.push(Origin::Environment),
        Value::Name(name) => {
            let root = name.split(['.', ':']).next().unwrap_or(name);
            if params.iter().any(|p| p == name || p == root) {
                out.push(Origin::Parameter);
            } else if let Some(binding) = facts.resolve(name) {
                recurse(&binding.value, out);
            } else if let Some(binding) = facts.resolve(root).filter(|_| root != name) {
                // `config.tools` of `config = JSON.parse(readFileSync(p))`:
                // a member of runtime data is runtime data.
                recurse(&binding.value, out);
            } else if let Some(value) = assigned_once(facts, root) {
                // A loop variable: `for (const entry of config.tools)`.
                recurse(value, out);
            }
        }
        Value::Call(call) => {
            if matches(&call.callee, NETWORK) {
                out.push(Origin::Network);
            } else if matches(&call.callee, FILE_READS) {
                // A literal path is a file of the project: reviewed, versioned.
                let literal_path = call
                    .positional()
                    .next()
                    .is_some_and(|a| a.str_value().is_some());
                if !literal_path {
                    out.push(Origin::File);
                }
            }
            for arg in &call.args {
                recurse(&arg.value, out);
            }
            if let Some(receiver) = &call.receiver {
                recurse(receiver, out);
            }
        }
        Value::Member(object, _) => recurse(object, out),
        Value::Template(_, parts) | Value::Concat(parts) | Value::Array(parts) => {
            for part in parts {
                recurse(part, out);
            }
        }
        Value::Object(pairs) => {
            for (_, value) in pairs {
                recurse(value, out);
            }
        }
        // `await fetch(u)`, `a ?? b`, `c ? a : b`: the data of the operands
        // (not a table lookup `DESCRIPTIONS[name]`, nor a comparison).
        Value::Op(op, operands)
            if matches!(op.as_str(), "await" | "??" | "||" | "?:" | "as" | "...") =>
        {
            for operand in operands {
                recurse(operand, out);
            }
        }
        _ => {}
    }
}
