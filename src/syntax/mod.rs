//! Syntax: policy text to [`PolicyFile`], the only module that knows pest.
//!
//! pest stays inside this module: nothing outside sees a `Pair` or a `Rule`. When a file does not
//! parse, it is cut into its top-level items and each is parsed alone, so one run reports a
//! syntax error in every broken item, not just the first.
//!
//! A well-formed file is read first by a hand-written reader of the same grammar (`fast`), at a
//! sixth of the cost; it gives up on anything it does not read exactly as pest and `build` do,
//! and pest then reads the file. A change to `grammar/policy.pest` or to `build` is a change to
//! `fast` too: its tests compare the two on every policy file in the repository.

mod build;
mod error;
mod fast;
mod nesting;
mod recover;

use pest::Parser;

pub use error::{Found, SyntaxError};

use crate::ast::{PolicyFile, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
struct PolicyParser;

/// Parse a whole policy file.
pub fn parse(text: &str) -> Result<PolicyFile, Vec<SyntaxError>> {
    // Most files are well formed: read directly, and by pest only when that reader declines
    // (pest's result, tree or errors, is then the one returned). The direct reader bounds its
    // own recursion, and a file it reads nests far less deep than the bracket bound (see
    // `nesting`), so the bound is looked at only before pest.
    if let Some(file) = fast::file(text) {
        return Ok(file);
    }
    if let Some((start, end)) = nesting::too_deep(text) {
        return Err(vec![SyntaxError {
            span: Span::new(start, end),
            kind: error::SyntaxErrorKind::TooComplex,
        }]);
    }
    parse_with_pest(text)
}

/// The direct reader's tree of `text` and pest's result, when the direct reader reads it (pest's
/// must then be the same tree): for the fuzz target that compares the two.
#[doc(hidden)]
pub fn parse_both(text: &str) -> Option<(PolicyFile, Result<PolicyFile, Vec<SyntaxError>>)> {
    let direct = fast::file(text)?;
    // Without the direct reader, `parse` would refuse text nested too deep before pest read it:
    // that refusal is then pest's result, which the direct reader must not have read.
    if let Some((start, end)) = nesting::too_deep(text) {
        let refused = SyntaxError { span: Span::new(start, end), kind: error::SyntaxErrorKind::TooComplex };
        return Some((direct, Err(vec![refused])));
    }
    Some((direct, parse_with_pest(text)))
}

/// Parse a whole policy file with pest, reporting every broken item.
fn parse_with_pest(text: &str) -> Result<PolicyFile, Vec<SyntaxError>> {
    match PolicyParser::parse(Rule::file, text) {
        Ok(pairs) => build::file(pairs, 0).map_err(|e| vec![e]),
        Err(whole) => {
            let mut errors = Vec::new();
            for chunk in recover::items(text) {
                let piece = &text[chunk.clone()];
                if PolicyParser::parse(Rule::nothing, piece).is_ok() {
                    continue;
                }
                match PolicyParser::parse(Rule::item_alone, piece) {
                    Ok(pairs) => {
                        if let Err(e) = build::file(pairs, chunk.start) {
                            errors.push(e);
                        }
                    }
                    Err(e) => errors.push(error::from_pest(&e, text, chunk.start)),
                }
            }
            if errors.is_empty() {
                errors.push(error::from_pest(&whole, text, 0));
            }
            Err(errors)
        }
    }
}

/// The byte span of a pest span, shifted by `offset`.
fn span_of(span: pest::Span<'_>, offset: usize) -> Span {
    Span::new(span.start() + offset, span.end() + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spelling of the `kw_*` rules, which the `keyword` lists must match exactly (`total`,
    /// `budget` and their Chinese spellings are not reserved).
    pub(super) const RESERVED: &[&str] = &[
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
        "alias",
        "又名",
        "ceiling",
        "限额",
        "split",
        "分配",
        "method",
        "方法",
        "for",
        "适用",
        "uncapped",
        "不封顶",
        "default",
        "缺省",
        "when",
        "当",
        "else",
        "否则",
        "tiers",
        "档次",
        "words",
        "词语",
        "take",
        "取值",
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
        "message",
        "提示语",
        "english",
        "英文",
        "deduct",
        "扣分",
        "cap",
        "封顶",
        "not",
        "非",
        "or",
        "或",
        "或者",
        "and",
        "且",
        "并且",
    ];

    fn is_name(text: &str) -> bool {
        PolicyParser::parse(Rule::name, text).is_ok_and(|mut p| p.next().is_some_and(|n| n.as_str() == text))
    }

    #[test]
    fn every_keyword_is_reserved_and_nothing_around_it() {
        for kw in RESERVED {
            assert!(!is_name(kw), "{kw} is a keyword");
            // A keyword run on into more of a name is a name: `orders`, `方法论`; a Chinese keyword
            // followed by digits is still the keyword (`年度2020`).
            let longer = if kw.is_ascii() { format!("{kw}s") } else { format!("{kw}论") };
            assert!(is_name(&longer), "{longer} is a name");
            if !kw.is_ascii() {
                assert!(!is_name(&format!("{kw}2020")), "{kw}2020 begins with a keyword");
            }
            // A keyword cut short is a name unless it is a keyword itself (`或者` → `或`).
            let mut shorter = kw.to_string();
            shorter.pop();
            if !shorter.is_empty() && !RESERVED.contains(&shorter.as_str()) {
                assert!(is_name(&shorter), "{shorter} is a name");
            }
        }
        for name in [
            "total",
            "budget",
            "总分",
            "预算执行",
            "actual",
            "target",
            "正向",
            "等于",
            "分组",
            "order",
            "note",
        ] {
            assert!(is_name(name), "{name} is a name");
        }
    }
}
