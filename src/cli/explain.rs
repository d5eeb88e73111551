//! `jixiao explain [CODE]`: what a diagnostic code means, or the list of every code.

use jixiao::codes::{self, Code};
use jixiao::diagnostic::Message;
use jixiao::words::{Lang, did_you_mean};

use super::Outcome;
use super::io::{fail, out};

/// Arguments of `jixiao explain`.
#[derive(clap::Args)]
pub struct Args {
    /// The code to explain, as shown in a diagnostic (`unknown-name`); none lists every code.
    code: Option<String>,
}

/// Print one code's entry, or the index.
pub fn run(args: Args, lang: Lang) -> Outcome {
    let Some(name) = args.code else {
        out(&codes::index(lang));
        return Outcome::Clean;
    };
    match name.parse::<Code>() {
        Ok(code) => {
            out(&code.info().render(lang));
            Outcome::Clean
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
            fail(
                Message::new(
                    format!("`{name}` is not a diagnostic code{en}"),
                    format!("`{name}` 不是诊断代码{zh}"),
                ),
                lang,
            );
            Outcome::InputError
        }
    }
}
