//! A document tree with byte spans, built from TOML or JSON, so the sheet reader can name the
//! exact line of every field and read numbers from their written digits (never through floats).

use std::ops::Range;

/// A value with the bytes it was written in.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub value: Value,
    pub span: Range<usize>,
}

/// Document values.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// Keys in written order, each with the span of the key.
    Table(Vec<(String, Range<usize>, Node)>),
    Array(Vec<Node>),
    Str(String),
    /// A number exactly as written (`83.5`, `1_000`, `-2`).
    Num(String),
    Bool(bool),
    Null,
    /// A TOML date-time (no sheet field takes one).
    DateTime,
}

impl Value {
    /// What to call this kind of value in a message (English, Chinese).
    pub fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Value::Table(_) => ("a table", "表"),
            Value::Array(_) => ("a list", "列表"),
            Value::Str(_) => ("text", "文本"),
            Value::Num(_) => ("a number", "数字"),
            Value::Bool(_) => ("true/false", "布尔值"),
            Value::Null => ("null", "空值"),
            Value::DateTime => ("a date", "日期"),
        }
    }
}

/// A syntax error in the document itself.
#[derive(Clone, Debug)]
pub(crate) struct ParseError {
    pub message: String,
    pub span: Range<usize>,
}

/// Parse TOML.
pub(crate) fn from_toml(text: &str) -> Result<Node, Vec<ParseError>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|e| ParseError { message: e.message().trim().to_string(), span: e.span().unwrap_or(0..0) })
            .collect());
    }
    let span = table.span();
    Ok(Node { value: toml_table(table.get_ref()), span })
}

fn toml_table(table: &toml::de::DeTable<'_>) -> Value {
    Value::Table(table.iter().map(|(k, v)| (k.get_ref().to_string(), k.span(), toml_node(v))).collect())
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue as D;
    let span = v.span();
    let value = match v.get_ref() {
        D::String(s) => Value::Str(s.to_string()),
        D::Integer(i) => {
            if i.radix() == 10 {
                Value::Num(i.as_str().replace('_', ""))
            } else {
                // Hexadecimal and the like are never amounts; keep them as numbers the reader rejects.
                Value::Num(format!("{i}"))
            }
        }
        D::Float(f) => Value::Num(f.as_str().replace('_', "")),
        D::Boolean(b) => Value::Bool(*b),
        D::Datetime(_) => Value::DateTime,
        D::Array(a) => Value::Array(a.iter().map(toml_node).collect()),
        D::Table(t) => toml_table(t),
    };
    Node { value, span }
}

/// Parse JSON (strict: no comments, no trailing commas). Plain well-formed JSON takes a fast
/// path; anything else, and every error, goes through the general reader.
pub(crate) fn from_json(text: &str) -> Result<Node, Vec<ParseError>> {
    match super::json_fast::parse(text) {
        Some(node) => Ok(node),
        None => from_json_general(text),
    }
}

/// Parse JSON with the general reader.
pub(crate) fn from_json_general(text: &str) -> Result<Node, Vec<ParseError>> {
    use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => match result.value {
            Some(v) => Ok(json_node(&v)),
            None => Err(vec![ParseError { message: "the file holds no JSON value".into(), span: 0..0 }]),
        },
        Err(e) => {
            let range = e.range();
            Err(vec![ParseError { message: e.kind().to_string(), span: range.start..range.end }])
        }
    }
}

fn json_node(v: &jsonc_parser::ast::Value<'_>) -> Node {
    use jsonc_parser::ast::{ObjectPropName, Value as J};
    let (value, range) = match v {
        J::StringLit(s) => (Value::Str(s.value.to_string()), s.range),
        J::NumberLit(n) => (Value::Num(n.value.to_string()), n.range),
        J::BooleanLit(b) => (Value::Bool(b.value), b.range),
        J::NullKeyword(n) => (Value::Null, n.range),
        J::Array(a) => (Value::Array(a.elements.iter().map(json_node).collect()), a.range),
        J::Object(o) => (
            Value::Table(
                o.properties
                    .iter()
                    .map(|p| {
                        let (key, krange) = match &p.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        (key, krange.start..krange.end, json_node(&p.value))
                    })
                    .collect(),
            ),
            o.range,
        ),
    };
    Node { value, span: range.start..range.end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_numbers_keep_their_digits_and_spans() {
        let text = "a = 83.5\nb = 1_000\n[c]\nd = \"x\"\n";
        let node = from_toml(text).expect("valid toml");
        let Value::Table(entries) = node.value else { panic!("table") };
        let a = &entries[0].2;
        assert!(matches!(&a.value, Value::Num(n) if n == "83.5"));
        assert_eq!(&text[a.span.clone()], "83.5");
        assert!(matches!(&entries[1].2.value, Value::Num(n) if n == "1000"));
    }

    #[test]
    fn json_numbers_keep_their_digits_and_spans() {
        let text = r#"{"a": 0.1, "b": [1, "x"]}"#;
        let node = from_json(text).expect("valid json");
        let Value::Table(entries) = node.value else { panic!("table") };
        assert!(matches!(&entries[0].2.value, Value::Num(n) if n == "0.1"));
        assert_eq!(&text[entries[1].2.span.clone()], "[1, \"x\"]");
    }

    #[test]
    fn syntax_errors_have_spans() {
        assert!(from_toml("a = ").is_err());
        let errs = from_json("{\"a\": }").expect_err("error");
        assert!(errs[0].span.start > 0);
    }
}
