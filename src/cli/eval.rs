//! `jixiao eval [--rules FILE|DIR] [--year Y] [--jurisdiction J] [--format F] [-o FILE] SHEET...`

use crate::report::{View, json, table};

use super::batch::{Batch, Facts, Runner, Tally};
use super::io::{Error, Reporter};
use super::output::{Output, csv_field, csv_text};
use super::summary::Summary;
use super::{Outcome, resolve, scored};
use crate::diagnostic::Message;

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
    /// Write the report to this file (whole or not at all) instead of stdout; `--format xlsx`
    /// needs it.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<String>,
    /// After the report, print a summary to stderr: sheets by grade, lowest, median and highest
    /// total, findings by kind, the largest claimed-vs-computed gaps and the failed sheets.
    #[arg(long)]
    summary: bool,
    /// CSV without the UTF-8 byte-order mark (which Excel needs to read Chinese text).
    #[arg(long)]
    no_bom: bool,
    #[command(flatten)]
    run: RunArgs,
}

/// How a batch runs.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Threads to score with (default: every core). Output does not depend on it.
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    no_progress: bool,
}

impl RunArgs {
    /// The threads a batch runs on and whether it may show a progress bar.
    pub fn runner(&self) -> Result<Runner, Error> {
        Ok(Runner::new(self.jobs, !self.no_progress)?)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A table laid out like the printed 自评表.
    Table,
    /// A JSON score sheet (an array when several sheets are given).
    Json,
    /// JSON Lines: one score sheet a line.
    Jsonl,
    /// JSON Lines, one short line a sheet: file, project, total, grade, the budget score and
    /// each indicator's score in sheet order (null when it could not be computed).
    Scores,
    /// CSV: one row per sheet (file, project, department, total, highest total reachable when
    /// rows are unscored, grade, claimed total, gap, findings).
    Csv,
    /// A scored workbook (.xlsx, written with `-o`): each table as printed with computed scores
    /// beside the claimed ones; a summary worksheet first when there are several.
    Xlsx,
}

/// The CSV header.
const CSV_HEADER: &str = "file,project,department,total,total_high,grade,claimed_total,gap,findings\n";

fn csv_row(f: &Facts) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{}\n",
        csv_text(&f.name),
        csv_text(&f.project),
        csv_text(f.department.as_deref().unwrap_or("")),
        csv_field(&f.total_text),
        f.total_high.as_deref().unwrap_or(""),
        csv_text(f.grade.as_deref().unwrap_or("")),
        f.claimed.map(|c| c.normalize().to_string()).unwrap_or_default(),
        f.gap.map(|g| g.normalize().to_string()).unwrap_or_default(),
        f.findings,
    )
}

/// Indent every line after the first by two spaces (a pretty JSON object inside an array).
fn indent(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    out.push_str("  ");
    out.push_str(&text.replace('\n', "\n  "));
    out
}

/// The exit code of a batch: input error when nothing could be scored, 3 when some sheets
/// failed, else findings or clean.
pub fn outcome(tally: &Tally) -> Outcome {
    if tally.failed > 0 && tally.scored == 0 {
        Outcome::InputError
    } else if tally.failed > 0 {
        Outcome::SomeFailed
    } else if tally.findings {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let runner = args.run.runner()?;
    let (mut resolver, mut inputs) = args.input.open(rep)?;
    if args.format == Format::Xlsx {
        return run_xlsx(&args, &mut resolver, &mut inputs, rep, &runner);
    }
    let mut out = Output::open(args.output.as_deref(), args.format == Format::Table, rep)?;
    let format = args.format;
    let explain = args.explain;
    // The CSV header goes out with the first row, so a run that scores nothing writes nothing.
    let csv_header = if args.no_bom { CSV_HEADER.to_string() } else { format!("\u{feff}{CSV_HEADER}") };
    let mut summary = Summary::default();
    let mut first_json: Option<String> = None;
    let mut written = 0u64;
    let mut batch = Batch::new(&mut resolver, rep, &runner).draw_unscored_rows();
    let several = inputs.several();
    // The short score line needs the numbers alone; a summary needs the findings too.
    let numbers = |name: &str, sheet: &crate::Sheet, scores: &crate::Scores<'_>| {
        let mut line = String::new();
        json::write_score_line(&mut line, name, sheet, scores);
        line
    };
    let numbers: Option<&super::batch::NumbersOnly<String>> =
        (format == Format::Scores && !args.summary).then_some(&numbers);
    let render = |view: &View<'_>, facts: &Facts| match format {
        Format::Table => table::render(view, explain),
        Format::Json => json::to_string_pretty(&json::report(view)).unwrap_or_default(),
        Format::Jsonl => {
            let mut line = String::new();
            let _ = json::write(&mut line, &json::report(view));
            line.push('\n');
            line
        }
        Format::Scores => {
            let mut line = String::new();
            json::write_scores(&mut line, view);
            line
        }
        Format::Csv | Format::Xlsx => csv_row(facts),
    };
    let sink = |scored: super::batch::Scored<String>| {
        if args.summary {
            summary.add(&scored.facts);
        }
        match format {
            Format::Table => {
                if written > 0 {
                    out.write("\n");
                }
                out.write(&scored.out);
            }
            Format::Json if !several && written == 0 => first_json = Some(scored.out),
            Format::Json => {
                if let Some(first) = first_json.take() {
                    out.write("[\n");
                    out.write(&indent(&first));
                    out.write(",\n");
                } else {
                    out.write(if written == 0 { "[\n" } else { ",\n" });
                }
                out.write(&indent(&scored.out));
            }
            Format::Csv if written == 0 => {
                out.write(&csv_header);
                out.write(&scored.out);
            }
            Format::Jsonl | Format::Scores | Format::Csv | Format::Xlsx => out.write(&scored.out),
        }
        written += 1;
    };
    match numbers {
        Some(numbers) => batch.run_numbers(&mut inputs, render, numbers, sink),
        None => batch.run(&mut inputs, render, sink),
    }
    let tally = std::mem::take(&mut batch.tally);
    if format == Format::Json {
        match first_json.take() {
            Some(doc) if !inputs.several() => {
                out.write(&doc);
                out.write("\n");
            }
            Some(doc) => {
                out.write("[\n");
                out.write(&indent(&doc));
                out.write("\n]\n");
            }
            None if written > 0 => out.write("\n]\n"),
            None if inputs.several() && tally.scored == 0 && tally.failed == 0 => out.write("[]\n"),
            None => {}
        }
    }
    if format == Format::Csv && written == 0 && tally.failed == 0 {
        out.write(&csv_header);
    }
    out.finish(tally.scored > 0 || tally.failed == 0)?;
    Ok(finish(&args, &summary, &tally, rep))
}

/// The summary or the count of failed sheets on stderr, and the exit code.
fn finish(args: &Args, summary: &Summary, tally: &Tally, rep: &Reporter<'_>) -> Outcome {
    let lang = rep.lang();
    if args.summary {
        rep.err_text(&summary.render(tally, lang));
    } else if tally.failed > 0 && tally.scored > 0 {
        rep.err_line(lang.pick(
            &format!("{} sheet(s) scored, {} could not be read or scored", tally.scored, tally.failed),
            &format!("已评分 {} 张，{} 张无法读取或评分", tally.scored, tally.failed),
        ));
    }
    outcome(tally)
}

/// Score the batch and write one scored workbook to `-o FILE`.
fn run_xlsx(
    args: &Args,
    resolver: &mut resolve::Resolver,
    inputs: &mut super::batch::Inputs,
    rep: &Reporter<'_>,
    runner: &Runner,
) -> Result<Outcome, Error> {
    let lang = rep.lang();
    let Some(path) = args.output.as_deref() else {
        return Err(Error::Input(Message::new(
            "`--format xlsx` writes a file: give it with `-o scored.xlsx`",
            "`--format xlsx` 输出为文件：请用 `-o scored.xlsx` 指定",
        )));
    };
    let mut summary = Summary::default();
    let mut kept = Vec::new();
    let mut batch = Batch::new(resolver, rep, runner).draw_unscored_rows();
    batch.run(
        inputs,
        |view: &View<'_>, _: &Facts| scored::keep(view),
        |s| {
            if args.summary {
                summary.add(&s.facts);
            }
            kept.push(s.out);
        },
    );
    let tally = std::mem::take(&mut batch.tally);
    if !kept.is_empty() {
        let written = scored::workbook(&kept, lang).and_then(|bytes| {
            let mut out = Output::open(Some(path), false, rep)?;
            out.write_raw(&bytes);
            out.finish(true)
        });
        written?;
    }
    Ok(finish(args, &summary, &tally, rep))
}
