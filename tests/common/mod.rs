//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;

use jixiao::diagnostic::{Diagnostic, Sources};
use jixiao::report::diagnostics;
use jixiao::words::Lang;

/// A path relative to the crate root, with forward slashes, for stable snapshots.
pub fn rel(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// The policies of a rules folder (`<jurisdiction>/<year>.policy`), named as jixiao names them.
pub fn library_from(dir: &Path) -> jixiao::library::Library {
    let mut lib = jixiao::library::Library::new();
    for j in std::fs::read_dir(dir).expect("rules folder").flatten() {
        for f in std::fs::read_dir(j.path()).expect("jurisdiction folder").flatten() {
            let path = f.path();
            if path.extension().is_none_or(|e| e != "policy") {
                continue;
            }
            let name = format!(
                "{}/{}",
                j.file_name().to_string_lossy(),
                path.file_stem().expect("stem").to_string_lossy()
            );
            lib.insert(name, rel(&path), std::fs::read_to_string(&path).expect("rule file is readable"));
        }
    }
    lib
}

/// The bundled rules, read from `rules/`.
pub fn bundled_rules() -> jixiao::library::Library {
    library_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
}

/// Parse and check one policy text; the diagnostics, if any, and the sources to render them.
pub fn check_text(name: &str, text: &str) -> (Vec<Diagnostic>, Sources) {
    let mut sources = Sources::new();
    let id = sources.add(name, text);
    let diags = match jixiao::syntax::parse(text) {
        Err(errors) => errors.iter().map(|e| e.to_diagnostic(id)).collect(),
        Ok(file) => match jixiao::check::check_file(&file, id, &sources) {
            Ok(checked) => checked.warnings,
            Err(e) => e.diagnostics,
        },
    };
    (diags, sources)
}

/// Diagnostics drawn without colour, English then Chinese.
pub fn render_both(diags: &[Diagnostic], sources: &Sources) -> String {
    format!(
        "{}\n===== zh =====\n{}",
        diagnostics::render(diags, sources, Lang::En, false),
        diagnostics::render(diags, sources, Lang::Zh, false)
    )
}
