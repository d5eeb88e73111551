//! `jixiao eval --format xlsx -o FILE`: the scored workbook.

use std::rc::Rc;

use jixiao::diagnostic::Message;
use jixiao::policy::Policy;
use jixiao::report::{View, xlsx};
use jixiao::sheet::Sheet;
use jixiao::words::Lang;

use super::{Outcome, io};

/// Write `bytes` to `path` through a temporary file beside it, so a failed write leaves nothing
/// half-written. Problems are reported; `false` if it failed.
pub fn write_file(path: &str, bytes: &[u8], lang: Lang) -> bool {
    let tmp = format!("{path}.tmp-{}", std::process::id());
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    match result {
        Ok(()) => true,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            io::fail(
                Message::new(format!("cannot write `{path}`: {e}"), format!("无法写入 `{path}`：{e}")),
                lang,
            );
            false
        }
    }
}

/// Score every sheet and write one workbook.
pub fn write(sheets: &[(String, Sheet, Rc<Policy>)], output: Option<&str>, lang: Lang) -> Outcome {
    let Some(path) = output else {
        io::fail(
            Message::new(
                "`--format xlsx` writes a file: give it with `-o scored.xlsx`",
                "`--format xlsx` 输出为文件：请用 `-o scored.xlsx` 指定",
            ),
            lang,
        );
        return Outcome::InputError;
    };
    let scores: Vec<_> =
        sheets.iter().map(|(_, sheet, policy)| jixiao::eval::evaluate(policy, sheet)).collect();
    let views: Vec<View<'_>> = sheets
        .iter()
        .zip(&scores)
        .map(|((name, sheet, policy), score)| View { policy, sheet, score, sheet_name: name, lang })
        .collect();
    let findings = scores.iter().any(super::eval::has_findings);
    let bytes = match xlsx::workbook(&views) {
        Ok(b) => b,
        Err(e) => {
            io::fail(
                Message::new(format!("cannot build the workbook: {e}"), format!("无法生成工作簿：{e}")),
                lang,
            );
            return Outcome::InputError;
        }
    };
    if !write_file(path, &bytes, lang) {
        return Outcome::InputError;
    }
    if findings { Outcome::Findings } else { Outcome::Clean }
}
