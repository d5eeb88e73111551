//! Row-per-indicator exports: one row per indicator, the project repeated on each row, columns
//! named by a system (`pro_code`, `PERF_IND_NAME`, `COMPUTESIGN`…) or in Chinese. Columns are
//! recognised through an alias table kept as data (`columns.toml`), which a user can extend.

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::CellNote;
use super::cells::{self, Cleaned, key};
use super::grid::Grid;
use super::transcript::{Section, Transcript, Val};
use crate::diagnostic::Message;

/// The bundled alias table.
pub const BUNDLED_COLUMNS: &str = include_str!("columns.toml");

/// Fields an export column can fill.
const FIELDS: &[&str] = &[
    "project_code",
    "project_name",
    "department",
    "implementer",
    "year",
    "jurisdiction",
    "level1",
    "level2",
    "name",
    "weight",
    "direction",
    "target",
    "unit",
    "actual",
    "claimed",
    "note",
    "initial",
    "annual",
    "executed",
    "total_claimed",
    "ignored",
];

/// Column names by field.
#[derive(Clone, Debug)]
pub struct ColumnMap {
    /// Field → the names that mean it (matched as [`key`]s).
    names: IndexMap<String, Vec<String>>,
}

/// A column map file that cannot be used.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ColumnMapError {
    /// What is wrong.
    pub message: Message,
}

impl ColumnMap {
    /// The bundled table.
    pub fn bundled() -> ColumnMap {
        let mut map = ColumnMap { names: IndexMap::new() };
        // The bundled table is tested to parse; an error here would leave it empty.
        let _ = map.extend(BUNDLED_COLUMNS);
        map
    }

    /// Add the names of a `[columns]` file.
    pub fn extend(&mut self, text: &str) -> Result<(), ColumnMapError> {
        let err = |en: String, zh: String| ColumnMapError { message: Message::new(en, zh) };
        let value: toml::Table =
            text.parse().map_err(|e| err(format!("not valid TOML: {e}"), format!("不是有效的 TOML：{e}")))?;
        let Some(toml::Value::Table(columns)) = value.get("columns") else {
            return Err(err(
                "a column map needs a `[columns]` table".into(),
                "列名映射文件需要 `[columns]` 表".into(),
            ));
        };
        for (field, names) in columns {
            if !FIELDS.contains(&field.as_str()) {
                let hint = crate::words::did_you_mean(field, FIELDS.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(err(
                    format!("`columns.{field}` is not a sheet field{hint}"),
                    format!("`columns.{field}` 不是自评表字段{hint}"),
                ));
            }
            let toml::Value::Array(items) = names else {
                return Err(err(
                    format!("`columns.{field}` should be a list of column names"),
                    format!("`columns.{field}` 应为列名列表"),
                ));
            };
            let list = self.names.entry(field.clone()).or_default();
            for item in items {
                match item.as_str() {
                    Some(s) => list.push(key(s).to_lowercase()),
                    None => {
                        return Err(err(
                            format!("`columns.{field}` should hold only text"),
                            format!("`columns.{field}` 只能包含文本"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The field a column header names.
    pub fn field_of(&self, header: &str) -> Option<&str> {
        let k = key(header).to_lowercase();
        if k.is_empty() {
            return None;
        }
        self.names.iter().find(|(_, names)| names.contains(&k)).map(|(f, _)| f.as_str())
    }

    /// The fields and their names, for documentation.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.names.iter().map(|(f, n)| (f.as_str(), n.as_slice()))
    }
}

/// Read an export on a worksheet: `None` when the worksheet is not one.
pub fn read(grid: &Grid, map: &ColumnMap) -> Option<Vec<Transcript>> {
    let (header, fields) = (0..grid.height().min(10)).find_map(|r| {
        let fields: Vec<Option<&str>> = grid.rows[r].iter().map(|h| map.field_of(h)).collect();
        let has = |f: &str| fields.contains(&Some(f));
        let known = fields.iter().flatten().count();
        (known >= 3 && has("name") && (has("project_code") || has("project_name"))).then_some((r, fields))
    })?;
    let col = |f: &str| fields.iter().position(|x| *x == Some(f));
    let mut unknown = Vec::new();
    for (c, f) in fields.iter().enumerate() {
        let h = grid.get(header, c).trim();
        if f.is_none() && !h.is_empty() {
            unknown.push(CellNote {
                cell: grid.cell_name(header, c),
                message: Message::new(
                    format!("column `{h}` is not recognised and was not read; name it in a `--columns` map"),
                    format!("未识别的列 `{h}`，未读取；可在 `--columns` 映射文件中说明"),
                ),
            });
        }
    }
    // Rows by project, in order of first appearance.
    let mut projects: IndexMap<String, Vec<usize>> = IndexMap::new();
    for r in header + 1..grid.height() {
        if grid.rows[r].iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = col("project_code")
            .map(|c| grid.get(r, c).trim())
            .filter(|s| !s.is_empty())
            .or_else(|| col("project_name").map(|c| grid.get(r, c).trim()))
            .unwrap_or_default()
            .to_string();
        projects.entry(id).or_default().push(r);
    }
    let mut out = Vec::new();
    for (id, rows) in projects {
        let first = rows.first().copied().unwrap_or(header + 1);
        let mut t =
            Transcript { place: grid.cell_name(first, 0), notes: unknown.clone(), ..Transcript::default() };
        let text = |t: &mut Transcript, r: usize, c: usize| -> String {
            let (s, simplified) = cells::text(grid.get(r, c));
            if simplified {
                t.notes.push(CellNote {
                    cell: grid.cell_name(r, c),
                    message: Message::new(
                        format!("traditional characters read as simplified: `{s}`"),
                        format!("繁体字按简体读取：`{s}`"),
                    ),
                });
            }
            s
        };
        let mut project = Section::new("project", false, Some(grid.cell_name(first, 0)));
        let name =
            col("project_name").map(|c| text(&mut t, first, c)).filter(|s| !s.is_empty()).unwrap_or(id);
        let name = if name.trim().is_empty() {
            let fallback = format!("{} {}", grid.name, grid.cell_name(first, 0));
            t.notes.push(CellNote {
                cell: grid.cell_name(first, 0),
                message: Message::new(
                    format!("the rows give no project name or code; the project is called `{fallback}`"),
                    format!("各行没有项目名称或编码；项目按 `{fallback}` 命名"),
                ),
            });
            fallback
        } else {
            name
        };
        project.text("name", &name, col("project_name").map(|c| grid.cell_name(first, c)));
        for f in ["department", "implementer"] {
            if let Some(c) = col(f) {
                let v = text(&mut t, first, c);
                project.text(
                    if f == "department" { "department" } else { "implementer" },
                    &v,
                    Some(grid.cell_name(first, c)),
                );
            }
        }
        if let Some(c) = col("year")
            && let Some(y) = grid.get(first, c).trim().trim_end_matches(['年', '度']).parse::<u32>().ok()
        {
            project.set("year", Val::Int(y), Some(grid.cell_name(first, c)));
        }
        if let Some(c) = col("jurisdiction") {
            let v = text(&mut t, first, c);
            project.text("jurisdiction", &v, Some(grid.cell_name(first, c)));
        }
        t.sections.push(project);
        if col("annual").is_some() || col("executed").is_some() {
            let mut budget = Section::new("budget", false, None);
            for f in ["initial", "annual", "executed"] {
                if let Some(c) = col(f) {
                    match cells::amount(grid.get(first, c), "万元") {
                        Cleaned::Number(d, _) => budget.set(
                            match f {
                                "initial" => "initial",
                                "annual" => "annual",
                                _ => "executed",
                            },
                            Val::Num(d),
                            Some(grid.cell_name(first, c)),
                        ),
                        Cleaned::Empty => {}
                        Cleaned::Unreadable => t.problems.push(super::cells::unreadable_amount(
                            grid.cell_name(first, c),
                            grid.get(first, c),
                        )),
                    }
                }
            }
            t.sections.push(budget);
        }
        let mut seen_level1 = false;
        for &r in &rows {
            let mut s = Section::new("indicators", true, Some(grid.cell_name(r, 0)));
            let mut notes = Vec::new();
            let mut bad: Option<String> = None;
            for (f, key) in [
                ("level1", "level1"),
                ("level2", "level2"),
                ("name", "name"),
                ("target", "target"),
                ("actual", "actual"),
                ("unit", "unit"),
            ] {
                if let Some(c) = col(f) {
                    let v = text(&mut t, r, c);
                    s.set(key, Val::Text(v), Some(grid.cell_name(r, c)));
                }
            }
            // The reader fills an empty level 1 down from the row above; the first row has none.
            let level1 = col("level1").map(|c| grid.get(r, c).trim().to_string()).unwrap_or_default();
            if level1.is_empty() && !seen_level1 {
                let at = grid.cell_name(r, col("level1").or(col("name")).unwrap_or(0));
                s.entries.retain(|e| e.key != "level1");
                s.set("level1", Val::Text("?".into()), None);
                bad = Some(format!("{at} 一级指标 (empty)"));
            }
            seen_level1 |= !level1.is_empty();
            if let Some(c) = col("direction") {
                let raw = grid.get(r, c).trim();
                if !raw.is_empty() {
                    match cells::direction(raw) {
                        Some(op) => s.set("direction", Val::Text(op.to_string()), Some(grid.cell_name(r, c))),
                        None => bad = Some(format!("{} `{raw}`", grid.cell_name(r, c))),
                    }
                }
            }
            for f in ["weight", "claimed"] {
                if let Some(c) = col(f) {
                    let raw = grid.get(r, c).trim();
                    match cells::points(raw, Decimal::ONE_HUNDRED) {
                        Cleaned::Empty => {}
                        Cleaned::Number(d, liberty) => {
                            if let Some(m) = liberty {
                                notes.push(CellNote { cell: grid.cell_name(r, c), message: m });
                            }
                            s.set(
                                if f == "weight" { "weight" } else { "claimed" },
                                Val::Num(d),
                                Some(grid.cell_name(r, c)),
                            );
                        }
                        Cleaned::Unreadable => {
                            bad = bad.or(Some(cells::unreadable(&grid.cell_name(r, c), raw)))
                        }
                    }
                }
            }
            if let Some(c) = col("note") {
                let v = text(&mut t, r, c);
                // A system sends an empty note on as `无`: that is no note.
                if !crate::value::is_empty_note(&v) {
                    s.set("note", Val::Text(v), Some(grid.cell_name(r, c)));
                }
            }
            if let Some(b) = bad {
                t.problems.push(CellNote {
                    cell: b.split(' ').next().unwrap_or_default().to_string(),
                    message: Message::new(
                        format!("cannot be read: {b}; the row is not scored"),
                        format!("无法读取：{b}；该行不计分"),
                    ),
                });
                s.set("unreadable", Val::Text(b), None);
            }
            let index = t.sections.iter().filter(|x| x.path == "indicators").count();
            if !notes.is_empty() {
                t.row_notes.insert(index, notes);
            }
            t.sections.push(s);
        }
        if let Some(c) = col("total_claimed")
            && let Cleaned::Number(d, _) = cells::points(grid.get(first, c), Decimal::ONE_HUNDRED)
        {
            let mut total = Section::new("total", false, None);
            total.set("claimed", Val::Num(d), Some(grid.cell_name(first, c)));
            t.sections.push(total);
        }
        out.push(t);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_columns_parse() {
        let mut map = ColumnMap { names: IndexMap::new() };
        assert_eq!(map.extend(BUNDLED_COLUMNS), Ok(()));
        assert_eq!(map.field_of("PERF_IND_NAME"), Some("name"));
        assert_eq!(map.field_of("perf_ind_name"), Some("name"));
        assert_eq!(map.field_of("偏差原因"), Some("note"));
        assert_eq!(map.field_of("whatever"), None);
    }

    #[test]
    fn a_user_map_adds_names_and_rejects_unknown_fields() {
        let mut map = ColumnMap::bundled();
        assert_eq!(map.extend("[columns]\nname = [\"考核指标\"]\n"), Ok(()));
        assert_eq!(map.field_of("考核指标"), Some("name"));
        assert!(map.extend("[columns]\nnmae = [\"x\"]\n").is_err_and(|e| e.message.en.contains("`name`")));
    }

    #[test]
    fn export_rows_become_one_sheet_per_project() {
        let rows: Vec<Vec<String>> = [
            vec![
                "pro_code",
                "pro_name",
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
                "remark",
            ],
            vec![
                "P1",
                "甲",
                "产出指标",
                "数量指标",
                "培训人数",
                "50",
                "1",
                "200",
                "人",
                "150",
                "37.5",
                "无",
                "x",
            ],
            vec!["P2", "乙", "产出指标", "数量指标", "投诉次数", "50", "4", "5", "次", "3", "50", "", ""],
            vec![
                "P1",
                "甲",
                "满意度指标",
                "服务对象满意度指标",
                "满意度",
                "10",
                "6",
                "满意",
                "",
                "满意",
                "10",
                "",
                "",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let grid = Grid { name: "导出".into(), rows, ..Grid::default() };
        let out = read(&grid, &ColumnMap::bundled()).unwrap_or_default();
        assert_eq!(out.len(), 2);
        assert!(out[0].notes.iter().any(|n| n.cell == "导出!M1" && n.message.en.contains("`remark`")));
        let sheet = out[0].sheet().map_err(|e| format!("{e:?}"));
        let sheet = sheet
            .as_ref()
            .map(|s| (s.indicators.len(), s.indicators[0].note.clone(), s.indicators[0].target.reading.op()));
        assert_eq!(sheet, Ok((2, None, Some(crate::value::Op::Ge))));
    }
}
