//! `jixiao check FILE...`

use crate::diagnostic::Sources;
use crate::report::diagnostics;

use super::io::{Error, Reporter};
use super::{Outcome, io};

#[derive(clap::Args)]
pub struct Args {
    /// Policy files to check (default: every policy in the rules folder).
    files: Vec<String>,
    /// The rules folder that `extends` refer to, and whose policies are checked when no file
    /// is named. Default: the folder two levels above each file, or `$JIXIAO_RULES`, else
    /// `./rules`.
    #[arg(long)]
    rules: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Diagnostics drawn against the source.
    Text,
    /// One line per diagnostic.
    Short,
    /// A JSON array of diagnostics.
    Json,
}

pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let lang = rep.lang();
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let mut unreadable = false;
    let mut cache = std::collections::BTreeMap::new();
    let mut files = args.files.clone();
    if files.is_empty() {
        let dir = args
            .rules
            .clone()
            .or_else(|| std::env::var("JIXIAO_RULES").ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "rules".to_string());
        let lib = io::library_from_dir(&dir)?;
        if lib.is_empty() {
            return Err(Error::Input(crate::diagnostic::Message::new(
                format!("no policy files in `{dir}`; name the files to check"),
                format!("`{dir}` 中没有政策文件；请指定要检查的文件"),
            )));
        }
        files = lib.names().filter_map(|n| lib.get(n)).map(|e| e.path.clone()).collect();
    }
    for path in &files {
        // A file that cannot be read is reported at once; the others are still checked.
        if let Err(e) = io::policy_file(path, args.rules.as_deref(), &mut sources, &mut diags, &mut cache) {
            rep.error(e);
            unreadable = true;
        }
    }
    match args.format {
        Format::Text => {
            rep.report(&diags, &sources);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            let checked = files.len();
            if errors == 0 && !unreadable {
                rep.err_line(lang.pick(
                    &format!("checked {checked} file(s): no errors, {warnings} warning(s)"),
                    &format!("已检查 {checked} 个文件：无错误，{warnings} 个警告"),
                ));
            } else if errors > 0 {
                rep.err_line(lang.pick(
                    &format!("checked {checked} file(s): {errors} error(s), {warnings} warning(s)"),
                    &format!("已检查 {checked} 个文件：{errors} 个错误，{warnings} 个警告"),
                ));
            }
        }
        Format::Short => rep.out(&diagnostics::render_short(&diags, &sources, lang)),
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Found<'a> {
                file: &'a str,
                line: usize,
                column: usize,
                severity: crate::diagnostic::Severity,
                code: crate::codes::Code,
                message: &'a str,
                help: Option<&'a str>,
            }
            let list: Vec<Found<'_>> = diags
                .iter()
                .map(|d| {
                    let file =
                        sources.get(d.file).map(|f| (f.name.as_str(), f.text.as_str())).unwrap_or(("?", ""));
                    let (line, column) = crate::diagnostic::line_col(file.1, d.span.start);
                    Found {
                        file: file.0,
                        line,
                        column,
                        severity: d.severity,
                        code: d.code,
                        message: d.message.get(lang),
                        help: d.help.as_ref().map(|h| h.get(lang)),
                    }
                })
                .collect();
            rep.out(&format!(
                "{}\n",
                crate::report::json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
            ));
        }
    }
    if unreadable {
        Err(Error::Reported)
    } else if diags.iter().any(|d| d.is_error()) {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Clean)
    }
}
