//! Catch handlers judged path by path (MCL211, and the `try` bodies whose
//! rejections the taint engine counts only up to the handler).
//!
//! A handler leaves when every path through it leaves: a top-level `throw` /
//! `raise` / `return` / `continue` / `break`, or an `if` whose branches all
//! leave. A handler that rethrows only under a condition on the caught error
//! (`if (e instanceof Error && e.message.includes("blocked")) throw e;`,
//! `if isinstance(e, PermissionError): raise`) carries on for the other
//! errors; whether it lets *a given rejection* leave depends on the
//! condition, which is evaluated against what the guard raised: its class
//! and the literal text of its message. A condition that cannot be decided
//! from those (it reads a field the rejection does not set) is taken as
//! letting it leave: the author handles the error deliberately, and a
//! finding must not claim the rejection carries on.

use tree_sitter::Node;

use super::tree::{FieldExt, text};

/// Statements of a handler read at most.
const MAX_STATEMENTS: usize = 64;
/// Depth of nested conditions and branches read at most.
const MAX_DEPTH: usize = 16;

/// What a guard raised: the exception class as written (`Error`,
/// `ValueError`) and the static pieces of its message, split where the
/// message substitutes a value (none when the message is not a literal).
#[derive(Debug, Default)]
pub struct Rejection {
    pub class: String,
    pub pieces: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Python,
    TypeScript,
}

impl Rejection {
    /// `throw new Error(\`blocked ${x}\`)` → class `Error`, pieces ["blocked "].
    pub fn typescript(throw: Node<'_>, source: &str) -> Rejection {
        let mut out = Rejection::default();
        let Some(value) = throw.named_child(0) else {
            return out;
        };
        if value.kind() != "new_expression" {
            return out;
        }
        if let Some(ctor) = value.field("constructor") {
            out.class = last_name(text(ctor, source));
        }
        let first = value.field("arguments").and_then(|a| a.named_child(0));
        if let Some(message) = first {
            out.read_message(message, source);
        }
        out
    }

    /// `raise PermissionError(f"blocked {p}")` → class `PermissionError`.
    pub fn python(raise: Node<'_>, source: &str) -> Rejection {
        let mut out = Rejection::default();
        let Some(value) = raise.named_child(0) else {
            return out;
        };
        let (callee, args) = if value.kind() == "call" {
            (
                value.field("function").unwrap_or(value),
                value.field("arguments"),
            )
        } else {
            (value, None)
        };
        out.class = last_name(text(callee, source));
        if let Some(message) = args.and_then(|a| a.named_child(0)) {
            out.read_message(message, source);
        }
        out
    }

    fn read_message(&mut self, message: Node<'_>, source: &str) {
        match message.kind() {
            "string" | "template_string" => {
                let mut pieces = vec![String::new()];
                let mut cursor = message.walk();
                let children: Vec<Node<'_>> = message.named_children(&mut cursor).collect();
                if children.is_empty() {
                    pieces[0] = strip_quotes(text(message, source)).to_string();
                }
                for child in children {
                    match child.kind() {
                        "string_fragment" | "string_content" | "escape_sequence" => {
                            if let Some(last) = pieces.last_mut() {
                                last.push_str(text(child, source));
                            }
                        }
                        "template_substitution" | "interpolation" => {
                            pieces.push(String::new());
                        }
                        _ => {}
                    }
                }
                self.pieces = pieces;
            }
            _ => {}
        }
    }

    /// Does the message contain `needle`? Only its literal text counts: a
    /// substituted value (often the very argument refused) may or may not
    /// supply it, and the caller chooses one that does not.
    fn contains(&self, needle: &str) -> Option<bool> {
        if self.pieces.is_empty() {
            return None;
        }
        Some(self.pieces.iter().any(|p| p.contains(needle)))
    }

    /// Does the message start with `needle`, by its literal text?
    fn starts_with(&self, needle: &str) -> Option<bool> {
        self.pieces.first().map(|first| first.starts_with(needle))
    }

    /// Is the rejection an instance of `class`?
    fn is_instance(&self, class: &str, lang: Lang) -> Option<bool> {
        let class = last_name(class);
        let roots: &[&str] = match lang {
            Lang::TypeScript => &["Error"],
            Lang::Python => &["Exception", "BaseException"],
        };
        if self.class.is_empty() {
            return None;
        }
        if class == self.class || roots.contains(&class.as_str()) {
            return Some(true);
        }
        // A plain `Error` / `Exception` is an instance of no subclass.
        if roots.contains(&self.class.as_str()) {
            return Some(false);
        }
        None
    }
}

fn last_name(path: &str) -> String {
    path.rsplit('.').next().unwrap_or(path).trim().to_string()
}

fn strip_quotes(s: &str) -> &str {
    let s = s.trim_start_matches(['r', 'b', 'f', 'u', 'R', 'B', 'F', 'U']);
    s.trim_matches(['"', '\'', '`'])
}

/// Does a TypeScript / JavaScript `catch` block leave on every path?
pub fn typescript_leaves(block: Node<'_>) -> bool {
    leaves(block, Lang::TypeScript, 0)
}

/// Does a Python `except` block leave on every path?
pub fn python_leaves(block: Node<'_>) -> bool {
    leaves(block, Lang::Python, 0)
}

fn is_leaving(kind: &str) -> bool {
    matches!(
        kind,
        "throw_statement"
            | "raise_statement"
            | "return_statement"
            | "continue_statement"
            | "break_statement"
    )
}

/// Every path through `node` (a block or one statement) leaves.
fn leaves(node: Node<'_>, lang: Lang, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if is_leaving(node.kind()) {
        return true;
    }
    match node.kind() {
        "block" | "statement_block" | "else_clause" => {
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .take(MAX_STATEMENTS)
                .any(|c| leaves(c, lang, depth + 1))
        }
        "if_statement" => {
            let Some(consequence) = node.field("consequence") else {
                return false;
            };
            if !leaves(consequence, lang, depth + 1) {
                return false;
            }
            let mut alternatives = Vec::new();
            match lang {
                Lang::TypeScript => alternatives.extend(node.field("alternative")),
                Lang::Python => {
                    let mut cursor = node.walk();
                    alternatives.extend(
                        node.named_children(&mut cursor)
                            .filter(|c| matches!(c.kind(), "elif_clause" | "else_clause")),
                    );
                }
            }
            let has_else = alternatives.iter().any(|a| a.kind() == "else_clause");
            has_else
                && alternatives.iter().all(|a| {
                    let body = a
                        .field("consequence")
                        .or_else(|| a.field("body"))
                        .unwrap_or(*a);
                    leaves(body, lang, depth + 1)
                })
        }
        _ => false,
    }
}

/// Does a TypeScript `catch` clause let `rejection` leave: on every path,
/// or through a conditional rethrow whose condition holds of it?
pub fn typescript_handler_leaves(handler: Node<'_>, rejection: &Rejection, source: &str) -> bool {
    let Some(block) = handler.field("body") else {
        return false;
    };
    let param = handler.field("parameter").map(|p| text(p, source));
    handler_leaves(block, param, rejection, Lang::TypeScript, source)
}

/// Python: the same, of an `except` clause (`except Exception as e:`).
pub fn python_handler_leaves(
    clause: Node<'_>,
    block: Node<'_>,
    rejection: &Rejection,
    source: &str,
) -> bool {
    let mut cursor = clause.walk();
    let param = clause
        .named_children(&mut cursor)
        .find(|c| c.kind() == "as_pattern")
        .and_then(|p| p.field("alias"))
        .map(|a| text(a, source).trim());
    handler_leaves(block, param, rejection, Lang::Python, source)
}

fn handler_leaves(
    block: Node<'_>,
    param: Option<&str>,
    rejection: &Rejection,
    lang: Lang,
    source: &str,
) -> bool {
    if leaves(block, lang, 0) {
        return true;
    }
    let Some(param) = param.filter(|p| !p.is_empty()) else {
        return false;
    };
    // The top-level `if`s that leave, in order, until one that does not
    // decide: the first whose condition holds of the rejection decides.
    let mut cursor = block.walk();
    for statement in block.named_children(&mut cursor).take(MAX_STATEMENTS) {
        if statement.kind() != "if_statement" {
            continue;
        }
        let (Some(condition), Some(consequence)) =
            (statement.field("condition"), statement.field("consequence"))
        else {
            continue;
        };
        if !leaves(consequence, lang, 0) {
            continue;
        }
        let ctx = Context {
            param,
            rejection,
            lang,
            source,
        };
        if ctx.holds(condition, 0) != Some(false) {
            return true;
        }
    }
    false
}

struct Context<'a> {
    param: &'a str,
    rejection: &'a Rejection,
    lang: Lang,
    source: &'a str,
}

impl Context<'_> {
    /// Does `cond` hold of the rejection? None when it cannot be told.
    fn holds(&self, cond: Node<'_>, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let kind = cond.kind();
        match kind {
            "parenthesized_expression" => self.holds(cond.named_child(0)?, depth + 1),
            "unary_expression" | "not_operator" => {
                let operator = cond.field("operator").map(|o| text(o, self.source));
                if kind == "unary_expression" && operator != Some("!") {
                    return None;
                }
                let operand = cond.field("argument").or_else(|| cond.named_child(0))?;
                self.holds(operand, depth + 1).map(|b| !b)
            }
            "binary_expression" | "boolean_operator" => {
                let operator = cond.field("operator").map(|o| text(o, self.source).trim());
                let (left, right) = (cond.field("left")?, cond.field("right")?);
                match operator {
                    Some("&&" | "and") => {
                        and(self.holds(left, depth + 1), self.holds(right, depth + 1))
                    }
                    Some("||" | "or") => {
                        or(self.holds(left, depth + 1), self.holds(right, depth + 1))
                    }
                    Some("instanceof") if self.is_error(left) => self
                        .rejection
                        .is_instance(text(right, self.source), self.lang),
                    _ => None,
                }
            }
            // `"blocked" in str(e)`
            "comparison_operator" => {
                let mut cursor = cond.walk();
                let operands: Vec<Node<'_>> = cond.named_children(&mut cursor).collect();
                let op = self.comparison_operator(cond)?;
                let [needle, haystack] = operands.as_slice() else {
                    return None;
                };
                if !self.is_message(*haystack) {
                    return None;
                }
                let needle = self.literal(*needle)?;
                let found = self.rejection.contains(&needle);
                match op.as_str() {
                    "in" => found,
                    "not in" => found.map(|b| !b),
                    _ => None,
                }
            }
            "call_expression" | "call" => self.call_holds(cond),
            _ => None,
        }
    }

    fn comparison_operator(&self, cond: Node<'_>) -> Option<String> {
        let mut cursor = cond.walk();
        let words: Vec<&str> = cond
            .children(&mut cursor)
            .filter(|c| !c.is_named())
            .map(|c| text(c, self.source))
            .collect();
        Some(words.join(" "))
    }

    /// `e.message.includes("x")`, `str(e).startswith("x")`,
    /// `isinstance(e, PermissionError)`.
    fn call_holds(&self, call: Node<'_>) -> Option<bool> {
        let function = call.field("function")?;
        let args = call.field("arguments")?;
        let mut cursor = args.walk();
        let arguments: Vec<Node<'_>> = args.named_children(&mut cursor).collect();
        if self.lang == Lang::Python && text(function, self.source) == "isinstance" {
            let [subject, classes] = arguments.as_slice() else {
                return None;
            };
            if !self.is_error(*subject) {
                return None;
            }
            let names: Vec<Node<'_>> = if classes.kind() == "tuple" {
                let mut cursor = classes.walk();
                classes.named_children(&mut cursor).collect()
            } else {
                vec![*classes]
            };
            let mut out = Some(false);
            for name in names {
                out = or(
                    out,
                    self.rejection
                        .is_instance(text(name, self.source), self.lang),
                );
            }
            return out;
        }
        let (object, method) = match function.kind() {
            "member_expression" => (function.field("object")?, function.field("property")?),
            "attribute" => (function.field("object")?, function.field("attribute")?),
            _ => return None,
        };
        if !self.is_message(object) {
            return None;
        }
        let needle = self.literal(*arguments.first()?)?;
        match text(method, self.source) {
            "includes" | "find" => self.rejection.contains(&needle),
            "startsWith" | "startswith" => self.rejection.starts_with(&needle),
            _ => None,
        }
    }

    /// Is `node` the caught error itself?
    fn is_error(&self, node: Node<'_>) -> bool {
        text(node, self.source).trim() == self.param
    }

    /// Is `node` the caught error's message: `e.message`, `String(e)`,
    /// `e.toString()`, `str(e)`, `repr(e)`, `e.args[0]`?
    fn is_message(&self, node: Node<'_>) -> bool {
        let written: String = text(node, self.source)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let p = self.param;
        [
            format!("{p}.message"),
            format!("{p}?.message"),
            format!("String({p})"),
            format!("{p}.toString()"),
            format!("`${{{p}}}`"),
            format!("str({p})"),
            format!("repr({p})"),
            format!("{p}.args[0]"),
        ]
        .contains(&written)
    }

    fn literal(&self, node: Node<'_>) -> Option<String> {
        if !matches!(node.kind(), "string" | "template_string") {
            return None;
        }
        let mut cursor = node.walk();
        if node
            .named_children(&mut cursor)
            .any(|c| matches!(c.kind(), "template_substitution" | "interpolation"))
        {
            return None;
        }
        Some(strip_quotes(text(node, self.source)).to_string())
    }
}

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::facts::FileFacts;

    fn lowered(name: &str, text: &str) -> FileFacts {
        let path = PathBuf::from(name);
        let language = crate::discover::classify(&path).expect("language");
        crate::frontend::lower(language, &path, text).expect("lowers")
    }

    const TS: &str = r#"
async function matching(url: string) {
  try {
    if (!ok(url)) throw new Error(`Fetcher blocked ${url}`);
    await lookup(url);
  } catch (e) {
    if (e instanceof Error && e.message.includes("Fetcher blocked")) throw e;
  }
}
async function other(url: string) {
  try {
    if (!ok(url)) throw new Error(`Fetcher blocked ${url}`);
  } catch (e) {
    if (e instanceof TypeError) throw e;
    console.error(e);
  }
}
async function everyPath(url: string) {
  try {
    if (!ok(url)) throw new Error("refused");
  } catch (e) {
    if (String(e).startsWith("DNS")) { log(e); return; } else { throw e; }
  }
}
"#;

    const PY: &str = r#"
def matching(name):
    try:
        if name not in ALLOWED:
            raise PermissionError(f"refused {name}")
    except Exception as exc:
        if isinstance(exc, (KeyError, PermissionError)):
            raise
        log(exc)

def other(name):
    try:
        if name not in ALLOWED:
            raise PermissionError(f"refused {name}")
    except Exception as exc:
        if "timed out" in str(exc):
            raise
        log(exc)

def every_path(name):
    try:
        if name not in ALLOWED:
            raise ValueError("refused")
    except ValueError as exc:
        if "x" in str(exc):
            raise
        else:
            return None
"#;

    /// The names of the functions whose guard the handler swallows, and
    /// how many `try` bodies carry on.
    fn swallowed(facts: &FileFacts) -> Vec<String> {
        facts
            .swallowed
            .iter()
            .filter_map(|s| {
                facts
                    .enclosing_function(s.guard)
                    .and_then(|f| f.name.clone())
            })
            .collect()
    }

    #[test]
    fn a_conditional_rethrow_of_the_rejection_itself_lets_it_leave() {
        let ts = lowered("fetch.ts", TS);
        assert_eq!(swallowed(&ts), vec!["other".to_string()]);
        let py = lowered("guards.py", PY);
        assert_eq!(swallowed(&py), vec!["other".to_string()]);
    }

    #[test]
    fn a_handler_that_leaves_on_every_path_swallows_nothing() {
        // `matching` and `other` carry on for some errors; `everyPath` never.
        assert_eq!(lowered("fetch.ts", TS).swallowing_tries.len(), 2);
        assert_eq!(lowered("guards.py", PY).swallowing_tries.len(), 2);
    }
}
