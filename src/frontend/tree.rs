//! Helpers shared by the tree-sitter frontends (Python, TypeScript, JavaScript).

use tree_sitter::{Node, Tree};

use crate::facts::SyntaxProblem;
use crate::finding::Span;

/// Expressions are lowered to at most this depth; deeper parts become
/// `Value::Other` and the file gets a note (`EXPR_DEPTH_LIMIT`). Deep enough
/// for long method chains (`x.strip().lower()…` is one level per call); the
/// recursion runs on the scan's 16 MB thread stacks, and the frontends'
/// own nesting caps keep it from ever nearing them.
pub const MAX_EXPR_DEPTH: usize = 64;

/// The depth a caller passes to lower only the outer node (a string's text,
/// not its interpolations): past the limit on purpose, so no note.
pub const NO_DESCENT: usize = usize::MAX / 2;

/// Is a lowering at `depth` cut by the limit rather than on purpose?
pub fn cut_by_limit(depth: usize) -> bool {
    depth > MAX_EXPR_DEPTH && depth < NO_DESCENT
}

/// The note's wording of the expression-depth limit.
pub const EXPR_DEPTH_LIMIT: &str =
    "an expression nested more than 64 levels deep (its inner parts are not followed)";

pub fn span(node: Node<'_>) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

pub fn text<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    source.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Visits every named node once, depth first, without recursion (so that deeply
/// nested input cannot overflow the stack). `visit(node, parent, entering)` is
/// called when a node is entered and again when it is left. The parent is
/// tracked here because `Node::parent()` searches down from the root.
pub fn walk(tree: &Tree, mut visit: impl FnMut(Node<'_>, Option<Node<'_>>, bool)) {
    let mut cursor = tree.walk();
    let mut ancestors: Vec<Node<'_>> = Vec::new();
    // Only named nodes are visited: punctuation and keywords are most of a
    // tree and no frontend looks at them.
    loop {
        let node = cursor.node();
        if node.is_named() {
            visit(node, ancestors.last().copied(), true);
        }
        if cursor.goto_first_child() {
            ancestors.push(node);
            continue;
        }
        loop {
            let node = cursor.node();
            if node.is_named() {
                visit(node, ancestors.last().copied(), false);
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            ancestors.pop();
        }
    }
}

/// Records the first ERROR or MISSING node of a tree as a syntax problem.
pub fn first_syntax_problem(tree: &Tree) -> Option<SyntaxProblem> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = tree.walk();
    // Descend towards the first error: only children that contain one.
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let what = if node.is_missing() {
                format!("missing `{}`", node.kind())
            } else {
                "unexpected syntax".to_string()
            };
            return Some(SyntaxProblem {
                span: span(node),
                message: what,
            });
        }
        if !cursor.goto_first_child() {
            break;
        }
        loop {
            let child = cursor.node();
            if child.has_error() || child.is_error() || child.is_missing() {
                break;
            }
            if !cursor.goto_next_sibling() {
                // No child carries the error: report the node itself.
                cursor.goto_parent();
                return Some(SyntaxProblem {
                    span: span(cursor.node()),
                    message: "unexpected syntax".to_string(),
                });
            }
        }
    }
    Some(SyntaxProblem {
        span: span(cursor.node()),
        message: "unexpected syntax".to_string(),
    })
}

/// Decodes the common backslash escapes of Python and JavaScript strings.
/// Unknown escapes are kept as written.
pub fn decode_escape(raw: &str, out: &mut String) {
    let mut chars = raw.chars();
    if chars.next() != Some('\\') {
        out.push_str(raw);
        return;
    }
    let rest: &str = chars.as_str();
    let decoded = match rest.chars().next() {
        Some('n') => Some('\n'),
        Some('t') => Some('\t'),
        Some('r') => Some('\r'),
        Some('0') if rest.len() == 1 => Some('\0'),
        Some('\\') => Some('\\'),
        Some('\'') => Some('\''),
        Some('"') => Some('"'),
        Some('`') => Some('`'),
        Some('x') | Some('u') | Some('U') => {
            let hex = rest[1..].trim_start_matches('{').trim_end_matches('}');
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        }
        Some('\n') => return, // line continuation
        _ => None,
    };
    match decoded {
        Some(c) => out.push(c),
        None => out.push_str(raw),
    }
}

/// `child_by_field_name` with the field's id looked up once per grammar and
/// thread: tree-sitter resolves a field name by comparing it with every field
/// name of the grammar, which cost 7% of a scan when done on each call.
pub trait FieldExt<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
}

impl<'t> FieldExt<'t> for Node<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        let id = field_id(self, name)?;
        self.child_by_field_id(id.get())
    }
}

type FieldIds = Vec<(usize, usize, Option<std::num::NonZeroU16>)>;

thread_local! {
    static FIELD_IDS: std::cell::RefCell<Vec<(tree_sitter::Language, FieldIds)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn field_id(node: &Node<'_>, name: &'static str) -> Option<std::num::NonZeroU16> {
    // A `'static` name is identified by its address and length: the same
    // text at another address only adds an entry.
    let key = (name.as_ptr() as usize, name.len());
    let language = node.language();
    FIELD_IDS.with(|cell| {
        let mut grammars = cell.borrow_mut();
        let position = match grammars.iter().position(|(l, _)| *l == *language) {
            Some(position) => position,
            None => {
                grammars.push(((*language).clone(), Vec::new()));
                grammars.len() - 1
            }
        };
        let ids = &mut grammars[position].1;
        if let Some(&(_, _, id)) = ids.iter().find(|(a, l, _)| (*a, *l) == key) {
            return id;
        }
        let id = language.field_id_for_name(name);
        ids.push((key.0, key.1, id));
        id
    })
}
