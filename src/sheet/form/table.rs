//! The indicator table of a form: its columns, its rows, group weights and the total row.

use rust_decimal::Decimal;

use super::super::CellNote;
use super::super::cells::{self, Cleaned};
use super::super::transcript::{Section, Val};
use super::{FormReader, is_total_label, points_only};
use crate::diagnostic::Message;

/// Columns of an indicator table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
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

/// What an indicator-table header cell names. Checked from the most to the least specific, so
/// `实际完成值` is an actual before it is a target and `指标性质` is never a target.
pub(super) fn column_of(k: &str) -> Option<Col> {
    let k = crate::text::normalize_label(k);
    let k = k.as_str();
    let any = |words: &[&str]| words.iter().any(|w| k.contains(w));
    Some(if any(&["偏差", "改进措施", "原因分析"]) {
        Col::Note
    } else if k.starts_with("一级指标") {
        Col::Level1
    } else if k.starts_with("二级指标") {
        Col::Level2
    } else if k.starts_with("三级指标") || matches!(k, "指标名称" | "绩效指标名称" | "指标内容" | "具体指标")
    {
        Col::Name
    } else if any(&["指标性质", "指标方向", "计算符号", "指标属性"]) {
        Col::Direction
    } else if matches!(k, "度量单位" | "计量单位" | "单位" | "指标单位" | "指标值单位") {
        Col::Unit
    } else if any(&["实际", "完成值", "完成情况"]) {
        Col::Actual
    } else if any(&["指标值", "目标值"]) || matches!(k, "预期值" | "年度目标" | "预期目标值")
    {
        Col::Target
    } else if any(&["分值", "权重"]) {
        Col::Weight
    } else if any(&["得分", "评分"]) {
        Col::Claimed
    } else {
        return None;
    })
}

pub(super) use crate::text::points_in_label;

/// An indicator row as printed, before groups are settled.
struct Row {
    r: usize,
    level1: String,
    level2: String,
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

impl FormReader<'_> {
    pub(super) fn columns(&self, header: usize) -> (Vec<(Col, usize)>, usize) {
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

    pub(super) fn indicators(&mut self, header: usize, end: usize) {
        let (mut cols, first) = self.columns(header);
        let block = self.four_levels(&mut cols, first, end);
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
            if let Some(note) = self.block_heading(
                r,
                block.or(c1),
                [cn, at(Col::Target), at(Col::Actual)],
                at(Col::Weight),
                at(Col::Claimed),
            ) {
                self.t.notes.push(note);
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
            if let Some(c) = c2
                && !self.key(r, c).is_empty()
                && !self.grid.covered(r, c)
            {
                level2 = self.text(r, c, Some(&mut notes));
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
        self.parent_rows(&mut rows, at(Col::Weight), at(Col::Claimed));
        self.settle_groups(&mut rows, at(Col::Weight), at(Col::Claimed));
        if at(Col::Weight).is_none() {
            self.label_points(&rows);
        }
        for row in rows {
            self.emit(row);
        }
        if let Some((r, c)) = total {
            self.total(r, c, at(Col::Claimed));
        }
    }

    /// A four-level table: a column whose cells are all block headings (`年度绩效指标`,
    /// `绩效指标（90分）`, printed once and merged down) stands before 一级指标, 二级指标 and the
    /// indicator names. When the header's 一级指标 sits over that column (its labels shifted one
    /// column to the left, or spread over two columns) and the column after it holds level-1
    /// categories, the three columns after the block column are read as levels 1–3. Returns the
    /// block column, and says how the columns were read.
    fn four_levels(&mut self, cols: &mut Vec<(Col, usize)>, first: usize, end: usize) -> Option<usize> {
        let at = |cols: &[(Col, usize)], col: Col| cols.iter().find(|(x, _)| *x == col).map(|(_, c)| *c);
        let block = at(cols, Col::Level1)?;
        let name = at(cols, Col::Name)?;
        let last = (first..end)
            .find(|&r| {
                let first_text = (0..self.keys[r].len()).find(|&c| !self.key(r, c).is_empty());
                first_text.is_some_and(|c| is_total_label(self.key(r, c)))
            })
            .unwrap_or(end);
        let texts = |c: usize| -> Vec<String> {
            (first..last)
                .map(|r| self.grid.get(r, c).trim().replace('\n', ""))
                .filter(|t| !t.is_empty())
                .collect()
        };
        let in_block = texts(block);
        if in_block.is_empty() || !in_block.iter().all(|t| cells::is_block_label(t)) {
            return None;
        }
        let (l1, l2, n) = (block + 1, block + 2, block + 3);
        // The names' column: the header's 三级指标 there, or an unlabelled column with text.
        let free = |c: usize| cols.iter().all(|(x, at)| *at != c || matches!(x, Col::Level2 | Col::Name));
        if !(free(l1) && free(l2) && (n == name || (free(n) && at(cols, Col::Name) == Some(l2))))
            || !texts(l1).iter().any(|t| cells::is_level1_label(t))
            || texts(n).is_empty()
        {
            return None;
        }
        cols.retain(|(x, _)| !matches!(x, Col::Level1 | Col::Level2 | Col::Name));
        cols.extend([(Col::Level1, l1), (Col::Level2, l2), (Col::Name, n)]);
        let (b, c1, c2, cn) = (
            super::super::grid::column_letters(block),
            super::super::grid::column_letters(l1),
            super::super::grid::column_letters(l2),
            super::super::grid::column_letters(n),
        );
        let label = in_block.first().cloned().unwrap_or_default();
        self.t.notes.push(CellNote {
            cell: self.cell(first, block),
            message: Message::new(
                format!(
                    "column {b} holds only the block heading `{label}`; columns {c1}, {c2} and {cn} are read as 一级指标, 二级指标 and 三级指标"
                ),
                format!("{b} 列只有指标块标题 `{label}`；{c1}、{c2}、{cn} 列按一级指标、二级指标、三级指标读取"),
            ),
        });
        Some(block)
    }

    /// A row whose level-1 cell is a block heading (`年度绩效目标(90分)`) and that has no indicator
    /// name, target or actual: the heading over the indicator rows, its points their printed
    /// subtotal — never an indicator. The note says what it printed.
    fn block_heading(
        &self,
        r: usize,
        c1: Option<usize>,
        cells: [Option<usize>; 3],
        wc: Option<usize>,
        cc: Option<usize>,
    ) -> Option<CellNote> {
        let c = c1?;
        let label = self.grid.get(r, c).trim().replace('\n', "");
        if !cells::is_block_label(&label)
            || cells.iter().flatten().any(|&x| x != c && !self.key(r, x).is_empty())
        {
            return None;
        }
        let printed = |col: Option<usize>| {
            col.map(|x| self.grid.get(r, x).trim().to_string()).filter(|v| !v.is_empty())
        };
        let (w, claimed) = (printed(wc), printed(cc));
        let shown = match (&w, &claimed) {
            (None, None) => String::new(),
            _ => {
                format!(" (分值 {}, 得分 {})", w.as_deref().unwrap_or("—"), claimed.as_deref().unwrap_or("—"))
            }
        };
        let shown_zh = match (&w, &claimed) {
            (None, None) => String::new(),
            _ => format!(
                "（分值 {}，得分 {}）",
                w.as_deref().unwrap_or("—"),
                claimed.as_deref().unwrap_or("—")
            ),
        };
        Some(CellNote {
            cell: self.cell(r, c),
            message: Message::new(
                format!(
                    "`{label}`{shown} is the heading of the indicator block, not an indicator or a category; its rows are scored by their own categories"
                ),
                format!("`{label}`{shown_zh}是指标块标题，不是指标或指标类别；其下各行按各自的类别计分"),
            ),
        })
    }

    /// Parent rows: a row with a category but no indicator name, target or actual, with points,
    /// above rows of its own category (`产出指标 | | | | | 50 | 48` over its level-2 or level-3
    /// rows). Its points are the category's printed 分值 and 得分 — a subtotal of the rows below,
    /// never an indicator of its own. Only leaves are scored; the printed subtotal is kept as the
    /// group's claim so it is checked against the computed one.
    fn parent_rows(&mut self, rows: &mut [Row], wc: Option<usize>, cc: Option<usize>) {
        let blank = |x: &Row| [&x.name, &x.target, &x.actual].iter().all(|t| t.trim().is_empty());
        let is_parent: Vec<bool> = (0..rows.len())
            .map(|i| {
                let row = &rows[i];
                let below = |x: &Row| x.level1 == row.level1 && (row.level2.is_empty() || x.level2 == row.level2);
                let children: Vec<&Row> = rows[i + 1..].iter().take_while(|x| below(x)).collect();
                blank(row)
                    && (row.weight.is_some() || row.claimed.is_some())
                    && !row.level1.trim().is_empty()
                    && !children.is_empty()
                    && children.iter().any(|x| !blank(x))
                    // A level-2 weight over unweighted rows is settled as the group's points below.
                    && (row.level2.is_empty() || children.iter().any(|x| x.weight.is_some() || x.claimed.is_some()))
            })
            .collect();
        for i in 0..rows.len() {
            if !is_parent.get(i).copied().unwrap_or(false) {
                continue;
            }
            let r = rows[i].r;
            let (level1, level2) = (rows[i].level1.clone(), rows[i].level2.clone());
            let label = if level2.is_empty() { level1.clone() } else { level2.clone() };
            let mut group =
                Section::new("groups", true, Some(self.cell(r, rows[i].weight.or(wc).unwrap_or(0))));
            group.text("level1", &level1, None);
            if !level2.is_empty() {
                group.text("level2", &level2, None);
            }
            let mut bad = None;
            let mut notes = Vec::new();
            if let Some(c) = rows[i].weight
                && let Some(w) = self.number(r, c, Some(&mut notes), Some(&mut bad))
            {
                group.set("weight", Val::Num(w), Some(self.cell(r, c)));
            }
            if let Some(c) = rows[i].claimed.or(cc).filter(|&c| !self.key(r, c).is_empty())
                && let Some(d) = self.number(r, c, Some(&mut notes), Some(&mut bad))
            {
                group.set("claimed", Val::Num(d), Some(self.cell(r, c)));
            }
            if let Some(b) = bad {
                self.t.problems.push(CellNote {
                    cell: self.cell(r, wc.unwrap_or(0)),
                    message: Message::new(
                        format!("a group's points cannot be read: {b}"),
                        format!("分组分值无法读取：{b}"),
                    ),
                });
            }
            let count = rows[i + 1..]
                .iter()
                .take_while(|x| x.level1 == level1 && (level2.is_empty() || x.level2 == level2))
                .count();
            notes.push(CellNote {
                cell: self.cell(r, wc.or(cc).unwrap_or(0)),
                message: Message::new(
                    format!(
                        "`{label}` has points but no indicator name, target or actual, above {count} rows of its own: \
                         read as the category's printed points (a subtotal), not scored as an indicator"
                    ),
                    format!("`{label}` 有分值但没有指标名称、指标值和完成值，下方有 {count} 行属于它：按该类指标的分值和得分（小计）读取，不作为指标计分"),
                ),
            });
            group.comments.extend(notes.iter().map(|n| format!("{}: {}", n.cell, n.message.en)));
            self.t.notes.extend(notes);
            self.t.sections.push(group);
            rows[i].weight = None;
            rows[i].claimed = None;
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
            // A group needs its level-1 category; without one the weight stays the row's.
            if span_end <= i + 1 || rows[i].level1.trim().is_empty() {
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

    /// With no 分值 column, the points printed in a category label (`数量指标(20分)`) are the
    /// category's weight.
    fn label_points(&mut self, rows: &[Row]) {
        let mut seen: Vec<(String, String)> = Vec::new();
        for row in rows {
            for (level2, label) in [(None, &row.level1), (Some(&row.level2), &row.level2)] {
                let Some(points) = points_in_label(label) else { continue };
                // A block heading's points are the whole block's, not a category's weight.
                if level2.is_none() && cells::is_block_label(label) {
                    continue;
                }
                let key = (row.level1.clone(), level2.cloned().unwrap_or_default());
                if seen.contains(&key) || row.level1.trim().is_empty() {
                    continue;
                }
                seen.push(key);
                let mut group = Section::new("groups", true, None);
                group.text("level1", &row.level1, None);
                if let Some(l2) = level2 {
                    group.text("level2", l2, None);
                }
                group.set("weight", Val::Num(points), None);
                let note = format!(
                    "no 分值 column: the points in the label `{label}` are its weight ({})",
                    points.normalize()
                );
                group.comments.push(note.clone());
                self.t.notes.push(CellNote {
                    cell: self.cell(row.r, 0),
                    message: Message::new(
                        note,
                        format!("没有分值列：标签 `{label}` 中的分数作为其分值（{}）", points.normalize()),
                    ),
                });
                self.t.sections.push(group);
            }
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
        let nothing = [&name, &target, &actual].iter().all(|t| t.trim().is_empty())
            && weight.is_none()
            && claimed.is_none();
        if nothing {
            // Text only outside the indicator columns: not an indicator row.
            return;
        }
        let mut s = Section::new("indicators", true, Some(self.cell(r, name_col)));
        let mut bad = None;
        // A row with no level-1 category above it cannot be placed: it is left unscored, the
        // table is still read.
        // With a level-2 category the evaluator may place it by the scheme (the one level-1
        // category that has it), and says so.
        let level1 = if level1.trim().is_empty() && !level2.trim().is_empty() {
            String::new()
        } else if level1.trim().is_empty() {
            bad = Some(format!("{} 一级指标 (empty)", self.cell(r, name_col)));
            "?".to_string()
        } else {
            level1
        };
        s.set("level1", Val::Text(level1), None);
        s.set("level2", Val::Text(level2), None);
        s.set("name", Val::Text(name), Some(self.cell(r, name_col)));
        let (tc, ac) = (target_col.map(|c| self.cell(r, c)), actual_col.map(|c| self.cell(r, c)));
        s.set("target", Val::Text(target), tc);
        s.set("actual", Val::Text(actual), ac);
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
        let read =
            candidates.iter().find_map(|&c| match cells::points(self.grid.get(r, c), Decimal::ONE_HUNDRED) {
                Cleaned::Number(d, _) => Some((c, d)),
                _ => None,
            });
        let printed = claimed_col.filter(|&c| !self.key(r, c).is_empty());
        match (read, printed) {
            (Some((c, d)), _) => section.set("claimed", Val::Num(d), Some(self.cell(r, c))),
            // A printed total in the 得分 column that is no number (`100 / 10`) goes unchecked:
            // say so.
            (None, Some(c)) => {
                let raw = self.grid.get(r, c).trim().to_string();
                self.t.notes.push(CellNote {
                    cell: self.cell(r, c),
                    message: Message::new(
                        format!("the printed total `{raw}` is not a number; it is left out"),
                        format!("打印的总分 `{raw}` 不是数字，未读取"),
                    ),
                });
            }
            (None, None) => {}
        }
        // The grade: on the total row, or on a 自评等级 row just below it.
        let grade_word =
            |k: &str| matches!(k, "优" | "良" | "中" | "差" | "优秀" | "良好" | "合格" | "不合格");
        let below = (r + 1..(r + 4).min(self.grid.height()))
            .find(|&rr| {
                self.keys
                    .get(rr)
                    .is_some_and(|row| row.iter().any(|k| k.contains("等级") || k.contains("评价结果")))
            })
            .into_iter();
        'rows: for rr in std::iter::once(r).chain(below) {
            let width = self.grid.rows.get(rr).map_or(0, Vec::len);
            for c in 0..width {
                let k = self.key(rr, c);
                if grade_word(k) {
                    section.text("grade", k, Some(self.cell(rr, c)));
                    break 'rows;
                }
            }
        }
        self.t.sections.push(section);
    }
}
