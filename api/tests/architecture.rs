//! The architecture, checked: the crates depend on each other only downwards
//! (domain ← store ← app ← http ← the binary), the domain on neither actix-web nor diesel,
//! no crate's modules form an import cycle, and every published error code is produced
//! somewhere and documented. ARCHITECTURE.md says how each check works.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The crates of the workspace and the sources of each.
fn crates() -> Vec<(&'static str, PathBuf)> {
    let r = root();
    vec![
        ("sistema-lavoro-domain", r.join("crates/domain/src")),
        ("sistema-lavoro-store", r.join("crates/store/src")),
        ("sistema-lavoro-app", r.join("crates/app/src")),
        ("sistema-lavoro-http", r.join("crates/http/src")),
        ("sistema-lavoro", r.join("src")),
    ]
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The normal (non-dev) dependencies of a package, by `cargo tree`.
fn dependency_tree(package: &str) -> String {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            package,
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn names_in(tree: &str) -> BTreeSet<String> {
    tree.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

#[test]
fn the_domain_depends_on_neither_the_web_framework_nor_the_database() {
    let deps = names_in(&dependency_tree("sistema-lavoro-domain"));
    for forbidden in [
        "actix-web",
        "actix-http",
        "diesel",
        "diesel_migrations",
        "libsqlite3-sys",
        "pq-sys",
        "sistema-lavoro-store",
        "sistema-lavoro-app",
        "sistema-lavoro-http",
    ] {
        assert!(
            !deps.contains(forbidden),
            "the domain depends on {forbidden}"
        );
    }
}

#[test]
fn each_layer_depends_only_on_the_layers_below() {
    // (crate, what it must not depend on)
    let rules = [
        (
            "sistema-lavoro-store",
            &["actix-web", "sistema-lavoro-app", "sistema-lavoro-http"][..],
        ),
        (
            "sistema-lavoro-app",
            &["actix-web", "diesel", "sistema-lavoro-http"][..],
        ),
        ("sistema-lavoro-http", &["diesel"][..]),
    ];
    for (krate, forbidden) in rules {
        let tree = dependency_tree(krate);
        // Direct dependencies only: the first level of `cargo tree --depth 1`.
        let direct: BTreeSet<String> = Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "-e",
                "normal",
                "--depth",
                "1",
                "--prefix",
                "none",
                "-p",
                krate,
            ])
            .current_dir(root())
            .output()
            .map(|o| names_in(&String::from_utf8_lossy(&o.stdout)))
            .unwrap();
        for f in forbidden {
            assert!(!direct.contains(*f), "{krate} depends on {f} directly");
        }
        assert!(!tree.is_empty());
    }
}

/// A crate's modules and which of them each one uses.
struct ModuleGraph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

/// `lib.rs` → ``, `a.rs` and `a/mod.rs` → `a`, `a/b.rs` → `a::b`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let last = parts.pop()?;
    match last.as_str() {
        "lib.rs" if parts.is_empty() => {}
        "main.rs" => return None,
        "mod.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_string()),
    }
    Some(parts.join("::"))
}

/// Source text without comments and string literals (they may name modules in prose).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == '*' && bytes[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == 'r' && next == Some('#') && bytes.get(i + 2) == Some(&'"') {
            i += 3;
            while i + 1 < bytes.len() && !(bytes[i] == '"' && bytes[i + 1] == '#') {
                i += 1;
            }
            i += 2;
            out.push_str("\"\"");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where each item re-exported at the crate root (`pub use m::{A, B}`) is defined.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let re = regex::Regex::new(r"pub use ([a-z_][a-z0-9_:]*)::(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*);")
        .unwrap();
    for cap in re.captures_iter(lib) {
        let module = cap[1].to_string();
        if module.starts_with("sistema_lavoro") {
            continue;
        }
        let items = cap[2].trim_matches(|c| c == '{' || c == '}');
        for item in items.split(',') {
            let name = item.split(" as ").last().unwrap_or(item).trim();
            if !name.is_empty() {
                map.insert(name.to_string(), module.clone());
            }
        }
    }
    map
}

fn module_graph(src: &Path) -> ModuleGraph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let texts: BTreeMap<String, String> = files
        .iter()
        .filter_map(|f| {
            Some((
                module_of(src, f)?,
                code_only(&std::fs::read_to_string(f).ok()?),
            ))
        })
        .collect();
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    let reexports = texts.get("").map(|t| root_reexports(t)).unwrap_or_default();
    // Where `#[macro_export]` macros are written: `crate::name!` resolves there.
    let mut macros = BTreeMap::new();
    let macro_re = regex::Regex::new(r"macro_rules!\s*([a-z_][a-z0-9_]*)").unwrap();
    for (m, text) in &texts {
        if text.contains("#[macro_export]") {
            for cap in macro_re.captures_iter(text) {
                macros.insert(cap[1].to_string(), m.clone());
            }
        }
    }
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}::{b}")
        }
    };
    // The longest module prefix of a path (`a::b::Item` → `a::b`), or the root's item
    // resolved through its re-exports.
    let resolve = |path: &[&str]| -> Option<String> {
        let mut best = None;
        for n in 1..=path.len() {
            let candidate = path[..n].join("::");
            if modules.contains(&candidate) {
                best = Some(candidate);
            }
        }
        if best.is_none() {
            let first = path.first()?.trim_end_matches('!');
            if let Some(m) = reexports.get(first) {
                return Some(m.clone());
            }
            if let Some(m) = macros.get(first) {
                return Some(m.clone());
            }
            return Some(String::new());
        }
        best
    };
    let path_re =
        regex::Regex::new(r"(\$?)\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*!?)+)").unwrap();
    let use_group_re = regex::Regex::new(r"(?s)\buse\s+(crate|super|self)::\{([^;]*)\};").unwrap();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in &texts {
        let parent: Vec<&str> = if m.is_empty() {
            vec![]
        } else {
            m.split("::").collect()
        };
        let base_of = |anchor: &str| -> Vec<String> {
            match anchor {
                "crate" => vec![],
                "super" => parent[..parent.len().saturating_sub(1)]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                _ => parent.iter().map(|s| s.to_string()).collect(),
            }
        };
        let mut targets = BTreeSet::new();
        let mut add = |anchor: &str, rest: &str| {
            let mut full = base_of(anchor);
            full.extend(
                rest.split("::")
                    .filter(|s| !s.is_empty() && *s != "self")
                    .map(|s| s.to_string()),
            );
            let refs: Vec<&str> = full.iter().map(String::as_str).collect();
            if let Some(t) = resolve(&refs) {
                targets.insert(t);
            }
        };
        for cap in path_re.captures_iter(text) {
            if &cap[1] == "$" {
                continue; // `$crate::` in a macro body: expanded where the macro is used
            }
            add(&cap[2], &cap[3]);
        }
        for cap in use_group_re.captures_iter(text) {
            for item in cap[2].split(',') {
                let item = item.trim().trim_start_matches('{');
                let head = item.split("::").next().unwrap_or("").trim();
                if !head.is_empty() {
                    add(&cap[1], &format!("::{head}"));
                }
            }
        }
        // Children named by their bare name (`agenda::read(…)`), besides their `mod` line.
        for child in modules.iter().filter(|c| {
            c.rsplit_once("::").map(|(p, _)| p).unwrap_or("") == m.as_str()
                && !c.is_empty()
                && *c != m
        }) {
            let name = child.rsplit("::").next().unwrap_or(child);
            let bare = regex::Regex::new(&format!(r"(^|[^A-Za-z0-9_:]){name}::")).unwrap();
            if bare.is_match(text) {
                targets.insert(join(m, name));
            }
        }
        targets.remove(m);
        edges.insert(m.clone(), targets);
    }
    ModuleGraph { edges }
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(g: &ModuleGraph) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a ModuleGraph,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on: BTreeSet<String>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit(t: &mut T, v: &str) {
        t.index.insert(v.into(), t.next);
        t.low.insert(v.into(), t.next);
        t.next += 1;
        t.stack.push(v.into());
        t.on.insert(v.into());
        let succ: Vec<String> =
            t.g.edges
                .get(v)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
        for w in succ {
            if !t.g.edges.contains_key(&w) {
                continue;
            }
            if !t.index.contains_key(&w) {
                visit(t, &w);
                let lw = t.low[&w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(&w) {
                let iw = t.index[&w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        next: 0,
        out: vec![],
    };
    let nodes: Vec<String> = g.edges.keys().cloned().collect();
    for v in nodes {
        if !t.index.contains_key(&v) {
            visit(&mut t, &v);
        }
    }
    t.out
}

#[test]
fn no_crate_has_an_import_cycle_between_its_modules() {
    let mut found = Vec::new();
    for (name, src) in crates() {
        for c in cycles(&module_graph(&src)) {
            found.push(format!(
                "{name}: {}",
                c.iter()
                    .map(|m| if m.is_empty() { "(root)" } else { m })
                    .collect::<Vec<_>>()
                    .join(" ↔ ")
            ));
        }
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    // The check itself: two modules using each other are one cycle.
    let mut g = ModuleGraph {
        edges: BTreeMap::new(),
    };
    g.edges.insert("a".into(), ["b".to_string()].into());
    g.edges.insert("b".into(), ["a".to_string()].into());
    g.edges.insert("c".into(), ["a".to_string()].into());
    assert_eq!(cycles(&g), vec![vec!["a".to_string(), "b".to_string()]]);
}

#[test]
fn every_error_code_is_produced_somewhere_and_published() {
    use sistema_lavoro::domain::ErrorCode;
    let mut files = Vec::new();
    for (_, src) in crates() {
        rust_files(&src, &mut files);
    }
    let error_rs = root().join("crates/domain/src/error.rs");
    let code: String = files
        .iter()
        .filter(|f| **f != error_rs)
        .map(|f| code_only(&std::fs::read_to_string(f).unwrap()))
        .collect();
    let error_text = std::fs::read_to_string(&error_rs).unwrap();
    // Codes that a variant of `Error` carries (`Error::NotFound => ErrorCode::NotFound`):
    // produced wherever that variant is built.
    let arm = regex::Regex::new(r"Error::(\w+)(?:\([^)]*\)|\s*\{[^}]*\})?\s*=>\s*ErrorCode::(\w+)")
        .unwrap();
    let by_variant: BTreeMap<String, String> = arm
        .captures_iter(&error_text)
        .map(|c| (c[2].to_string(), c[1].to_string()))
        .collect();
    let doc = sistema_lavoro::http::openapi_value();
    let schema = &doc["components"]["schemas"]["ErrorCode"];
    let published: Vec<&str> = schema["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let description = schema["description"].as_str().unwrap_or_default();
    let committed = std::fs::read_to_string(root().join("../openapi.yaml")).unwrap();
    let mut problems = Vec::new();
    for c in ErrorCode::ALL {
        let variant = format!("{c:?}");
        let direct = code.contains(&format!("ErrorCode::{variant}"));
        let through = by_variant
            .get(&variant)
            .is_some_and(|v| code.contains(&format!("Error::{v}")));
        if !direct && !through {
            problems.push(format!("{c} is never produced"));
        }
        if !published.contains(&c.as_str()) {
            problems.push(format!("{c} is not in the ErrorCode enum of the document"));
        }
        if !description.contains(&format!("`{c}`")) || !committed.contains(c.as_str()) {
            problems.push(format!("{c} is not documented (or openapi.yaml is stale)"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
