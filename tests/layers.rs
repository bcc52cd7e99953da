//! The library's modules form layers: each may use only the modules
//! listed before it in [`LAYERS`], so that the pipeline reads one way and
//! no change to a later stage can break an earlier one. This test reads
//! every file under src/ and fails on an arrow back up (docs/architecture.md
//! explains the order; add a new module to the list where it belongs).

use std::collections::BTreeSet;
use std::path::Path;

/// The library's top-level modules, lowest first.
const LAYERS: &[&str] = &[
    // Foundations every stage shares.
    "progress",
    "hash",
    "precompress",
    "text",
    "entity_kind",
    "diagnostics",
    "error",
    "config",
    // The pipeline's stages, in order.
    "content",
    "entities",
    "archive",
    "resolve",
    "search",
    "render",
    "cache",
    "written",
    "output",
    "pipeline",
    // The commands built on it.
    "build",
    "review",
    "entities_cli",
    "inspect",
    "serve",
    "budget",
    "check",
    "init",
];

/// The command-line binary's own files: they use the library by its name.
const BINARY_FILES: &[&str] = &["main.rs", "cli.rs", "liveness.rs"];

/// The top-level modules named by `crate::` paths in a file's code (comments left out).
fn crate_modules(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                found.extend(inner.split(',').filter_map(|p| p.trim().split("::").next()).map(str::to_string));
            } else {
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                found.insert(name);
            }
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

#[test]
fn no_module_uses_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rank = |module: &str| LAYERS.iter().position(|m| *m == module);
    let mut upward = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let rel = path.strip_prefix(&src).unwrap();
        if path.extension().is_none_or(|e| e != "rs") || rel == Path::new("lib.rs") {
            continue;
        }
        if BINARY_FILES.iter().any(|f| rel == Path::new(f)) {
            continue;
        }
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let own =
            rank(&module).unwrap_or_else(|| panic!("src/{} is in no layer: add `{module}` to LAYERS", rel.display()));
        seen_modules.insert(module.clone());
        for used in crate_modules(&std::fs::read_to_string(path).unwrap()) {
            if used == module {
                continue;
            }
            match rank(&used) {
                Some(r) if r < own => {}
                Some(_) => upward.push(format!("src/{} ({module}) uses {used}", rel.display())),
                None => upward.push(format!("src/{} uses crate::{used}, which is in no layer", rel.display())),
            }
        }
    }
    assert!(upward.is_empty(), "modules that reach up the layers:\n  {}", upward.join("\n  "));
    let unused: Vec<&&str> = LAYERS.iter().filter(|m| !seen_modules.contains(**m)).collect();
    assert!(unused.is_empty(), "LAYERS names modules that do not exist: {unused:?}");
}

#[test]
fn the_scanner_sees_paths_groups_and_skips_comments() {
    let found = crate_modules(
        "use crate::render::Page;\nuse crate::{archive::Archive, text};\n// crate::serve in a comment\nlet x = crate::hash::mix(1, 2);",
    );
    assert_eq!(found.into_iter().collect::<Vec<_>>(), vec!["archive", "hash", "render", "text"]);
}
