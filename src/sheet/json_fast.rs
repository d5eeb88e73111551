//! A fast path for reading well-formed JSON into the document tree: one pass over the bytes,
//! building [`Node`]s directly with the same spans the general reader gives.
//!
//! It accepts only plain RFC 8259 JSON with no duplicate keys and modest nesting, and gives up
//! (`None`) on anything else — the general reader then reads the text and words any error, so
//! messages do not depend on which path ran.

use super::tree::{Node, Value};

/// Deeper documents are left to the general reader.
const MAX_DEPTH: usize = 128;

/// The tree of `text`, if it is plain, well-formed JSON.
pub(crate) fn parse(text: &str) -> Option<Node> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0, duplicates: false };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    (p.i == p.s.len()).then_some(node)
}

/// Whether `text` is one well-formed JSON value (RFC 8259; a key may repeat), nested at most
/// 128 deep.
pub(crate) fn well_formed(text: &str) -> bool {
    let mut p = Parser { s: text.as_bytes(), text, i: 0, duplicates: true };
    p.ws();
    if p.value(0).is_none() {
        return false;
    }
    p.ws();
    p.i == p.s.len()
}

struct Parser<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
    /// Whether a key may repeat in an object.
    duplicates: bool,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn word(&mut self, w: &[u8]) -> Option<()> {
        let end = self.i.checked_add(w.len())?;
        (self.s.get(self.i..end)? == w).then(|| self.i = end)
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let start = self.i;
        let value = match self.s.get(self.i)? {
            b'{' => self.object(depth + 1)?,
            b'[' => self.array(depth + 1)?,
            b'"' => Value::Str(self.string()?),
            b't' => {
                self.word(b"true")?;
                Value::Bool(true)
            }
            b'f' => {
                self.word(b"false")?;
                Value::Bool(false)
            }
            b'n' => {
                self.word(b"null")?;
                Value::Null
            }
            b'-' | b'0'..=b'9' => Value::Num(self.number()?),
            _ => return None,
        };
        Some(Node { value, span: start..self.i })
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.ws();
        let mut entries: Vec<(String, std::ops::Range<usize>, Node)> = Vec::new();
        if self.eat(b'}').is_some() {
            return Some(Value::Table(entries));
        }
        loop {
            self.ws();
            let kstart = self.i;
            let key = self.string()?;
            let kspan = kstart..self.i;
            if !self.duplicates && entries.iter().any(|(k, _, _)| *k == key) {
                return None;
            }
            self.ws();
            self.eat(b':')?;
            self.ws();
            let node = self.value(depth)?;
            entries.push((key, kspan, node));
            self.ws();
            match self.s.get(self.i)? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(Value::Table(entries));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        self.ws();
        let mut items = Vec::new();
        if self.eat(b']').is_some() {
            return Some(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            match self.s.get(self.i)? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(Value::Array(items));
                }
                _ => return None,
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    fn number(&mut self) -> Option<String> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while let Some(b'0'..=b'9') = p.s.get(p.i) {
                p.i += 1;
            }
            p.i > from
        };
        let _ = self.eat(b'-');
        match self.s.get(self.i)? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && !digits(self) {
            return None;
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        self.text.get(start..self.i).map(str::to_string)
    }

    /// A string with its escapes decoded; the cursor ends after the closing quote.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let start = self.i;
        // The common case: no escapes.
        loop {
            match self.s.get(self.i)? {
                b'"' => {
                    let out = self.text.get(start..self.i)?.to_string();
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => break,
                c if *c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
        let mut out = self.text.get(start..self.i)?.to_string();
        loop {
            let run = self.i;
            while let Some(c) = self.s.get(self.i) {
                if *c == b'"' || *c == b'\\' || *c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.text.get(run..self.i)?);
            match self.s.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.i += 1;
                    let c = match self.s.get(self.i)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let c = match hi {
                                0xD800..=0xDBFF => {
                                    self.word(b"\\u")?;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&lo) {
                                        return None;
                                    }
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                                }
                                0xDC00..=0xDFFF => return None,
                                _ => char::from_u32(hi)?,
                            };
                            out.push(c);
                            continue;
                        }
                        _ => return None,
                    };
                    self.i += 1;
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    /// Four hex digits; the cursor ends after them.
    fn hex4(&mut self) -> Option<u32> {
        let end = self.i.checked_add(4)?;
        let digits = self.text.get(self.i..end)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i = end;
        u32::from_str_radix(digits, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general reader without the fast path, for comparison.
    fn general(text: &str) -> Option<Node> {
        super::super::tree::from_json_general(text).ok()
    }

    fn same(text: &str) {
        let fast = parse(text).map(|n| format!("{n:?}"));
        let slow = general(text).map(|n| format!("{n:?}"));
        assert!(fast.is_some(), "the fast path reads {text:?}");
        assert_eq!(fast, slow, "{text}");
    }

    #[test]
    fn the_fast_path_builds_the_general_tree() {
        same(r#"{"a": 0.1, "b": [1, "x", true, false, null, -0, 2e10, 1.5E-3], "c": {}}"#);
        same("\t{\n \"名\" : \"项目\\n\\\"引\\\"\\u00e9\\ud83d\\ude00\\/\" , \"d\": [ ] }\r\n");
        same(r#"{"x": {"y": {"z": [[[]]]}}}"#);
        for dir in ["tests/fixtures/eval", "tests/fixtures/hostile", "tests/fixtures/malformed/sheet"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut files = Vec::new();
            let mut stack = vec![root];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "json" || x == "jsonl") {
                        files.push(p);
                    }
                }
            }
            for f in files {
                let Ok(text) = std::fs::read_to_string(&f) else { continue };
                for t in std::iter::once(text.as_str()).chain(text.lines()) {
                    if let Some(n) = parse(t) {
                        assert_eq!(
                            Some(format!("{n:?}")),
                            general(t).map(|n| format!("{n:?}")),
                            "{}",
                            f.display()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_general_reader() {
        for t in [
            "",
            "{",
            r#"{"a": 1,}"#,
            r#"{"a": 1 // note
            }"#,
            r#"{"a": 01}"#,
            r#"{"a": .5}"#,
            r#"{"a": +1}"#,
            r#"{"a": 1, "a": 2}"#,
            "{\"a\": \"\u{1}\"}",
            r#"{"a": "\ud800"}"#,
            r#"{"a": "\x"}"#,
            r#"{"a": 1} x"#,
            "\u{feff}{}",
        ] {
            assert!(parse(t).is_none(), "{t:?}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_none());
    }

    #[test]
    fn well_formed_is_one_json_value_with_repeated_keys_allowed() {
        assert!(well_formed(r#" {"a": 1, "a": [true, null, "x\u00e9"]} "#));
        assert!(!well_formed(r#"{"a": 1} {"#));
        assert!(!well_formed(r#"{"a": 1,}"#));
        assert!(!well_formed(r#"{"a": "\ud800"}"#));
        assert!(!well_formed(&format!("{}{}", "[".repeat(200), "]".repeat(200))));
    }
}
