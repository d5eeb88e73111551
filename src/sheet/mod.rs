//! The project sheet (自评表): the model, and reading it from TOML or JSON, workbooks
//! (.xlsx, .xls, .ods), CSV files and row-per-indicator system exports.
//!
//! Reading checks everything that can be checked without a policy: field names and types,
//! numbers written exactly, printed targets and actuals turned into [`Reading`]s. Every value
//! keeps the line it came from, so later findings can point back at the cell. A workbook is
//! first written down as a [`Transcript`] (the TOML a user would have typed, each line tied to
//! its cell), then read like any sheet.

mod cells;
mod direct;
mod export;
mod form;
mod grid;
mod json_fast;
mod read;
mod transcript;
mod tree;
mod workbook;

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;

pub use cells::is_block_label;
pub use export::{BUNDLED_COLUMNS, ColumnMap, ColumnMapError};
pub use grid::WorkbookError;
pub(crate) use json_fast::well_formed as well_formed_json;
pub use read::{Format, Loader, SheetError, load, load_general};
pub use transcript::Transcript;
pub use workbook::{TableFormat, read as read_workbook};

use crate::value::Reading;

/// The sheet in a JSON text as the direct one-pass reader reads it, or `None` where it leaves
/// the text to the general reader ([`load_general`]); for comparing the two.
#[doc(hidden)]
pub fn read_json_direct(text: &str) -> Option<Sheet> {
    direct::read(text)
}

/// One self-evaluation table.
#[derive(Clone, Debug, Serialize)]
pub struct Sheet {
    /// Project identification.
    pub project: Project,
    /// The budget-execution block.
    pub budget: Option<Budget>,
    /// Annual goals.
    pub goals: Goals,
    /// Points and claimed scores printed for whole categories.
    pub groups: Vec<GroupClaim>,
    /// Indicator rows; only rows with nothing in them are left out.
    pub indicators: Vec<Indicator>,
    /// Rows that were skipped, and why.
    pub skipped: Vec<SkippedRow>,
    /// The printed total and grade.
    pub total: ClaimedTotal,
    /// Where the sheet was read from, when it came from a workbook or an export.
    pub origin: Option<Origin>,
}

/// A sheet read from a workbook or a system export: which cell each value came from, and what
/// reading the cells took or could not do.
#[derive(Clone, Debug, Serialize, Default)]
#[non_exhaustive]
pub struct Origin {
    /// Where the table sits (`Sheet1!A1`).
    pub place: String,
    /// The cell behind each line of the sheet's TOML transcript (`Sheet1!F12`).
    pub cells: std::collections::BTreeMap<u32, String>,
    /// Liberties taken in reading cells outside the indicator rows (the budget block, the header).
    pub notes: Vec<CellNote>,
    /// Cells that could not be read.
    pub problems: Vec<CellNote>,
}

/// Something said about one cell of a workbook.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct CellNote {
    /// The cell, Excel-style (`Sheet1!F12`).
    pub cell: String,
    /// What.
    pub message: crate::diagnostic::Message,
}

impl Origin {
    /// The workbook cell behind a transcript line, if known.
    pub fn cell(&self, line: u32) -> Option<&str> {
        self.cells.get(&line).map(String::as_str)
    }
}

/// 项目基本信息.
#[derive(Clone, Debug, Serialize)]
pub struct Project {
    /// 项目名称.
    pub name: String,
    /// 主管部门.
    pub department: Option<String>,
    /// 实施单位.
    pub implementer: Option<String>,
    /// 年度.
    pub year: Option<u32>,
    /// Jurisdiction the sheet belongs to.
    pub jurisdiction: Option<String>,
    /// How many 元 one amount in the budget block is (10000 for 万元).
    pub money_factor: Decimal,
    /// The money unit as written (`万元`).
    pub money_unit: String,
    /// The table's printed title (`2022年度湖南省…项目支出绩效自评表`).
    pub title: Option<String>,
}

/// 项目资金.
#[derive(Clone, Debug, Serialize)]
pub struct Budget {
    /// 年初预算数.
    pub initial: Option<Decimal>,
    /// 全年预算数.
    pub annual: Option<Decimal>,
    /// 全年执行数.
    pub executed: Option<Decimal>,
    /// Printed 分值.
    pub weight: Option<Decimal>,
    /// Printed 执行率.
    pub printed_rate: Option<Cell>,
    /// Printed 得分.
    pub claimed: Option<Decimal>,
    /// Explanation for a low rate.
    pub note: Option<String>,
    /// 其中：当年财政拨款 / 上年结转资金 / 其他资金.
    pub rows: Vec<BudgetRow>,
    /// Line of the block.
    pub line: u32,
    /// Liberties taken in reading its amounts (`259.45万元` read as 259.45).
    pub read_notes: Vec<CellNote>,
}

/// A sub-row of the budget block.
#[derive(Clone, Debug, Serialize)]
pub struct BudgetRow {
    /// Its label.
    pub label: String,
    /// 年初预算数.
    pub initial: Option<Decimal>,
    /// 全年预算数.
    pub annual: Option<Decimal>,
    /// 全年执行数.
    pub executed: Option<Decimal>,
}

/// 年度总体目标.
#[derive(Clone, Debug, Serialize, Default)]
pub struct Goals {
    /// 预期目标.
    pub expected: Option<String>,
    /// 实际完成情况.
    pub achieved: Option<String>,
}

/// Points and claimed score printed for a whole category.
#[derive(Clone, Debug, Serialize)]
pub struct GroupClaim {
    /// 一级指标.
    pub level1: String,
    /// 二级指标; `None` for a level-1 claim.
    pub level2: Option<String>,
    /// Printed 分值.
    pub weight: Option<Decimal>,
    /// Printed 得分.
    pub claimed: Option<Decimal>,
    /// Line of the entry.
    pub line: u32,
}

/// A printed cell: the text as written and what it says.
///
/// Laid out in the order written, the reading (what scoring reads) first.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Cell {
    /// As read.
    pub reading: Reading,
    /// As written.
    pub text: String,
    /// Line it was written on.
    pub line: u32,
}

/// Its fields in the order they were always written: the text first.
impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Cell", 3)?;
        s.serialize_field("text", &self.text)?;
        s.serialize_field("reading", &self.reading)?;
        s.serialize_field("line", &self.line)?;
        s.end()
    }
}

/// One indicator row.
///
/// Scoring walks every row of every sheet, so a row holds inline only what most rows have; the
/// rest ([`Extra`]: a tier chosen by the evaluator, an adjustment, a cell that could not be read,
/// liberties taken in reading) sits behind one pointer, read through [`Indicator::tier`],
/// [`Indicator::adjustment`], [`Indicator::unreadable`] and [`Indicator::read_notes`]. It is
/// serialized as one flat object, those fields in their places.
///
/// The fields are laid out in the order written: what scoring reads of every row (the
/// categories, whether it has [`Extra`] fields, weight and claim, the flags, the target's and
/// actual's readings) lies in its first 248 of 344 bytes, the names, note and lines after.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Indicator {
    /// 一级指标 (the common categories are held without a copy).
    pub level1: Cow<'static, str>,
    /// 二级指标 (likewise).
    pub level2: Cow<'static, str>,
    /// What few rows have; `None` when the row has none of it (as [`Extra::boxed`] leaves it).
    pub extra: Option<Box<Extra>>,
    /// 分值, when the row has its own.
    pub weight: Option<Decimal>,
    /// 得分 as claimed.
    pub claimed: Option<Decimal>,
    /// The indicator does not apply this year.
    pub not_applicable: bool,
    /// The name is missing or a template placeholder (`指标2：`, `/`) though the row has data.
    pub placeholder_name: bool,
    /// The name says the row details the row above: it begins with `其中` (`其中：女性学员`),
    /// after any white space.
    pub detail_name: bool,
    /// Line of the row.
    pub line: u32,
    /// 年度指标值.
    pub target: Cell,
    /// 实际完成值.
    pub actual: Cell,
    /// 三级指标.
    pub name: String,
    /// 偏差原因分析及改进措施.
    pub note: Option<String>,
    /// Its index among the file's `indicators` rows, placeholders included (`indicators[3]`).
    pub row: usize,
    /// Line of the weight field (the row's line when absent).
    pub weight_line: u32,
    /// Line of the tier field (the row's line when absent).
    pub tier_line: u32,
}

/// The fields of an [`Indicator`] that few rows have.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    /// Tier chosen by the evaluator for a qualitative indicator.
    pub tier: Option<String>,
    /// A manual adjustment with its reason.
    pub adjustment: Option<Adjustment>,
    /// A cell of the row that could not be read (`Sheet1!F12 分值 \`abc\``): the row is not scored.
    pub unreadable: Option<String>,
    /// Liberties taken in reading the row's cells from a workbook.
    pub read_notes: Vec<CellNote>,
}

impl Extra {
    /// Whether nothing is in it.
    pub fn is_empty(&self) -> bool {
        self.tier.is_none()
            && self.adjustment.is_none()
            && self.unreadable.is_none()
            && self.read_notes.is_empty()
    }

    /// Boxed for [`Indicator::extra`], or `None` when empty: a row without any of it holds none.
    pub fn boxed(self) -> Option<Box<Extra>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

/// A reviewer's manual change to a computed score.
#[derive(Clone, Debug, Serialize)]
pub struct Adjustment {
    /// Points added (negative to deduct).
    pub points: Decimal,
    /// Why.
    pub reason: String,
}

/// A row that was not scored.
#[derive(Clone, Debug, Serialize)]
pub struct SkippedRow {
    /// Its index among the file's `indicators` rows.
    pub row: usize,
    /// Its name as written.
    pub name: String,
    /// Line.
    pub line: u32,
}

/// The printed total.
#[derive(Clone, Debug, Serialize, Default)]
pub struct ClaimedTotal {
    /// 总分 as printed.
    pub claimed: Option<Decimal>,
    /// 等级 as printed.
    pub grade: Option<String>,
}

/// A row's categories when its level-1 cell holds a block label (`年度绩效目标(90分)`) rather than
/// a category: a level-2 cell holding a level-1 category (`产出指标`) is the row's level-1 category
/// (and kept as its level-2, which a scheme may also know it by); any other level-2 category is
/// left for the evaluator to place under the one level-1 category that has it. The row notes it.
fn block_categories(level1: &str, level2: &str, path: &str, notes: &mut Vec<CellNote>) -> (String, String) {
    if !cells::is_block_label(level1) || level2.trim().is_empty() {
        return (level1.to_string(), level2.to_string());
    }
    let (block, l2) = (level1.trim().replace('\n', ""), level2.trim());
    let (en, zh, level1) = if cells::is_level1_label(level2) {
        (
            format!("`{block}` is a block heading, not a category: the level-1 category is `{l2}`"),
            format!("`{block}` 是指标块标题，不是指标类别：一级指标按 `{l2}` 读取"),
            level2.to_string(),
        )
    } else {
        (
            format!(
                "`{block}` is a block heading, not a category: the row is placed by its level-2 category `{l2}`"
            ),
            format!("`{block}` 是指标块标题，不是指标类别：按二级指标 `{l2}` 归类"),
            String::new(),
        )
    };
    notes.push(CellNote { cell: format!("{path}.level1"), message: crate::diagnostic::Message::new(en, zh) });
    (level1, level2.to_string())
}

/// A category as written, held without a copy when it is one of the common ones.
fn category(label: &str) -> Cow<'static, str> {
    // One comparison: the first character tells which common category it could be.
    let common = match label.chars().next() {
        Some('产') => "产出指标",
        Some('效') => "效益指标",
        Some('满') => "满意度指标",
        Some('数') => "数量指标",
        Some('质') => "质量指标",
        Some('时') => "时效指标",
        Some('成') => "成本指标",
        Some('经') => "经济效益指标",
        Some('社') => "社会效益指标",
        Some('生') => "生态效益指标",
        Some('可') => "可持续影响指标",
        Some('服') => "服务对象满意度指标",
        _ => return Cow::Owned(label.to_string()),
    };
    if label == common { Cow::Borrowed(common) } else { Cow::Owned(label.to_string()) }
}

impl Indicator {
    /// Whether the deviation note says something (not empty, not `无` or `/`).
    pub fn noted(&self) -> bool {
        self.note.as_deref().is_some_and(|n| !crate::value::is_empty_note(n))
    }

    /// Tier chosen by the evaluator for a qualitative indicator.
    pub fn tier(&self) -> Option<&str> {
        self.extra.as_deref().and_then(|e| e.tier.as_deref())
    }

    /// A manual adjustment with its reason.
    pub fn adjustment(&self) -> Option<&Adjustment> {
        self.extra.as_deref().and_then(|e| e.adjustment.as_ref())
    }

    /// A cell of the row that could not be read: the row is not scored.
    pub fn unreadable(&self) -> Option<&str> {
        self.extra.as_deref().and_then(|e| e.unreadable.as_deref())
    }

    /// Liberties taken in reading the row's cells from a workbook.
    pub fn read_notes(&self) -> &[CellNote] {
        self.extra.as_deref().map_or(&[], |e| &e.read_notes)
    }

    /// The row's [`Extra`] fields to change, made where it had none.
    pub fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_default()
    }
}

/// One flat object, the fields of [`Extra`] among the others (as they were written before they
/// moved behind a pointer): `null` or `[]` for a row without them.
impl Serialize for Indicator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Indicator", 19)?;
        s.serialize_field("level1", &self.level1)?;
        s.serialize_field("level2", &self.level2)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("target", &self.target)?;
        s.serialize_field("actual", &self.actual)?;
        s.serialize_field("weight", &self.weight)?;
        s.serialize_field("claimed", &self.claimed)?;
        s.serialize_field("note", &self.note)?;
        s.serialize_field("tier", &self.tier())?;
        s.serialize_field("adjustment", &self.adjustment())?;
        s.serialize_field("not_applicable", &self.not_applicable)?;
        s.serialize_field("placeholder_name", &self.placeholder_name)?;
        s.serialize_field("detail_name", &self.detail_name)?;
        s.serialize_field("row", &self.row)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("weight_line", &self.weight_line)?;
        s.serialize_field("tier_line", &self.tier_line)?;
        s.serialize_field("unreadable", &self.unreadable())?;
        s.serialize_field("read_notes", self.read_notes())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use std::mem::{offset_of, size_of};

    use super::*;

    /// Scoring walks every row of every sheet: a row stays small, and what scoring reads of it
    /// lies in its first bytes.
    #[test]
    fn a_row_stays_small_and_its_scored_fields_come_first() {
        assert_eq!(size_of::<crate::value::ReadingNotes>(), 8);
        assert!(size_of::<Reading>() <= 56, "Reading is {} bytes", size_of::<Reading>());
        assert!(size_of::<Cell>() <= 88, "Cell is {} bytes", size_of::<Cell>());
        assert!(size_of::<Indicator>() <= 344, "Indicator is {} bytes", size_of::<Indicator>());
        assert_eq!(offset_of!(Cell, reading), 0);
        let scored_end = offset_of!(Indicator, actual) + size_of::<Reading>();
        assert_eq!(scored_end, 248);
        for (field, at) in [
            ("level1", offset_of!(Indicator, level1)),
            ("level2", offset_of!(Indicator, level2)),
            ("extra", offset_of!(Indicator, extra)),
            ("weight", offset_of!(Indicator, weight)),
            ("claimed", offset_of!(Indicator, claimed)),
            ("not_applicable", offset_of!(Indicator, not_applicable)),
            ("placeholder_name", offset_of!(Indicator, placeholder_name)),
            ("detail_name", offset_of!(Indicator, detail_name)),
            ("target", offset_of!(Indicator, target)),
        ] {
            assert!(at < offset_of!(Indicator, actual), "{field} at {at}");
        }
        for (field, at) in [("name", offset_of!(Indicator, name)), ("note", offset_of!(Indicator, note))] {
            assert!(at >= scored_end, "{field} at {at}");
        }
    }

    /// A row as it was serialized before its rare fields moved behind a pointer: every field
    /// flat, in this order.
    #[derive(Serialize)]
    struct Flat<'a> {
        level1: &'a str,
        level2: &'a str,
        name: &'a str,
        target: FlatCell<'a>,
        actual: FlatCell<'a>,
        weight: Option<Decimal>,
        claimed: Option<Decimal>,
        note: &'a Option<String>,
        tier: Option<String>,
        adjustment: Option<Adjustment>,
        not_applicable: bool,
        placeholder_name: bool,
        detail_name: bool,
        row: usize,
        line: u32,
        weight_line: u32,
        tier_line: u32,
        unreadable: Option<String>,
        read_notes: Vec<CellNote>,
    }

    #[derive(Serialize)]
    struct FlatCell<'a> {
        text: &'a str,
        reading: &'a Reading,
        line: u32,
    }

    impl<'a> Flat<'a> {
        fn of(i: &'a Indicator) -> Flat<'a> {
            let cell = |c: &'a Cell| FlatCell { text: &c.text, reading: &c.reading, line: c.line };
            let e = i.extra.as_deref().cloned().unwrap_or_default();
            Flat {
                level1: &i.level1,
                level2: &i.level2,
                name: &i.name,
                target: cell(&i.target),
                actual: cell(&i.actual),
                weight: i.weight,
                claimed: i.claimed,
                note: &i.note,
                tier: e.tier,
                adjustment: e.adjustment,
                not_applicable: i.not_applicable,
                placeholder_name: i.placeholder_name,
                detail_name: i.detail_name,
                row: i.row,
                line: i.line,
                weight_line: i.weight_line,
                tier_line: i.tier_line,
                unreadable: e.unreadable,
                read_notes: e.read_notes,
            }
        }
    }

    #[test]
    fn a_row_serializes_flat_in_its_old_order() {
        let text = r#"
[project]
name = "甲"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训人次"
target = "≥100人次"
actual = "共200人次"
weight = 20
adjust = { points = -4, reason = "指标值设置偏低" }

[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "就业能力"
target = "明显提升"
actual = "明显提升"
weight = 30
tier = "部分达成"
unreadable = "Sheet1!F9 `abc`"

[[indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "学员满意度"
target = "≥90%"
actual = "95%"
weight = 10
"#;
        let sheet = load(text, Format::Toml).map_err(|e| format!("{e:?}"));
        let sheet = sheet.as_ref().expect("the sheet reads");
        let mut rows = sheet.indicators.clone();
        // Notes a workbook reading leaves, as it adds them.
        rows[2].extra_mut().read_notes.push(CellNote {
            cell: "Sheet1!E12".to_string(),
            message: crate::diagnostic::Message::new("read as 10", "读作 10"),
        });
        let got: Vec<String> = rows.iter().map(|i| serde_json::to_string(i).unwrap_or_default()).collect();
        let want: Vec<String> =
            rows.iter().map(|i| serde_json::to_string(&Flat::of(i)).unwrap_or_default()).collect();
        assert_eq!(got, want);
        assert!(got[0].contains(r#""notes":[{"kind":"words_ignored"}]"#), "{}", got[0]);
        assert!(
            got[0].contains(r#""tier":null,"adjustment":{"points":"-4","reason":"指标值设置偏低"}"#),
            "{}",
            got[0]
        );
        assert!(got[1].contains(r#""tier":"部分达成""#), "{}", got[1]);
        assert!(got[1].contains(r#""unreadable":"Sheet1!F9 `abc`","read_notes":[]}"#), "{}", got[1]);
        assert!(got[2].contains(r#""notes":[]"#), "{}", got[2]);
        assert!(got[2].contains(r#""read_notes":[{"cell":"Sheet1!E12""#), "{}", got[2]);
        // A row without any of the rare fields holds none.
        assert!(sheet.indicators[2].extra.is_none());
        assert_eq!((sheet.indicators[2].tier(), sheet.indicators[2].read_notes().len()), (None, 0));
    }
}
