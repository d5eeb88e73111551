//! Text normalisation shared by the checker, the sheet reader and the evaluator.

/// Fold full-width ASCII forms (`０`–`９`, `Ａ`, `（`, `％`…) and the ideographic space to their
/// ordinary forms.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The form of a category or indicator label used for matching: full-width folded, white space
/// removed, and a trailing points note such as `(50分)` dropped.
pub fn normalize_label(s: &str) -> String {
    let folded: String = fold_width(s).chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = folded.as_str();
    if let Some(open) = out.rfind('(') {
        let tail = &out[open..];
        let inner = tail.trim_start_matches('(').trim_end_matches(')');
        let points_note = tail.ends_with(')')
            && inner.ends_with('分')
            && inner.trim_end_matches('分').chars().all(|c| c.is_ascii_digit() || c == '.');
        if points_note && open > 0 {
            out = &out[..open];
        }
    }
    out.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_compare_without_layout_noise() {
        assert_eq!(normalize_label("产出指标\n\n(50分)"), "产出指标");
        assert_eq!(normalize_label("效益指标\n\n（30分）\n"), "效益指标");
        assert_eq!(normalize_label("经济效\n益指标"), "经济效益指标");
        assert_eq!(normalize_label("验收合格（%）"), "验收合格(%)");
    }

    #[test]
    fn full_width_folds() {
        assert_eq!(fold_width("≥５０％（个）"), "≥50%(个)");
    }
}
