//! Reading files and reporting diagnostics for the subcommands.

use std::io::{IsTerminal, Write};

use jixiao::check::{self, Checked};
use jixiao::diagnostic::{Diagnostic, Message, Sources};
use jixiao::policy::Policy;
use jixiao::report::diagnostics;
use jixiao::sheet::{self, Format, Sheet};
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

/// Print a plain error (no source to point at) to stderr.
pub fn fail(message: Message, lang: Lang) {
    eprintln!("{}: {}", lang.pick("error", "错误"), message.get(lang));
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

/// Parse and check one policy file; diagnostics go to `diags`.
pub fn policy_file(
    path: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    lang: Lang,
) -> Option<Checked> {
    let text = read(path, lang)?;
    let id = sources.add(path, text);
    let text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
    match jixiao::syntax::parse(&text) {
        Err(errors) => {
            diags.extend(errors.iter().map(|e| e.to_diagnostic(id)));
            None
        }
        Ok(file) => match check::check_file(&file, id, sources) {
            Ok(checked) => {
                diags.extend(checked.warnings.iter().cloned());
                Some(checked)
            }
            Err(e) => {
                diags.extend(e.diagnostics);
                None
            }
        },
    }
}

/// Load a policy for evaluation: errors are reported and end the run; warnings are shown.
pub fn load_policy(path: &str, lang: Lang) -> Option<Policy> {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let checked = policy_file(path, &mut sources, &mut diags, lang);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() || checked.is_none() {
        report(&errors, &sources, lang);
        return None;
    }
    checked.map(|c| c.policy)
}

/// Read sheets; every problem is reported. `None` if any sheet could not be read.
pub fn load_sheets(paths: &[String], lang: Lang) -> Option<Vec<(String, Sheet)>> {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let mut out = Vec::new();
    let mut failed = false;
    for path in paths {
        let Some(format) = Format::from_path(path) else {
            fail(
                Message::new(
                    format!("`{path}`: a sheet must be a .toml or .json file"),
                    format!("`{path}`：自评表必须是 .toml 或 .json 文件"),
                ),
                lang,
            );
            failed = true;
            continue;
        };
        let Some(text) = read(path, lang) else {
            failed = true;
            continue;
        };
        let id = sources.add(path.clone(), text.clone());
        match sheet::load(&text, format) {
            Ok(s) => out.push((path.clone(), s)),
            Err(errors) => {
                diags.extend(errors.iter().map(|e| e.to_diagnostic(id)));
                failed = true;
            }
        }
    }
    report(&diags, &sources, lang);
    if failed { None } else { Some(out) }
}
