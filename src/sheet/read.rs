//! Reading a sheet from TOML or JSON, collecting every problem with its field and line.

use crate::codes::Code;
use std::borrow::Cow;
use std::ops::Range;

use rust_decimal::Decimal;

use super::tree::{self, Node, Value};
use super::*;
use crate::ast::Span;
use crate::diagnostic::{Diagnostic, FileId, Message};
use crate::msg;
use crate::value::{self, Op, Quantity, Reading, is_placeholder};
use crate::words::did_you_mean;

/// Sheet file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a file name implies, if any.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Some(Format::Toml)
        } else if lower.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// A problem in a sheet file.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SheetError {
    /// Kebab-case name of the problem.
    pub code: Code,
    /// The field, as a path (`indicators[3].weight`).
    pub field: String,
    /// Where.
    pub span: Span,
    /// What.
    pub message: Message,
    /// How to fix it.
    pub help: Option<Message>,
}

impl SheetError {
    /// The diagnostic for this error in `file`.
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let field = &self.field;
        let mut d = Diagnostic::error(self.code, file, self.span, self.message.clone());
        if !field.is_empty() {
            d = d.with_label(msg!("in `{field}`", "位于 `{field}`"));
        }
        if let Some(h) = &self.help {
            d = d.with_help(h.clone());
        }
        d
    }
}

/// Read a sheet.
pub fn load(text: &str, format: Format) -> Result<Sheet, Vec<SheetError>> {
    Loader::default().load(text, format)
}

/// Reads sheets one after another, building each sheet's rows in the memory of the rows of a
/// sheet handed back with [`Loader::recycle`]: a long run of sheets then reads without
/// allocating for its rows' text. What it reads is exactly what [`load`] reads.
///
/// ```
/// use jixiao::sheet::{Format, Loader};
///
/// let mut loader = Loader::default();
/// for line in [
///     r#"{"project":{"name":"甲"},"indicators":[{"level1":"产出指标","level2":"数量指标","name":"培训人数","target":"≥50人","actual":"52人","weight":20}]}"#,
///     r#"{"project":{"name":"乙"},"indicators":[{"level1":"产出指标","level2":"数量指标","name":"培训场次","target":"≥8场","actual":"7场","weight":20}]}"#,
/// ] {
///     let sheet = loader.load(line, Format::Json).expect("a sheet");
///     assert_eq!(sheet.indicators.len(), 1);
///     loader.recycle(sheet);
/// }
/// ```
#[derive(Default)]
pub struct Loader {
    spare: Vec<Indicator>,
}

impl Loader {
    /// Read a sheet, as [`load`] does.
    pub fn load(&mut self, text: &str, format: Format) -> Result<Sheet, Vec<SheetError>> {
        // Plain JSON is read in one pass; anything else, and every error, by the general reader.
        if format == Format::Json
            && let Some(sheet) = super::direct::read_reusing(text, std::mem::take(&mut self.spare))
        {
            return Ok(sheet);
        }
        load_general(text, format)
    }

    /// Hand back a sheet that is no longer needed, for the next one to be read into.
    pub fn recycle(&mut self, sheet: Sheet) {
        if sheet.indicators.capacity() >= self.spare.capacity() {
            self.spare = sheet.indicators;
        }
    }
}

/// Read a sheet with the general reader only (through the document tree), as [`load`] does for
/// whatever its direct JSON reader leaves; for comparing the two.
#[doc(hidden)]
pub fn load_general(text: &str, format: Format) -> Result<Sheet, Vec<SheetError>> {
    let parsed = match format {
        Format::Toml => tree::from_toml(text),
        Format::Json => tree::from_json(text),
    };
    let root = parsed.map_err(|errors| {
        errors
            .into_iter()
            .map(|e| SheetError {
                code: Code::SheetSyntax,
                field: String::new(),
                span: Span::new(e.span.start, e.span.end.max(e.span.start)),
                message: Message::new(
                    format!(
                        "the file is not valid {}: {}",
                        if format == Format::Toml { "TOML" } else { "JSON" },
                        e.message
                    ),
                    format!(
                        "文件不是有效的 {}：{}",
                        if format == Format::Toml { "TOML" } else { "JSON" },
                        e.message
                    ),
                ),
                help: None,
            })
            .collect::<Vec<_>>()
    })?;
    let mut reader = Reader {
        lines: crate::diagnostic::LineIndex::new(text),
        errors: Vec::new(),
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let sheet = reader.sheet(&root);
    if reader.errors.is_empty() {
        sheet.ok_or_else(Vec::new)
    } else {
        // Tables may be read out of line order (TOML keys); report top to bottom.
        let mut errors = reader.errors;
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        Err(errors)
    }
}

struct Reader {
    lines: crate::diagnostic::LineIndex,
    errors: Vec<SheetError>,
    /// Printed values that could not be read and were left out (`total.claimed = "100 / 10"`).
    problems: Vec<CellNote>,
    /// Liberties taken in reading values outside the budget block and the rows (`20分`).
    notes: Vec<CellNote>,
}

/// A table's entries, with the path used in messages.
struct Table<'n> {
    entries: &'n [(String, Range<usize>, Node)],
    span: Range<usize>,
    path: String,
}

impl<'n> Table<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|(k, _, _)| k == key).map(|(_, _, n)| n)
    }

    fn field(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }
}

const TOP: &[&str] = &["project", "budget", "goals", "groups", "indicators", "total"];
const PROJECT: &[&str] = &["name", "department", "implementer", "year", "jurisdiction", "unit", "title"];
const BUDGET: &[&str] = &["initial", "annual", "executed", "weight", "rate", "claimed", "note", "rows"];
const BUDGET_ROW: &[&str] = &["label", "initial", "annual", "executed"];
const GOALS: &[&str] = &["expected", "achieved"];
const GROUP: &[&str] = &["level1", "level2", "weight", "claimed"];
const INDICATOR: &[&str] = &[
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "claimed",
    "note",
    "tier",
    "adjust",
    "not_applicable",
    "direction",
    "unit",
    "unreadable",
];
const ADJUST: &[&str] = &["points", "reason"];
const TOTAL: &[&str] = &["claimed", "grade"];
const STRUCTURED: &[&str] = &["op", "value", "unit"];

fn span(r: &Range<usize>) -> Span {
    Span::new(r.start, r.end)
}

impl Reader {
    fn line(&self, offset: usize) -> u32 {
        u32::try_from(self.lines.line(offset)).unwrap_or(u32::MAX)
    }

    fn error(
        &mut self,
        code: Code,
        field: String,
        at: &Range<usize>,
        message: Message,
        help: Option<Message>,
    ) {
        self.errors.push(SheetError { code, field, span: span(at), message, help });
    }

    fn wrong_type(&mut self, field: String, node: &Node, want: Message) {
        let (en, zh) = node.value.kind();
        if field.is_empty() {
            self.error(
                Code::WrongType,
                field,
                &node.span,
                Message::new(
                    format!("the file should hold {}, found {en}", want.en),
                    format!("文件应为{}，实际为{zh}", want.zh),
                ),
                Some(msg!(
                    "a sheet starts with `[project]` (TOML) or `{{ \"project\": … }}` (JSON)",
                    "自评表以 `[project]`（TOML）或 `{{ \"project\": … }}`（JSON）开头"
                )),
            );
            return;
        }
        self.error(
            Code::WrongType,
            field.clone(),
            &node.span,
            Message::new(
                format!("`{field}` should be {}, found {en}", want.en),
                format!("`{field}` 应为{}，实际为{zh}", want.zh),
            ),
            None,
        );
    }

    fn table<'n>(&mut self, node: &'n Node, path: String, allowed: &[&str]) -> Option<Table<'n>> {
        let Value::Table(entries) = &node.value else {
            self.wrong_type(path, node, msg!("a table", "表"));
            return None;
        };
        for (key, kspan, _) in entries {
            if !allowed.contains(&key.as_str()) {
                let field = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let help = match did_you_mean(key, allowed.iter().copied()) {
                    Some(s) => Some(msg!("did you mean `{s}`?", "是否应为 `{s}`？")),
                    None => {
                        let list = allowed.join("`, `");
                        Some(Message::new(format!("expected one of `{list}`"), format!("可用字段：`{list}`")))
                    }
                };
                self.error(
                    Code::UnknownField,
                    field.clone(),
                    kspan,
                    msg!("unknown field `{field}`", "未知字段 `{field}`"),
                    help,
                );
            }
        }
        Some(Table { entries, span: node.span.clone(), path })
    }

    fn text_of(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        let node = t.get(key)?;
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Num(n) => Some(n.clone()),
            Value::Null => None,
            _ => {
                self.wrong_type(t.field(key), node, msg!("text", "文本"));
                None
            }
        }
    }

    fn required_text(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        let wrong_type =
            t.get(key).is_some_and(|n| !matches!(n.value, Value::Str(_) | Value::Num(_) | Value::Null));
        match self.text_of(t, key) {
            Some(s) if !s.trim().is_empty() => Some(s),
            // Already reported as the wrong type.
            _ if wrong_type => None,
            _ => {
                let field = t.field(key);
                let at = t.get(key).map_or(t.span.clone(), |n| n.span.clone());
                self.error(
                    Code::MissingField,
                    field.clone(),
                    &at,
                    msg!("`{field}` is required", "缺少必填字段 `{field}`"),
                    None,
                );
                None
            }
        }
    }

    /// An indicator's points as a table prints them: a number, or `20分` / `20%` (a share of
    /// 100 points), read with a note on the row. Anything else is reported as `decimal` does.
    fn points(&mut self, t: &Table<'_>, key: &str, notes: &mut Vec<CellNote>) -> Option<Decimal> {
        if let Some(Node { value: Value::Str(s), .. }) = t.get(key)
            && parse_decimal(&crate::text::fold_width(s).trim().replace(',', "")).is_err()
            && let super::cells::Cleaned::Number(d, liberty) = super::cells::points(s, Decimal::ONE_HUNDRED)
        {
            if let Some(message) = liberty {
                notes.push(CellNote { cell: t.field(key), message });
            }
            return Some(d);
        }
        self.decimal(t, key)
    }

    /// Text in a points field (`weight`, `claimed`) that is no number at all (`IO`, `十分`).
    fn garbled_points<'t>(t: &Table<'t>, key: &str) -> Option<&'t str> {
        match t.get(key) {
            Some(Node { value: Value::Str(s), .. })
                if !crate::value::is_empty_note(s)
                    && parse_decimal(&crate::text::fold_width(s).trim().replace(',', ""))
                        == Err(NumberProblem::NotANumber)
                    && super::cells::points(s, Decimal::ONE_HUNDRED) == super::cells::Cleaned::Unreadable =>
            {
                Some(s)
            }
            _ => None,
        }
    }

    /// A row's points (`weight`, `claimed`): as [`Reader::points`], but text that is no number
    /// at all (`IO`, `十分`) leaves the row unscored with the cell named in `bad`, as a
    /// workbook's cell does, instead of rejecting the sheet.
    fn row_points(
        &mut self,
        t: &Table<'_>,
        key: &str,
        notes: &mut Vec<CellNote>,
        bad: &mut Option<String>,
    ) -> Option<Decimal> {
        if let Some(s) = Self::garbled_points(t, key) {
            if bad.is_none() {
                *bad = Some(super::cells::unreadable(&t.field(key), s));
            }
            return None;
        }
        self.points(t, key, notes)
    }

    /// Points printed outside the rows (`budget.claimed`, `total.claimed`, a group's): text that
    /// is no number at all (`100 / 10`) is left out instead of rejecting the sheet. A weight left
    /// out is listed as a problem, as a workbook's unreadable cell is (the scores may depend on
    /// it); a claim left out only goes unchecked, and is listed among the notes.
    fn printed_points(&mut self, t: &Table<'_>, key: &str, notes: &mut Vec<CellNote>) -> Option<Decimal> {
        if let Some(s) = Self::garbled_points(t, key) {
            let (cell, text) = (t.field(key), super::cells::unreadable_text(s));
            let note = CellNote {
                cell,
                message: Message::new(
                    format!("{text} is not a number; it is left out"),
                    format!("{text} 不是数字，未读取"),
                ),
            };
            if key == "claimed" {
                notes.push(note)
            } else {
                self.problems.push(note)
            }
            return None;
        }
        self.points(t, key, notes)
    }

    fn decimal(&mut self, t: &Table<'_>, key: &str) -> Option<Decimal> {
        let node = t.get(key)?;
        let raw: std::borrow::Cow<'_, str> = match &node.value {
            Value::Num(n) => n.as_str().into(),
            Value::Str(s) if crate::value::is_empty_note(s) => return None,
            Value::Str(s) => crate::text::fold_width(s).trim().replace(',', "").into(),
            Value::Null => return None,
            _ => {
                self.wrong_type(t.field(key), node, msg!("a number", "数字"));
                return None;
            }
        };
        match parse_decimal(&raw) {
            Ok(d) => Some(d),
            Err(problem) => {
                // The field's name is spelled out only for the message.
                let field = t.field(key);
                let (message, help) = match problem {
                    NumberProblem::NotANumber => (
                        msg!("`{field}` is not a number: `{raw}`", "`{field}` 不是数字：`{raw}`"),
                        msg!(
                            "write a number, e.g. `83.5`; amounts may carry 元, 千元, 万元 or 亿元 (`259.45万元`), and the sheet's money unit is set by `project.unit`",
                            "请写数字，如 `83.5`；金额可带 元、千元、万元 或 亿元（如 `259.45万元`），表的金额单位由 `project.unit` 设定"
                        ),
                    ),
                    NumberProblem::TooLarge => (
                        msg!("`{field}` is too large: `{raw}`", "`{field}` 数值过大：`{raw}`"),
                        msg!("numbers must be below 10^15", "数字须小于 10^15"),
                    ),
                    NumberProblem::TooPrecise => (
                        msg!(
                            "`{field}` has more decimal places than can be kept exactly: `{raw}`",
                            "`{field}` 小数位过多，无法精确保存：`{raw}`"
                        ),
                        msg!("numbers hold at most 28 significant digits", "数字最多 28 位有效数字"),
                    ),
                };
                self.error(Code::UnreadableNumber, field.clone(), &node.span, message, Some(help));
                None
            }
        }
    }

    fn cell(&mut self, t: &Table<'_>, key: &str, row_line: u32) -> Cell {
        let Some(node) = t.get(key) else {
            return Cell { text: String::new(), reading: Reading::Empty, line: row_line };
        };
        let line = self.line(node.span.start);
        match &node.value {
            Value::Str(s) => Cell { text: s.clone(), reading: value::read(s), line },
            Value::Num(n) => match parse_decimal(n) {
                Ok(v) => Cell {
                    text: n.clone(),
                    reading: Reading::Number {
                        op: None,
                        quantity: Quantity { value: v, unit: Cow::Borrowed("") },
                        notes: Default::default(),
                        multiplier: None,
                    },
                    line,
                },
                Err(_) => {
                    let field = t.field(key);
                    self.error(
                        Code::UnreadableNumber,
                        field.clone(),
                        &node.span,
                        msg!(
                            "`{field}` is not a number that can be kept exactly: `{n}`",
                            "`{field}` 不是可精确保存的数字：`{n}`"
                        ),
                        None,
                    );
                    Cell { text: n.clone(), reading: Reading::Empty, line }
                }
            },
            Value::Null => Cell { text: String::new(), reading: Reading::Empty, line },
            Value::Table(_) => self.structured(node, t.field(key), line),
            _ => {
                self.wrong_type(
                    t.field(key),
                    node,
                    msg!(
                        "text such as \"≥50个\", a number, or {{ op, value, unit }}",
                        "文本（如 \"≥50个\"）、数字或 {{ op, value, unit }}"
                    ),
                );
                Cell { text: String::new(), reading: Reading::Empty, line }
            }
        }
    }

    /// `{ op = ">=", value = 50, unit = "个" }`
    fn structured(&mut self, node: &Node, path: String, line: u32) -> Cell {
        let empty = Cell { text: String::new(), reading: Reading::Empty, line };
        let Some(t) = self.table(node, path, STRUCTURED) else { return empty };
        let op = match self.text_of(&t, "op") {
            Some(s) if !s.trim().is_empty() => match Op::parse(&s) {
                Some(op) => Some(op),
                None => {
                    let field = t.field("op");
                    let at = t.get("op").map_or(t.span.clone(), |n| n.span.clone());
                    self.error(
                        Code::UnreadableCell,
                        field.clone(),
                        &at,
                        msg!("`{field}` is not a comparison: `{s}`", "`{field}` 不是比较符：`{s}`"),
                        Some(msg!("use one of `>=`, `>`, `<=`, `<`, `=`", "可用：`>=`、`>`、`<=`、`<`、`=`")),
                    );
                    return empty;
                }
            },
            _ => None,
        };
        let Some(value) = self.decimal(&t, "value") else {
            let field = t.field("value");
            self.error(
                Code::MissingField,
                field.clone(),
                &t.span,
                msg!("`{field}` is required", "缺少必填字段 `{field}`"),
                None,
            );
            return empty;
        };
        let unit = self.text_of(&t, "unit").unwrap_or_default();
        let text = format!("{}{}{}", op.map_or("", Op::symbol), value.normalize(), unit);
        Cell { reading: value::read(&text), text, line }
    }

    fn sheet(&mut self, root: &Node) -> Option<Sheet> {
        let top = self.table(root, String::new(), TOP)?;
        let project = match top.get("project") {
            Some(n) => self.project(n),
            None => {
                self.error(
                    Code::MissingField,
                    "project".into(),
                    &(0..0),
                    msg!("the sheet has no `[project]` table", "自评表缺少 `[project]` 表"),
                    Some(msg!(
                        "add `[project]` with at least `name = \"…\"`",
                        "请添加 `[project]`，至少包含 `name = \"…\"`"
                    )),
                );
                None
            }
        };
        let unit = project.as_ref().map_or("万元", |p| p.money_unit.as_str());
        let budget = top.get("budget").and_then(|n| self.budget(n, unit));
        let goals = match top.get("goals") {
            Some(n) => match self.table(n, "goals".into(), GOALS) {
                Some(t) => {
                    Goals { expected: self.text_of(&t, "expected"), achieved: self.text_of(&t, "achieved") }
                }
                None => Goals::default(),
            },
            None => Goals::default(),
        };
        let groups = match top.get("groups") {
            Some(n) => self.groups(n),
            None => Vec::new(),
        };
        let (indicators, skipped) = match top.get("indicators") {
            Some(n) => self.indicators(n),
            None => (Vec::new(), Vec::new()),
        };
        let total = match top.get("total") {
            Some(n) => match self.table(n, "total".into(), TOTAL) {
                Some(t) => {
                    let mut notes = Vec::new();
                    let claimed = self.printed_points(&t, "claimed", &mut notes);
                    self.notes.append(&mut notes);
                    ClaimedTotal { claimed, grade: self.text_of(&t, "grade").filter(|g| !is_placeholder(g)) }
                }
                None => ClaimedTotal::default(),
            },
            None => ClaimedTotal::default(),
        };
        // Values left out are listed as a workbook's unreadable cells are.
        let origin = (!self.problems.is_empty() || !self.notes.is_empty()).then(|| Origin {
            problems: std::mem::take(&mut self.problems),
            notes: std::mem::take(&mut self.notes),
            ..Origin::default()
        });
        Some(Sheet { project: project?, budget, goals, groups, indicators, skipped, total, origin })
    }

    fn project(&mut self, node: &Node) -> Option<Project> {
        let t = self.table(node, "project".into(), PROJECT)?;
        let name = self.required_text(&t, "name");
        let year = t.get("year").and_then(|n| match &n.value {
            Value::Num(raw) => match super::cells::year(raw) {
                Some(y) => Some(y),
                None => {
                    self.error(
                        Code::InvalidYear,
                        "project.year".into(),
                        &n.span,
                        msg!("`project.year` is not a year: `{raw}`", "`project.year` 不是年份：`{raw}`"),
                        None,
                    );
                    None
                }
            },
            Value::Str(s) => match super::cells::year(s) {
                Some(y) => Some(y),
                None => {
                    self.error(
                        Code::InvalidYear,
                        "project.year".into(),
                        &n.span,
                        msg!("`project.year` is not a year: `{s}`", "`project.year` 不是年份：`{s}`"),
                        None,
                    );
                    None
                }
            },
            _ => {
                self.wrong_type("project.year".into(), n, msg!("a year such as 2022", "年份，如 2022"));
                None
            }
        });
        // `萬元` is `万元` in traditional characters, as mirror sites print it.
        let money_unit = self
            .text_of(&t, "unit")
            .map(|u| crate::text::to_simplified(u.trim()))
            .unwrap_or_else(|| "万元".to_string());
        let money_factor = match super::cells::money_factor(&money_unit) {
            Some(factor) => factor,
            None => {
                let other = &money_unit;
                let at = t.get("unit").map_or(t.span.clone(), |n| n.span.clone());
                self.error(
                    Code::InvalidUnit,
                    "project.unit".into(),
                    &at,
                    msg!("unknown money unit `{other}`", "未知的金额单位 `{other}`"),
                    Some(msg!("use `元`, `千元`, `万元` or `亿元`", "请使用 `元`、`千元`、`万元` 或 `亿元`")),
                );
                Decimal::from(10_000)
            }
        };
        Some(Project {
            name: name?,
            department: self
                .text_of(&t, "department")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            implementer: self
                .text_of(&t, "implementer")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            year,
            jurisdiction: self
                .text_of(&t, "jurisdiction")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            money_factor,
            money_unit,
            title: self.text_of(&t, "title").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        })
    }

    /// An amount of money: a number, or text as tables print it (`259.45万元`, `1,234.5元`,
    /// `12.3亿元`), converted to the sheet's money unit with a note.
    /// A budget amount. Text that is no amount at all (`八十三万五千`, `12.3美元`) is left out
    /// and listed as a problem, as a workbook's unreadable cell is: the budget then goes
    /// unscored and the total is provisional, but the rest of the sheet is scored.
    fn money(&mut self, t: &Table<'_>, key: &str, unit: &str, notes: &mut Vec<CellNote>) -> Option<Decimal> {
        if let Some(Node { value: Value::Str(s), .. }) = t.get(key)
            && let Err(problem) = parse_decimal(&crate::text::fold_width(s).trim().replace(',', ""))
        {
            match super::cells::amount(s, unit) {
                super::cells::Cleaned::Number(d, liberty) => {
                    if let Some(message) = liberty {
                        notes.push(CellNote { cell: t.field(key), message });
                    }
                    return Some(d);
                }
                super::cells::Cleaned::Unreadable if problem == NumberProblem::NotANumber => {
                    self.problems.push(super::cells::unreadable_amount(t.field(key), s));
                    return None;
                }
                _ => {}
            }
        }
        self.decimal(t, key)
    }

    fn budget(&mut self, node: &Node, unit: &str) -> Option<Budget> {
        let t = self.table(node, "budget".into(), BUDGET)?;
        let line = self.line(node.span.start);
        let printed_rate = t.get("rate").map(|_| self.cell(&t, "rate", line));
        let mut notes = Vec::new();
        let mut rows = Vec::new();
        if let Some(list) = t.get("rows") {
            match &list.value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(r) = self.table(item, format!("budget.rows[{i}]"), BUDGET_ROW) {
                            let label = self.text_of(&r, "label").unwrap_or_default();
                            rows.push(BudgetRow {
                                label,
                                initial: self.money(&r, "initial", unit, &mut notes),
                                annual: self.money(&r, "annual", unit, &mut notes),
                                executed: self.money(&r, "executed", unit, &mut notes),
                            });
                        }
                    }
                }
                _ => self.wrong_type("budget.rows".into(), list, msg!("a list of tables", "表的列表")),
            }
        }
        let amount = |this: &mut Self, key: &str, notes: &mut Vec<CellNote>| -> Option<Decimal> {
            let v = this.money(&t, key, unit, notes)?;
            if v < Decimal::ZERO {
                let field = t.field(key);
                let at = t.get(key).map_or(t.span.clone(), |n| n.span.clone());
                this.error(
                    Code::NegativeAmount,
                    field.clone(),
                    &at,
                    msg!("`{field}` cannot be negative", "`{field}` 不能为负数"),
                    None,
                );
            }
            Some(v)
        };
        let (mut initial, mut annual, mut executed) = (
            amount(self, "initial", &mut notes),
            amount(self, "annual", &mut notes),
            amount(self, "executed", &mut notes),
        );
        (initial, annual, executed) = total_or_sub_row((initial, annual, executed), &rows, &mut notes);
        Some(Budget {
            initial,
            annual,
            executed,
            weight: self.printed_points(&t, "weight", &mut notes),
            printed_rate,
            claimed: self.printed_points(&t, "claimed", &mut notes),
            note: self.text_of(&t, "note"),
            rows,
            line,
            read_notes: notes,
        })
    }

    fn groups(&mut self, node: &Node) -> Vec<GroupClaim> {
        let Value::Array(items) = &node.value else {
            self.wrong_type(
                "groups".into(),
                node,
                msg!("a list of tables (`[[groups]]`)", "表的列表（`[[groups]]`）"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(t) = self.table(item, format!("groups[{i}]"), GROUP) else { continue };
            let Some(level1) = self.required_text(&t, "level1") else { continue };
            let mut notes = Vec::new();
            let group = GroupClaim {
                level1,
                level2: self.text_of(&t, "level2").filter(|s| !s.trim().is_empty()),
                weight: self.printed_points(&t, "weight", &mut notes),
                claimed: self.printed_points(&t, "claimed", &mut notes),
                line: self.line(item.span.start),
            };
            self.notes.append(&mut notes);
            out.push(group);
        }
        out
    }

    fn indicators(&mut self, node: &Node) -> (Vec<Indicator>, Vec<SkippedRow>) {
        let Value::Array(items) = &node.value else {
            self.wrong_type(
                "indicators".into(),
                node,
                msg!("a list of tables (`[[indicators]]`)", "表的列表（`[[indicators]]`）"),
            );
            return (Vec::new(), Vec::new());
        };
        let mut out = Vec::new();
        let mut skipped = Vec::new();
        // Merged cells: an empty level-1 or level-2 repeats the row above.
        let (mut level1, mut level2) = (String::new(), String::new());
        for (i, item) in items.iter().enumerate() {
            let Some(t) = self.table(item, format!("indicators[{i}]"), INDICATOR) else { continue };
            let line = self.line(item.span.start);
            if let Some(l1) = self.text_of(&t, "level1").filter(|s| !s.trim().is_empty()) {
                if l1 != level1 {
                    level2.clear();
                }
                level1 = l1;
            }
            if let Some(l2) = self.text_of(&t, "level2").filter(|s| !s.trim().is_empty()) {
                level2 = l2;
            }
            let name = self.text_of(&t, "name").unwrap_or_default();
            // Only a row with nothing in it is skipped; a placeholder name with data is scored.
            let placeholder_name = is_placeholder_row(&name);
            if placeholder_name && is_empty_row(&t) {
                skipped.push(SkippedRow { row: i, name, line });
                continue;
            }
            // With a level-2 category the row is kept: the evaluator takes the one level-1
            // category of the scheme that has it, or leaves the row unscored — one missing cell
            // never rejects the sheet.
            if level1.trim().is_empty() && level2.trim().is_empty() {
                self.error(
                    Code::MissingField,
                    t.field("level1"),
                    &item.span,
                    Message::new(
                        format!("`{}` has no level-1 category and no row above to take it from", t.path),
                        format!("`{}` 没有一级指标，上方也没有可沿用的行", t.path),
                    ),
                    None,
                );
                continue;
            }
            let mut target = self.cell(&t, "target", line);
            let mut actual = self.cell(&t, "actual", line);
            let direction = self.text_of(&t, "direction").filter(|s| !s.trim().is_empty());
            let unit = self.text_of(&t, "unit").filter(|s| !s.trim().is_empty());
            if direction.is_some() || unit.is_some() {
                self.apply_columns(&t, &mut target, &mut actual, direction.as_deref(), unit.as_deref());
            }
            let adjustment = t.get("adjust").and_then(|n| {
                let a = self.table(n, t.field("adjust"), ADJUST)?;
                let points = self.decimal(&a, "points");
                let reason = self.text_of(&a, "reason").filter(|r| !crate::value::is_empty_note(r));
                if points.is_none() {
                    let field = a.field("points");
                    self.error(
                        Code::MissingField,
                        field.clone(),
                        &n.span,
                        msg!("`{field}` is required", "缺少必填字段 `{field}`"),
                        None,
                    );
                }
                if reason.is_none() {
                    let field = a.field("reason");
                    self.error(
                        Code::MissingField,
                        field.clone(),
                        &n.span,
                        msg!(
                            "a manual adjustment needs a reason (`{field}`)",
                            "人工调整必须说明理由（`{field}`）"
                        ),
                        None,
                    );
                }
                Some(Adjustment { points: points?, reason: reason? })
            });
            let not_applicable = match t.get("not_applicable") {
                Some(Node { value: Value::Bool(b), .. }) => *b,
                Some(n) => {
                    self.wrong_type(t.field("not_applicable"), n, msg!("true or false", "true 或 false"));
                    false
                }
                None => false,
            };
            let mut read_notes = Vec::new();
            let (level1, level2) = super::block_categories(&level1, &level2, &t.path, &mut read_notes);
            let mut bad = None;
            let weight = self.row_points(&t, "weight", &mut read_notes, &mut bad);
            if let (Some(w), Some(n)) = (weight, t.get("weight"))
                && w < Decimal::ZERO
            {
                let field = t.field("weight");
                self.error(
                    Code::NegativeAmount,
                    field.clone(),
                    &n.span,
                    msg!("`{field}` cannot be negative", "`{field}` 不能为负数"),
                    None,
                );
            }
            let weight_line = t.get("weight").map_or(line, |n| self.line(n.span.start));
            let tier_line = t.get("tier").map_or(line, |n| self.line(n.span.start));
            out.push(Indicator {
                level1: level1.into(),
                level2: level2.into(),
                detail_name: crate::eval::is_detail_name(&name),
                name,
                target,
                actual,
                weight,
                claimed: self.row_points(&t, "claimed", &mut read_notes, &mut bad),
                note: self.text_of(&t, "note"),
                not_applicable,
                placeholder_name,
                row: i,
                line,
                weight_line,
                tier_line,
                extra: Extra {
                    tier: self.text_of(&t, "tier").filter(|s| !s.trim().is_empty()),
                    adjustment,
                    unreadable: self.text_of(&t, "unreadable").filter(|s| !s.trim().is_empty()).or(bad),
                    read_notes,
                }
                .boxed(),
            });
        }
        (out, skipped)
    }

    /// System-exported tables split the target into 指标性质 (`direction`), 指标值 and 度量单位
    /// (`unit`): put them back together before reading.
    fn apply_columns(
        &mut self,
        t: &Table<'_>,
        target: &mut Cell,
        actual: &mut Cell,
        direction: Option<&str>,
        unit: Option<&str>,
    ) {
        if let Err(d) = compose_columns(target, actual, direction, unit) {
            let at = t.get("direction").map_or(t.span.clone(), |n| n.span.clone());
            self.error(
                Code::UnreadableCell,
                t.field("direction"),
                &at,
                msg!("unknown direction `{d}`", "未知的指标性质 `{d}`"),
                Some(msg!("use `≥`, `≤`, `=` or `定性`", "请使用 `≥`、`≤`、`=` 或 `定性`")),
            );
        }
    }
}

/// Put a target split into 指标性质 (`direction`), 指标值 and 度量单位 (`unit`) back together
/// and read it again; the actual takes the unit too. An unknown direction (returned, folded and
/// trimmed) leaves both cells as they were.
pub(super) fn compose_columns(
    target: &mut Cell,
    actual: &mut Cell,
    direction: Option<&str>,
    unit: Option<&str>,
) -> Result<(), String> {
    let direction = direction.map(|d| crate::text::fold_width(d).trim().to_string());
    let qualitative = matches!(direction.as_deref(), Some("定性" | "qualitative"));
    let op = match direction.as_deref() {
        None => None,
        Some(_) if qualitative => None,
        Some(d) => match Op::parse(d) {
            Some(op) => Some(op),
            None => return Err(d.to_string()),
        },
    };
    if qualitative {
        return Ok(());
    }
    let unit = unit.unwrap_or("");
    let mut target_value = None;
    for (cell, with_op) in [(target, true), (actual, false)] {
        // (A value that carries its own comparison, `≥95` beside `%`, takes the unit too.)
        if let Reading::Number { op: written, quantity, .. } = &cell.reading
            && quantity.unit.is_empty()
        {
            // Exports print rates as fractions as often as percentages: an actual `0.95`
            // (or `1`) against `≥90` `%` is 95 % (or 100 %), not 0.95 %. It is left bare, so
            // the evaluator reads it as a ratio and says so. Only for a rising target above
            // 1 %: against a ceiling (`≤5%`) a small actual is the likely reading.
            let rising = matches!(op, Some(Op::Ge | Op::Gt | Op::Eq) | None);
            if !with_op
                && unit == "%"
                && rising
                && quantity.value > Decimal::ZERO
                && quantity.value <= Decimal::ONE
                && target_value.is_some_and(|t: Decimal| t > Decimal::ONE)
            {
                continue;
            }
            let prefix = if with_op && written.is_none() { op.map_or("", Op::symbol) } else { "" };
            let composed = format!("{prefix}{}{unit}", crate::text::fold_width(&cell.text).trim());
            cell.reading = value::read(&composed);
        }
        if with_op && let Reading::Number { quantity, .. } = &cell.reading {
            // Percentages are held as fractions: `90%` is 0.9; the printed number is wanted.
            target_value = Some(if quantity.unit == "%" {
                quantity.value * Decimal::ONE_HUNDRED
            } else {
                quantity.value
            });
        }
    }
    Ok(())
}

/// Template rows with nothing in them: `指标1：`, `……`, `/`.
pub(super) fn is_placeholder_row(name: &str) -> bool {
    // The usual name starts with a Chinese character (lead byte E4–E9: U+4000–U+9FFF), which
    // neither folding nor trimming changes: unless it is 指 (`指标2：`) or 空, the name is no
    // placeholder.
    if name.as_bytes().first().is_some_and(|b| (0xE4..=0xE9).contains(b))
        && !name.starts_with('指')
        && !name.starts_with('空')
    {
        return false;
    }
    placeholder_row_general(name)
}

/// [`is_placeholder_row`] without its shortcut.
fn placeholder_row_general(name: &str) -> bool {
    let folded = crate::value::fold(name);
    let t = crate::value::trim(&folded);
    if crate::value::placeholder_folded(t) {
        return true;
    }
    // (Dropping colons at the end keeps the start.)
    if !t.starts_with("指标") {
        return false;
    }
    let t = t.trim_end_matches([':', '：']);
    t.strip_prefix("指标").is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

/// Whether a row leaves target, actual, weight and claimed score all blank.
fn is_empty_row(t: &Table<'_>) -> bool {
    ["target", "actual", "weight", "claimed"].iter().all(|key| match t.get(key) {
        None => true,
        Some(Node { value: Value::Str(s), .. }) => is_placeholder(s),
        Some(Node { value: Value::Null, .. }) => true,
        Some(Node { value: Value::Table(entries), .. }) => entries.is_empty(),
        Some(_) => false,
    })
}

/// Why a written number could not be kept exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NumberProblem {
    NotANumber,
    TooLarge,
    TooPrecise,
}

/// Parse a decimal as written in a data file: plain or scientific notation, exactly or not at all.
pub(super) fn parse_decimal(raw: &str) -> Result<Decimal, NumberProblem> {
    let s = crate::value::trim(raw);
    // The common case, digits with at most one point between them, is read directly: fifteen
    // bytes stay below the limit.
    if let Some(d) = crate::value::short_plain_decimal(s.as_bytes()) {
        return Ok(d);
    }
    let plain = |t: &str| {
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    };
    if !plain(s) {
        return Err(NumberProblem::NotANumber);
    }
    let exact = if s.contains(['e', 'E']) { Decimal::from_scientific(s) } else { Decimal::from_str_exact(s) };
    if exact.as_ref().is_ok_and(|d| d.abs() >= crate::value::LIMIT) {
        return Err(NumberProblem::TooLarge);
    }
    exact.map_err(|_| {
        // Too large when the whole part (or a positive exponent) is the trouble, too precise
        // when the fraction (or a negative exponent) is.
        let (mantissa, exponent) = match s.split_once(['e', 'E']) {
            Some((m, e)) => match e.parse::<i64>() {
                Ok(e) => (m, e),
                Err(_) => return NumberProblem::NotANumber,
            },
            None => (s, 0),
        };
        let whole =
            mantissa.trim_start_matches(['-', '+']).split('.').next().unwrap_or("").trim_start_matches('0');
        if exponent > 0 || whole.len() > 28 {
            NumberProblem::TooLarge
        } else if mantissa.chars().any(|c| c.is_ascii_digit()) {
            NumberProblem::TooPrecise
        } else {
            NumberProblem::NotANumber
        }
    })
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message.en)
        } else {
            write!(f, "{}: {}", self.field, self.message.en)
        }
    }
}

impl std::error::Error for SheetError {}

/// A budget's initial, annual and executed amounts.
pub(super) type Amounts = (Option<Decimal>, Option<Decimal>, Option<Decimal>);

/// A budget total printed empty or as zeros while a sub-row holds the money (as the form reader
/// does): the first sub-row with an annual budget gives the amounts, with a note saying so.
pub(super) fn total_or_sub_row(total: Amounts, rows: &[BudgetRow], notes: &mut Vec<CellNote>) -> Amounts {
    let nothing = |x: Option<Decimal>| x.is_none_or(|d| d.is_zero());
    let (_, annual, executed) = total;
    match rows.iter().find(|r| !nothing(r.annual)) {
        Some(row) if nothing(annual) && nothing(executed) => {
            let label = &row.label;
            notes.push(CellNote {
                cell: "budget".to_string(),
                message: Message::new(
                    format!("the budget total is empty or zero; the amounts of `{label}` are used"),
                    format!("预算总额为空或为零；采用 `{label}` 行的金额"),
                ),
            });
            (row.initial, row.annual, row.executed)
        }
        _ => total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_rows() {
        assert!(is_placeholder_row("指标2："));
        assert!(is_placeholder_row("……"));
        assert!(is_placeholder_row(""));
        assert!(!is_placeholder_row("指标完成率"));
        assert!(is_placeholder_row("空"));
        assert!(is_placeholder_row(" 指标12: "));
        assert!(!is_placeholder_row("空气质量优良率"));
        // The shortcut answers as the full test does, whatever the first character.
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            for name in [format!("{c}"), format!("{c}标1"), format!("{c} "), format!("{c}/")] {
                assert_eq!(is_placeholder_row(&name), placeholder_row_general(&name), "{name:?}");
            }
        }
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal("0.1").map(|d| d.to_string()), Ok("0.1".into()));
        assert_eq!(parse_decimal("1e3").map(|d| d.normalize().to_string()), Ok("1000".into()));
        assert_eq!(parse_decimal("nan"), Err(NumberProblem::NotANumber));
        assert_eq!(parse_decimal("12万"), Err(NumberProblem::NotANumber));
        assert_eq!(parse_decimal("1e40"), Err(NumberProblem::TooLarge));
        assert_eq!(parse_decimal("99999999999999999999999999999999"), Err(NumberProblem::TooLarge));
        assert_eq!(parse_decimal("0.00000000000000000000000000000001"), Err(NumberProblem::TooPrecise));
    }

    #[test]
    fn plain_decimals_keep_the_exact_parse_and_its_scale() {
        for t in
            ["0", "7", "007", "15", "31.9", "0.50", "100.000", "999999999999999", "12345678.901234", " 83.5 "]
        {
            let exact = Decimal::from_str_exact(t.trim()).map(|d| (d, d.scale()));
            assert_eq!(parse_decimal(t).map(|d| (d, d.scale())).ok(), exact.ok(), "{t}");
        }
    }
}
