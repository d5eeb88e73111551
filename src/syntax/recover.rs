//! Cutting a broken file into top-level items so each can be parsed on its own.

use std::ops::Range;

/// Spellings that can only begin a top-level item.
pub(super) const ITEM_KEYWORDS: &[&str] = &[
    "policy",
    "政策",
    "jurisdiction",
    "地区",
    "year",
    "年度",
    "basis",
    "依据",
    "extends",
    "继承",
    "override",
    "覆盖",
    "remove",
    "删除",
    "scheme",
    "指标体系",
    "method",
    "方法",
    "tiers",
    "档次",
    "grades",
    "等级",
    "round",
    "舍入",
    "unit",
    "单位",
    "inapplicable",
    "不适用",
    "audit",
    "审核",
    "flag",
    "提示",
];

/// Byte ranges of the items in `text`: a new item starts on each line whose first word is an
/// item keyword, together with the `///` lines right above it. Text before the first item is a
/// range of its own.
pub(super) fn items(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut doc_start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '\u{3000}', '\u{FEFF}']);
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("///") {
            doc_start.get_or_insert(offset);
        } else if starts_item(trimmed) {
            let start = doc_start.take().unwrap_or(offset + indent);
            if start > 0 {
                starts.push(start);
            }
        } else if !trimmed.trim().is_empty() && !trimmed.starts_with("//") {
            doc_start = None;
        }
        offset += line.len();
    }
    starts.dedup();
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..text.len());
    }
    ranges
}

fn starts_item(line: &str) -> bool {
    ITEM_KEYWORDS.iter().any(|kw| {
        line.strip_prefix(kw).is_some_and(|rest| {
            let next = rest.chars().next();
            let ascii = kw.is_ascii();
            match next {
                None => true,
                Some(c) if ascii => !(c.is_alphanumeric() || c == '_'),
                Some(c) => c.is_ascii_digit() || !(c.is_alphanumeric() || c == '_'),
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_start_at_keywords_and_their_docs() {
        let text = "policy \"a\"\n/// doc\nmethod m {\n  when x => 1\n}\n方法 n { }\n";
        let ranges = items(text);
        let pieces: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(pieces, vec!["policy \"a\"\n", "/// doc\nmethod m {\n  when x => 1\n}\n", "方法 n { }\n"]);
    }

    #[test]
    fn a_name_that_begins_like_a_keyword_is_not_an_item() {
        assert!(!starts_item("methods x"));
        assert!(!starts_item("方法论"));
        assert!(starts_item("年度2020"));
    }
}
