//! Calls on instances of project classes: `this.client.run(x)`,
//! `self.db.query(x)`, `git.log(x)` with the receiver bound to an instance
//! elsewhere — a field assigned in a constructor, a module-level instance, an
//! annotated parameter, a factory function's result, an instance imported
//! from another module. The receiver's class is found from the file's
//! facts (`FileFacts::objects`, its bindings) and the method by
//! `Class.method`, through the class's bases. Also the default export of a
//! module (`import convert from "./convert.js"`).

use crate::facts::{Binding, Expr, FileFacts, Stmt, Value};
use crate::finding::Span;

use super::{FnRef, Project, family, module_stem};

/// How many bindings, factories and bases deep a class is looked for. Still
/// silent when reached: the walk has no on-path set, so a binding cycle
/// (`a = b; b = a`) also ends here, and a note would be false there. A
/// method further away is not followed (a flow through it is missed).
const MAX_HOPS: usize = 6;

/// A class of the project: (file, index into its `objects.classes`).
type ClassRef = (usize, usize);

impl<'a> Project<'a> {
    /// The method a call on an instance of a project class runs, seen at
    /// offset `at` of file `file`: `svc.run` with `svc = Service(…)`,
    /// `this.client.run`, `self.helper` (the enclosing class or a base).
    pub fn resolve_method(&self, file: usize, callee: &str, at: usize) -> Option<FnRef> {
        let facts = self.files.get(file)?.facts;
        if self.classes.is_empty() {
            return None;
        }
        let (receiver, method) = callee.rsplit_once('.')?;
        if receiver.contains("<expr>") || receiver.contains("::") {
            return None;
        }
        let class = match receiver {
            "self" | "this" => enclosing_class(facts, file, at)?,
            _ if !self
                .instance_names
                .get(file)
                .is_some_and(|names| names.contains(receiver)) =>
            {
                return None;
            }
            _ => {
                // A module (`subprocess.run`, `os.path.join`) is no instance.
                let head = receiver.split('.').next().unwrap_or(receiver);
                if facts
                    .imports
                    .iter()
                    .any(|i| i.local == head && i.name.is_none())
                {
                    return None;
                }
                self.instance_class(file, receiver, at, 0)?
            }
        };
        self.method_in(class, method, 0)
    }

    /// The class of the instance `receiver` holds at offset `at`.
    fn instance_class(
        &self,
        file: usize,
        receiver: &str,
        at: usize,
        hops: usize,
    ) -> Option<ClassRef> {
        if hops > MAX_HOPS {
            return None;
        }
        let facts = self.files.get(file)?.facts;
        // Declared: `db: Database`, `private client: GitClient`.
        if let Some(typed) = facts
            .objects
            .typed
            .iter()
            .filter(|t| t.name == receiver && t.scope.start <= at && at <= t.scope.end)
            .min_by_key(|t| t.scope.len())
        {
            return self.class_named(file, &typed.class);
        }
        if let Some(binding) = binding_of(facts, receiver, at) {
            return match &unwrap(&binding.value).value {
                Value::Call(call) => self.class_of_call(file, call, hops + 1),
                Value::Name(name) if name != receiver => {
                    self.instance_class(file, name, binding.span.start, hops + 1)
                }
                _ => None,
            };
        }
        // `import { db } from "./db.js"`: an instance another module binds.
        if receiver.contains('.') {
            return None;
        }
        let import = facts.imports.iter().find(|i| i.local == receiver)?;
        let name = import.name.as_deref().filter(|n| *n != "default")?;
        let target = self.module_file(file, &import.module)?;
        let end = self.files[target].text.len();
        self.instance_class(target, name, end, hops + 1)
    }

    /// `GitClient()`, `new GitClient()`, or a factory of the project that
    /// returns one (`make_repo()`).
    fn class_of_call(
        &self,
        file: usize,
        call: &crate::facts::Call,
        hops: usize,
    ) -> Option<ClassRef> {
        if hops > MAX_HOPS || call.callee.contains("<expr>") {
            return None;
        }
        if let Some(class) = self.class_named(file, &call.callee) {
            return Some(class);
        }
        let (target_file, target) = self.resolve(file, &call.callee)?;
        let facts = self.files[target_file].facts;
        // `def get_fetcher(ctx) -> ConfluenceFetcher`: the annotation says.
        if let Some((_, class)) = facts.objects.returns.iter().find(|(f, _)| *f == target)
            && let Some(found) = self.class_named(target_file, class)
        {
            return Some(found);
        }
        let function = facts.functions.get(target)?;
        let first = facts
            .statements
            .partition_point(|s| s.span().start < function.span.start);
        for stmt in facts.statements[first..]
            .iter()
            .take_while(|s| s.span().start < function.span.end)
        {
            let Stmt::Return { value, span } = stmt else {
                continue;
            };
            let found = match &unwrap(value).value {
                Value::Call(inner) => self.class_of_call(target_file, inner, hops + 1),
                Value::Name(name) => self.instance_class(target_file, name, span.start, hops + 1),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// The class a name written in file `file` stands for: one of the
    /// file, one it imports, else the nearest of that name (barrels,
    /// re-exports).
    fn class_named(&self, file: usize, written: &str) -> Option<ClassRef> {
        let facts = self.files.get(file)?.facts;
        let fam = family(facts.language);
        let written = written.strip_prefix("new ").unwrap_or(written);
        let mut segments = written.split('.');
        let head = segments.next()?;
        let last = written.rsplit('.').next().unwrap_or(written);
        // `import { GitClient as Git }`: the class is `GitClient` over there.
        let import = facts.imports.iter().find(|i| i.local == head);
        let name = match import.and_then(|i| i.name.as_deref()) {
            Some(imported) if head == written && imported != "default" && imported != "*" => {
                imported
            }
            _ => last,
        };
        let candidates = self.classes.get(&(fam, name))?;
        if import.is_none()
            && let Some(local) = candidates.iter().find(|(f, _)| *f == file)
        {
            return Some(*local);
        }
        if let Some(import) = import {
            let stem = module_stem(&import.module);
            let stem = match (&import.name, head == written) {
                // `import tools` then `tools.GitClient`: the module is `tools`.
                (None, _) => stem,
                (Some(_), true) => stem,
                // `from pkg import git` then `git.GitClient`.
                (Some(imported), false) => imported.as_str(),
            };
            let from_module = candidates
                .iter()
                .filter(|(f, _)| super::names_match(self.module_names[*f], stem));
            if let Some(found) = self.nearest_of(file, from_module) {
                return Some(found);
            }
            // Imported from a package outside the project (`from redis
            // import Redis`): not the project's class of that name. From a
            // project module that re-exports it (a barrel): the nearest.
            if !import.module.starts_with('.')
                && !self.modules.contains_key(module_stem(&import.module))
            {
                return None;
            }
        }
        self.nearest_of(file, candidates.iter())
    }

    /// The method `method` of a class, or of its bases.
    fn method_in(&self, class: ClassRef, method: &str, hops: usize) -> Option<FnRef> {
        if hops > MAX_HOPS {
            return None;
        }
        let (file, index) = class;
        let facts = self.files.get(file)?.facts;
        let def = facts.objects.classes.get(index)?;
        let fam = family(facts.language);
        if let Some(found) = self.by_name.get(&(fam, method)).and_then(|candidates| {
            candidates.iter().copied().find(|&(f, j)| {
                f == file
                    && facts.functions.get(j).is_some_and(|function| {
                        innermost_class(facts, function.span.start) == Some(index)
                    })
            })
        }) {
            return Some(found);
        }
        def.bases.iter().find_map(|base| {
            let base = self.class_named(file, base)?;
            (base != class)
                .then(|| self.method_in(base, method, hops + 1))
                .flatten()
        })
    }

    /// The file a module path written in file `file` names, nearest first.
    fn module_file(&self, file: usize, module: &str) -> Option<usize> {
        let fam = family(self.files.get(file)?.facts.language);
        let files = self.modules.get(module_stem(module))?;
        let same_family = files
            .iter()
            .filter(|f| **f != file && family(self.files[**f].facts.language) == fam)
            .map(|f| (*f, 0usize));
        self.nearest_of(file, same_family.collect::<Vec<_>>().iter())
            .map(|(f, _)| f)
    }

    /// The function a module exports as its default, the module named as
    /// file `file` imports it.
    pub fn default_export(&self, file: usize, module: &str) -> Option<FnRef> {
        let target = self.module_file(file, module)?;
        let facts = self.files[target].facts;
        // `export default name` / `export default async (args) => …`, as
        // the frontend binds them to `default`.
        let binding = facts
            .bindings
            .iter()
            .rev()
            .find(|b| b.name == "default" && b.top_level)?;
        let function = match &binding.value.value {
            Value::Name(name) => facts
                .functions
                .iter()
                .position(|f| f.name.as_deref() == Some(name.as_str()))?,
            _ => facts
                .functions
                .iter()
                .position(|f| f.span == binding.value.span)?,
        };
        Some((target, function))
    }

    /// Of pairs whose first member is a file, the one whose path shares
    /// the most with file `file` (the first in scan order when equal).
    fn nearest_of<'c>(
        &self,
        file: usize,
        candidates: impl Iterator<Item = &'c (usize, usize)>,
    ) -> Option<(usize, usize)> {
        let caller = self.files.get(file)?.path;
        candidates
            .max_by_key(|(f, _)| {
                let shared = self.files[*f]
                    .path
                    .components()
                    .zip(caller.components())
                    .take_while(|(a, b)| a == b)
                    .count();
                (*f == file, shared, std::cmp::Reverse(*f))
            })
            .copied()
    }
}

/// `await x`, `x!`, `x as T` → `x`.
fn unwrap(expr: &Expr) -> &Expr {
    let mut current = expr;
    for _ in 0..4 {
        match &current.value {
            Value::Op(op, operands) if matches!(op.as_str(), "await" | "!" | "as") => {
                match operands.first() {
                    Some(inner) => current = inner,
                    None => break,
                }
            }
            _ => break,
        }
    }
    current
}

/// The binding that gives `receiver` its value at offset `at`: for
/// `self.x` / `this.x`, an assignment in the enclosing class; otherwise the
/// last assignment before `at` in the enclosing function, else the
/// module's.
fn binding_of<'f>(facts: &'f FileFacts, receiver: &str, at: usize) -> Option<&'f Binding> {
    let named = || facts.bindings.iter().filter(move |b| b.name == receiver);
    if receiver.starts_with("self.") || receiver.starts_with("this.") {
        let class = innermost_class(facts, at).and_then(|c| facts.objects.classes.get(c))?;
        return named().find(|b| inside(class.span, b.span));
    }
    if let Some(function) = facts.enclosing_function(Span::new(at, at))
        && let Some(local) = named()
            .rev()
            .find(|b| inside(function.span, b.span) && b.span.start < at)
    {
        return Some(local);
    }
    let mut top = named().filter(|b| b.top_level);
    let only = top.next()?;
    top.next().is_none().then_some(only)
}

fn inside(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The innermost class of the file around offset `at`.
fn innermost_class(facts: &FileFacts, at: usize) -> Option<usize> {
    facts
        .objects
        .classes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.span.start <= at && at < c.span.end)
        .min_by_key(|(_, c)| c.span.len())
        .map(|(i, _)| i)
}

fn enclosing_class(facts: &FileFacts, file: usize, at: usize) -> Option<ClassRef> {
    innermost_class(facts, at).map(|c| (file, c))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::facts::{FileFacts, Language};
    use crate::taint::project::{Project, ProjectFile};

    fn lowered(files: &[(&str, &str)]) -> Vec<(PathBuf, String, FileFacts)> {
        files
            .iter()
            .map(|(path, text)| {
                let language = if path.ends_with(".py") {
                    Language::Python
                } else {
                    Language::TypeScript
                };
                let facts =
                    crate::frontend::lower(language, Path::new(path), text).expect("parses");
                (PathBuf::from(path), text.to_string(), facts)
            })
            .collect()
    }

    /// The name of the function a call written at `marker` in file 0 runs.
    fn method_at(files: &[(&str, &str)], callee: &str, marker: &str) -> Option<String> {
        let lowered = lowered(files);
        let project = Project::new(
            lowered
                .iter()
                .map(|(path, text, facts)| ProjectFile::new(path, text, facts))
                .collect(),
            5,
            None,
        );
        let at = files[0].1.find(marker)?;
        let (file, function) = project.resolve_method(0, callee, at)?;
        let function = &lowered[file].2.functions[function];
        let class = super::innermost_class(&lowered[file].2, function.span.start)
            .map(|c| lowered[file].2.objects.classes[c].name.clone())
            .unwrap_or_default();
        Some(format!(
            "{class}.{}",
            function.name.clone().unwrap_or_default()
        ))
    }

    const RUNNER: &str = "class Base:\n    def run(self, cmd):\n        pass\n\n\
        class Runner(Base):\n    def query(self, q):\n        pass\n\n\
        class Other:\n    def run(self, cmd):\n        pass\n\n\
        def make_runner():\n    return Runner()\n\n\
        async def typed_runner(kind) -> Runner:\n    return REGISTRY[kind]\n\n\
        shared = Runner()\n";

    #[test]
    fn python_receivers_bound_in_every_form() {
        let server = "from runner import Runner, make_runner, shared, typed_runner\n\
            from runner import Runner as R\n\n\
            class Service:\n    def __init__(self, db: Runner):\n        self.runner = Runner()\n        self.db = db\n\n\
            \x20   def go(self, x):\n        self.runner.run(x)  # A\n        self.db.query(x)  # B\n\n\
            svc = Service(Runner())\nmade = make_runner()\nalias = R()\n\n\
            def handler(x, r: Runner):\n    svc.go(x)  # C\n    made.query(x)  # D\n    r.run(x)  # E\n    shared.query(x)  # F\n    alias.run(x)  # G\n    local = Runner()\n    local.query(x)  # H\n    os.path.join(x)  # I\n    t = await typed_runner(x)\n    t.query(x)  # J\n";
        let files = [("server.py", server), ("runner.py", RUNNER)];
        assert_eq!(
            method_at(&files, "self.runner.run", "# A").as_deref(),
            Some("Base.run")
        );
        assert_eq!(
            method_at(&files, "self.db.query", "# B").as_deref(),
            Some("Runner.query")
        );
        assert_eq!(
            method_at(&files, "svc.go", "# C").as_deref(),
            Some("Service.go")
        );
        assert_eq!(
            method_at(&files, "made.query", "# D").as_deref(),
            Some("Runner.query")
        );
        assert_eq!(
            method_at(&files, "r.run", "# E").as_deref(),
            Some("Base.run")
        );
        assert_eq!(
            method_at(&files, "shared.query", "# F").as_deref(),
            Some("Runner.query")
        );
        assert_eq!(
            method_at(&files, "alias.run", "# G").as_deref(),
            Some("Base.run")
        );
        assert_eq!(
            method_at(&files, "local.query", "# H").as_deref(),
            Some("Runner.query")
        );
        assert_eq!(method_at(&files, "os.path.join", "# I"), None);
        assert_eq!(
            method_at(&files, "t.query", "# J").as_deref(),
            Some("Runner.query")
        );
    }

    #[test]
    fn typescript_fields_parameter_properties_and_module_instances() {
        let index = "import { GitClient } from \"./git.js\";\n\
            const git = new GitClient();\n\
            class Tools {\n  private client: GitClient;\n  private lister = new GitClient();\n\
            \x20 constructor(private readonly other: GitClient) {\n    this.client = new GitClient();\n  }\n\
            \x20 a(x: string) { return this.client.run(x); /* A */ }\n\
            \x20 b(x: string) { return this.other.run(x); /* B */ }\n\
            \x20 c(x: string) { return this.lister.run(x); /* C */ }\n}\n\
            function h(x: string, g: GitClient | undefined) { git.run(x); /* D */ g!.run(x); /* E */ }\n\
            async function client(): Promise<GitClient> { return pool.take(); }\n\
            async function k(x: string) { const c = await client(); c.run(x); /* F */ }\n\
            let shared: GitClient | null = null;\nfunction m(x: string) { shared!.run(x); /* G */ }\n";
        let git = "export class GitClient {\n  run(args: string) { return args; }\n}\n";
        let files = [("src/index.ts", index), ("src/git.ts", git)];
        assert_eq!(
            method_at(&files, "this.client.run", "/* A */").as_deref(),
            Some("GitClient.run")
        );
        assert_eq!(
            method_at(&files, "this.other.run", "/* B */").as_deref(),
            Some("GitClient.run")
        );
        assert_eq!(
            method_at(&files, "this.lister.run", "/* C */").as_deref(),
            Some("GitClient.run")
        );
        assert_eq!(
            method_at(&files, "git.run", "/* D */").as_deref(),
            Some("GitClient.run")
        );
        assert_eq!(
            method_at(&files, "g.run", "/* E */").as_deref(),
            Some("GitClient.run")
        );
        assert_eq!(
            method_at(&files, "c.run", "/* F */").as_deref(),
            Some("GitClient.run")
        );
        // A class of another package named like a project class is not it.
        let other = "import { GitClient } from \"simple-git-client\";\n\
            const lib = new GitClient();\nfunction h(x: string) { lib.run(x); /* L */ }\n";
        let files = [("src/other.ts", other), ("src/git.ts", git)];
        assert_eq!(method_at(&files, "lib.run", "/* L */"), None);
        let files = [("src/index.ts", index), ("src/git.ts", git)];
        // An unknown receiver is no instance.
        assert_eq!(method_at(&files, "api.run", "/* D */"), None);
    }

    #[test]
    fn destructured_parameters_record_their_keys() {
        let facts = &lowered(&[(
            "a.ts",
            "export function convert({ filePath, url: u, opts: { depth } = {} }: Options, extra: string) {}\n",
        )])[0]
            .2;
        let keys = &facts.objects.destructured;
        assert_eq!(keys.len(), 1);
        let expected: Vec<(usize, Option<String>)> = vec![
            (0, Some("filePath".into())),
            (0, Some("url".into())),
            (0, Some("opts".into())),
            (1, None),
        ];
        assert_eq!(keys[0].1, expected);
        assert_eq!(
            facts.functions[keys[0].0].params,
            vec!["filePath", "u", "depth", "extra"]
        );
    }
}
