//! Scored workbooks: each project's 自评表 as printed, with the computed score and the difference
//! beside the claimed one, findings in a column and as cell notes, differences highlighted; for
//! several projects a summary worksheet first. Numbers are written as numbers.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use super::View;
use super::table::flag_line;
use crate::score::{AuditPlace, IndicatorScore};

/// Decimal to the nearest double, for a spreadsheet cell (the exact value stays in the text
/// outputs; a workbook shows it to the policy's places).
fn number(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

struct Styles {
    title: Format,
    header: Format,
    text: Format,
    score: Format,
    rate: Format,
    differs: Format,
    unscored: Format,
}

impl Styles {
    fn new(places: u32) -> Styles {
        let base = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_font_name("Noto Sans CJK SC");
        let decimals =
            if places == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(places as usize)) };
        Styles {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            header: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_align(FormatAlign::Center),
            score: base.clone().set_num_format(&decimals),
            rate: base.clone().set_num_format("0.00%"),
            differs: base
                .clone()
                .set_num_format(&decimals)
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            unscored: base.clone().set_background_color(Color::RGB(0xFFEB9C)),
            text: base,
        }
    }
}

/// A worksheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique by its number.
fn sheet_name(index: usize, project: &str) -> String {
    let clean: String =
        project.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'')).collect();
    let name = format!("{} {}", index + 1, clean.trim());
    name.chars().take(31).collect()
}

/// Write a score (or leave the cell marked unscored), highlighted when it differs from the claim.
fn score_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    differs: bool,
    st: &Styles,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => {
            ws.write_number_with_format(row, col, number(v), if differs { &st.differs } else { &st.score })?;
        }
        None => {
            ws.write_string_with_format(row, col, "✗", &st.unscored)?;
        }
    }
    Ok(())
}

fn opt_number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<Decimal>,
    f: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(row, col, number(v), f)?,
        None => ws.write_blank(row, col, f)?,
    };
    Ok(())
}

/// The findings of one indicator, one per line.
fn indicator_findings(view: &View<'_>, s: &IndicatorScore) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &s.error {
        out.push(format!("✗ {} ({})", view.error(e), view.cell_location(s)));
    }
    for f in &s.flags {
        out.push(flag_line(view, f, view.indicator_flag(s, f)));
    }
    for n in &s.notes {
        out.push(view.note(Some(s), n));
    }
    out.extend(audit_lines(view, AuditPlace::Row { position: s.position }));
    out
}

/// The built-in audit's findings about one place.
fn audit_lines(view: &View<'_>, place: AuditPlace) -> Vec<String> {
    view.score.audit.iter().filter(|f| f.place == place).map(|f| view.audit_line(f)).collect()
}

/// Count of findings on a score sheet (flags, errors and notes).
pub fn findings_count(view: &View<'_>) -> usize {
    let score = view.score;
    let mut n = score.flags.len();
    n += score.indicators.iter().map(|s| indicator_findings(view, s).len()).sum::<usize>();
    n += score.groups.iter().map(|g| g.flags.len()).sum::<usize>();
    if let Some(b) = &score.budget {
        n += b.flags.len() + b.notes.len() + usize::from(b.error.is_some());
    }
    if let Some(o) = &view.sheet.origin {
        n += o.problems.len() + o.notes.len();
    }
    // Row findings are counted with their rows above.
    n += score.audit.iter().filter(|f| !matches!(f.place, AuditPlace::Row { .. })).count();
    n
}

/// Column widths of a project worksheet (in characters of `0`).
const WIDTHS: [f64; 11] = [12.0, 14.0, 28.0, 16.0, 16.0, 8.0, 9.0, 9.0, 9.0, 12.0, 60.0];

/// Give a row the height its wrapped texts need (spreadsheets do not grow rows by themselves
/// for text written by a program). A Chinese character takes two widths of `0`.
fn fit_row(ws: &mut Worksheet, row: u32, texts: &[(u16, &str)]) -> Result<(), XlsxError> {
    let lines = texts
        .iter()
        .map(|(col, text)| {
            let width = WIDTHS.get(usize::from(*col)).copied().unwrap_or(10.0).max(4.0);
            text.split('\n')
                .map(|line| {
                    let units: f64 = line.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum();
                    (units / width).ceil().max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    if lines > 1.0 {
        ws.set_row_height(row, 15.0 * lines)?;
    }
    Ok(())
}

/// One project's scored 自评表.
fn project_sheet(ws: &mut Worksheet, view: &View<'_>) -> Result<(), XlsxError> {
    let st = Styles::new(view.places());
    let (sheet, score, policy) = (view.sheet, view.score, view.policy);
    let last: u16 = 11;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    let year = sheet.project.year.map(|y| format!("（{y}年度）")).unwrap_or_default();
    ws.merge_range(0, 0, 0, last - 1, &format!("项目支出绩效自评表{year}"), &st.title)?;
    let mut r = 1u32;
    let pair = |ws: &mut Worksheet, r: u32, label: &str, value: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(r, 0, label, &st.header)?;
        ws.merge_range(r, 1, r, last - 1, value, &st.text)?;
        Ok(())
    };
    pair(ws, r, "项目名称", sheet.project.name.trim())?;
    r += 1;
    pair(ws, r, "主管部门", sheet.project.department.as_deref().unwrap_or(""))?;
    r += 1;
    pair(ws, r, "实施单位", sheet.project.implementer.as_deref().unwrap_or(""))?;
    r += 1;
    let rules = format!(
        "{}（{} {}） {} {}",
        policy.name,
        policy.jurisdiction,
        policy.year,
        policy.files.first().map_or("", String::as_str),
        policy.hash()
    );
    pair(ws, r, "评分规则", &rules)?;
    ws.set_row_height(0, 24.0)?;
    r += 2;

    if let Some(b) = &score.budget {
        let headers = [
            format!("项目资金（{}）", sheet.project.money_unit),
            "年初预算数".into(),
            "全年预算数".into(),
            "全年执行数".into(),
            "分值".into(),
            "执行率".into(),
            "自评得分".into(),
            "计算得分".into(),
            "差异".into(),
            "说明".into(),
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, h, &st.header)?;
        }
        r += 1;
        let amounts = sheet.budget.as_ref();
        ws.write_string_with_format(r, 0, "年度资金总额", &st.text)?;
        opt_number(ws, r, 1, amounts.and_then(|a| a.initial), &st.text)?;
        opt_number(ws, r, 2, amounts.and_then(|a| a.annual), &st.text)?;
        opt_number(ws, r, 3, amounts.and_then(|a| a.executed), &st.text)?;
        ws.write_number_with_format(r, 4, number(b.weight), &st.text)?;
        opt_number(ws, r, 5, view.rate(), &st.rate)?;
        opt_number(ws, r, 6, b.claimed, &st.score)?;
        let differs = b.difference.is_some_and(|d| !d.is_zero());
        score_cell(ws, r, 7, b.score, differs, &st)?;
        opt_number(ws, r, 8, b.difference, if differs { &st.differs } else { &st.score })?;
        let mut lines: Vec<String> =
            b.flags.iter().map(|f| flag_line(view, f, view.budget_flag(b, f))).collect();
        lines.extend(b.notes.iter().map(|n| view.note(None, n)));
        if let Some(e) = &b.error {
            lines.push(format!("✗ {}", view.error(e)));
        }
        lines.extend(audit_lines(view, AuditPlace::Budget));
        ws.write_string_with_format(r, 9, lines.join("\n"), &st.text)?;
        fit_row(ws, r, &[(9, &lines.join("\n"))])?;
        if !lines.is_empty() {
            ws.insert_note(r, 7, &Note::new(lines.join("\n")).add_author_prefix(false))?;
        }
        for row in amounts.map(|a| a.rows.as_slice()).unwrap_or_default() {
            r += 1;
            ws.write_string_with_format(r, 0, &row.label, &st.text)?;
            fit_row(ws, r, &[(0, &row.label)])?;
            opt_number(ws, r, 1, row.initial, &st.text)?;
            opt_number(ws, r, 2, row.annual, &st.text)?;
            opt_number(ws, r, 3, row.executed, &st.text)?;
        }
        r += 2;
    }

    let headers = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "自评得分",
        "计算得分",
        "差异",
        "计分方法",
        "说明",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &st.header)?;
    }
    ws.set_freeze_panes(r + 1, 0)?;
    r += 1;
    for s in &score.indicators {
        let ind = &sheet.indicators[s.position];
        let level1 =
            s.level1.map(|n| view.node(n).to_string()).unwrap_or_else(|| ind.level1.trim().to_string());
        ws.write_string_with_format(r, 0, &level1, &st.text)?;
        ws.write_string_with_format(r, 1, view.level2_label(s), &st.text)?;
        ws.write_string_with_format(r, 2, ind.name.trim(), &st.text)?;
        ws.write_string_with_format(r, 3, ind.target.text.trim(), &st.text)?;
        ws.write_string_with_format(r, 4, ind.actual.text.trim(), &st.text)?;
        ws.write_number_with_format(r, 5, number(s.weight), &st.text)?;
        opt_number(ws, r, 6, s.claimed, &st.score)?;
        let differs = s.difference.is_some_and(|d| !d.is_zero());
        if s.not_applicable {
            ws.write_string_with_format(r, 7, "不适用", &st.text)?;
        } else {
            score_cell(ws, r, 7, s.score, differs, &st)?;
        }
        opt_number(ws, r, 8, s.difference, if differs { &st.differs } else { &st.score })?;
        let method = s.method.and_then(|m| policy.methods.get(m)).map_or("", |m| m.name.as_str());
        ws.write_string_with_format(r, 9, method, &st.text)?;
        let lines = indicator_findings(view, s);
        let findings = lines.join("\n");
        ws.write_string_with_format(r, 10, &findings, &st.text)?;
        if !lines.is_empty() {
            ws.insert_note(r, 7, &Note::new(&findings).add_author_prefix(false).set_width(400))?;
        }
        fit_row(
            ws,
            r,
            &[
                (2, ind.name.trim()),
                (3, ind.target.text.trim()),
                (4, ind.actual.text.trim()),
                (10, &findings),
            ],
        )?;
        r += 1;
    }
    // Category subtotals.
    for (index, g) in score.groups.iter().enumerate() {
        for c in 0..=10 {
            ws.write_blank(r, c, &st.text)?;
        }
        let label = match g.level2 {
            Some(_) => format!("（{} 小计）", view.group_level2(g).unwrap_or_default()),
            None if g.unmatched.is_some() => format!("（{} 小计）", view.group_label(g)),
            None => "小计".to_string(),
        };
        ws.write_string_with_format(r, 0, view.node(g.level1), &st.text)?;
        ws.write_string_with_format(r, 2, &label, &st.text)?;
        ws.write_number_with_format(r, 5, number(g.weight), &st.text)?;
        opt_number(ws, r, 6, g.claimed, &st.score)?;
        let differs = g.difference.is_some_and(|d| !d.is_zero());
        ws.write_number_with_format(r, 7, number(g.score), if differs { &st.differs } else { &st.score })?;
        opt_number(ws, r, 8, g.difference, if differs { &st.differs } else { &st.score })?;
        let mut lines: Vec<String> =
            g.flags.iter().map(|f| flag_line(view, f, view.group_flag(g, f))).collect();
        lines.extend(audit_lines(view, AuditPlace::Group { index }));
        let findings = lines.join("\n");
        ws.write_string_with_format(r, 10, &findings, &st.text)?;
        fit_row(ws, r, &[(10, &findings)])?;
        r += 1;
    }
    for c in 0..=10 {
        ws.write_blank(r, c, &st.text)?;
    }
    ws.write_string_with_format(r, 0, "总分", &st.header)?;
    ws.write_number_with_format(r, 5, number(policy.scheme.total), &st.text)?;
    opt_number(ws, r, 6, score.claimed_total, &st.score)?;
    let differs = score.difference.is_some_and(|d| !d.is_zero());
    ws.write_number_with_format(r, 7, number(score.total), if differs { &st.differs } else { &st.score })?;
    opt_number(ws, r, 8, score.difference, if differs { &st.differs } else { &st.score })?;
    let mut lines: Vec<String> = score.flags.iter().map(|f| flag_line(view, f, view.sheet_flag(f))).collect();
    lines.extend(audit_lines(view, AuditPlace::Sheet));
    let findings = lines.join("\n");
    ws.write_string_with_format(r, 10, &findings, &st.text)?;
    fit_row(ws, r, &[(10, &findings)])?;
    r += 1;
    ws.write_string_with_format(r, 0, "评价等级", &st.header)?;
    let grade = score.grade.clone().unwrap_or_else(|| "—".into());
    let grade = match (score.complete, score.total_range) {
        (true, _) => grade,
        (false, Some((low, high))) => {
            let high_grade =
                score.grade_range.as_ref().and_then(|(_, h)| h.clone()).unwrap_or_else(|| "—".into());
            let shown = if high_grade == grade { grade } else { format!("{grade}–{high_grade}") };
            format!("{shown}（暂定：总分可能为 {}–{}）", view.fixed_total(low), view.fixed_total(high))
        }
        (false, None) => format!("{grade}（暂定：有未能计分的项）"),
    };
    ws.merge_range(r, 1, r, 4, &grade, &st.text)?;
    ws.write_string_with_format(r, 5, "自评等级", &st.header)?;
    ws.write_string_with_format(r, 6, sheet.total.grade.as_deref().unwrap_or(""), &st.text)?;
    if let Some(origin) = &sheet.origin {
        r += 2;
        ws.write_string_with_format(r, 0, "读取自", &st.header)?;
        ws.write_string_with_format(r, 1, &origin.place, &st.text)?;
        for n in origin.problems.iter().map(|p| (p, "✗ ")).chain(origin.notes.iter().map(|p| (p, ""))) {
            r += 1;
            ws.write_string_with_format(r, 1, &n.0.cell, &st.text)?;
            let text = format!("{}{}", n.1, n.0.message.get(view.lang));
            ws.merge_range(r, 2, r, 10, &text, &st.text)?;
            fit_row(ws, r, &[(10, &text)])?;
        }
    }
    Ok(())
}

/// The summary worksheet: one row per project, with an autofilter.
fn summary(ws: &mut Worksheet, views: &[View<'_>], names: &[String]) -> Result<(), XlsxError> {
    let st = Styles::new(2);
    let headers =
        ["项目名称", "来源", "主管部门", "总分", "等级", "自评总分", "差异", "说明条数", "完整", "工作表"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    for (c, w) in [(0u16, 44.0), (1, 56.0), (2, 24.0), (9, 36.0)] {
        ws.set_column_width(c, w)?;
    }
    for (i, (v, name)) in views.iter().zip(names).enumerate() {
        let r = i as u32 + 1;
        let st = Styles::new(v.places());
        ws.write_string_with_format(r, 0, v.sheet.project.name.trim(), &st.text)?;
        ws.write_string_with_format(r, 1, v.sheet_name, &st.text)?;
        ws.write_string_with_format(r, 2, v.sheet.project.department.as_deref().unwrap_or(""), &st.text)?;
        let differs = v.score.difference.is_some_and(|d| !d.is_zero());
        ws.write_number_with_format(
            r,
            3,
            number(v.score.total),
            if differs { &st.differs } else { &st.score },
        )?;
        ws.write_string_with_format(r, 4, v.score.grade.as_deref().unwrap_or(""), &st.text)?;
        opt_number(ws, r, 5, v.score.claimed_total, &st.score)?;
        opt_number(ws, r, 6, v.score.difference, if differs { &st.differs } else { &st.score })?;
        ws.write_number_with_format(r, 7, findings_count(v) as f64, &st.text)?;
        ws.write_string_with_format(r, 8, if v.score.complete { "是" } else { "否" }, &st.text)?;
        ws.write_string_with_format(r, 9, name, &st.text)?;
    }
    let last = u32::try_from(views.len()).unwrap_or(u32::MAX);
    ws.autofilter(0, 0, last, 9)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A scored workbook for one or more score sheets, as the bytes of an .xlsx file.
pub fn workbook(views: &[View<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let names: Vec<String> =
        views.iter().enumerate().map(|(i, v)| sheet_name(i, &v.sheet.project.name)).collect();
    if views.len() > 1 {
        let ws = book.add_worksheet().set_name("汇总")?;
        summary(ws, views, &names)?;
    }
    for (v, name) in views.iter().zip(&names) {
        let ws = book.add_worksheet().set_name(name)?;
        project_sheet(ws, v)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worksheet_names_are_valid() {
        assert_eq!(sheet_name(0, "a/b:c"), "1 abc");
        assert_eq!(sheet_name(9, &"长".repeat(40)).chars().count(), 31);
    }
}
