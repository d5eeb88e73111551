//! Writes 自评表 workbooks laid out like real printed forms from sheets read from TOML or JSON,
//! so tests can check that a workbook scores exactly like its twin.
#![allow(dead_code)]

use jixiao::sheet::Sheet;
use jixiao::value::Reading;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// How a form is laid out.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// A 分值 column (the national form); without it weights come from the policy.
    pub weight_column: bool,
    /// The target split into 指标性质 | 指标值 | 度量单位 under a two-row header.
    pub split_target: bool,
    /// Level-1, level-2 and group-weight cells merged over their rows (else written once and
    /// left blank below, as a typed or CSV table has them).
    pub merged: bool,
    /// Labels broken over lines (`项目支\n出名称`, `经济效\n益指标`) and the vertical 绩效指标.
    pub broken_labels: bool,
}

/// The national 2020 form as printed (the seed's layout).
pub const NATIONAL: Layout =
    Layout { weight_column: true, split_target: false, merged: true, broken_labels: true };
/// The 20/80 template: no 分值 column.
pub const NO_WEIGHTS: Layout =
    Layout { weight_column: false, split_target: false, merged: true, broken_labels: false };
/// System-generated forms: 指标性质 | 指标值 | 度量单位.
pub const SPLIT_TARGET: Layout =
    Layout { weight_column: true, split_target: true, merged: false, broken_labels: false };

fn num(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

fn broken(label: &str, on: bool) -> String {
    let chars: Vec<char> = label.chars().collect();
    if on && chars.len() >= 5 {
        let (a, b) = chars.split_at(3);
        format!("{}\n{}", a.iter().collect::<String>(), b.iter().collect::<String>())
    } else {
        label.to_string()
    }
}

/// A cell value.
enum V<'a> {
    T(&'a str),
    N(Decimal),
}

struct Writer<'w> {
    ws: &'w mut Worksheet,
    fmt: Format,
    merged: bool,
}

impl Writer<'_> {
    /// Write a value over a block of cells, merged when the layout merges (else in its first cell).
    fn put(&mut self, r0: u32, c0: u16, r1: u32, c1: u16, v: V<'_>) -> Result<(), XlsxError> {
        if (r0, c0) != (r1, c1) && (self.merged || r0 == r1) {
            self.ws.merge_range(r0, c0, r1, c1, "", &self.fmt)?;
        }
        match v {
            V::T(t) => self.ws.write_string_with_format(r0, c0, t, &self.fmt)?,
            V::N(d) => self.ws.write_number_with_format(r0, c0, num(d), &self.fmt)?,
        };
        Ok(())
    }
}

/// The target as 指标性质, 指标值 and 度量单位.
fn split(reading: &Reading, text: &str) -> (String, String, String) {
    match reading {
        Reading::Number { op, quantity, .. } => {
            let (value, unit) = if quantity.unit == "%" {
                ((quantity.value * Decimal::ONE_HUNDRED).normalize().to_string(), "%".to_string())
            } else {
                (quantity.value.normalize().to_string(), quantity.unit.to_string())
            };
            (op.map_or("=", |o| o.symbol()).to_string(), value, unit)
        }
        Reading::Empty => (String::new(), String::new(), String::new()),
        Reading::Date { .. } => (String::new(), text.to_string(), String::new()),
        _ => ("定性".to_string(), text.to_string(), String::new()),
    }
}

/// Write one form at row `top`; returns the first row after it.
pub fn write_form(ws: &mut Worksheet, top: u32, sheet: &Sheet, layout: Layout) -> Result<u32, XlsxError> {
    let fmt =
        Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let mut w = Writer { ws, fmt, merged: layout.merged };
    // Columns: A label, B level 1, C level 2, D name, then the value columns.
    let mut next: u16 = 4;
    let mut take = |n: u16| {
        let c = next;
        next += n;
        c
    };
    let (c_dir, c_target, c_unit) = if layout.split_target {
        let d = take(1);
        let t = take(1);
        (Some(d), t, Some(take(1)))
    } else {
        (None, take(1), None)
    };
    let c_actual = take(1);
    let c_weight = if layout.weight_column { Some(take(1)) } else { None };
    let c_claimed = take(1);
    let c_note = take(1);
    let last = c_note + 1;
    let mut r = top;
    let year = sheet.project.year.map(|y| format!("{y}年度")).unwrap_or_default();
    w.put(r, 0, r, last, V::T(&format!("{year}项目支出绩效自评表")))?;
    r += 1;
    w.put(r, 0, r, 0, V::T(&broken("项目支出名称", layout.broken_labels)))?;
    w.put(r, 1, r, last, V::T(&sheet.project.name))?;
    r += 1;
    w.put(r, 0, r, 0, V::T("主管部门"))?;
    w.put(r, 1, r, 3, V::T(sheet.project.department.as_deref().unwrap_or("")))?;
    w.put(r, 4, r, 4, V::T("实施单位"))?;
    w.put(r, 5, r, last, V::T(sheet.project.implementer.as_deref().unwrap_or("")))?;
    r += 1;
    if let Some(b) = &sheet.budget {
        let rows = 1 + b.rows.len() as u32;
        w.put(r, 0, r + rows, 0, V::T(&format!("项目资金\n（{}）", sheet.project.money_unit)))?;
        for (c, h) in [
            (4u16, "年初\n预算数"),
            (5, "全年\n预算数"),
            (6, "全年\n执行数"),
            (7, "分值"),
            (8, "执行率"),
            (9, "得分"),
        ] {
            w.put(r, c, r, c, V::T(h))?;
        }
        r += 1;
        w.put(r, 1, r, 3, V::T("年度资金总额"))?;
        for (c, v) in [(4u16, b.initial), (5, b.annual), (6, b.executed), (7, b.weight), (9, b.claimed)] {
            if let Some(v) = v {
                w.put(r, c, r, c, V::N(v))?;
            }
        }
        if let Some(rate) = &b.printed_rate {
            w.put(r, 8, r, 8, V::T(&rate.text))?;
        }
        for row in &b.rows {
            r += 1;
            w.put(r, 1, r, 3, V::T(&row.label))?;
            for (c, v) in [(4u16, row.initial), (5, row.annual), (6, row.executed)] {
                if let Some(v) = v {
                    w.put(r, c, r, c, V::N(v))?;
                }
            }
        }
        r += 1;
    }
    w.put(r, 0, r + 1, 0, V::T("年度总体目标"))?;
    w.put(r, 1, r, 4, V::T("预期目标"))?;
    w.put(r, 5, r, last, V::T("实际完成情况"))?;
    w.put(r + 1, 1, r + 1, 4, V::T(sheet.goals.expected.as_deref().unwrap_or("")))?;
    w.put(r + 1, 5, r + 1, last, V::T(sheet.goals.achieved.as_deref().unwrap_or("")))?;
    r += 2;
    // Indicator header.
    let header_rows = if layout.split_target { 2 } else { 1 };
    let n = sheet.indicators.len() as u32;
    let label = if layout.broken_labels { "绩\n效\n指\n标" } else { "绩效指标" };
    w.put(r, 0, r + header_rows - 1 + n, 0, V::T(label))?;
    let hb = r + header_rows - 1;
    w.put(r, 1, hb, 1, V::T("一级指标"))?;
    w.put(r, 2, hb, 2, V::T("二级指标"))?;
    w.put(r, 3, hb, 3, V::T("三级指标"))?;
    if let (Some(d), Some(u)) = (c_dir, c_unit) {
        w.put(r, d, r, u, V::T("年度指标值"))?;
        w.put(r + 1, d, r + 1, d, V::T("指标性质"))?;
        w.put(r + 1, c_target, r + 1, c_target, V::T("指标值"))?;
        w.put(r + 1, u, r + 1, u, V::T("度量单位"))?;
    } else {
        w.put(r, c_target, r, c_target, V::T("年度\n指标值"))?;
    }
    w.put(r, c_actual, hb, c_actual, V::T("实际\n完成值"))?;
    if let Some(c) = c_weight {
        w.put(r, c, hb, c, V::T("分值"))?;
    }
    w.put(r, c_claimed, hb, c_claimed, V::T("得分"))?;
    w.put(r, c_note, hb, last, V::T("偏差原因分析及改进措施"))?;
    r = hb + 1;
    let first = r;
    // Runs of equal level 1 and level 2, merged (or written once).
    let inds = &sheet.indicators;
    let runs = |key: &dyn Fn(usize) -> String| {
        let mut out = Vec::new();
        let mut i = 0;
        while i < inds.len() {
            let mut j = i + 1;
            while j < inds.len() && key(j) == key(i) {
                j += 1;
            }
            out.push((i, j));
            i = j;
        }
        out
    };
    for (i, j) in runs(&|k| inds[k].level1.to_string()) {
        let text = broken(&inds[i].level1, layout.broken_labels);
        w.put(first + i as u32, 1, first + j as u32 - 1, 1, V::T(&text))?;
    }
    for (i, j) in runs(&|k| format!("{}\u{0}{}", inds[k].level1, inds[k].level2)) {
        let text = broken(&inds[i].level2, layout.broken_labels);
        w.put(first + i as u32, 2, first + j as u32 - 1, 2, V::T(&text))?;
        // A group's printed points sit in a weight cell over its rows.
        let group = sheet
            .groups
            .iter()
            .find(|g| g.level2.as_deref() == Some(&*inds[i].level2) && g.level1 == inds[i].level1);
        if let Some(g) = group {
            let (r0, r1) = (first + i as u32, first + j as u32 - 1);
            if let (Some(c), Some(v)) = (c_weight, g.weight) {
                w.put(r0, c, r1, c, V::N(v))?;
            }
            if let Some(v) = g.claimed {
                w.put(r0, c_claimed, r1, c_claimed, V::N(v))?;
            }
        }
    }
    for (k, ind) in inds.iter().enumerate() {
        let row = first + k as u32;
        w.put(row, 3, row, 3, V::T(&ind.name))?;
        if let (Some(d), Some(u)) = (c_dir, c_unit) {
            let (op, value, unit) = split(&ind.target.reading, &ind.target.text);
            w.put(row, d, row, d, V::T(&op))?;
            w.put(row, c_target, row, c_target, V::T(&value))?;
            w.put(row, u, row, u, V::T(&unit))?;
        } else {
            w.put(row, c_target, row, c_target, V::T(&ind.target.text))?;
        }
        w.put(row, c_actual, row, c_actual, V::T(&ind.actual.text))?;
        if let (Some(c), Some(v)) = (c_weight, ind.weight) {
            w.put(row, c, row, c, V::N(v))?;
        }
        if let Some(v) = ind.claimed {
            w.put(row, c_claimed, row, c_claimed, V::N(v))?;
        }
        w.put(row, c_note, row, last, V::T(ind.note.as_deref().unwrap_or("")))?;
    }
    r = first + n;
    w.put(r, 0, r, c_claimed - 1, V::T("总分"))?;
    if let Some(t) = sheet.total.claimed {
        w.put(r, c_claimed, r, c_claimed, V::N(t))?;
    }
    w.ws.set_column_width(3, 30)?;
    Ok(r + 2)
}

/// A workbook with each sheet on its own worksheet, or all stacked on one.
pub fn workbook(sheets: &[(&str, &Sheet, Layout)], stacked: bool) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    if stacked {
        let ws = book.add_worksheet().set_name("自评表")?;
        let mut top = 0;
        for (_, sheet, layout) in sheets {
            top = write_form(ws, top, sheet, *layout)?;
        }
    } else {
        for (name, sheet, layout) in sheets {
            let ws = book.add_worksheet().set_name(*name)?;
            write_form(ws, 0, sheet, *layout)?;
        }
    }
    book.save_to_buffer()
}

/// The operator code a system export writes for a target (1 ≥, 2 >, 3 =, 4 ≤, 5 <, 6
/// qualitative), its value and unit.
fn system_target(reading: &Reading, text: &str) -> (String, String, String) {
    use jixiao::value::Op;
    match reading {
        Reading::Number { op, .. } => {
            let code = match op {
                Some(Op::Ge) => "1",
                Some(Op::Gt) => "2",
                Some(Op::Le) => "4",
                Some(Op::Lt) => "5",
                // = and anything a later version adds.
                _ => "3",
            };
            let (_, value, unit) = split(reading, text);
            (code.to_string(), value, unit)
        }
        Reading::Empty => (String::new(), String::new(), String::new()),
        Reading::Date { .. } => (String::new(), text.to_string(), String::new()),
        _ => ("6".to_string(), text.to_string(), String::new()),
    }
}

/// A system export: one worksheet per project code, one row per indicator, the system's column
/// names, an empty deviation note sent on as `无`, and a column nobody maps (`remark`).
pub fn export_workbook(sheets: &[(&str, &Sheet)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let headers = [
        "pro_code",
        "pro_name",
        "fiscal_year",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "FINDEX",
        "SINDEX",
        "PERF_IND_NAME",
        "ind_weight",
        "COMPUTESIGN",
        "kpi_val",
        "UNIT",
        "goal_comp",
        "eval_score",
        "devi_analy",
        "total_eval_value",
        "remark",
    ];
    for (code, sheet) in sheets {
        let ws = book.add_worksheet().set_name(*code)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h)?;
        }
        for (k, ind) in sheet.indicators.iter().enumerate() {
            let r = k as u32 + 1;
            let (sign, value, unit) = system_target(&ind.target.reading, &ind.target.text);
            ws.write_string(r, 0, *code)?;
            ws.write_string(r, 1, &sheet.project.name)?;
            if let Some(y) = sheet.project.year {
                ws.write_number(r, 2, f64::from(y))?;
            }
            if let Some(b) = &sheet.budget {
                for (c, v) in [(3u16, b.initial), (4, b.annual), (5, b.executed)] {
                    if let Some(v) = v {
                        ws.write_number(r, c, num(v))?;
                    }
                }
            }
            ws.write_string(r, 6, &*ind.level1)?;
            ws.write_string(r, 7, &*ind.level2)?;
            ws.write_string(r, 8, &ind.name)?;
            if let Some(w) = ind.weight {
                ws.write_number(r, 9, num(w))?;
            }
            ws.write_string(r, 10, &sign)?;
            ws.write_string(r, 11, &value)?;
            ws.write_string(r, 12, &unit)?;
            ws.write_string(r, 13, &ind.actual.text)?;
            if let Some(v) = ind.claimed {
                ws.write_number(r, 14, num(v))?;
            }
            ws.write_string(r, 15, ind.note.as_deref().filter(|n| !n.is_empty()).unwrap_or("无"))?;
            if let Some(t) = sheet.total.claimed {
                ws.write_number(r, 16, num(t))?;
            }
            ws.write_string(r, 17, "x")?;
        }
    }
    book.save_to_buffer()
}
