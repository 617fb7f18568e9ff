//! MCL208 unconstrained-parameter: a string parameter that reaches a sink
//! and whose schema constrains nothing.

use std::collections::HashSet;

use super::{FileContext, Rule, RuleMeta, TAINT_LANGUAGES, owasp};
use crate::finding::{Diagnostic, Level};
use crate::taint::Origin;

pub struct UnconstrainedParameter;

/// A parameter declared as (or not declared other than) a string; lists,
/// maps and objects have their own shape to constrain.
fn is_text(declared: Option<&str>) -> bool {
    let Some(declared) = declared else {
        return true;
    };
    let lower = declared.to_ascii_lowercase();
    // `Option<u32>`, `int | None`: a number or a flag is no string either.
    let inner = lower
        .trim_start_matches("option<")
        .trim_end_matches('>')
        .split(['|', ' '])
        .find(|t| !t.is_empty() && *t != "none" && *t != "null" && *t != "undefined")
        .unwrap_or("");
    let scalar = matches!(
        inner,
        "int"
            | "float"
            | "bool"
            | "boolean"
            | "number"
            | "bigint"
            | "integer"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
    );
    !scalar
        && ![
            "list", "dict", "vec", "array", "[]", "map", "record", "object", "set", "tuple",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

static META: RuleMeta = RuleMeta {
    code: "MCL208",
    name: "unconstrained-parameter",
    level: Level::Note,
    cwe: Some(20),
    owasp: Some(owasp::MCP05),
    languages: TAINT_LANGUAGES,
    summary: "a path/command/url/query parameter with no schema constraint",
    doc: include_str!("../../rules/MCL208-unconstrained-parameter.md"),
    opt_in: true,
    triggers: super::taint_findings::TRIGGERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for UnconstrainedParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = HashSet::new();
        for result in ctx.taint() {
            // Reported where the schema is written: the tool's registration.
            if result.tool_file != ctx.file_index {
                continue;
            }
            let Some(tool) = ctx.facts.tools.get(result.tool) else {
                continue;
            };
            for hit in &result.hits {
                let Origin::Param { name, .. } = &hit.taint.origin else {
                    continue;
                };
                let Some(param) = tool.params.iter().find(|p| p.name == *name) else {
                    continue;
                };
                if !param.constraints().is_empty()
                    || !is_text(param.declared_type.as_deref())
                    // One parameter struct may serve several tools: once per declaration.
                    || !seen.insert(param.span)
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        param.span,
                        format!(
                            "parameter `{}` of tool `{}` reaches `{}()` and its schema allows any string",
                            name.escape_debug(),
                            tool.name.escape_debug(),
                            hit.callee.replace("<expr>", "…").escape_debug()
                        ),
                    )
                    .with_help("constrain it in the schema so clients and the model see the contract: a pattern (Field(pattern=…), z.string().regex(…)), an enum / Literal, a format or a maxLength"),
                );
            }
        }
    }
}
