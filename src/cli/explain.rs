//! `jixiao explain [CODE]`: what a diagnostic code means, or the list of every code.

use crate::codes::{self, Code};
use crate::diagnostic::Message;
use crate::words::did_you_mean;

use super::Outcome;
use super::io::{Error, Reporter};

/// Arguments of `jixiao explain`.
#[derive(clap::Args)]
pub struct Args {
    /// The code to explain, as shown in a diagnostic (`unknown-name`); none lists every code.
    code: Option<String>,
}

/// Print one code's entry, or the index.
pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let lang = rep.lang();
    let Some(name) = args.code else {
        rep.out(&codes::index(lang));
        return Ok(Outcome::Clean);
    };
    match name.parse::<Code>() {
        Ok(code) => {
            rep.out(&code.info().render(lang));
            Ok(Outcome::Clean)
        }
        Err(_) => {
            let names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
            let hint = did_you_mean(name.trim(), names.iter().copied());
            let (en, zh) = match hint {
                Some(s) => (format!("; did you mean `{s}`?"), format!("；是否应为 `{s}`？")),
                None => (
                    "; `jixiao explain` lists every code".to_string(),
                    "；`jixiao explain` 可列出全部代码".to_string(),
                ),
            };
            Err(Error::Input(Message::new(
                format!("`{name}` is not a diagnostic code{en}"),
                format!("`{name}` 不是诊断代码{zh}"),
            )))
        }
    }
}
