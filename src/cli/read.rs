//! `jixiao read TABLE... [--format toml|json] [--columns MAP.toml] [--out-dir DIR]`: print a
//! workbook, CSV file or export as jixiao understood it, as a sheet file `eval` takes.

use crate::diagnostic::Message;

use super::io::{Error, Reporter};
use super::{Outcome, tables};

#[derive(clap::Args)]
pub struct Args {
    /// Workbooks (.xlsx, .xls, .ods) or CSV files.
    #[arg(required = true)]
    tables: Vec<String>,
    /// How to print each table.
    #[arg(long, value_enum, default_value_t = Format::Toml)]
    format: Format,
    /// A column map (`[columns] field = ["name", …]`) adding names for an export's columns.
    #[arg(long)]
    columns: Option<String>,
    /// Write each table to its own file in this folder instead of printing.
    #[arg(long)]
    out_dir: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// TOML, with the cell of every liberty taken as a comment.
    Toml,
    /// JSON.
    Json,
}

pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let columns = tables::column_map(args.columns.as_deref())?;
    let mut found = Vec::new();
    for path in &args.tables {
        if !tables::is_table(path) {
            return Err(Error::Input(Message::new(
                format!("`{path}`: `read` takes .xlsx, .xls, .ods or .csv files"),
                format!("`{path}`：`read` 只接受 .xlsx、.xls、.ods 或 .csv 文件"),
            )));
        }
        found.extend(tables::transcripts(path, &columns, rep).ok_or(Error::Reported)?);
    }
    let problems = found.iter().any(|(_, t)| !t.problems.is_empty());
    let render = |t: &crate::sheet::Transcript| match args.format {
        Format::Toml => t.to_toml().0,
        Format::Json => format!("{}\n", t.to_json()),
    };
    if let Some(dir) = &args.out_dir {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Err(Error::Input(Message::new(
                format!("cannot create `{dir}`: {e}"),
                format!("无法创建 `{dir}`：{e}"),
            )));
        }
        let ext = if args.format == Format::Toml { "toml" } else { "json" };
        for (i, (name, t)) in found.iter().enumerate() {
            let stem = std::path::Path::new(name.split(' ').next().unwrap_or(name))
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("table");
            let file = format!("{dir}/{stem}-{}.{ext}", i + 1);
            if let Err(e) = std::fs::write(&file, render(t)) {
                return Err(Error::Input(Message::new(
                    format!("cannot write `{file}`: {e}"),
                    format!("无法写入 `{file}`：{e}"),
                )));
            }
            rep.err_line(&file);
        }
    } else {
        let mut text = String::new();
        for (i, (name, t)) in found.iter().enumerate() {
            if found.len() > 1 {
                if args.format == Format::Json {
                    text.push_str(if i == 0 { "[\n" } else { ",\n" });
                } else {
                    text.push_str(&format!("# ─── {name} ───\n"));
                }
            }
            text.push_str(&render(t));
        }
        if found.len() > 1 && args.format == Format::Json {
            text.push_str("]\n");
        }
        rep.out(&text);
        if found.len() > 1 {
            rep.note(Message::new(
                format!("{} tables; `--out-dir DIR` writes each to its own file", found.len()),
                format!("共 {} 张表；用 `--out-dir DIR` 可分别写入文件", found.len()),
            ));
        }
    }
    Ok(if problems { Outcome::Findings } else { Outcome::Clean })
}
