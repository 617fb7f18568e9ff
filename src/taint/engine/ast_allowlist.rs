//! A validator that parses the value as code (`tree = ast.parse(expr)`)
//! and raises unless the tree has an allowed shape (one expression, a call
//! of `px.<chart>`, no nested call) checks code against an allowlist of
//! syntax: after it returns, the value is safe to evaluate. The checks are
//! type tests on tree nodes (`isinstance(node, ast.Call)`), which the
//! condition reader has no class for, so the parse itself is the evidence.

use super::*;

/// Parsers of source code whose tree a validator inspects.
const CODE_PARSERS: &[&str] = &[
    "ast.parse",
    "acorn.parse",
    "acorn.parseExpressionAt",
    "esprima.parse",
    "esprima.parseScript",
    "esprima.parseModule",
    "espree.parse",
    "babelParser.parse",
    "parseExpression",
];

impl Frame<'_> {
    /// The classes a parse-and-reject validator ensures of the probe: Code
    /// when the function's own statements parse the probe with a code
    /// parser and the function raises somewhere after it.
    pub(super) fn ast_allowlist_bits(&self) -> u16 {
        let Some(probe) = self.probe.as_deref() else {
            return 0;
        };
        let statements = &self.facts.statements;
        let first = statements.partition_point(|s| s.span().start < self.span.start);
        let parsed_at = statements[first..]
            .iter()
            .take_while(|s| s.span().start < self.span.end)
            .filter(|s| self.own_statement(s.span()))
            .find_map(|s| match s {
                Stmt::Assign { value, span, .. } if parses_probe(value, probe) => Some(span.end),
                _ => None,
            });
        let Some(from) = parsed_at else {
            return 0;
        };
        let rest = self.text.get(from..self.span.end).unwrap_or("");
        let raises = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| matches!(w, "raise" | "throw"));
        if raises { SinkClass::Code.bit() } else { 0 }
    }
}

/// `ast.parse(expr)`, `ast.parse(expr, mode="eval")`, `acorn.parse(src, …)`.
fn parses_probe(value: &Expr, probe: &str) -> bool {
    let Value::Call(call) = &value.value else {
        return false;
    };
    CODE_PARSERS.contains(&call.callee.as_str())
        && call
            .positional()
            .next()
            .and_then(|a| a.name())
            .is_some_and(|n| n == probe)
}
