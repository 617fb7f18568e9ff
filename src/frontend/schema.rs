//! Tool parameters from schemas written in source: JSON-Schema object
//! literals (any language) and zod shapes (TypeScript/JavaScript).

use crate::facts::{Expr, FileFacts, Param, Value};

/// Parameters from a JSON-Schema object literal: `{"type": "object", "properties": {...}}`.
pub fn json_schema_params(schema: &Expr, facts: &FileFacts) -> Vec<Param> {
    let schema = match &schema.value {
        Value::Name(name) => facts.resolve(name).map(|b| &b.value).unwrap_or(schema),
        _ => schema,
    };
    let required: Vec<&str> = match schema.get("required").map(|r| &r.value) {
        Some(Value::Array(items)) => items.iter().filter_map(Expr::str_value).collect(),
        _ => Vec::new(),
    };
    let Some(Expr {
        value: Value::Object(properties),
        ..
    }) = schema.get("properties")
    else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(name, _)| name != "...")
        .map(|(name, property)| {
            let mut param = Param {
                name: name.clone(),
                span: property.span,
                optional: !required.contains(&name.as_str()),
                ..Param::default()
            };
            param.declared_type = property
                .get("type")
                .and_then(Expr::str_value)
                .map(str::to_string);
            if let Some(d) = property.get("description")
                && let Some(text) = d.str_value()
            {
                param.description = Some((text.to_string(), d.span));
            }
            if let Some(Expr {
                value: Value::Array(values),
                ..
            }) = property.get("enum")
            {
                param.enum_values = values
                    .iter()
                    .map(|v| match &v.value {
                        Value::Str(s) | Value::Number(s) => s.clone(),
                        _ => "?".to_string(),
                    })
                    .collect();
            }
            param.pattern = property
                .get("pattern")
                .and_then(Expr::str_value)
                .map(str::to_string);
            param.format = property
                .get("format")
                .and_then(Expr::str_value)
                .map(str::to_string);
            if let Some(Expr {
                value: Value::Number(n),
                ..
            }) = property.get("maxLength")
            {
                param.max_length = n.parse().ok();
            }
            param
        })
        .collect()
}

/// Parameters from a zod raw shape `{ q: z.string().max(64).describe("…") }`
/// or from `z.object({...})`.
pub fn zod_shape_params(shape: &Expr, facts: &FileFacts) -> Vec<Param> {
    let shape = match &shape.value {
        Value::Name(name) => facts.resolve(name).map(|b| &b.value).unwrap_or(shape),
        // `z.object({...})`, possibly with `.strict()` and the like after it.
        Value::Call(call) => {
            let mut current = Some(call.as_ref());
            let mut inner = None;
            while let Some(c) = current {
                if c.method() == "object" {
                    inner = c.positional().next();
                    break;
                }
                current = c.receiver.as_deref().and_then(|r| match &r.value {
                    Value::Call(c) => Some(c.as_ref()),
                    _ => None,
                });
            }
            match inner {
                Some(inner) => inner,
                None => return Vec::new(),
            }
        }
        _ => shape,
    };
    let Value::Object(pairs) = &shape.value else {
        return Vec::new();
    };
    pairs
        .iter()
        .filter(|(name, _)| name != "...")
        .map(|(name, schema)| {
            let mut param = Param {
                name: name.clone(),
                span: schema.span,
                ..Param::default()
            };
            // `{ slug }` with `const slug = z.string().regex(…)` shared by tools.
            let schema = match &schema.value {
                Value::Name(n) => facts.resolve(n).map(|b| &b.value).unwrap_or(schema),
                _ => schema,
            };
            read_zod(schema, &mut param);
            param
        })
        .collect()
}

/// Walks a zod chain from the outermost call inwards: `.describe()`,
/// `.max()`, `.regex()`, `.url()`, `.optional()`, down to `z.string()` / `z.enum([...])`.
fn read_zod(schema: &Expr, param: &mut Param) {
    let mut current = Some(schema);
    let mut depth = 0;
    while let Some(expr) = current {
        depth += 1;
        let Value::Call(call) = &expr.value else {
            break;
        };
        if depth > 32 {
            break;
        }
        let first = call.positional().next();
        match call.method() {
            "describe" => {
                if param.description.is_none()
                    && let Some(d) = first
                    && let Some(text) = d.str_value()
                {
                    param.description = Some((text.to_string(), d.span));
                }
            }
            "max" | "length" => {
                if let Some(Expr {
                    value: Value::Number(n),
                    ..
                }) = first
                {
                    param.max_length = n.parse().ok();
                }
            }
            "regex" => {
                param.pattern = first.and_then(|p| match &p.value {
                    Value::Regex(r) | Value::Str(r) => Some(r.clone()),
                    _ => None,
                });
            }
            "url" => param.format = Some("uri".to_string()),
            "email" => param.format = Some("email".to_string()),
            "uuid" => param.format = Some("uuid".to_string()),
            "datetime" => param.format = Some("date-time".to_string()),
            "optional" | "nullable" | "nullish" | "default" => param.optional = true,
            "enum" | "literal" | "nativeEnum" => {
                param
                    .declared_type
                    .get_or_insert_with(|| "enum".to_string());
                let values: Vec<&Expr> = match first.map(|f| &f.value) {
                    Some(Value::Array(items)) => items.iter().collect(),
                    _ => first.into_iter().collect(),
                };
                param.enum_values = values
                    .iter()
                    .map(|v| match &v.value {
                        Value::Str(s) | Value::Number(s) => s.clone(),
                        Value::Bool(b) => b.to_string(),
                        _ => "?".to_string(),
                    })
                    .collect();
            }
            base @ ("string" | "number" | "boolean" | "array" | "object" | "bigint" | "date"
            | "any" | "unknown" | "union" | "record") => {
                param.declared_type.get_or_insert_with(|| base.to_string());
            }
            "int" => param.declared_type = Some("integer".to_string()),
            _ => {}
        }
        current = call.receiver.as_deref();
    }
}
