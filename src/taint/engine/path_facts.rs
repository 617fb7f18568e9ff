//! Branches a call does not take. A shared helper `run(cmd, shell=False)`
//! whose `if shell:` branch reaches a shell: a sink found under a condition
//! on one of the function's own (untainted) parameters carries that
//! condition as a requirement (`SinkHit::requires`); where the function is
//! called with a literal for that parameter (or leaves it to a literal
//! default), a requirement the literal contradicts drops the sink for that
//! call. Kept bounded: truthiness, and equality with a literal bool, null or
//! string; a requirement whose parameter receives anything else is dropped
//! (the sink stays).

use super::*;

/// A literal a condition compares with, or a call site passes.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Bool(bool),
    Null,
    Str(String),
    Number(String),
}

impl Lit {
    fn of(expr: &Expr) -> Option<Lit> {
        match &expr.value {
            Value::Bool(b) => Some(Lit::Bool(*b)),
            Value::Null => Some(Lit::Null),
            Value::Name(n) if n == "undefined" || n == "None" => Some(Lit::Null),
            Value::Str(s) => Some(Lit::Str(s.clone())),
            Value::Number(n) => Some(Lit::Number(n.clone())),
            _ => None,
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Lit::Bool(b) => *b,
            Lit::Null => false,
            Lit::Str(s) => !s.is_empty(),
            Lit::Number(n) => n.trim_start_matches(['0', '.']).chars().any(|c| c != '0'),
        }
    }
}

/// What a condition says of a parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    Truthy(bool),
    /// Equal to the literal (`true`), or not (`false`).
    Equals(Lit, bool),
}

impl Want {
    fn negate(self) -> Want {
        match self {
            Want::Truthy(t) => Want::Truthy(!t),
            Want::Equals(lit, eq) => Want::Equals(lit, !eq),
        }
    }

    /// Does a literal satisfy it?
    pub fn holds(&self, value: &Lit) -> bool {
        match self {
            Want::Truthy(t) => value.truthy() == *t,
            Want::Equals(lit, eq) => {
                let same = match (lit, value) {
                    // `if shell == True` / `is True` with `shell=1`: Python
                    // compares 1 == True; keep the sink when unsure.
                    (Lit::Bool(a), Lit::Number(_)) => value.truthy() == *a,
                    _ => lit == value,
                };
                same == *eq
            }
        }
    }
}

/// A sink's requirement: parameter `index` of the function it was found in
/// (as the summary's caller sees it) must satisfy `want`.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub index: usize,
    pub want: Want,
}

/// A condition on a parameter that holds over a region of the body.
#[derive(Debug, Clone)]
pub struct PathFact {
    param: usize,
    want: Want,
    start: usize,
    end: usize,
}

/// Facts kept per function at most.
const MAX_FACTS: usize = 32;

/// The note when a function holds more checks of its parameters.
pub(super) const FACTS_LIMIT: &str =
    "checks on a function's parameters are kept for 32 branches and this function has more";

impl Frame<'_> {
    /// `cond` as a fact on an untainted parameter, if it is one.
    fn fact_of(&self, cond: &Expr) -> Option<(usize, Want)> {
        let param = |e: &Expr| {
            let name = e.name()?;
            if self.lookup(name).is_some() {
                return None;
            }
            self.params.iter().position(|p| p == name)
        };
        match &cond.value {
            Value::Name(_) => Some((param(cond)?, Want::Truthy(true))),
            Value::Op(op, operands) if (op == "not" || op == "!") && operands.len() == 1 => {
                let (index, want) = self.fact_of(&operands[0])?;
                Some((index, want.negate()))
            }
            Value::Op(op, operands) if operands.len() == 2 => {
                let eq = match op.as_str() {
                    "==" | "===" | "is" => true,
                    "!=" | "!==" | "is not" => false,
                    _ => return None,
                };
                let (index, lit) = match (param(&operands[0]), param(&operands[1])) {
                    (Some(i), None) => (i, Lit::of(&operands[1])?),
                    (None, Some(i)) => (i, Lit::of(&operands[0])?),
                    _ => return None,
                };
                Some((index, Want::Equals(lit, eq)))
            }
            _ => None,
        }
    }

    /// A guard's condition, when it is a fact on a parameter: it holds in
    /// the body, fails in the else part, and fails after the guard when the
    /// body always leaves.
    pub(super) fn record_path_facts(
        &mut self,
        cond: &Expr,
        span: Span,
        body: Span,
        exits: bool,
        orelse: Option<(Span, bool)>,
    ) -> bool {
        let Some((param, want)) = self.fact_of(cond) else {
            return false;
        };
        if self.path_facts.len() >= MAX_FACTS {
            return true;
        }
        let push = |frame: &mut Self, want: Want, start: usize, end: usize| {
            if start < end {
                frame.path_facts.push(PathFact {
                    param,
                    want,
                    start,
                    end,
                });
            }
        };
        if !body.is_empty() {
            push(self, want.clone(), body.start, body.end);
        }
        if let Some((else_body, _)) = orelse {
            push(self, want.clone().negate(), else_body.start, else_body.end);
        }
        let after_else = orelse.is_some_and(|(_, e)| e);
        if exits || after_else {
            let start = span.end.max(body.end);
            // Up to the end of the branch (or body) this guard sits in.
            let end = self
                .joins
                .iter()
                .rev()
                .filter(|j| j.body.start <= span.start && span.start < j.end)
                .find(|j| j.body != body)
                .map_or(self.span.end, |j| {
                    if span.start < j.body.end {
                        j.body.end
                    } else {
                        j.end
                    }
                });
            let holds = if exits { want.negate() } else { want };
            push(self, holds, start, end);
        }
        false
    }

    /// The requirements of a sink at offset `at`.
    pub(super) fn requirements_at(&self, at: usize) -> Vec<Requirement> {
        self.path_facts
            .iter()
            .filter(|f| f.start <= at && at < f.end)
            .map(|f| Requirement {
                index: f.param,
                want: f.want.clone(),
            })
            .collect()
    }

    /// `subprocess.run(cmd, shell=shell)`: the sink is a shell only when
    /// the parameter `shell` is truthy.
    pub(super) fn switch_requirement(&self, value: &Expr) -> Option<Requirement> {
        let (index, want) = self.fact_of(value)?;
        Some(Requirement { index, want })
    }
}

/// The literal a call passes for parameter `index` of `function`, or the
/// parameter's literal default when it passes nothing. The error holds the
/// caller's variable passed, when the value is one, else nothing is known.
fn literal_for(
    bound: &[(usize, &Expr)],
    index: usize,
    callee: (&FileFacts, &str),
    function: &Function,
) -> Result<Lit, Option<String>> {
    if let Some((_, arg)) = bound.iter().find(|(i, _)| *i == index) {
        return match Lit::of(arg) {
            Some(lit) => Ok(lit),
            None => Err(arg.name().map(str::to_string)),
        };
    }
    let (facts, text) = callee;
    let name = function.params.get(index).ok_or(None)?;
    match default_of(text, function, name) {
        Some(Some(lit)) => Ok(lit),
        // An optional TypeScript parameter left out is `undefined`.
        None if facts.language != crate::facts::Language::Python => Ok(Lit::Null),
        _ => Err(None),
    }
}

/// The default of parameter `name`, read from the function's parameter
/// list: `Some(Some(lit))` a literal default, `Some(None)` a default that
/// is no literal, `None` no default.
fn default_of(text: &str, function: &Function, name: &str) -> Option<Option<Lit>> {
    let source = text.get(function.span.start..function.span.end)?;
    let from = function
        .name
        .as_deref()
        .and_then(|n| source.find(n).map(|i| i + n.len()))
        .unwrap_or(0);
    let open = from + source.get(from..)?.find('(')?;
    // The top-level pieces of the list, up to its closing parenthesis.
    let mut depth = 0usize;
    let mut pieces = Vec::new();
    let mut start = open + 1;
    let mut quote: Option<char> = None;
    for (i, c) in source
        .get(open..)?
        .char_indices()
        .map(|(i, c)| (open + i, c))
    {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    pieces.push(&source[start..i]);
                    break;
                }
            }
            ',' if depth == 1 => {
                pieces.push(&source[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let piece = pieces.into_iter().map(str::trim).find(|p| {
        p.strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '=', '?', ' ']))
    })?;
    let (_, value) = piece.split_once('=')?;
    let value = value.trim();
    Some(match value {
        "False" | "false" => Some(Lit::Bool(false)),
        "True" | "true" => Some(Lit::Bool(true)),
        "None" | "null" | "undefined" => Some(Lit::Null),
        _ if value.len() >= 2
            && (value.starts_with('"') || value.starts_with('\''))
            && value.ends_with(&value[..1]) =>
        {
            Some(Lit::Str(value[1..value.len() - 1].to_string()))
        }
        _ if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit() || c == '.') => {
            Some(Lit::Number(value.to_string()))
        }
        _ => None,
    })
}

/// The requirements of a callee's sink as seen from a call: `None` when a
/// literal passed contradicts one (the call does not reach the sink),
/// otherwise those that now bear on the caller's own parameters.
pub(super) fn at_call(
    requires: &[Requirement],
    bound: &[(usize, &Expr)],
    callee: (&FileFacts, &str),
    function: &Function,
    caller_params: &[String],
) -> Option<Vec<Requirement>> {
    let mut out = Vec::new();
    for requirement in requires {
        match literal_for(bound, requirement.index, callee, function) {
            Ok(lit) => {
                if !requirement.want.holds(&lit) {
                    return None;
                }
            }
            Err(Some(name)) => {
                if let Some(index) = caller_params.iter().position(|p| *p == name) {
                    out.push(Requirement {
                        index,
                        want: requirement.want.clone(),
                    });
                }
            }
            Err(None) => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_read_from_the_parameter_list() {
        let text = "def run(argv: list[str], shell: bool = False, mode='exec', n=3, cb=make()):\n    pass\n";
        let function = Function {
            name: Some("run".to_string()),
            span: Span::new(0, text.len()),
            params: vec![],
        };
        assert_eq!(
            default_of(text, &function, "shell"),
            Some(Some(Lit::Bool(false)))
        );
        assert_eq!(
            default_of(text, &function, "mode"),
            Some(Some(Lit::Str("exec".into())))
        );
        assert_eq!(
            default_of(text, &function, "n"),
            Some(Some(Lit::Number("3".into())))
        );
        assert_eq!(default_of(text, &function, "cb"), Some(None));
        assert_eq!(default_of(text, &function, "argv"), None);
        let ts = "async function runCommand(argv: string[], useShell = false, opts?: Options) {}";
        let function = Function {
            name: Some("runCommand".to_string()),
            span: Span::new(0, ts.len()),
            params: vec![],
        };
        assert_eq!(
            default_of(ts, &function, "useShell"),
            Some(Some(Lit::Bool(false)))
        );
        assert_eq!(default_of(ts, &function, "opts"), None);
    }

    #[test]
    fn literals_satisfy_wants() {
        assert!(Want::Truthy(true).holds(&Lit::Bool(true)));
        assert!(!Want::Truthy(true).holds(&Lit::Bool(false)));
        assert!(!Want::Truthy(true).holds(&Lit::Null));
        assert!(Want::Truthy(false).holds(&Lit::Str(String::new())));
        assert!(!Want::Truthy(true).holds(&Lit::Number("0".into())));
        assert!(Want::Truthy(true).holds(&Lit::Number("1".into())));
        let bash = Want::Equals(Lit::Str("bash".into()), true);
        assert!(bash.holds(&Lit::Str("bash".into())));
        assert!(!bash.holds(&Lit::Str("sh".into())));
        assert!(bash.negate().holds(&Lit::Str("sh".into())));
    }
}
