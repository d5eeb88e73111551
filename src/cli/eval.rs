//! `jixiao eval [--rules FILE|DIR] [--year Y] [--jurisdiction J] SHEET...`

use jixiao::report::{View, json, table};
use jixiao::score::ScoreSheet;
use jixiao::words::Lang;

use super::resolve;
use super::{Outcome, io};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: resolve::SheetArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Explain every score in one sentence (table format).
    #[arg(long)]
    explain: bool,
    /// Write the output to this file instead of standard output (required for `--format xlsx`).
    #[arg(short = 'o', long)]
    output: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// A table laid out like the printed 自评表.
    Table,
    /// A JSON score sheet (an array when several sheets are given).
    Json,
    /// A scored workbook (.xlsx): each table as printed with computed scores beside the claimed
    /// ones; a summary worksheet first when there are several.
    Xlsx,
}

/// Whether a score sheet has anything to report.
pub(super) fn has_findings(score: &ScoreSheet) -> bool {
    !score.complete
        || !score.flags.is_empty()
        || score.indicators.iter().any(|i| !i.flags.is_empty() || i.error.is_some())
        || score.groups.iter().any(|g| !g.flags.is_empty())
        || score.budget.as_ref().is_some_and(|b| !b.flags.is_empty() || b.error.is_some())
}

pub fn run(args: Args, lang: Lang) -> Outcome {
    let Some(sheets) = args.input.load(lang) else {
        return Outcome::InputError;
    };
    if matches!(args.format, Format::Xlsx) {
        return super::scored::write(&sheets, args.output.as_deref(), lang);
    }
    let mut findings = false;
    let mut documents = Vec::new();
    let mut text = String::new();
    for (name, sheet, policy) in &sheets {
        let score = jixiao::eval::evaluate(policy, sheet);
        findings |= has_findings(&score);
        let view = View { policy, sheet, score: &score, sheet_name: name, lang };
        match args.format {
            Format::Table => {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&table::render(&view, args.explain));
            }
            Format::Json => documents.push(json::sheet(&view)),
            Format::Xlsx => {}
        }
    }
    let output = match args.format {
        Format::Json => {
            let doc =
                if documents.len() == 1 { documents.remove(0) } else { serde_json::Value::Array(documents) };
            format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
        }
        _ => text,
    };
    match &args.output {
        Some(path) => {
            if !super::scored::write_file(path, output.as_bytes(), lang) {
                return Outcome::InputError;
            }
        }
        None => io::out(&output),
    }
    if findings { Outcome::Findings } else { Outcome::Clean }
}
