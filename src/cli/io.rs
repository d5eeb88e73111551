//! Reading files, finding rules, and reporting diagnostics for the subcommands.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use jixiao::check::Checked;
use jixiao::diagnostic::{Diagnostic, Message, Sources};
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::report::diagnostics;
use jixiao::words::Lang;

/// Whether to colour what goes to stderr.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Print diagnostics to stderr.
pub fn report(diags: &[Diagnostic], sources: &Sources, lang: Lang) {
    if diags.is_empty() {
        return;
    }
    let text = diagnostics::render(diags, sources, lang, stderr_color());
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}

/// Write to stdout. A reader that has gone away (`jixiao eval … | head`) is not an error.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Write a line to stderr, ignoring a stderr that has gone away.
pub fn err_line(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}

/// Write text to stderr as it is.
pub fn err_text(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

/// Print a plain error (no source to point at) to stderr.
pub fn fail(message: Message, lang: Lang) {
    err_line(&format!("{}: {}", lang.pick("error", "错误"), message.get(lang)));
}

/// Print a note to stderr.
pub fn note(message: Message, lang: Lang) {
    err_line(&format!("{}: {}", lang.pick("note", "提示"), message.get(lang)));
}

/// Read a file as UTF-8 text.
pub fn read(path: &str, lang: Lang) -> Option<String> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(_) => {
                fail(
                    Message::new(format!("`{path}` is not UTF-8 text"), format!("`{path}` 不是 UTF-8 文本")),
                    lang,
                );
                None
            }
        },
        Err(e) => {
            fail(Message::new(format!("cannot read `{path}`: {e}"), format!("无法读取 `{path}`：{e}")), lang);
            None
        }
    }
}

/// Where rules come from.
pub enum Rules {
    /// One policy file.
    File(String),
    /// A rules folder: `<folder>/<jurisdiction>/<year>.policy`.
    Dir(String),
    /// The rules built into jixiao.
    Builtin,
}

/// `--rules`, else `$JIXIAO_RULES`, else `./rules` if it is a folder, else the built-in rules.
pub fn rules_source(arg: Option<&str>) -> Rules {
    let chosen =
        arg.map(str::to_string).or_else(|| std::env::var("JIXIAO_RULES").ok().filter(|s| !s.is_empty()));
    match chosen {
        Some(p) if Path::new(&p).is_dir() => Rules::Dir(p),
        Some(p) => Rules::File(p),
        None if Path::new("rules").is_dir() => Rules::Dir("rules".to_string()),
        None => Rules::Builtin,
    }
}

/// Read every `<jurisdiction>/<year>.policy` under `dir`.
pub fn library_from_dir(dir: &str, lang: Lang) -> Option<Library> {
    let mut lib = Library::new();
    let root = Path::new(dir);
    let jurisdictions = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) => {
            fail(
                Message::new(
                    format!("cannot read the rules folder `{dir}`: {e}"),
                    format!("无法读取规则目录 `{dir}`：{e}"),
                ),
                lang,
            );
            return None;
        }
    };
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for j in jurisdictions.flatten() {
        let jpath = j.path();
        if !jpath.is_dir() {
            continue;
        }
        let Some(jname) = jpath.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        for f in std::fs::read_dir(&jpath).into_iter().flatten().flatten() {
            let fpath = f.path();
            if fpath.extension().is_some_and(|e| e == "policy")
                && let Some(stem) = fpath.file_stem().and_then(|s| s.to_str())
            {
                files.insert(format!("{jname}/{stem}"), fpath.clone());
            }
        }
    }
    for (name, path) in files {
        let shown = path.to_string_lossy().replace('\\', "/");
        let text = read(&shown, lang)?;
        lib.insert(name, shown, text);
    }
    Some(lib)
}

/// The library a policy file's `extends` are resolved in: `--rules DIR` if given, else the
/// folder two levels up (`rules/` for `rules/hunan/2023.policy`). Only the policies the chain
/// names are read from it (`<root>/<name>.policy`), so unrelated files there never matter.
fn library_for(
    path: &str,
    text: &str,
    rules: Option<&str>,
    lang: Lang,
    cache: &mut BTreeMap<String, Library>,
) -> Option<(Library, Option<String>)> {
    let p = Path::new(path);
    let root = match rules {
        Some(r) => PathBuf::from(r),
        None => p.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default(),
    };
    let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
    let key = root.to_string_lossy().into_owned();
    let lib = cache.entry(key).or_default();
    let mut next = extends_of(text);
    while let Some(name) = next.take() {
        if lib.get(&name).is_some() || name.contains("..") {
            break;
        }
        let file = root.join(format!("{name}.policy"));
        if !file.is_file() {
            break;
        }
        let shown = file.to_string_lossy().replace('\\', "/");
        let parent = read(&shown, lang)?;
        next = extends_of(&parent);
        lib.insert(name, shown, parent);
    }
    Some((lib.clone(), library_name(path)))
}

/// The policy a policy text extends, if it parses and says so.
fn extends_of(text: &str) -> Option<String> {
    jixiao::syntax::parse(text).ok().and_then(|f| {
        f.items.iter().find_map(|i| match &i.kind {
            jixiao::ast::ItemKind::Extends(t) => Some(t.value.clone()),
            _ => None,
        })
    })
}

/// A policy file's name in its rules folder (`hunan/2023` for `rules/hunan/2023.policy`), so a
/// cycle through it is recognised and its header can be held to its path.
fn library_name(path: &str) -> Option<String> {
    let p = Path::new(path);
    p.parent()
        .and_then(|d| d.file_name())
        .and_then(|d| d.to_str())
        .zip(p.file_stem().and_then(|s| s.to_str()))
        .map(|(j, y)| format!("{j}/{y}"))
}

/// Parse, compose (when it extends another policy) and check one policy file.
pub fn policy_file(
    path: &str,
    rules: Option<&str>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    lang: Lang,
    cache: &mut BTreeMap<String, Library>,
) -> Result<Option<Checked>, ()> {
    if !Path::new(path).exists() {
        fail(Message::new(format!("`{path}` does not exist"), format!("`{path}` 不存在")), lang);
        return Err(());
    }
    let text = read(path, lang).ok_or(())?;
    let (lib, name) = if extends_of(&text).is_some() {
        library_for(path, &text, rules, lang, cache).ok_or(())?
    } else {
        (Library::new(), library_name(path))
    };
    match lib.resolve_text(path, &text, name.as_deref(), sources) {
        Ok(checked) => {
            diags.extend(checked.warnings.iter().cloned());
            Ok(Some(checked))
        }
        Err(e) => {
            diags.extend(e.diagnostics);
            Ok(None)
        }
    }
}

/// Resolve a policy of the library by name; errors are reported and end the run.
pub fn resolve(lib: &Library, name: &str, lang: Lang) -> Option<Policy> {
    let mut sources = Sources::new();
    let result = lib.resolve(name, &mut sources);
    match result {
        Ok(checked) => Some(checked.policy),
        Err(e) => {
            let errors: Vec<Diagnostic> = e.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
            report(&errors, &sources, lang);
            None
        }
    }
}

/// A policy given as a file, resolved against its rules folder when it extends another. Errors
/// are reported; warnings are left to `jixiao check`.
pub fn load_policy_file(path: &str, lang: Lang) -> Option<Policy> {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let mut cache = BTreeMap::new();
    let checked = policy_file(path, None, &mut sources, &mut diags, lang, &mut cache).ok()?;
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() || checked.is_none() {
        report(&errors, &sources, lang);
        return None;
    }
    checked.map(|c| c.policy)
}

/// The library for `Rules::Dir` or `Rules::Builtin`.
pub fn library(rules: &Rules, lang: Lang) -> Option<Library> {
    match rules {
        Rules::Dir(d) => library_from_dir(d, lang),
        Rules::Builtin => {
            let mut lib = Library::new();
            let builtin = Library::embedded();
            for name in builtin.names() {
                if let Some(e) = builtin.get(name) {
                    lib.insert(name, format!("builtin:{}", e.path), e.text.clone());
                }
            }
            Some(lib)
        }
        Rules::File(_) => Some(Library::new()),
    }
}
