//! MCL210 bypassable-sql-guard: a "read-only" guard on SQL text from a tool
//! argument that looks at its first word (`query.strip().upper().startswith(
//! "SELECT")`, `/^\s*select/i.test(sql)`, `sql.split()[0] == "SELECT"`) or
//! for a list of keywords (`any(k in q.upper() for k in ("DROP", "DELETE"))`,
//! `/\b(insert|update|delete)\b/i.test(sql)`). Stacked statements
//! (`SELECT 1; DROP TABLE users`), writable CTEs (`WITH d AS (DELETE …)
//! SELECT …`), comments and functions with side effects pass. Reported at the
//! guard, with the flow to the query it fails to guard.

use super::FileContext;
use super::check_findings::{Verdict, check_rule, reads, shown, walk};
use super::owasp;
use crate::facts::{Expr, Value};
use crate::finding::Level;
use crate::taint::{Condition, SinkClass};

check_rule!(
    BypassableSqlGuard,
    "MCL210",
    "bypassable-sql-guard",
    Level::Warning,
    cwe = 89,
    owasp = owasp::MCP05,
    summary = "a read-only SQL guard that checks the first word or a keyword list, which stacked statements and writable CTEs pass",
    doc = "../../rules/MCL210-bypassable-sql-guard.md",
    class = Some(SinkClass::Sql),
    judge = judge,
    help = "enforce read-only where the database does: connect with a read-only role or connection (`sqlite3.connect('file:db?mode=ro', uri=True)`, `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`, a user granted SELECT only), run the query inside a read-only transaction, and refuse more than one statement with a SQL parser (sqlglot, pgsql-ast-parser) rather than by its text",
);

/// SQL statement keywords a guard may look for.
const SQL_KEYWORDS: &[&str] = &[
    "select", "with", "show", "explain", "describe", "pragma", "values", "insert", "update",
    "delete", "drop", "alter", "truncate", "create", "grant", "revoke", "replace", "merge",
    "attach", "copy", "exec", "execute", "call",
];

/// The statements a read-only guard lets through. A first-word check for
/// another statement (`startswith("delete")` in a `delete_rows` tool) picks
/// the statement kind a write tool runs; it guards nothing read-only, so
/// the message's premise would be false.
const READ_KEYWORDS: &[&str] = &[
    "select", "with", "show", "explain", "describe", "pragma", "values",
];

/// Is the first SQL word a pattern requires a read-only statement's?
fn leads_with_read(text: &str) -> bool {
    leading_keyword(text).is_some_and(|k| READ_KEYWORDS.contains(&k.as_str()))
}

/// Methods and functions that test the text's start or a pattern in it.
const TESTS: &[&str] = &[
    "startswith",
    "startsWith",
    "starts_with",
    "match",
    "test",
    "search",
    "fullmatch",
    "includes",
    "contains",
    "is_match",
    "find",
    "indexOf",
];

/// The first SQL word of a literal or pattern, after anchors, whitespace
/// classes, flags and groups: `^\s*(select|with)` → `select`.
fn leading_keyword(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches('/');
    loop {
        let before = rest;
        for prefix in [
            "^", "\\A", "(?i)", "\\s*", "\\s+", "\\b", "(?:", "(", " ", "\\W*",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        if rest == before {
            break;
        }
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    SQL_KEYWORDS.contains(&word.as_str()).then_some(word)
}

/// Keywords a literal or a list of literals names: `"DROP"`, `("DROP",
/// "DELETE")`, `/\b(insert|update|delete)\b/i`.
fn keywords_in(ctx: &FileContext<'_>, expr: &Expr) -> usize {
    let mut found = 0;
    for e in walk(expr) {
        let text = match &e.value {
            Value::Str(s) | Value::Regex(s) => s.clone(),
            Value::Name(name) => match ctx.facts.string_of(e) {
                Some((s, _)) => s,
                None => {
                    // `BLOCKED = ["DROP", "DELETE", …]` at module level, or
                    // the loop variable of `for kw in BLOCKED`.
                    found += bound_value(ctx, name).map_or(0, |v| literal_keywords(ctx, v));
                    continue;
                }
            },
            _ => continue,
        };
        found += text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| SQL_KEYWORDS.contains(&w.to_ascii_lowercase().as_str()))
            .count();
    }
    found
}

/// The keywords a list literal names, or the list a name is bound to.
fn literal_keywords(ctx: &FileContext<'_>, expr: &Expr) -> usize {
    let direct = walk(expr)
        .into_iter()
        .filter_map(Expr::str_value)
        .filter(|s| SQL_KEYWORDS.contains(&s.trim().to_ascii_lowercase().as_str()))
        .count();
    if direct > 0 {
        return direct;
    }
    match &expr.value {
        Value::Name(name) => ctx.facts.resolve(name).map_or(0, |b| match &b.value.value {
            Value::Name(_) => 0,
            _ => literal_keywords(ctx, &b.value),
        }),
        _ => 0,
    }
}

/// What a name is bound to: a module-level binding, else the value of the
/// file's first assignment to it (`for kw in BLOCKED` binds `kw`).
fn bound_value<'f>(ctx: &FileContext<'f>, name: &str) -> Option<&'f Expr> {
    if let Some(binding) = ctx.facts.resolve(name) {
        return Some(&binding.value);
    }
    ctx.facts.statements.iter().find_map(|stmt| match stmt {
        crate::facts::Stmt::Assign { targets, value, .. } if targets.iter().any(|t| t == name) => {
            Some(value)
        }
        _ => None,
    })
}

fn judge(ctx: &FileContext<'_>, cond: &Expr, condition: &Condition) -> Option<Verdict> {
    if !reads(cond, &condition.var) {
        return None;
    }
    let shown = shown(ctx.source(cond.span));
    for expr in walk(cond) {
        match &expr.value {
            Value::Call(call) if TESTS.contains(&call.method()) => {
                // The literal or pattern tested: an argument, or the receiver
                // of `/^select/i.test(sql)`.
                let named_receiver = call.receiver().map(|name| Expr {
                    span: call.callee_span,
                    value: Value::Name(name.to_string()),
                });
                let pattern_first = call
                    .positional()
                    .find_map(|a| pattern_text(ctx, a))
                    .or_else(|| call.receiver.as_deref().and_then(|r| pattern_text(ctx, r)))
                    .or_else(|| named_receiver.as_ref().and_then(|r| pattern_text(ctx, r)));
                let Some(pattern) = pattern_first else {
                    continue;
                };
                let subject_reads = call.args.iter().any(|a| reads(&a.value, &condition.var))
                    || call
                        .receiver
                        .as_deref()
                        .is_some_and(|r| reads(r, &condition.var))
                    || call
                        .receiver()
                        .is_some_and(|r| r.split('.').next() == condition.var.split('.').next());
                if !subject_reads {
                    continue;
                }
                let starts = matches!(call.method(), "startswith" | "startsWith" | "starts_with")
                    || pattern.starts_with('^')
                    || pattern.starts_with("\\A")
                    || call.method() == "match" && call.callee.starts_with("re.");
                if starts && leading_keyword(&pattern).is_some() {
                    if leads_with_read(&pattern) {
                        return Some(first_word(call.span, &shown));
                    }
                    // A statement-kind check of a write tool; its words
                    // (`create or replace`) are not a keyword list either.
                    continue;
                }
                if keywords_in(ctx, expr) >= 2
                    || pattern
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .filter(|w| SQL_KEYWORDS.contains(&w.to_ascii_lowercase().as_str()))
                        .count()
                        >= 2
                {
                    return Some(keyword_list(call.span, &shown));
                }
            }
            // `sql.split()[0].upper() == "SELECT"`, `q.trim().split(/\s+/)[0] !== "select"`.
            Value::Op(op, operands)
                if matches!(op.as_str(), "==" | "!=" | "===" | "!==" | "in" | "not in") =>
            {
                let literal = operands
                    .iter()
                    .find_map(|o| o.str_value().or(None).map(str::to_string));
                let first_index = operands.iter().any(|o| {
                    walk(o).into_iter().any(|e| {
                        matches!(&e.value, Value::Op(op, parts) if op == "[]"
                            && parts.get(1).is_some_and(|k| matches!(&k.value, Value::Number(n) if n == "0")))
                    })
                });
                if first_index
                    && literal.as_deref().is_some_and(leads_with_read)
                    && operands.iter().any(|o| reads(o, &condition.var))
                {
                    return Some(first_word(expr.span, &shown));
                }
                // `"DROP" in query.upper()` inside a loop over keywords, or
                // `kw in q for kw in BLOCKED`: a keyword list.
                if matches!(op.as_str(), "in" | "not in")
                    && operands.get(1).is_some_and(|o| reads(o, &condition.var))
                    && keywords_in(ctx, cond) >= 2
                {
                    return Some(keyword_list(expr.span, &shown));
                }
            }
            _ => {}
        }
    }
    None
}

/// The text of a string literal or regular expression an expression holds
/// (or a module-level name is bound to: `WRITE_PATTERN = /…/i`,
/// `SELECT_RE = re.compile(r"…")`).
fn pattern_text(ctx: &FileContext<'_>, expr: &Expr) -> Option<String> {
    match &expr.value {
        Value::Regex(r) => Some(r.clone()),
        Value::Call(call) => call.positional().next().and_then(|p| pattern_text(ctx, p)),
        Value::Name(name) => ctx.facts.string_of(expr).map(|(s, _)| s).or_else(|| {
            let binding = ctx.facts.resolve(name)?;
            match &binding.value.value {
                Value::Regex(r) => Some(r.clone()),
                Value::Call(call) => call
                    .positional()
                    .next()
                    .and_then(|p| ctx.facts.string_of(p))
                    .map(|(s, _)| s),
                _ => None,
            }
        }),
        _ => ctx.facts.string_of(expr).map(|(s, _)| s),
    }
}

fn first_word(span: crate::finding::Span, shown: &str) -> Verdict {
    Verdict {
        span,
        what: format!(
            "read-only SQL guard `{shown}` looks only at the first word: `SELECT 1; DROP TABLE users` and `WITH d AS (DELETE …) SELECT …` pass"
        ),
        label: None,
    }
}

fn keyword_list(span: crate::finding::Span, shown: &str) -> Verdict {
    Verdict {
        span,
        what: format!(
            "SQL guard `{shown}` looks for a list of keywords: statements it does not name, comments (`DR/**/OP`) and side-effecting functions pass"
        ),
        label: None,
    }
}

#[cfg(test)]
mod tests {
    use super::leading_keyword;

    #[test]
    fn the_first_sql_word_of_a_pattern_is_found_past_anchors_and_flags() {
        assert_eq!(leading_keyword("SELECT").as_deref(), Some("select"));
        assert_eq!(
            leading_keyword(r"^\s*(select|with)\b").as_deref(),
            Some("select")
        );
        assert_eq!(
            leading_keyword(r"/^\s*select\b/").as_deref(),
            Some("select")
        );
        assert_eq!(leading_keyword(r"(?i)^show").as_deref(), Some("show"));
        assert_eq!(leading_keyword("draft_"), None);
        assert_eq!(leading_keyword("selection"), None);
    }
}
