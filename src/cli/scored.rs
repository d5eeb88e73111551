//! `jixiao eval --format xlsx -o FILE`: the scored workbook, built once every sheet is scored.

use crate::diagnostic::Message;
use crate::policy::Policy;
use crate::report::{SheetText, View, xlsx};
use crate::score::ScoreSheet;
use crate::sheet::Sheet;
use crate::words::Lang;

/// One scored sheet kept for the workbook: its name, the sheet, its score, its policy and,
/// when its unscored rows need it to be placed, its text.
pub type Kept = Box<(String, Sheet, ScoreSheet, Policy, Option<String>)>;

/// Keep what the workbook needs of a scored sheet.
pub fn keep(view: &View<'_>) -> Kept {
    Box::new((
        view.sheet_name.to_string(),
        view.sheet.clone(),
        view.score.clone(),
        view.policy.clone(),
        view.text.map(|t| t.as_str().to_string()),
    ))
}

/// The workbook's bytes.
pub fn workbook(kept: &[Kept], lang: Lang) -> Result<Vec<u8>, Message> {
    let texts: Vec<Option<SheetText<'_>>> = kept.iter().map(|k| k.4.as_deref().map(SheetText::new)).collect();
    let views: Vec<View<'_>> = kept
        .iter()
        .zip(&texts)
        .map(|(k, text)| View {
            policy: &k.3,
            sheet: &k.1,
            score: &k.2,
            sheet_name: &k.0,
            lang,
            text: text.as_ref(),
        })
        .collect();
    xlsx::workbook(&views)
        .map_err(|e| Message::new(format!("cannot build the workbook: {e}"), format!("无法生成工作簿：{e}")))
}
