//! Syntax: policy text to [`PolicyFile`], the only module that knows pest.
//!
//! pest stays inside this module: nothing outside sees a `Pair` or a `Rule`. When a file does not
//! parse, it is cut into its top-level items and each is parsed alone, so one run reports a
//! syntax error in every broken item, not just the first.

mod build;
mod error;
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
    if let Some((start, end)) = nesting::too_deep(text) {
        return Err(vec![SyntaxError {
            span: Span::new(start, end),
            kind: error::SyntaxErrorKind::TooComplex,
        }]);
    }
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
