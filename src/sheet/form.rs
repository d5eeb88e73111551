//! Finding 自评表 forms in a worksheet by their printed labels, wherever they sit.
//!
//! A form is recognised by its indicator header row (三级指标 with 实际完成值, 得分 or 指标值);
//! the project's 项目名称 label above it starts the form, so several forms stacked on one
//! worksheet are read one by one. Merged level-1 and level-2 cells are filled down, labels
//! broken over lines are joined, and a weight cell merged over several rows (or standing alone
//! above rows with none) is read as the points of their group.

use rust_decimal::Decimal;

use super::CellNote;
use super::cells::{self, Cleaned, key};
use super::grid::Grid;
use super::transcript::{Section, Transcript, Val};
use crate::diagnostic::Message;

/// Columns of an indicator table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Level1,
    Level2,
    Name,
    Target,
    Actual,
    Weight,
    Claimed,
    Note,
    Direction,
    Unit,
}

/// What an indicator-table header cell names.
fn column_of(k: &str) -> Option<Col> {
    let k = crate::text::normalize_label(k);
    let k = k.as_str();
    Some(match k {
        "一级指标" => Col::Level1,
        "二级指标" => Col::Level2,
        "三级指标" | "指标名称" | "三级指标名称" | "绩效指标名称" | "指标内容" => {
            Col::Name
        }
        "指标性质" | "指标方向" | "计算符号" | "指标属性" => Col::Direction,
        "度量单位" | "计量单位" | "单位" | "指标单位" => Col::Unit,
        "分值" | "权重" | "指标分值" | "权重(分值)" | "分值(权重)" => Col::Weight,
        "得分" | "自评得分" | "评分" | "评价得分" | "实际得分" => Col::Claimed,
        _ if k.contains("偏差") || k.contains("改进措施") || k.contains("原因分析") => Col::Note,
        _ if k.contains("实际完成")
            || k.contains("实际值")
            || k.contains("完成值")
            || k == "实际完成情况" =>
        {
            Col::Actual
        }
        _ if k.contains("指标值") || k.contains("目标值") || k == "预期值" || k == "年度目标" => {
            Col::Target
        }
        _ => return None,
    })
}

/// Labels of the form's header block, which are never values.
fn is_label(k: &str) -> bool {
    is_project_label(k)
        || k.starts_with("主管部门")
        || k.starts_with("实施单位")
        || k.starts_with("项目资金")
        || k.starts_with("年度总体目标")
        || k.starts_with("预算单位")
        || k.starts_with("项目负责人")
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

/// A year printed in a title: `2022年度项目支出绩效自评表`, `（2022年度）`.
fn year_in(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
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

/// An indicator row as printed, before groups are settled.
struct Row {
    r: usize,
    level1: String,
    level2: String,
    /// The level-2 cell was empty or merged from above.
    level2_carried: bool,
    name: String,
    target: String,
    actual: String,
    note: String,
    direction: Option<(String, usize)>,
    unit: String,
    weight: Option<usize>,
    claimed: Option<usize>,
    /// Columns of the name, target and actual.
    name_col: Option<usize>,
    target_col: Option<usize>,
    actual_col: Option<usize>,
    notes: Vec<CellNote>,
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
                    format!("traditional characters read as simplified: `{}` → `{text}`", raw.trim()),
                    format!("繁体字按简体读取：`{}` → `{text}`", raw.trim()),
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
        let (mut department, mut implementer) = (None, None);
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
                    continue;
                }
                if is_project_label(&k) && name.is_none() {
                    name = self.right_of(r, c).map(|cc| (self.text(r, cc, None), self.cell(r, cc)));
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
        let (name, name_cell) = name.unwrap_or_else(|| {
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
        if let Some((y, c)) = year {
            project.set("year", Val::Int(y), Some(c));
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
            } else if k == "分值" || k == "权重" {
                "weight"
            } else if k.contains("执行率") {
                "rate"
            } else if k == "得分" || k == "自评得分" {
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
        self.t.sections.push(section);
        self.t.sections.extend(rows);
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
                let raw = self.grid.get(r, c).trim().to_string();
                self.t.problems.push(CellNote {
                    cell: self.cell(r, c),
                    message: Message::new(
                        format!("`{raw}` is not an amount of money; the cell is left out"),
                        format!("`{raw}` 不是金额，该单元格未读取"),
                    ),
                });
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
                    Some(b) => *b = Some(format!("{cell} `{raw}`")),
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

    fn columns(&self, header: usize) -> (Vec<(Col, usize)>, usize) {
        let mut cols: Vec<(Col, usize)> = Vec::new();
        for (c, k) in self.keys[header].iter().enumerate() {
            if let Some(col) = column_of(k)
                && !cols.iter().any(|(x, _)| *x == col)
            {
                cols.push((col, c));
            }
        }
        // A second header row (指标性质 | 指标值 | 度量单位 under a merged 年度指标值).
        let next = header + 1;
        let sub: Vec<(Col, usize)> = self
            .keys
            .get(next)
            .map(|row| row.iter().enumerate().filter_map(|(c, k)| column_of(k).map(|col| (col, c))).collect())
            .unwrap_or_default();
        if sub.len() >= 2 {
            for (col, c) in sub {
                cols.retain(|(x, at)| *x != col && *at != c);
                cols.push((col, c));
            }
            return (cols, next + 1);
        }
        (cols, next)
    }

    fn indicators(&mut self, header: usize, end: usize) {
        let (cols, first) = self.columns(header);
        let at = |col: Col| cols.iter().find(|(x, _)| *x == col).map(|(_, c)| *c);
        let (c1, c2, cn) = (at(Col::Level1), at(Col::Level2), at(Col::Name));
        let mut rows: Vec<Row> = Vec::new();
        let (mut level1, mut level2) = (String::new(), String::new());
        let mut total: Option<(usize, usize)> = None;
        for r in first..end {
            let first_text = (0..self.keys[r].len()).find(|&c| !self.key(r, c).is_empty());
            if let Some(c) = first_text
                && is_total_label(self.key(r, c))
                && cn.is_none_or(|n| c < n || self.key(r, n).is_empty() || c == n)
            {
                total = Some((r, c));
                break;
            }
            if self.keys[r].iter().all(String::is_empty) {
                continue;
            }
            let mut notes = Vec::new();
            if let Some(c) = c1 {
                let raw_key = self.key(r, c).to_string();
                if !raw_key.is_empty() && !self.grid.covered(r, c) {
                    if points_only(&raw_key) && !level1.is_empty() {
                        notes.push(CellNote {
                            cell: self.cell(r, c),
                            message: Message::new(
                                format!("the level-1 cell holds only `{raw_key}`; read as `{level1}` above"),
                                format!("一级指标单元格只有 `{raw_key}`，按上方的 `{level1}` 读取"),
                            ),
                        });
                    } else {
                        let text = self.text(r, c, Some(&mut notes));
                        if text != level1 {
                            level2.clear();
                        }
                        level1 = text;
                    }
                }
            }
            let mut level2_carried = true;
            if let Some(c) = c2
                && !self.key(r, c).is_empty()
                && !self.grid.covered(r, c)
            {
                level2 = self.text(r, c, Some(&mut notes));
                level2_carried = false;
            }
            let text_of = |this: &mut Self, col: Option<usize>, notes: &mut Vec<CellNote>| {
                col.map(|c| this.text(r, c, Some(notes))).unwrap_or_default()
            };
            let name = text_of(self, cn, &mut notes);
            let target = text_of(self, at(Col::Target), &mut notes);
            let actual = text_of(self, at(Col::Actual), &mut notes);
            let note = text_of(self, at(Col::Note), &mut notes);
            let unit = text_of(self, at(Col::Unit), &mut notes);
            let direction = at(Col::Direction)
                .map(|c| (self.text(r, c, Some(&mut notes)), c))
                .filter(|(d, _)| !d.trim().is_empty());
            let weight = at(Col::Weight).filter(|&c| !self.key(r, c).is_empty() && !self.grid.covered(r, c));
            let claimed =
                at(Col::Claimed).filter(|&c| !self.key(r, c).is_empty() && !self.grid.covered(r, c));
            rows.push(Row {
                r,
                level1: level1.clone(),
                level2: level2.clone(),
                level2_carried,
                name,
                target,
                actual,
                note,
                direction,
                unit,
                weight,
                claimed,
                name_col: cn,
                target_col: at(Col::Target),
                actual_col: at(Col::Actual),
                notes,
            });
        }
        self.settle_groups(&mut rows, at(Col::Weight), at(Col::Claimed));
        for row in rows {
            self.emit(row);
        }
        if let Some((r, c)) = total {
            self.total(r, c, at(Col::Claimed));
        }
    }

    /// Weight cells that stand for a group: merged over several rows, or written once above rows
    /// of the same group that have none.
    fn settle_groups(&mut self, rows: &mut [Row], wc: Option<usize>, cc: Option<usize>) {
        let Some(wc) = wc else { return };
        let mut i = 0;
        while i < rows.len() {
            let r = rows[i].r;
            let Some(_) = rows[i].weight else {
                i += 1;
                continue;
            };
            let merged = self.grid.merge_at(r, wc).filter(|m| m.top == r && m.bottom > r);
            let span_end = match merged {
                Some(m) => rows.iter().position(|x| x.r > m.bottom).unwrap_or(rows.len()),
                None => {
                    // Rows below of the same group, with no weight or score of their own.
                    let mut j = i + 1;
                    while j < rows.len()
                        && rows[j].level2_carried
                        && rows[j].level1 == rows[i].level1
                        && rows[j].level2 == rows[i].level2
                        && rows[j].weight.is_none()
                        && rows[j].claimed.is_none()
                    {
                        j += 1;
                    }
                    if rows[i].level2.is_empty() || rows.get(i + 1).is_none_or(|x| x.level2 != rows[i].level2)
                    {
                        i + 1
                    } else {
                        j
                    }
                }
            };
            if span_end <= i + 1 {
                i += 1;
                continue;
            }
            let same_level2 = rows[i..span_end].iter().all(|x| x.level2 == rows[i].level2);
            let mut group = Section::new("groups", true, Some(self.cell(r, wc)));
            group.text("level1", &rows[i].level1, None);
            if same_level2 {
                group.text("level2", &rows[i].level2, None);
            }
            let mut bad = None;
            let mut notes = Vec::new();
            if let Some(w) = self.number(r, wc, Some(&mut notes), Some(&mut bad)) {
                group.set("weight", Val::Num(w), Some(self.cell(r, wc)));
            }
            let claim_col = rows[i].claimed.or(cc);
            if let Some(c) = claim_col
                && !self.key(r, c).is_empty()
                && let Some(d) = self.number(r, c, Some(&mut notes), Some(&mut bad))
            {
                group.set("claimed", Val::Num(d), Some(self.cell(r, c)));
            }
            if let Some(b) = bad {
                self.t.problems.push(CellNote {
                    cell: self.cell(r, wc),
                    message: Message::new(
                        format!("a group's points cannot be read: {b}"),
                        format!("分组分值无法读取：{b}"),
                    ),
                });
            }
            if merged.is_none() {
                notes.push(CellNote {
                    cell: self.cell(r, wc),
                    message: Message::new(
                        format!(
                            "the 分值 stands alone above {} rows of `{}` with none; read as the group's points",
                            span_end - i - 1,
                            rows[i].level2
                        ),
                        format!("分值单独写在 `{}` 的首行，下方 {} 行没有分值；按分组分值读取", rows[i].level2, span_end - i - 1),
                    ),
                });
            }
            group.comments.extend(notes.iter().map(|n| format!("{}: {}", n.cell, n.message.en)));
            self.t.notes.extend(notes);
            self.t.sections.push(group);
            rows[i].weight = None;
            if rows[i].claimed == claim_col {
                rows[i].claimed = None;
            }
            i = span_end;
        }
    }

    fn emit(&mut self, row: Row) {
        let Row {
            r,
            level1,
            level2,
            name,
            target,
            actual,
            note,
            direction,
            unit,
            weight,
            claimed,
            name_col,
            target_col,
            actual_col,
            mut notes,
            ..
        } = row;
        let first_col = (0..self.keys[r].len()).find(|&c| !self.key(r, c).is_empty()).unwrap_or(0);
        let name_col = name_col.unwrap_or(first_col);
        let mut s = Section::new("indicators", true, Some(self.cell(r, name_col)));
        s.set("level1", Val::Text(level1), None);
        s.set("level2", Val::Text(level2), None);
        s.set("name", Val::Text(name), Some(self.cell(r, name_col)));
        let (tc, ac) = (target_col.map(|c| self.cell(r, c)), actual_col.map(|c| self.cell(r, c)));
        s.set("target", Val::Text(target), tc);
        s.set("actual", Val::Text(actual), ac);
        let mut bad = None;
        if let Some(c) = weight
            && let Some(w) = self.number(r, c, Some(&mut notes), Some(&mut bad))
        {
            s.set("weight", Val::Num(w), Some(self.cell(r, c)));
        }
        if let Some(c) = claimed
            && let Some(d) = self.number(r, c, Some(&mut notes), Some(&mut bad))
        {
            s.set("claimed", Val::Num(d), Some(self.cell(r, c)));
        }
        if let Some((d, c)) = direction {
            match cells::direction(&d) {
                Some(op) => s.set("direction", Val::Text(op.to_string()), Some(self.cell(r, c))),
                None => bad = bad.or(Some(format!("{} 指标性质 `{d}`", self.cell(r, c)))),
            }
        }
        if !unit.is_empty() {
            s.set("unit", Val::Text(unit), None);
        }
        s.set("note", Val::Text(note), None);
        if let Some(b) = bad {
            self.t.problems.push(CellNote {
                cell: b.split(' ').next().unwrap_or_default().to_string(),
                message: Message::new(
                    format!("cannot be read: {b}; the row is not scored"),
                    format!("无法读取：{b}；该行不计分"),
                ),
            });
            s.set("unreadable", Val::Text(b), None);
        }
        let index = self.t.sections.iter().filter(|x| x.path == "indicators").count();
        if !notes.is_empty() {
            self.t.row_notes.insert(index, notes);
        }
        self.t.sections.push(s);
    }

    fn total(&mut self, r: usize, label_col: usize, claimed_col: Option<usize>) {
        let mut section = Section::new("total", false, Some(self.cell(r, label_col)));
        let width = self.grid.rows.get(r).map_or(0, Vec::len);
        let candidates: Vec<usize> = claimed_col
            .filter(|&c| !self.key(r, c).is_empty())
            .into_iter()
            .chain((label_col + 1..width).filter(|&c| !self.key(r, c).is_empty()))
            .collect();
        for c in candidates {
            if let Cleaned::Number(d, _) = cells::points(self.grid.get(r, c), Decimal::ONE_HUNDRED) {
                section.set("claimed", Val::Num(d), Some(self.cell(r, c)));
                break;
            }
        }
        for c in label_col + 1..width {
            let k = self.key(r, c);
            if matches!(k, "优" | "良" | "中" | "差" | "优秀" | "良好" | "合格" | "不合格") {
                section.text("grade", k, Some(self.cell(r, c)));
                break;
            }
        }
        self.t.sections.push(section);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "Sheet1".into(),
            rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(),
            ..Grid::default()
        }
    }

    #[test]
    fn titles_give_years() {
        assert_eq!(year_in("2022年度项目支出绩效自评表"), Some(2022));
        assert_eq!(year_in("（2021年度）"), Some(2021));
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
            &["项目名称", "乙"],
            &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["產出指標", "质量指标", "合格率", "100%", "100%", "abc", "10"],
        ]);
        let forms = read(&g);
        assert_eq!(forms.len(), 2);
        let first = forms[0].sheet().map_err(|e| format!("{e:?}"));
        let first = first.as_ref().map(|s| (s.project.name.as_str(), s.project.year, s.total.claimed));
        assert_eq!(first, Ok(("甲", Some(2022), Some(Decimal::from(9)))));
        let second = forms[1].sheet().map_err(|e| format!("{e:?}"));
        let second = second.as_ref().map(|s| {
            (s.project.name.as_str(), s.indicators[0].level1.as_str(), s.indicators[0].unreadable.clone())
        });
        assert_eq!(second, Ok(("乙", "产出指标", Some("Sheet1!F8 `abc`".to_string()))));
    }
}
