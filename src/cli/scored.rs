//! `jixiao eval --format xlsx -o FILE`: the scored workbook, built once every sheet is scored.

use crate::diagnostic::Message;
use crate::policy::Policy;
use crate::report::{View, xlsx};
use crate::score::ScoreSheet;
use crate::sheet::Sheet;
use crate::words::Lang;

/// One scored sheet kept for the workbook: its name, the sheet, its score and its policy.
pub type Kept = Box<(String, Sheet, ScoreSheet, Policy)>;

/// Keep what the workbook needs of a scored sheet.
pub fn keep(view: &View<'_>) -> Kept {
    Box::new((view.sheet_name.to_string(), view.sheet.clone(), view.score.clone(), view.policy.clone()))
}

/// The workbook's bytes.
pub fn workbook(kept: &[Kept], lang: Lang) -> Result<Vec<u8>, Message> {
    let views: Vec<View<'_>> = kept
        .iter()
        .map(|k| View { policy: &k.3, sheet: &k.1, score: &k.2, sheet_name: &k.0, lang })
        .collect();
    xlsx::workbook(&views)
        .map_err(|e| Message::new(format!("cannot build the workbook: {e}"), format!("无法生成工作簿：{e}")))
}
