//! A table read from a workbook or an export, written down as a sheet file.
//!
//! Reading a workbook produces a [`Transcript`]: the sheet's fields in the order of the TOML
//! format, each with the cell it came from. The transcript is printed as TOML or JSON by
//! `jixiao read` (so a user can check and correct the reading) and is loaded through the same
//! reader as a hand-written sheet, so a workbook and its printed reading score alike.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::read::{Format, load};
use super::{CellNote, Origin, Sheet};
use crate::diagnostic::{LineIndex, Message};

/// A value in a transcript.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Val {
    /// Text, as printed.
    Text(String),
    /// An exact number.
    Num(Decimal),
    /// A year or another whole number.
    Int(u32),
}

/// One `key = value` line and the cell behind it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Field name.
    pub key: &'static str,
    /// Value.
    pub value: Val,
    /// The cell (`Sheet1!F12`), if it came from one.
    pub cell: Option<String>,
}

/// A table of the sheet format (`[project]`, `[[indicators]]`…).
#[derive(Clone, Debug)]
pub struct Section {
    /// Dotted path (`budget.rows`).
    pub path: &'static str,
    /// Whether it is one item of a list (`[[…]]`).
    pub list: bool,
    /// The cell the section starts at.
    pub cell: Option<String>,
    /// Its fields.
    pub entries: Vec<Entry>,
    /// Comments printed above it (liberties taken in reading it).
    pub comments: Vec<String>,
}

impl Section {
    /// A new section.
    pub fn new(path: &'static str, list: bool, cell: Option<String>) -> Section {
        Section { path, list, cell, entries: Vec::new(), comments: Vec::new() }
    }

    /// Add a field.
    pub fn set(&mut self, key: &'static str, value: Val, cell: Option<String>) {
        self.entries.push(Entry { key, value, cell });
    }

    /// Add a text field unless it is empty.
    pub fn text(&mut self, key: &'static str, text: &str, cell: Option<String>) {
        if !text.trim().is_empty() {
            self.set(key, Val::Text(text.trim().to_string()), cell);
        }
    }
}

/// One table as read from a workbook: its sheet fields, the cells behind them, and what reading
/// them took.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Transcript {
    /// Where the table sits (`Sheet1!A1`).
    pub place: String,
    /// Sections in the order of the TOML format.
    pub(crate) sections: Vec<Section>,
    /// Liberties taken outside the indicator rows.
    pub notes: Vec<CellNote>,
    /// Cells that could not be read.
    pub problems: Vec<CellNote>,
    /// Liberties taken in reading each indicator row (by its index among `[[indicators]]`).
    pub(crate) row_notes: BTreeMap<usize, Vec<CellNote>>,
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Transcript {
    /// The transcript as a TOML sheet, and the cell behind each line.
    pub fn to_toml(&self) -> (String, BTreeMap<u32, String>) {
        let mut out = String::new();
        let mut cells = BTreeMap::new();
        let mut line = 1u32;
        let mut emit = |out: &mut String, text: &str, cell: Option<&String>, line: &mut u32| {
            // A comment must stay on its line: breaks inside a quoted cell become `⏎`.
            let text =
                if text.starts_with('#') { text.replace(['\r', '\n'], "⏎") } else { text.to_string() };
            out.push_str(&text);
            out.push('\n');
            if let Some(c) = cell {
                cells.insert(*line, c.clone());
            }
            *line += 1;
        };
        emit(&mut out, &format!("# Read by jixiao from {}", self.place), None, &mut line);
        for n in self.notes.iter().chain(&self.problems) {
            emit(&mut out, &format!("# {}: {}", n.cell, n.message.en), None, &mut line);
        }
        let mut indicator = 0usize;
        for s in &self.sections {
            emit(&mut out, "", None, &mut line);
            for c in &s.comments {
                emit(&mut out, &format!("# {c}"), None, &mut line);
            }
            if s.path == "indicators" {
                for n in self.row_notes.get(&indicator).into_iter().flatten() {
                    emit(&mut out, &format!("# {}: {}", n.cell, n.message.en), None, &mut line);
                }
                indicator += 1;
            }
            let header = if s.list { format!("[[{}]]", s.path) } else { format!("[{}]", s.path) };
            emit(&mut out, &header, s.cell.as_ref(), &mut line);
            for e in &s.entries {
                let value = match &e.value {
                    Val::Text(t) => toml_string(t),
                    Val::Num(d) => d.normalize().to_string(),
                    Val::Int(i) => i.to_string(),
                };
                emit(&mut out, &format!("{} = {value}", e.key), e.cell.as_ref(), &mut line);
            }
        }
        (out, cells)
    }

    /// The transcript as a JSON sheet, indented by two spaces, keys in the order read.
    pub fn to_json(&self) -> String {
        let mut root: Vec<(&str, Node<'_>)> = Vec::new();
        for s in &self.sections {
            let mut fields = Vec::new();
            for e in &s.entries {
                let v = match &e.value {
                    Val::Text(t) => Node::Text(t),
                    Val::Num(d) => Node::Num(d.normalize()),
                    Val::Int(i) => Node::Int(*i),
                };
                // A key set twice keeps its first place and its last value.
                *entry(&mut fields, e.key, || Node::Int(0)) = v;
            }
            let table = Node::Obj(fields);
            let (parent, key) = match s.path.split_once('.') {
                Some((p, k)) => (Some(p), k),
                None => (None, s.path),
            };
            let holder = match parent {
                Some(p) => match entry(&mut root, p, || Node::Obj(Vec::new())) {
                    Node::Obj(m) => m,
                    _ => continue,
                },
                None => &mut root,
            };
            if s.list {
                if let Node::Arr(items) = entry(holder, key, || Node::Arr(Vec::new())) {
                    items.push(table);
                }
            } else {
                *entry(holder, key, || Node::Int(0)) = table;
            }
        }
        crate::report::json::to_string_pretty(&Node::Obj(root)).unwrap_or_default()
    }

    /// Load the transcript as a sheet, with the cells behind its values. Problems the sheet
    /// reader finds are returned naming their cells.
    pub fn sheet(&self) -> Result<Sheet, Vec<CellNote>> {
        let (text, cells) = self.to_toml();
        match load(&text, Format::Toml) {
            Ok(mut sheet) => {
                for ind in &mut sheet.indicators {
                    if let Some(notes) = self.row_notes.get(&ind.row).filter(|n| !n.is_empty()) {
                        ind.extra_mut().read_notes.extend(notes.iter().cloned());
                    }
                }
                sheet.origin = Some(Origin {
                    place: self.place.clone(),
                    cells,
                    notes: self.notes.clone(),
                    problems: self.problems.clone(),
                });
                Ok(sheet)
            }
            Err(errors) => {
                let lines = LineIndex::new(&text);
                Err(errors
                    .into_iter()
                    .map(|e| {
                        let line = u32::try_from(lines.line(e.span.start)).unwrap_or(u32::MAX);
                        let cell = cells.get(&line).cloned().unwrap_or_else(|| self.place.clone());
                        let message = match &e.help {
                            Some(h) => Message::new(
                                format!("{}; {}", e.message.en, h.en),
                                format!("{}；{}", e.message.zh, h.zh),
                            ),
                            None => e.message.clone(),
                        };
                        CellNote { cell, message }
                    })
                    .collect())
            }
        }
    }
}

/// A JSON value of a transcript, its objects' keys in the order they were set.
enum Node<'a> {
    Obj(Vec<(&'a str, Node<'a>)>),
    Arr(Vec<Node<'a>>),
    Text(&'a str),
    Num(Decimal),
    Int(u32),
}

/// The value under `key`, set to `new()` first if there is none.
fn entry<'m, 'a>(
    map: &'m mut Vec<(&'a str, Node<'a>)>,
    key: &'a str,
    new: impl FnOnce() -> Node<'a>,
) -> &'m mut Node<'a> {
    let at = match map.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            map.push((key, new()));
            map.len() - 1
        }
    };
    &mut map[at].1
}

impl serde::Serialize for Node<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Node::Obj(m) => {
                let mut map = serializer.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Node::Arr(items) => items.serialize(serializer),
            Node::Text(t) => serializer.serialize_str(t),
            Node::Num(d) => crate::report::json::exact(d, serializer),
            Node::Int(i) => serializer.serialize_u32(*i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_agree_and_lines_map_to_cells() {
        let mut t = Transcript { place: "表1!A1".into(), ..Transcript::default() };
        let mut p = Section::new("project", false, Some("表1!A2".into()));
        p.text("name", "示例\"项目\"", Some("表1!B2".into()));
        p.set("year", Val::Int(2022), None);
        t.sections.push(p);
        let mut b = Section::new("budget", false, None);
        b.set("annual", Val::Num("83.50".parse().unwrap_or_default()), Some("表1!C5".into()));
        t.sections.push(b);
        let mut r = Section::new("budget.rows", true, None);
        r.text("label", "其他资金", None);
        t.sections.push(r);
        let (toml, cells) = t.to_toml();
        assert!(toml.contains("name = \"示例\\\"项目\\\"\""));
        assert!(toml.contains("annual = 83.5"));
        let line_of = |needle: &str| toml.lines().position(|l| l.starts_with(needle)).map(|i| i as u32 + 1);
        assert_eq!(line_of("name").and_then(|l| cells.get(&l)).map(String::as_str), Some("表1!B2"));
        assert_eq!(line_of("annual").and_then(|l| cells.get(&l)).map(String::as_str), Some("表1!C5"));
        let json: serde_json::Value = serde_json::from_str(&t.to_json()).expect("JSON");
        assert_eq!(json["budget"]["rows"][0]["label"], "其他资金");
        assert_eq!(json["project"]["year"], 2022);
        let sheet = t.sheet().map_err(|e| format!("{e:?}"));
        assert_eq!(sheet.map(|s| s.project.name), Ok("示例\"项目\"".to_string()));
    }
}
