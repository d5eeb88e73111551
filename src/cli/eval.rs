//! `jixiao eval --rules FILE SHEET...`

use jixiao::report::{View, json, table};
use jixiao::words::Lang;

use super::{Outcome, io};

#[derive(clap::Args)]
pub struct Args {
    /// The policy file to score with.
    #[arg(long)]
    rules: String,
    /// Sheets to score (.toml or .json).
    #[arg(required = true)]
    sheets: Vec<String>,
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

pub fn run(args: Args, lang: Lang) -> Outcome {
    let Some(policy) = io::load_policy(&args.rules, lang) else {
        return Outcome::InputError;
    };
    let Some(sheets) = io::load_sheets(&args.sheets, lang) else {
        return Outcome::InputError;
    };
    let mut findings = false;
    let mut documents = Vec::new();
    let mut text = String::new();
    for (name, sheet) in &sheets {
        let score = jixiao::eval::evaluate(&policy, sheet);
        findings |= !score.complete
            || !score.flags.is_empty()
            || score.indicators.iter().any(|i| !i.flags.is_empty() || i.error.is_some())
            || score.groups.iter().any(|g| !g.flags.is_empty())
            || score.budget.as_ref().is_some_and(|b| !b.flags.is_empty() || b.error.is_some());
        let view = View { policy: &policy, sheet, score: &score, sheet_name: name, lang };
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
        Format::Table => print!("{text}"),
        Format::Json => {
            let doc =
                if documents.len() == 1 { documents.remove(0) } else { serde_json::Value::Array(documents) };
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
    }
    if findings { Outcome::Findings } else { Outcome::Clean }
}
