//! Embeds the bundled rules tree (`rules/**/*.policy`) in the library, so a new user can score
//! a table with no setup.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>, names: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out, names);
        } else if path.extension().is_some_and(|e| e == "policy") {
            let Ok(rel) = path.strip_prefix(root) else { continue };
            let Some(rel) = rel.to_str() else { continue };
            let name = rel.trim_end_matches(".policy").replace('\\', "/");
            out.push((name, path));
        } else if path.file_name().is_some_and(|n| n == "names.toml") {
            let Ok(rel) = path.strip_prefix(root) else { continue };
            let Some(folder) = rel.parent().and_then(|p| p.to_str()) else { continue };
            names.push((folder.replace('\\', "/"), path));
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("rules");
    let mut files = Vec::new();
    let mut names = Vec::new();
    collect(&root, &root, &mut files, &mut names);
    let mut code = String::from(
        "/// Bundled rules: (name, path, text).\npub(crate) static EMBEDDED: &[(&str, &str, &str)] = &[\n",
    );
    for (name, path) in &files {
        let shown = format!("rules/{name}.policy");
        let _ = writeln!(code, "    ({name:?}, {shown:?}, include_str!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    code.push_str("/// Names the bundled rules folders declare: (folder, text).\n#[cfg(feature = \"cli\")]\npub(crate) static EMBEDDED_NAMES: &[(&str, &str)] = &[\n");
    for (folder, path) in &names {
        let _ = writeln!(code, "    ({folder:?}, include_str!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("embedded_rules.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
