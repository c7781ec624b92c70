//! The shape of the tree, checked from the source: ARCHITECTURE.md says
//! which module may depend on which, and this test holds the code to it.
//!
//! It reads every non-test source file under src/ (`#[cfg(test)]` items,
//! `tests.rs`, `*_tests.rs` and modules declared under `#[cfg(test)]` are
//! skipped), collects the `crate::…` and `super::…` paths it names (use
//! trees expanded, comments and string literals ignored), and builds two
//! graphs: one of the top-level modules, one of `nn`'s submodules. It fails
//!
//! - on an import circle, naming its modules and a file and line for each
//!   edge of it;
//! - on a dependency the module map of ARCHITECTURE.md does not allow (the
//!   table is parsed from ARCHITECTURE.md itself, so the document is the one
//!   source of the rule);
//! - on a source file with more than 800 lines of non-test code.
//!
//! The graph code is tested on small made-up inputs below, so each check is
//! known to be able to fail.
//!
//! The reading is textual, not a compiler's: a path through a re-export
//! (`crate::nn::Float`, defined in `nn::float`) counts as a dependency on
//! the module that re-exports it (`nn`), and within `nn` a path to `nn`'s
//! root is not counted as an edge between submodules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A dependency found in the source: which file, at which line, named it.
#[derive(Debug, Clone)]
struct Evidence {
    file: String,
    line: usize,
}

/// from -> to -> the first place seen.
type Graph = BTreeMap<String, BTreeMap<String, Evidence>>;

// ---------------------------------------------------------------- reading

/// The source with comments and the contents of string and character
/// literals blanked out (newlines kept, so line numbers stay right).
fn strip_comments_and_strings(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#, …
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push('"');
            for _ in i + 1..=j {
                out.push(' ');
            }
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    out.push('"');
                    out.extend(std::iter::repeat_n(' ', hashes));
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1F}'), or a lifetime ('a).
            let literal_end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&k| chars[k] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match literal_end {
                Some(end) => {
                    out.push('\'');
                    out.extend(std::iter::repeat_n(' ', end - i - 1));
                    out.push('\'');
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Which lines are outside every item under `#[cfg(test)]` (the attribute
/// and those between it and the item count as the item's), and the names
/// of test-only modules declared as files (`#[cfg(test)] mod tests;`).
fn non_test_line_flags(code: &str) -> (Vec<bool>, Vec<String>) {
    let lines: Vec<&str> = code.lines().collect();
    let mut keep = vec![true; lines.len()];
    let mut test_modules = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with("#[") {
            i += 1;
        }
        if i >= lines.len() {
            break;
        }
        let item = lines[i].trim();
        if let Some(name) = item
            .strip_prefix("pub ")
            .unwrap_or(item)
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            test_modules.push(name.trim().to_string());
        }
        // The item ends at its `;` if that comes before any `{`, else at
        // the brace that closes its first `{`.
        let mut depth = 0i32;
        let mut opened = false;
        let mut end = i;
        'item: for (k, line) in lines.iter().enumerate().skip(i) {
            for ch in line.chars() {
                match ch {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened => {
                        end = k;
                        break 'item;
                    }
                    _ => {}
                }
                if opened && depth == 0 {
                    end = k;
                    break 'item;
                }
            }
            end = k;
        }
        for flag in &mut keep[start..=end] {
            *flag = false;
        }
        i = end + 1;
    }
    (keep, test_modules)
}

/// The code with every `#[cfg(test)]` item blanked out (line numbers kept),
/// and the names of test-only modules declared as files.
fn strip_test_items(code: &str) -> (String, Vec<String>) {
    let (keep, test_modules) = non_test_line_flags(code);
    let text = code
        .lines()
        .zip(&keep)
        .map(|(line, keep)| if *keep { line } else { "" })
        .collect::<Vec<_>>()
        .join("\n");
    (text, test_modules)
}

/// Lines of non-test code: the file's lines, less those of its
/// `#[cfg(test)]` items.
fn non_test_lines(source: &str) -> usize {
    let (keep, _) = non_test_line_flags(&strip_comments_and_strings(source));
    keep.into_iter().filter(|kept| *kept).count()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Star,
    Other,
}

fn tokenize(code: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let ident: String = chars[start..i].iter().collect();
            tokens.push((Token::Ident(ident), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push((Token::PathSep, line));
            i += 2;
        } else {
            let token = match c {
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                '*' => Token::Star,
                _ => Token::Other,
            };
            tokens.push((token, line));
            i += 1;
        }
    }
    tokens
}

/// Expands the use tree or path that starts at `tokens[*at]` (just after a
/// `::`) into full paths, each prefixed with `prefix`.
fn parse_tree(tokens: &[(Token, usize)], at: &mut usize, prefix: &[String]) -> Vec<Vec<String>> {
    let mut path = prefix.to_vec();
    loop {
        match tokens.get(*at).map(|(t, _)| t) {
            // `{self, …}` names the module the group is in.
            Some(Token::Ident(name))
                if name == "self" && !prefix.is_empty() && path.len() == prefix.len() =>
            {
                *at += 1;
                return vec![path];
            }
            Some(Token::Ident(name)) => {
                path.push(name.clone());
                *at += 1;
                if tokens.get(*at).map(|(t, _)| t) == Some(&Token::PathSep) {
                    *at += 1;
                } else {
                    return vec![path];
                }
            }
            Some(Token::Open) => {
                *at += 1;
                let mut paths = Vec::new();
                loop {
                    match tokens.get(*at).map(|(t, _)| t) {
                        Some(Token::Close) => {
                            *at += 1;
                            break;
                        }
                        Some(Token::Comma) => *at += 1,
                        None => break,
                        Some(_) => {
                            let before = *at;
                            paths.extend(parse_tree(tokens, at, &path));
                            // `as name`, or anything not a path: skip on.
                            while !matches!(
                                tokens.get(*at).map(|(t, _)| t),
                                None | Some(Token::Comma) | Some(Token::Close)
                            ) {
                                *at += 1;
                            }
                            if *at == before {
                                *at += 1;
                            }
                        }
                    }
                }
                return paths;
            }
            Some(Token::Star) => {
                *at += 1;
                return vec![path];
            }
            _ => return vec![path],
        }
    }
}

/// The absolute module paths (without `crate`) that `code` names, with the
/// line of each, for a file whose module path is `module`.
fn referenced_paths(code: &str, module: &[String]) -> Vec<(Vec<String>, usize)> {
    let tokens = tokenize(code);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        let preceded_by_sep = i > 0 && tokens[i - 1].0 == Token::PathSep;
        let start: Option<Vec<String>> = match token {
            Token::Ident(name) if name == "crate" && !preceded_by_sep => Some(Vec::new()),
            Token::Ident(name) if name == "super" && !preceded_by_sep => {
                // super::super::… climbs one module per `super`.
                let mut base = module.to_vec();
                let mut k = i;
                loop {
                    base.pop();
                    let sep = tokens.get(k + 1).map(|(t, _)| t) == Some(&Token::PathSep);
                    let again = matches!(tokens.get(k + 2).map(|(t, _)| t),
                        Some(Token::Ident(n)) if n == "super");
                    if sep && again {
                        k += 2;
                    } else {
                        break;
                    }
                }
                i = k;
                Some(base)
            }
            _ => None,
        };
        match start {
            Some(prefix) if tokens.get(i + 1).map(|(t, _)| t) == Some(&Token::PathSep) => {
                let mut at = i + 2;
                for path in parse_tree(&tokens, &mut at, &prefix) {
                    found.push((path, *line));
                }
                i = at.max(i + 1);
            }
            _ => i += 1,
        }
    }
    found
}

/// A source file: its path relative to the crate root, its module path,
/// and its text.
struct SourceFile {
    relative: String,
    module: Vec<String>,
    text: String,
}

fn module_path(relative_to_src: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative_to_src
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn is_test_file(name: &str) -> bool {
    name == "tests.rs" || name.ends_with("_tests.rs")
}

/// Every non-test source file of the library under src/ (main.rs is the
/// binary, which names the library as `synapse::`, not `crate::`).
fn source_files(src: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).expect("src/ is readable");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut files: Vec<SourceFile> = paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(src).expect("under src/").to_path_buf();
            SourceFile {
                relative: format!("src/{}", relative.display()),
                module: module_path(&relative),
                text: fs::read_to_string(&path).expect("source is UTF-8"),
            }
        })
        .collect();
    // Modules declared under #[cfg(test)] are test code wherever they live.
    let mut test_only: BTreeSet<Vec<String>> = BTreeSet::new();
    for file in &files {
        let (_, declared) = strip_test_items(&strip_comments_and_strings(&file.text));
        for name in declared {
            let mut module = file.module.clone();
            module.push(name);
            test_only.insert(module);
        }
    }
    files.retain(|file| {
        let name = file.relative.rsplit('/').next().unwrap_or_default();
        !is_test_file(name) && name != "main.rs" && !test_only.contains(&file.module)
    });
    files
}

/// The graph at a depth: depth 1 is the top-level modules; within `nn`,
/// depth 2 is `nn`'s submodules (`nn::fast`, `nn::network`, …).
fn build_graphs(files: &[SourceFile]) -> (Graph, Graph) {
    let top_level: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.module.first().cloned())
        .collect();
    let nn_modules: BTreeSet<String> = files
        .iter()
        .filter(|f| f.module.first().map(String::as_str) == Some("nn") && f.module.len() >= 2)
        .map(|f| format!("nn::{}", f.module[1]))
        .collect();
    let mut top = Graph::new();
    let mut nn = Graph::new();
    for file in files {
        let Some(from) = file.module.first() else {
            continue;
        };
        let (code, _) = strip_test_items(&strip_comments_and_strings(&file.text));
        for (path, line) in referenced_paths(&code, &file.module) {
            let evidence = Evidence {
                file: file.relative.clone(),
                line,
            };
            if let Some(to) = path.first().filter(|to| top_level.contains(*to))
                && to != from
            {
                top.entry(from.clone())
                    .or_default()
                    .entry(to.clone())
                    .or_insert(evidence.clone());
            }
            if from == "nn" && file.module.len() >= 2 && path.len() >= 2 && path[0] == "nn" {
                let from_sub = format!("nn::{}", file.module[1]);
                let to_sub = format!("nn::{}", path[1]);
                if nn_modules.contains(&to_sub) && to_sub != from_sub {
                    nn.entry(from_sub)
                        .or_default()
                        .entry(to_sub)
                        .or_insert(evidence);
                }
            }
        }
    }
    (top, nn)
}

// ---------------------------------------------------------------- checks

/// The strongly connected components of more than one module (Tarjan).
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for to in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
            let to = to.as_str();
            if !state.index.contains_key(to) {
                visit(state, to);
                let low = state.low[node].min(state.low[to]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(to) {
                let low = state.low[node].min(state.index[to]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.to_string());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    let nodes: BTreeSet<&str> = graph
        .iter()
        .flat_map(|(from, edges)| {
            std::iter::once(from.as_str()).chain(edges.keys().map(String::as_str))
        })
        .collect();
    for node in nodes {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

/// One line per circle: its modules, then each edge inside it with where
/// the source names it.
fn describe_circles(graph: &Graph) -> Vec<String> {
    circles(graph)
        .into_iter()
        .map(|members| {
            let mut text = format!("circle: {}", members.join(" <-> "));
            for from in &members {
                for (to, evidence) in graph.get(from).into_iter().flatten() {
                    if members.contains(to) {
                        text.push_str(&format!(
                            "\n    {from} -> {to} ({}:{})",
                            evidence.file, evidence.line
                        ));
                    }
                }
            }
            text
        })
        .collect()
}

/// The module map of ARCHITECTURE.md: each row's module (first cell, in
/// backticks) and the modules it may depend on (last cell: backticked
/// names, or "nothing").
fn allowed_dependencies(architecture: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut rules = BTreeMap::new();
    let mut in_map = false;
    for line in architecture.lines() {
        if line.starts_with("## ") {
            in_map = line.trim() == "## Module map";
            continue;
        }
        let line = line.trim();
        if !in_map || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Some(module) = cells
            .first()
            .and_then(|c| c.strip_prefix('`'))
            .and_then(|c| c.strip_suffix('`'))
        else {
            continue; // the header and the separator row
        };
        let allowed = cells
            .last()
            .map(|cell| {
                cell.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        rules.insert(module.to_string(), allowed);
    }
    rules
}

/// Every edge the rules do not allow. Every node of `graph` must have a
/// row when `every_node_listed`; otherwise only the rows present bind.
fn forbidden(
    graph: &Graph,
    rules: &BTreeMap<String, BTreeSet<String>>,
    every_node_listed: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (from, edges) in graph {
        let Some(allowed) = rules.get(from) else {
            if every_node_listed {
                problems.push(format!(
                    "`{from}` is not in ARCHITECTURE.md's module map (it depends on {})",
                    edges.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            continue;
        };
        for (to, evidence) in edges {
            if !allowed.contains(to) {
                problems.push(format!(
                    "{from} -> {to} ({}:{}): ARCHITECTURE.md allows {from} only {}",
                    evidence.file,
                    evidence.line,
                    if allowed.is_empty() {
                        "nothing".to_string()
                    } else {
                        allowed.iter().cloned().collect::<Vec<_>>().join(", ")
                    }
                ));
            }
        }
    }
    problems
}

fn oversized(files: &[SourceFile]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| {
            let lines = non_test_lines(&file.text);
            (lines > MAX_LINES).then(|| {
                format!(
                    "{}: {lines} lines of non-test code (at most {MAX_LINES})",
                    file.relative
                )
            })
        })
        .collect()
}

fn the_tree() -> (Vec<SourceFile>, Graph, Graph) {
    let files = source_files(&root().join("src"));
    let (top, nn) = build_graphs(&files);
    (files, top, nn)
}

fn architecture_rules() -> BTreeMap<String, BTreeSet<String>> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let rules = allowed_dependencies(&text);
    assert!(
        rules.len() > 10,
        "ARCHITECTURE.md's module map has only {} rows: is the \"## Module map\" table there?",
        rules.len()
    );
    rules
}

// ---------------------------------------------------------------- the tree

#[test]
fn no_module_imports_in_a_circle() {
    let (_, top, nn) = the_tree();
    assert!(top.len() > 10, "the reader found too few modules: {top:?}");
    let mut problems = describe_circles(&top);
    problems.extend(describe_circles(&nn));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_dependency_is_one_architecture_md_allows() {
    let (_, top, nn) = the_tree();
    let rules = architecture_rules();
    let mut problems = forbidden(&top, &rules, true);
    problems.extend(forbidden(&nn, &rules, false));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_source_file_has_more_than_800_lines_of_non_test_code() {
    let (files, _, _) = the_tree();
    assert!(
        files.len() > 50,
        "the reader found only {} files",
        files.len()
    );
    let problems = oversized(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_numeric_core_depends_on_no_config() {
    let (_, top, _) = the_tree();
    let nn = top.get("nn").cloned().unwrap_or_default();
    assert!(
        !nn.contains_key("config"),
        "nn depends on config: {:?}",
        nn.get("config")
    );
    // And the reader does see nn's dependencies at all.
    assert!(!nn.is_empty(), "no dependency of nn was found");
}

// ---------------------------------------------------------------- the checks, on made-up input

fn graph_of(edges: &[(&str, &str)]) -> Graph {
    let mut graph = Graph::new();
    for (from, to) in edges {
        graph.entry(from.to_string()).or_default().insert(
            to.to_string(),
            Evidence {
                file: format!("src/{from}.rs"),
                line: 1,
            },
        );
    }
    graph
}

#[test]
fn a_circle_is_found_and_named_with_its_edges() {
    let graph = graph_of(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")]);
    assert_eq!(circles(&graph), vec![vec!["a", "b", "c"]]);
    let text = describe_circles(&graph).join("\n");
    assert!(text.starts_with("circle: a <-> b <-> c"), "{text}");
    assert!(text.contains("c -> a (src/c.rs:1)"), "{text}");
    assert!(!text.contains("c -> d"), "{text}");
    assert!(circles(&graph_of(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
}

#[test]
fn a_dependency_outside_the_table_is_refused() {
    let document = "# Architecture\n\n## Module map\n\n\
        | Module | For | May depend on |\n|---|---|---|\n\
        | `math` | functions | nothing |\n\
        | `nn` | the network | `math`, `rng` |\n\n## Invariants\n\n| `x` | y | `z` |\n";
    let rules = allowed_dependencies(document);
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert!(rules["math"].is_empty());
    assert_eq!(
        rules["nn"],
        BTreeSet::from(["math".to_string(), "rng".to_string()])
    );

    let graph = graph_of(&[
        ("nn", "math"),
        ("nn", "config"),
        ("math", "nn"),
        ("other", "math"),
    ]);
    let problems = forbidden(&graph, &rules, true);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("nn -> config (src/nn.rs:1)"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("allows math only nothing"))
    );
    assert!(problems.iter().any(|p| p.starts_with("`other` is not in")));
    assert_eq!(forbidden(&graph, &rules, false).len(), 2);
}

#[test]
fn test_code_does_not_count_toward_a_files_length() {
    let code = "fn a() {}\n".repeat(MAX_LINES);
    let tests = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { let s = \"}\"; }\n}\n";
    assert_eq!(non_test_lines(&format!("{code}{tests}")), MAX_LINES);
    let file = |text: String| SourceFile {
        relative: "src/big.rs".into(),
        module: vec!["big".into()],
        text,
    };
    assert!(oversized(&[file(format!("{code}{tests}"))]).is_empty());
    let problems = oversized(&[file(format!("{code}fn b() {{}}\n{tests}"))]);
    assert_eq!(
        problems,
        vec!["src/big.rs: 801 lines of non-test code (at most 800)"]
    );
}

#[test]
fn paths_are_read_from_use_trees_and_code_but_not_from_comments_strings_or_tests() {
    let source = r##"
use crate::{config::{self, Task}, data as d};
use super::super::rng::Stream;
// use crate::commented::Out;
/* crate::block::Out */
fn f<'a>(x: &'a str) -> char {
    let _ = "crate::in_string::Out";
    let _ = r#"crate::raw::Out"#;
    crate::results::write(x);
    '{'
}
#[cfg(test)]
mod tests {
    use crate::test_only::Thing;
}
#[cfg(test)]
mod more_tests;
"##;
    let (code, test_modules) = strip_test_items(&strip_comments_and_strings(source));
    assert_eq!(test_modules, vec!["more_tests"]);
    let module: Vec<String> = vec!["nn".into(), "fast".into(), "matmul".into()];
    let paths: Vec<String> = referenced_paths(&code, &module)
        .into_iter()
        .map(|(path, _)| path.join("::"))
        .collect();
    assert_eq!(
        paths,
        vec![
            "config",
            "config::Task",
            "data",
            "nn::rng::Stream",
            "results::write"
        ]
    );
}
