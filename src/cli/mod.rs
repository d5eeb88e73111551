//! The `jixiao` command line (feature `cli`), the one part of the crate that reads files and
//! prints: argument parsing and dispatch, one function per subcommand.
//!
//! [`run`] takes the arguments and the two writers, and [`run_on`] also the input a sheet named
//! `-` is read from, so a test can drive any command in-process without touching the process's
//! stdin; every subcommand reads and prints through one reporter (language, colour, the input
//! and the writers) and fails with one [`Error`]. Each batch runs on threads of its own (`-j`),
//! so runs in one process never share a thread setting.

mod batch;
mod check;
mod diff;
mod eval;
mod explain;
mod io;
mod output;
mod read;
mod resolve;
mod sample;
mod scored;
mod snapshot;
mod summary;
mod tables;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;

use crate::words::Lang;
use clap::{Parser, Subcommand, ValueEnum};

pub(crate) use io::Reporter;
pub use io::{Error, Terminal};

/// Exit codes: 0 ok, 1 findings, 2 usage or input error, 3 some sheets of a batch could not be
/// read or scored (the others were).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Diagnostics, flags or differences were reported.
    Findings,
    /// The input could not be used.
    InputError,
    /// Some sheets of a batch failed; the rest were scored and written.
    SomeFailed,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::InputError => 2,
            Outcome::SomeFailed => 3,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(o.code())
    }
}

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "Score project-expenditure performance self-evaluations (项目支出绩效自评表) against scoring policies kept as data"
)]
struct Cli {
    /// Language of messages: en or zh (default: from the locale).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

#[derive(Subcommand)]
enum Command {
    /// Check policy files and report every problem found.
    Check(check::Args),
    /// Score sheets against a policy.
    Eval(eval::Args),
    /// Compare two policies: the rules that changed, and (with --corpus) the scores that move.
    Diff(diff::Args),
    /// Record score snapshots of a corpus, check them against the rules, accept changes.
    Snapshot(snapshot::Args),
    /// Explain a diagnostic code (`jixiao explain unknown-name`), or list every code.
    Explain(explain::Args),
    /// Draw a seeded, risk-ranked spot-check sample (抽评) from a batch.
    Sample(sample::Args),
    /// Print a workbook, CSV file or system export as jixiao understood it (a sheet `eval` takes).
    Read(read::Args),
}

/// The language from `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn language(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Zh) => Lang::Zh,
        None => {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|k| std::env::var(k).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            if locale.to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En }
        }
    }
}

/// Run the command line `args` (the program's name first), writing the report to `out` and
/// messages to `err`, neither of which is taken for a terminal. A sheet named `-` is read as
/// empty: the process's stdin is never touched (give it with [`run_on`]).
pub fn run(args: impl IntoIterator<Item = OsString>, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    run_on(args, Box::new(std::io::empty()), out, err, Terminal::default())
}

/// [`run`], reading a sheet named `-` from `stdin` and saying whether `out` and `err` are
/// terminals (colour, fitted tables, a progress bar).
pub fn run_on(
    args: impl IntoIterator<Item = OsString>,
    stdin: Box<dyn Read>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: Terminal,
) -> Outcome {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let on_terminal = if e.use_stderr() { terminal.stderr } else { terminal.stdout };
            let styled = if on_terminal && std::env::var_os("NO_COLOR").is_none() {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            return if e.use_stderr() {
                let _ = err.write_all(styled.as_bytes()).and_then(|()| err.flush());
                Outcome::InputError
            } else {
                let _ = out.write_all(styled.as_bytes()).and_then(|()| out.flush());
                Outcome::Clean
            };
        }
    };
    let rep = Reporter::new(language(cli.lang), terminal, stdin, out, err);
    let result = match cli.command {
        Command::Check(args) => check::run(args, &rep),
        Command::Eval(args) => eval::run(args, &rep),
        Command::Diff(args) => diff::run(args, &rep),
        Command::Snapshot(args) => snapshot::run(args, &rep),
        Command::Explain(args) => explain::run(args, &rep),
        Command::Sample(args) => sample::run(args, &rep),
        Command::Read(args) => read::run(args, &rep),
    };
    let outcome = result.unwrap_or_else(|e| {
        rep.error(e);
        Outcome::InputError
    });
    rep.flush();
    outcome
}
