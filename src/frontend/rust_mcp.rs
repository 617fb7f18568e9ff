//! The MCP layer of the Rust frontend: rmcp `#[tool(...)]` methods in
//! `#[tool_router]` / `#[tool_box]` impls, their `Parameters<T>` structs,
//! `ServerHandler` impls and transports.

use std::collections::HashMap;

use syn::{Attribute, Expr as SynExpr, Lit};

use super::registration::describe;
use super::rust::{lower_expr_pub, to_span};
use crate::facts::{
    Description, EntryKind, Expr, FileFacts, Param, Server, ToolAnnotations, ToolDef, Transport,
    TransportUse, Value,
};
use crate::finding::Span;

/// A `#[tool]` method whose parameter struct may be defined later in the file.
pub struct PendingTool {
    pub tool: ToolDef,
    /// `T` of `Parameters<T>`, whose fields are the tool's parameters.
    pub params_struct: Option<String>,
    /// `description = <expr>`, resolved once constants are known.
    pub description_expr: Option<Expr>,
    /// The method's name, inside the function that handles the tool.
    pub method_span: Span,
}

fn has_attr(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .any(|a| a.path().segments.last().is_some_and(|s| s.ident == name))
}

pub fn is_conditional(attrs: &[Attribute]) -> bool {
    has_attr(attrs, "cfg")
}

/// Is this impl block a tool router (`#[tool_router]`, `#[tool_box]`) or a
/// prompt router (`#[prompt_router]`)?
pub fn is_tool_impl(item: &syn::ItemImpl) -> bool {
    has_attr(&item.attrs, "tool_router")
        || has_attr(&item.attrs, "tool_box")
        || has_attr(&item.attrs, "prompt_router")
}

/// `impl ServerHandler for Counter` → a server named after the type.
pub fn server_of(item: &syn::ItemImpl) -> Option<Server> {
    let (path, _) = item.trait_.as_ref()?;
    if path.segments.last()?.ident != "ServerHandler" {
        return None;
    }
    let name = match item.self_ty.as_ref() {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    Some(Server {
        name,
        span: to_span(item.impl_token.span),
        settings: Vec::new(),
    })
}

/// The doc comment of an item, with the span of its first line.
fn doc_of(attrs: &[Attribute]) -> Option<(String, Span)> {
    let mut lines = Vec::new();
    let mut first_span = None;
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let SynExpr::Lit(lit) = &nv.value
            && let Lit::Str(s) = &lit.lit
        {
            first_span.get_or_insert(to_span(s.span()));
            lines.push(s.value().trim().to_string());
        }
    }
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then(|| (text, first_span.unwrap_or_default()))
}

/// What a `#[tool(...)]` attribute says.
#[derive(Default)]
struct ToolAttr {
    name: Option<(String, Span)>,
    description: Option<SynExpr>,
    annotations: ToolAnnotations,
}

fn parse_tool_attr(attr: &Attribute) -> ToolAttr {
    let mut out = ToolAttr::default();
    if !matches!(attr.meta, syn::Meta::List(_)) {
        return out;
    }
    // Unknown keys are skipped, so that newer rmcp options do not stop us.
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("annotations") {
            return meta.parse_nested_meta(|hint| {
                let value: SynExpr = hint.value()?.parse()?;
                let flag = match &value {
                    SynExpr::Lit(l) => match &l.lit {
                        Lit::Bool(b) => Some(b.value),
                        _ => None,
                    },
                    _ => None,
                };
                let key = hint
                    .path
                    .get_ident()
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                match key.as_str() {
                    "read_only_hint" => out.annotations.read_only = flag,
                    "destructive_hint" => out.annotations.destructive = flag,
                    "idempotent_hint" => out.annotations.idempotent = flag,
                    "open_world_hint" => out.annotations.open_world = flag,
                    _ => {}
                }
                Ok(())
            });
        }
        if meta.input.peek(syn::Token![=]) {
            let value: SynExpr = meta.value()?.parse()?;
            if meta.path.is_ident("name")
                && let SynExpr::Lit(l) = &value
                && let Lit::Str(s) = &l.lit
            {
                out.name = Some((s.value(), to_span(s.span())));
            } else if meta.path.is_ident("description") {
                out.description = Some(value);
            }
        } else if meta.input.peek(syn::token::Paren) {
            meta.parse_nested_meta(|inner| {
                if inner.input.peek(syn::Token![=]) {
                    let _: SynExpr = inner.value()?.parse()?;
                }
                Ok(())
            })?;
        }
        Ok(())
    });
    out
}

/// A `#[tool]` method of a tool router or a `#[prompt]` method of a prompt
/// router (both take `name = …`, `description = …` and `Parameters<T>`),
/// or `None` for other methods.
pub fn tool_method(method: &syn::ImplItemFn, impl_conditional: bool) -> Option<PendingTool> {
    let (attr, kind) = method.attrs.iter().find_map(|a| {
        match a.path().segments.last()?.ident.to_string().as_str() {
            "tool" => Some((a, EntryKind::Tool)),
            "prompt" => Some((a, EntryKind::Prompt)),
            _ => None,
        }
    })?;
    let parsed = parse_tool_attr(attr);
    let ident = &method.sig.ident;
    let (name, span, name_literal) = match parsed.name {
        Some((name, span)) => (name, span, Some(span)),
        None => (ident.to_string(), to_span(ident.span()), None),
    };
    let description_expr = parsed.description.as_ref().map(lower_expr_pub);
    // Without `description = …`, rmcp describes the tool by its doc comment.
    let description = match description_expr {
        Some(_) => None,
        None => doc_of(&method.attrs).map(|(text, span)| Description::Literal { text, span }),
    };
    let mut params = Vec::new();
    let mut params_struct = None;
    for input in &method.sig.inputs {
        let syn::FnArg::Typed(typed) = input else {
            continue;
        };
        let syn::Type::Path(ty) = typed.ty.as_ref() else {
            continue;
        };
        let Some(last) = ty.path.segments.last() else {
            continue;
        };
        if last.ident == "Parameters" || last.ident == "Json" {
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(syn::Type::Path(inner))) = args.args.first()
            {
                params_struct = inner.path.segments.last().map(|s| s.ident.to_string());
            }
        } else if has_attr(&typed.attrs, "tool") {
            // rmcp's older `#[tool(param)] query: String` form.
            if let syn::Pat::Ident(pat) = typed.pat.as_ref() {
                params.push(Param {
                    name: pat.ident.to_string(),
                    span: to_span(pat.ident.span()),
                    declared_type: Some(type_text(&typed.ty)),
                    description: schemars_description(&typed.attrs)
                        .or_else(|| doc_of(&typed.attrs)),
                    ..Param::default()
                });
            }
        }
    }
    Some(PendingTool {
        tool: ToolDef {
            kind,
            name,
            span,
            name_literal,
            dynamic_name: false,
            description,
            params,
            annotations: parsed.annotations,
            handler: None,
            handler_import: None,
            conditional: impl_conditional || is_conditional(&method.attrs),
            link: None,
        },
        params_struct,
        description_expr,
        method_span: to_span(ident.span()),
    })
}

/// A type as written, compacted: `Option<String>`.
fn type_text(ty: &syn::Type) -> String {
    quote::ToTokens::to_token_stream(ty)
        .to_string()
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" :: ", "::")
}

fn schemars_description(attrs: &[Attribute]) -> Option<(String, Span)> {
    let mut found = None;
    for attr in attrs {
        if !attr.path().is_ident("schemars") {
            continue;
        }
        let _ = attr.parse_nested_meta(|meta| {
            if meta.input.peek(syn::Token![=]) {
                let value: SynExpr = meta.value()?.parse()?;
                if meta.path.is_ident("description")
                    && let SynExpr::Lit(l) = &value
                    && let Lit::Str(s) = &l.lit
                {
                    found = Some((s.value(), to_span(s.span())));
                }
            } else if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    if inner.input.peek(syn::Token![=]) {
                        let _: SynExpr = inner.value()?.parse()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        });
    }
    found
}

/// The fields of a struct as tool parameters (doc comments and
/// `#[schemars(description = …)]` as descriptions).
pub fn struct_params(item: &syn::ItemStruct) -> Vec<Param> {
    let syn::Fields::Named(fields) = &item.fields else {
        return Vec::new();
    };
    fields
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            let ty = type_text(&field.ty);
            Some(Param {
                name: ident.to_string(),
                span: to_span(ident.span()),
                optional: ty.starts_with("Option<"),
                declared_type: Some(ty),
                description: schemars_description(&field.attrs).or_else(|| doc_of(&field.attrs)),
                ..Param::default()
            })
        })
        .collect()
}

/// After the walk: attach parameter structs, resolve descriptions through
/// constants, and find transports among the calls.
pub fn finish(
    facts: &mut FileFacts,
    pending: Vec<PendingTool>,
    structs: &HashMap<String, Vec<Param>>,
) {
    for mut candidate in pending {
        if let Some(name) = &candidate.params_struct
            && let Some(fields) = structs.get(name)
        {
            candidate.tool.params.extend(fields.iter().cloned());
        }
        let method = candidate.method_span;
        candidate.tool.handler = facts
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.span.start <= method.start && method.end <= f.span.end)
            .min_by_key(|(_, f)| f.span.len())
            .map(|(i, _)| i);
        if let Some(expr) = &candidate.description_expr {
            candidate.tool.description = Some(describe(expr, facts, &[]));
        }
        facts.tools.push(candidate.tool);
    }
    let mut transports = Vec::new();
    for call in &facts.calls {
        let transport = match call.method() {
            "stdio" => Some(Transport::Stdio),
            _ if call.callee.contains("StreamableHttpService") => Some(Transport::StreamableHttp),
            _ if call.callee.contains("SseServer") => Some(Transport::Sse),
            _ => None,
        };
        if let Some(transport) = transport {
            transports.push(TransportUse {
                transport,
                span: call.span,
            });
        }
    }
    // `.serve((stdin(), stdout()))`: the standard streams as the transport.
    for call in &facts.calls {
        if !call.method().starts_with("serve") {
            continue;
        }
        let Some(Expr {
            value: Value::Array(parts),
            ..
        }) = call.positional().next()
        else {
            continue;
        };
        let is_call =
            |e: &Expr, name: &str| matches!(&e.value, Value::Call(c) if c.method() == name);
        if parts.len() == 2 && is_call(&parts[0], "stdin") && is_call(&parts[1], "stdout") {
            transports.push(TransportUse {
                transport: Transport::Stdio,
                span: call.span,
            });
        }
    }
    facts.transports.extend(transports);
}
