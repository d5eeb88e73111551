//! Finding 自评表 forms in a worksheet by their printed labels, wherever they sit.
//!
//! A form is recognised by its indicator header row (三级指标 with 实际完成值, 得分 or 指标值);
//! the project's 项目名称 label above it starts the form, so several forms stacked on one
//! worksheet are read one by one. Merged level-1 and level-2 cells are filled down, labels
//! broken over lines are joined, and a weight cell merged over several rows (or standing alone
//! above rows with none) is read as the points of their group.

mod table;

use rust_decimal::Decimal;

use super::CellNote;
use super::cells::{self, Cleaned, key};
use super::grid::Grid;
use super::transcript::{Section, Transcript, Val};
use crate::diagnostic::Message;

use table::{Col, column_of};

/// Labels of the form's header block, which are never values.
fn is_label(k: &str) -> bool {
    is_project_label(k)
        || k.starts_with("主管部门")
        || k.starts_with("实施单位")
        || k.starts_with("项目资金")
        || k.starts_with("年度总体目标")
        || k.starts_with("预算单位")
        || k.starts_with("项目负责人")
        || matches!(k, "所属地区" | "项目所属地区" | "地区" | "行政区划" | "区划")
}

fn is_project_label(k: &str) -> bool {
    let k = k.replace(['(', ')', '（', '）'], "");
    matches!(k.as_str(), "项目名称" | "项目支出名称" | "项目全称" | "专项名称" | "资金名称" | "专项资金名称")
}

fn is_total_label(k: &str) -> bool {
    ["总分", "合计", "总计", "综合得分", "总得分", "自评总分", "得分合计"].iter().any(|t| k.starts_with(t))
}

/// A points-only label such as `(50分)`.
fn points_only(k: &str) -> bool {
    let inner = k.trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
    inner
        .strip_suffix('分')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// A year printed in a title: `2022年度项目支出绩效自评表`, `（2022年度）`, `二〇二二年度…`.
fn year_in(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().map(super::cells::chinese_digit).collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w.iter().take(4).collect();
        let year = digits.parse::<u32>().ok().filter(|_| w.get(4) == Some(&'年'))?;
        (1990..=2100).contains(&year).then_some(year)
    })
}

/// Read every form on a worksheet.
pub fn read(grid: &Grid) -> Vec<Transcript> {
    let keys: Vec<Vec<String>> = grid.rows.iter().map(|r| r.iter().map(|c| key(c)).collect()).collect();
    let header_rows: Vec<usize> = (0..grid.height()).filter(|&r| is_header(&keys[r])).collect();
    if header_rows.is_empty() {
        return Vec::new();
    }
    let project_rows: Vec<usize> =
        (0..grid.height()).filter(|&r| keys[r].iter().any(|k| is_project_label(k))).collect();
    // Each form starts at the last 项目名称 row above its header (after the previous header).
    let mut starts = Vec::new();
    let mut previous = 0usize;
    for (i, &h) in header_rows.iter().enumerate() {
        let floor = if i == 0 { 0 } else { previous + 1 };
        let start = project_rows.iter().copied().rfind(|&p| p >= floor && p <= h).unwrap_or(floor);
        starts.push(start);
        previous = h;
    }
    let mut out = Vec::new();
    for (i, &h) in header_rows.iter().enumerate() {
        let start = starts[i];
        let end = starts.get(i + 1).copied().unwrap_or(grid.height());
        let title_from = if i == 0 { 0 } else { start.saturating_sub(3).max(header_rows[i - 1] + 1) };
        out.push(FormReader { grid, keys: &keys, t: Transcript::default() }.form(title_from, start, h, end));
    }
    out
}

fn is_header(keys: &[String]) -> bool {
    let cols: Vec<Col> = keys.iter().filter_map(|k| column_of(k)).collect();
    cols.contains(&Col::Name)
        && (cols.contains(&Col::Actual) || cols.contains(&Col::Claimed) || cols.contains(&Col::Target))
}

struct FormReader<'g> {
    grid: &'g Grid,
    keys: &'g [Vec<String>],
    t: Transcript,
}

impl<'g> FormReader<'g> {
    fn key(&self, r: usize, c: usize) -> &str {
        self.keys.get(r).and_then(|row| row.get(c)).map_or("", String::as_str)
    }

    fn cell(&self, r: usize, c: usize) -> String {
        self.grid.cell_name(r, c)
    }

    /// The cleaned text of a cell, noting simplified characters.
    fn text(&mut self, r: usize, c: usize, notes: Option<&mut Vec<CellNote>>) -> String {
        let raw = self.grid.get(r, c);
        let (text, simplified) = cells::text(raw);
        if simplified {
            let note = CellNote {
                cell: self.cell(r, c),
                message: Message::new(
                    format!(
                        "traditional characters read as simplified: `{}` → `{text}`",
                        raw.trim().replace('\n', "⏎")
                    ),
                    format!("繁体字按简体读取：`{}` → `{text}`", raw.trim().replace('\n', "⏎")),
                ),
            };
            match notes {
                Some(n) => n.push(note),
                None => self.t.notes.push(note),
            }
        }
        text
    }

    /// The value to the right of a label: the next non-empty cell that is not itself a label.
    fn right_of(&self, r: usize, c: usize) -> Option<usize> {
        let width = self.grid.rows.get(r).map_or(0, Vec::len);
        for cc in c + 1..width {
            if self.grid.get(r, cc).trim().is_empty() {
                continue;
            }
            let k = self.key(r, cc);
            if is_label(k) || column_of(k).is_some() {
                return None;
            }
            return Some(cc);
        }
        None
    }

    fn form(mut self, title_from: usize, start: usize, header: usize, end: usize) -> Transcript {
        self.t.place = self.cell(start, 0);
        let mut project = Section::new("project", false, Some(self.cell(start, 0)));
        let mut year = None;
        let mut money_unit = "万元".to_string();
        let mut name = None;
        let (mut department, mut implementer, mut jurisdiction) = (None, None, None);
        let mut title: Option<(String, String)> = None;
        let mut budget_header = None;
        let mut goals_header = None;
        for r in title_from..header {
            for c in 0..self.keys.get(r).map_or(0, Vec::len) {
                let k = self.key(r, c).to_string();
                if k.is_empty() {
                    continue;
                }
                if year.is_none()
                    && let Some(y) = year_in(&k)
                {
                    year = Some((y, self.cell(r, c)));
                }
                if r < start {
                    // The title above the form: the text naming the table (`…绩效自评表`).
                    if title.is_none() && (k.contains("自评表") || k.contains("评价表")) {
                        title = Some((self.text(r, c, None), self.cell(r, c)));
                    }
                    continue;
                }
                // `项目名称：…` in one cell, or the label with its value to the right.
                let inline = |label_ok: &dyn Fn(&str) -> bool| -> Option<String> {
                    let (label, value) = k.split_once([':', '：'])?;
                    (label_ok(label) && !value.is_empty()).then(|| value.to_string())
                };
                let here = self.cell(r, c);
                if name.is_none()
                    && let Some(v) = inline(&is_project_label)
                {
                    name = Some((
                        cells::text(self.grid.get(r, c).split_once([':', '：']).map_or(&v, |(_, v)| v)).0,
                        here,
                    ));
                } else if department.is_none()
                    && let Some(v) = inline(&|l| l == "主管部门")
                {
                    department = Some((v, here));
                } else if implementer.is_none()
                    && let Some(v) = inline(&|l| l == "实施单位")
                {
                    implementer = Some((v, here));
                } else if is_project_label(&k) && name.is_none() {
                    name = self.right_of(r, c).map(|cc| (self.text(r, cc, None), self.cell(r, cc)));
                } else if matches!(k.as_str(), "所属地区" | "项目所属地区" | "地区" | "行政区划" | "区划")
                    && jurisdiction.is_none()
                {
                    jurisdiction = self.right_of(r, c).map(|cc| (self.text(r, cc, None), self.cell(r, cc)));
                } else if k.starts_with("主管部门") && department.is_none() {
                    department = self.right_of(r, c).map(|cc| (self.text(r, cc, None), self.cell(r, cc)));
                } else if k.starts_with("实施单位") && implementer.is_none() {
                    implementer = self.right_of(r, c).map(|cc| (self.text(r, cc, None), self.cell(r, cc)));
                } else if k.starts_with("项目资金") || k.starts_with("资金") || k.contains("单位:") {
                    if k.contains("万元") {
                        money_unit = "万元".into();
                    } else if k.contains("千元") {
                        money_unit = "千元".into();
                    } else if k.contains("(元)") || k.contains("单位:元") {
                        money_unit = "元".into();
                    }
                }
                if k.contains("执行数") && budget_header.is_none() {
                    budget_header = Some(r);
                }
                if k.contains("预期目标") && goals_header.is_none() {
                    goals_header = Some(r);
                }
            }
        }
        let (name, name_cell) = name.filter(|(n, _)| !n.trim().is_empty()).unwrap_or_else(|| {
            let fallback = format!("{} {}", self.grid.name, self.cell(start, 0));
            self.t.notes.push(CellNote {
                cell: self.cell(start, 0),
                message: Message::new(
                    format!(
                        "no 项目名称 found above the indicator table; the project is called `{fallback}`"
                    ),
                    format!("指标表上方未找到项目名称；项目按 `{fallback}` 命名"),
                ),
            });
            (fallback, self.cell(start, 0))
        });
        project.text("name", &name, Some(name_cell));
        if let Some((d, c)) = department {
            project.text("department", &d, Some(c));
        }
        if let Some((d, c)) = implementer {
            project.text("implementer", &d, Some(c));
        }
        let year = year.or_else(|| {
            let digits: String = self.grid.name.chars().filter(char::is_ascii_digit).collect();
            let y = digits.parse::<u32>().ok().filter(|y| digits.len() == 4 && (1990..=2100).contains(y))?;
            self.t.notes.push(CellNote {
                cell: self.cell(start, 0),
                message: Message::new(
                    format!("no year printed above the table; {y} taken from the worksheet's name"),
                    format!("表上方未印年度；按工作表名称取 {y} 年"),
                ),
            });
            Some((y, self.cell(start, 0)))
        });
        if let Some((y, c)) = year {
            project.set("year", Val::Int(y), Some(c));
        }
        if let Some((j, c)) = jurisdiction {
            project.text("jurisdiction", &j, Some(c));
        }
        if let Some((t, c)) = title {
            project.text("title", &t, Some(c));
        }
        project.text("unit", &money_unit, None);
        self.t.sections.push(project);
        if let Some(b) = budget_header {
            let stop = goals_header.filter(|&g| g > b).unwrap_or(header);
            self.budget(b, stop, &money_unit);
        }
        if let Some(g) = goals_header {
            self.goals(g, header);
        }
        self.indicators(header, end);
        self.t
    }

    fn budget(&mut self, header: usize, stop: usize, unit: &str) {
        let mut cols: Vec<(&'static str, usize)> = Vec::new();
        for (c, k) in self.keys[header].iter().enumerate() {
            let field = if k.contains("年初") {
                "initial"
            } else if k.contains("执行数") || k.contains("实际支出") {
                "executed"
            } else if k.contains("预算数") || k.contains("调整后") {
                "annual"
            } else if k.contains("分值") || k.contains("权重") {
                "weight"
            } else if k.contains("执行率") {
                "rate"
            } else if k.contains("得分") {
                "claimed"
            } else {
                continue;
            };
            if !cols.iter().any(|(f, _)| *f == field) {
                cols.push((field, c));
            }
        }
        let first_col = cols.iter().map(|(_, c)| *c).min().unwrap_or(0);
        let mut section = Section::new("budget", false, Some(self.cell(header, first_col)));
        let mut rows = Vec::new();
        let mut total_done = false;
        for r in header + 1..stop {
            let label_col = (0..first_col).rev().find(|&c| {
                let k = self.key(r, c);
                !k.is_empty() && !k.starts_with("项目资金")
            });
            let has_values = cols.iter().any(|(_, c)| !self.key(r, *c).is_empty());
            if label_col.is_none() && !has_values {
                continue;
            }
            let label = label_col.map(|c| self.text(r, c, None)).unwrap_or_default();
            if !total_done {
                total_done = true;
                for &(field, c) in &cols {
                    match field {
                        "rate" => {
                            let text = self.text(r, c, None);
                            section.text("rate", &text, Some(self.cell(r, c)));
                        }
                        "weight" | "claimed" => {
                            if let Some(d) = self.number(r, c, None, None) {
                                section.set(field, Val::Num(d), Some(self.cell(r, c)));
                            }
                        }
                        _ => {
                            if let Some(d) = self.money(r, c, unit) {
                                section.set(field, Val::Num(d), Some(self.cell(r, c)));
                            }
                        }
                    }
                }
            } else {
                let mut row = Section::new("budget.rows", true, label_col.map(|c| self.cell(r, c)));
                row.text("label", &label, label_col.map(|c| self.cell(r, c)));
                for &(field, c) in &cols {
                    if matches!(field, "initial" | "annual" | "executed")
                        && let Some(d) = self.money(r, c, unit)
                    {
                        row.set(field, Val::Num(d), Some(self.cell(r, c)));
                    }
                }
                rows.push(row);
            }
        }
        self.total_from_rows(&mut section, &rows);
        self.t.sections.push(section);
        self.t.sections.extend(rows);
    }

    /// A 年度资金总额 row printed empty or as zeros while a sub-row holds the money: the
    /// amounts of the first sub-row that has them are used, and the sheet says so.
    fn total_from_rows(&mut self, total: &mut Section, rows: &[Section]) {
        let amount = |s: &Section, key: &str| {
            s.entries.iter().find(|e| e.key == key).and_then(|e| match &e.value {
                Val::Num(d) => Some(*d),
                _ => None,
            })
        };
        let empty = ["annual", "executed"].iter().all(|k| amount(total, k).is_none_or(|d| d.is_zero()));
        if !empty {
            return;
        }
        let Some(row) = rows.iter().find(|r| amount(r, "annual").is_some_and(|d| !d.is_zero())) else {
            return;
        };
        total.entries.retain(|e| !matches!(e.key, "initial" | "annual" | "executed"));
        for e in row.entries.iter().filter(|e| matches!(e.key, "initial" | "annual" | "executed")) {
            total.entries.push(e.clone());
        }
        let label = row.entries.iter().find(|e| e.key == "label").map_or(String::new(), |e| match &e.value {
            Val::Text(t) => t.clone(),
            _ => String::new(),
        });
        let cell = row.cell.clone().unwrap_or_default();
        self.t.notes.push(CellNote {
            cell,
            message: Message::new(
                format!("the 年度资金总额 row is empty or zero; the amounts of `{label}` are used"),
                format!("年度资金总额行为空或为零；采用 `{label}` 行的金额"),
            ),
        });
    }

    /// A money cell; an unreadable one is a problem and is left out.
    fn money(&mut self, r: usize, c: usize, unit: &str) -> Option<Decimal> {
        match cells::amount(self.grid.get(r, c), unit) {
            Cleaned::Empty => None,
            Cleaned::Number(d, liberty) => {
                if let Some(m) = liberty {
                    self.t.notes.push(CellNote { cell: self.cell(r, c), message: m });
                }
                Some(d)
            }
            Cleaned::Unreadable => {
                let note = super::cells::unreadable_amount(self.cell(r, c), self.grid.get(r, c));
                self.t.problems.push(note);
                None
            }
        }
    }

    /// A points cell. Liberties go to `notes` (or the sheet's); an unreadable cell is recorded
    /// in `bad` (or as a sheet problem) and read as nothing.
    fn number(
        &mut self,
        r: usize,
        c: usize,
        notes: Option<&mut Vec<CellNote>>,
        bad: Option<&mut Option<String>>,
    ) -> Option<Decimal> {
        let raw = self.grid.get(r, c).trim().to_string();
        match cells::points(&raw, Decimal::ONE_HUNDRED) {
            Cleaned::Empty => None,
            Cleaned::Number(d, liberty) => {
                if let Some(m) = liberty {
                    let note = CellNote { cell: self.cell(r, c), message: m };
                    match notes {
                        Some(n) => n.push(note),
                        None => self.t.notes.push(note),
                    }
                }
                Some(d)
            }
            Cleaned::Unreadable => {
                let cell = self.cell(r, c);
                match bad {
                    Some(b) => *b = Some(cells::unreadable(&cell, &raw)),
                    None => self.t.problems.push(CellNote {
                        cell,
                        message: Message::new(
                            format!("`{raw}` is not a number of points; the cell is left out"),
                            format!("`{raw}` 不是分数，该单元格未读取"),
                        ),
                    }),
                }
                None
            }
        }
    }

    fn goals(&mut self, header: usize, stop: usize) {
        let row = &self.keys[header];
        let expected_col = row.iter().position(|k| k.contains("预期目标"));
        let achieved_col = row.iter().position(|k| k.contains("实际完成"));
        let Some(ec) = expected_col else { return };
        let mut section = Section::new("goals", false, Some(self.cell(header, ec)));
        for r in header + 1..stop {
            let ac = achieved_col.unwrap_or(usize::MAX);
            let width = self.grid.rows.get(r).map_or(0, Vec::len);
            let expected = (ec..ac.min(width)).find(|&c| !self.key(r, c).is_empty());
            let achieved = (ac..width).find(|&c| !self.key(r, c).is_empty());
            if expected.is_none() && achieved.is_none() {
                continue;
            }
            if let Some(c) = expected {
                let text = self.text(r, c, None);
                section.text("expected", &text, Some(self.cell(r, c)));
            }
            if let Some(c) = achieved {
                let text = self.text(r, c, None);
                section.text("achieved", &text, Some(self.cell(r, c)));
            }
            break;
        }
        self.t.sections.push(section);
    }
}

#[cfg(test)]
mod tests {
    use super::table::points_in_label;
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "Sheet1".into(),
            rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(),
            ..Grid::default()
        }
    }

    #[test]
    fn header_variants_and_inline_labels() {
        let mut g = grid(&[
            &["项目名称：社区 健身", "", "主管部门：某局"],
            &[
                "序号",
                "一级指标",
                "二级指标",
                "指标名称",
                "预期目标值",
                "实际指标值（B）",
                "权重(%)",
                "自评得分",
                "备注",
            ],
            &["1", "产出指标", "数量指标", "路径", "≥20处", "18处", "30", "27", ""],
        ]);
        g.name = "2021".into();
        let forms = read(&g);
        let sheet = forms[0].sheet().map_err(|e| format!("{e:?}"));
        let got = sheet.as_ref().map(|s| {
            let i = &s.indicators[0];
            (
                s.project.name.as_str(),
                s.project.department.as_deref(),
                s.project.year,
                i.target.text.as_str(),
                i.actual.text.as_str(),
                i.weight,
                i.claimed,
            )
        });
        assert_eq!(
            got,
            Ok((
                "社区 健身",
                Some("某局"),
                Some(2021),
                "≥20处",
                "18处",
                Some(Decimal::from(30)),
                Some(Decimal::from(27))
            ))
        );
        assert!(forms[0].notes.iter().any(|n| n.message.en.contains("worksheet's name")));
    }

    #[test]
    fn a_row_with_no_category_is_unscored_not_fatal() {
        let g = grid(&[
            &["项目名称", "甲"],
            &["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["数量指标", "培训人数", "≥100人", "90人", "10", "9"],
        ]);
        let forms = read(&g);
        let sheet = forms[0].sheet().map_err(|e| format!("{e:?}"));
        // With a level-2 category the row is kept for the evaluator to place by the scheme.
        let kept =
            sheet.map(|s| (s.indicators[0].level1.clone(), s.indicators[0].unreadable().map(str::to_string)));
        assert_eq!(kept, Ok((std::borrow::Cow::Borrowed(""), None)));
        // With neither category it cannot be placed: unscored, the table still read.
        let g = grid(&[
            &["项目名称", "甲"],
            &["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["培训人数", "≥100人", "90人", "10", "9"],
        ]);
        let forms = read(&g);
        let sheet = forms[0].sheet().map_err(|e| format!("{e:?}"));
        let unreadable = sheet.map(|s| s.indicators[0].unreadable().map(str::to_string));
        assert_eq!(unreadable, Ok(Some("Sheet1!A3 一级指标 (empty)".to_string())));
    }

    #[test]
    fn points_in_labels_weigh_groups_without_a_weight_column() {
        assert_eq!(points_in_label("数量指标（20分）"), Some(Decimal::from(20)));
        assert_eq!(points_in_label("(50分)"), None);
        assert_eq!(points_in_label("产出指标 ( 60 分 )\u{3000}\n"), Some(Decimal::from(60)));
        assert_eq!(points_in_label("效益指标（３０分）"), Some(Decimal::from(30)));
        assert_eq!(points_in_label("效益指标（30分）说明"), None);
        assert_eq!(points_in_label("效益指标"), None);
        let g = grid(&[
            &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"],
            &["产出指标(60分)", "数量指标(20分)", "甲", "≥10个", "10个", "10"],
            &["", "", "乙", "≥10个", "5个", "5"],
        ]);
        let sheet = read(&g)[0].sheet().map_err(|e| format!("{e:?}"));
        let groups = sheet.map(|s| s.groups.iter().map(|g| (g.level2.clone(), g.weight)).collect::<Vec<_>>());
        assert_eq!(
            groups,
            Ok(vec![
                (None, Some(Decimal::from(60))),
                (Some("数量指标(20分)".into()), Some(Decimal::from(20)))
            ])
        );
    }

    #[test]
    fn a_weight_written_once_over_its_group_is_the_groups() {
        let g = grid(&[
            &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["产出指标", "数量指标", "甲", "≥10个", "10个", "20", "20"],
            &["产出指标", "数量指标", "乙", "≥10个", "5个", "", ""],
            &["产出指标", "质量指标", "丙", "100%", "100%", "10", "10"],
        ]);
        let sheet = read(&g)[0].sheet().map_err(|e| format!("{e:?}"));
        let got = sheet.map(|s| {
            let groups: Vec<_> = s.groups.iter().map(|g| (g.level2.clone(), g.weight, g.claimed)).collect();
            let weights: Vec<_> = s.indicators.iter().map(|i| i.weight).collect();
            (groups, weights)
        });
        let twenty = Some(Decimal::from(20));
        assert_eq!(
            got,
            Ok((vec![(Some("数量指标".into()), twenty, twenty)], vec![None, None, Some(Decimal::TEN)]))
        );
    }

    #[test]
    fn an_empty_budget_total_takes_the_sub_row() {
        let g = grid(&[
            &["项目名称", "甲"],
            &["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            &["", "年度资金总额", "0", "0", "0", "10", "", ""],
            &["", "其中：当年财政拨款", "50", "50", "45", "", "", ""],
            &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["产出指标", "数量指标", "甲", "≥10个", "10个", "50", "50"],
        ]);
        let forms = read(&g);
        let sheet = forms[0].sheet().map_err(|e| format!("{e:?}"));
        let budget = sheet.map(|s| s.budget.map(|b| (b.annual, b.executed, b.weight)));
        assert_eq!(budget, Ok(Some((Some(Decimal::from(50)), Some(Decimal::from(45)), Some(Decimal::TEN)))));
        assert!(
            forms[0].notes.iter().any(|n| n.cell == "Sheet1!B4" && n.message.en.contains("年度资金总额"))
        );
    }

    #[test]
    fn titles_give_years() {
        assert_eq!(year_in("2022年度项目支出绩效自评表"), Some(2022));
        assert_eq!(year_in("（2021年度）"), Some(2021));
        assert_eq!(year_in("二〇二三年度项目支出绩效自评表"), Some(2023));
        assert_eq!(year_in("二○二二年度"), Some(2022));
        assert_eq!(year_in("第一季度"), None);
        assert_eq!(year_in("83.5"), None);
    }

    #[test]
    fn two_forms_stacked_on_one_worksheet() {
        let g = grid(&[
            &["2022年度项目支出绩效自评表"],
            &["项目名称", "甲"],
            &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["产出指标", "数量指标", "培训人数", "≥100人", "90人", "10分", "9"],
            &["总分", "", "", "", "", "", "9"],
            &["自评等级", "差"],
            &["项目名称", "乙"],
            &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["產出指標", "质量指标", "合格率", "100%", "100%", "abc", "10"],
        ]);
        let forms = read(&g);
        assert_eq!(forms.len(), 2);
        let first = forms[0].sheet().map_err(|e| format!("{e:?}"));
        let first = first
            .as_ref()
            .map(|s| (s.project.name.as_str(), s.project.year, s.total.claimed, s.total.grade.as_deref()));
        assert_eq!(first, Ok(("甲", Some(2022), Some(Decimal::from(9)), Some("差"))));
        let second = forms[1].sheet().map_err(|e| format!("{e:?}"));
        let second = second.as_ref().map(|s| {
            (
                s.project.name.as_str(),
                &*s.indicators[0].level1,
                s.indicators[0].unreadable().map(str::to_string),
            )
        });
        assert_eq!(second, Ok(("乙", "产出指标", Some("Sheet1!F9 `abc`".to_string()))));
    }
}
