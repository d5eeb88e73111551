//! `jixiao eval [--rules FILE|DIR] [--year Y] [--jurisdiction J] SHEET...`

use jixiao::report::{View, json, table};
use jixiao::score::{Note, ScoreSheet};
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
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// A table laid out like the printed 自评表.
    Table,
    /// A JSON score sheet (an array when several sheets are given).
    Json,
}

/// Whether a score sheet has anything to report.
fn has_findings(score: &ScoreSheet) -> bool {
    !score.complete
        || !score.flags.is_empty()
        || !score.audit.is_empty()
        || score
            .indicators
            .iter()
            .any(|i| !i.flags.is_empty() || i.error.is_some() || i.notes.contains(&Note::PlaceholderName))
        || score.groups.iter().any(|g| !g.flags.is_empty())
        || score.budget.as_ref().is_some_and(|b| !b.flags.is_empty() || b.error.is_some())
}

pub fn run(args: Args, lang: Lang) -> Outcome {
    let Some(sheets) = args.input.load(lang) else {
        return Outcome::InputError;
    };
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
        }
    }
    match args.format {
        Format::Table => io::out(&text),
        Format::Json => {
            let doc =
                if documents.len() == 1 { documents.remove(0) } else { serde_json::Value::Array(documents) };
            io::out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
        }
    }
    if findings { Outcome::Findings } else { Outcome::Clean }
}
