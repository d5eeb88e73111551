//! Worksheets as grids of printed text: from .xlsx, .xls, .ods (through calamine) or CSV.
//!
//! A grid keeps what a reader of the printed table sees: each cell's text, where merged cells
//! lie, and the Excel name of every cell (`Sheet1!F12`).

use std::io::Cursor;

use calamine::{Data, Reader, Sheets};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::diagnostic::Message;

/// A merged region: first and last row and column (inclusive, grid coordinates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub top: usize,
    /// First column.
    pub left: usize,
    /// Last row.
    pub bottom: usize,
    /// Last column.
    pub right: usize,
}

/// One worksheet.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    /// The worksheet's name.
    pub name: String,
    /// Cell texts, row by row.
    pub rows: Vec<Vec<String>>,
    /// Merged regions, when the format records them.
    pub merges: Vec<Merge>,
    /// Row and column of the grid's first cell in the worksheet.
    pub offset: (usize, usize),
}

/// The column letters of a 0-based column (`0` → `A`, `27` → `AB`).
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Grid {
    /// The text of a cell, empty outside the grid.
    pub fn get(&self, row: usize, col: usize) -> &str {
        self.rows.get(row).and_then(|r| r.get(col)).map_or("", String::as_str)
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// The cell's Excel name: `Sheet1!F12`, the sheet name quoted when it needs to be.
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        let plain = self.name.chars().all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii())
            && !self.name.starts_with(|c: char| c.is_ascii_digit());
        let sheet = if plain && !self.name.is_empty() {
            self.name.clone()
        } else {
            format!("'{}'", self.name.replace('\'', "''"))
        };
        format!("{sheet}!{}{}", column_letters(col + self.offset.1), row + self.offset.0 + 1)
    }

    /// The merged region a cell lies in, if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<Merge> {
        self.merges
            .iter()
            .copied()
            .find(|m| (m.top..=m.bottom).contains(&row) && (m.left..=m.right).contains(&col))
    }

    /// Whether a cell is covered by a merged region it does not start (its text is the region's).
    pub fn covered(&self, row: usize, col: usize) -> bool {
        self.merge_at(row, col).is_some_and(|m| (m.top, m.left) != (row, col))
    }
}

/// A workbook that could not be opened.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WorkbookError {
    /// What went wrong.
    pub message: Message,
}

/// The text a cell shows. Numbers keep the digits Excel shows (up to 15 significant), never a
/// binary fraction's tail.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // Serials from 1900 to 9999.
        Data::DateTime(dt) if dt.is_datetime() && (1.0..2_958_466.0).contains(&dt.as_f64()) => {
            serial_date(dt.as_f64())
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(s).unwrap_or_else(|| s.clone()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A float as Excel shows it: at most 15 significant digits, trailing zeros dropped.
fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let magnitude = if f == 0.0 { 0 } else { f.abs().log10().floor() as i32 };
    let places = u32::try_from((14 - magnitude).clamp(0, 20)).unwrap_or(0);
    match Decimal::from_f64(f) {
        Some(d) => d.round_dp(places).normalize().to_string(),
        None => f.to_string(),
    }
}

/// An ISO date (`2023-12-01`, `2023-12-31T00:00:00`, as OpenDocument stores a date cell) as
/// [`serial_date`] writes a date: the first of a month as the month alone.
fn iso_date(s: &str) -> Option<String> {
    let date = s.split('T').next()?;
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(month_or_day(year.into(), month.into(), day.into()))
}

/// A date as `2023年12月31日`, the first of a month as the month alone (`2023年12月`).
fn month_or_day(year: i64, month: i64, day: i64) -> String {
    if day == 1 { format!("{year}年{month}月") } else { format!("{year}年{month}月{day}日") }
}

/// An Excel date serial as `2023年12月31日` (the 1900 date system). The first of a month is
/// written as the month alone (`2023年12月`): a deadline typed `2023年12月` is stored as 1 December,
/// and read to the day it would make the whole of December late. (A month-only actual meets a
/// deadline within its month, so an actual on the first loses nothing.)
fn serial_date(serial: f64) -> String {
    // Days from 1970-01-01: serial 25569 is that day.
    let days = serial.floor() as i64 - 25_569;
    // Civil-from-days (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    month_or_day(year, month, day)
}

/// Read every worksheet of an .xlsx, .xls, .xlsb or .ods workbook.
pub fn from_workbook(bytes: &[u8]) -> Result<Vec<Grid>, WorkbookError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| WorkbookError {
        message: Message::new(
            format!("not a workbook jixiao can open: {e}"),
            format!("无法打开该工作簿：{e}"),
        ),
    })?;
    let names = book.sheet_names();
    let mut grids = Vec::new();
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                return Err(WorkbookError {
                    message: Message::new(
                        format!("worksheet `{name}` cannot be read: {e}"),
                        format!("工作表 `{name}` 无法读取：{e}"),
                    ),
                });
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (r0, c0) = (r0 as usize, c0 as usize);
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        let merged = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).ok(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).ok(),
            _ => None,
        };
        let merges = merged
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| {
                let top = (d.start.0 as usize).checked_sub(r0)?;
                let left = (d.start.1 as usize).checked_sub(c0)?;
                let bottom = (d.end.0 as usize).checked_sub(r0)?;
                let right = (d.end.1 as usize).checked_sub(c0)?;
                Some(Merge { top, left, bottom, right })
            })
            .collect();
        grids.push(Grid { name, rows, merges, offset: (r0, c0) });
    }
    Ok(grids)
}

/// Read a CSV file (UTF-8, with or without a byte-order mark, or GB18030 as Chinese Excel
/// saves it) as one grid named after the file.
pub fn from_csv(bytes: &[u8], name: &str) -> Grid {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let delimiter = if text.lines().next().is_some_and(|l| l.matches('\t').count() > l.matches(',').count()) {
        '\t'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if cell.is_empty() => quoted = true,
            c if c == delimiter && !quoted => row.push(std::mem::take(&mut cell)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Grid { name: name.to_string(), rows, merges: Vec::new(), offset: (0, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        let g = Grid { name: "Sheet1".into(), ..Grid::default() };
        assert_eq!(g.cell_name(11, 5), "Sheet1!F12");
        let g = Grid { name: "my sheet".into(), ..Grid::default() };
        assert_eq!(g.cell_name(0, 0), "'my sheet'!A1");
        let g = Grid { name: "自评表".into(), ..Grid::default() };
        assert_eq!(g.cell_name(0, 0), "自评表!A1");
    }

    #[test]
    fn floats_show_as_excel_shows_them() {
        assert_eq!(float_text(83.5), "83.5");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(20.0), "20");
        assert_eq!(float_text(1e-7), "0.0000001");
        assert_eq!(serial_date(45291.0), "2023年12月31日");
        assert_eq!(serial_date(45261.0), "2023年12月", "the first of a month is the month");
        assert_eq!(iso_date("2023-12-01"), Some("2023年12月".into()));
        assert_eq!(iso_date("2023-12-31T00:00:00"), Some("2023年12月31日".into()));
        assert_eq!(iso_date("12:30"), None);
    }

    #[test]
    fn csv_quotes_and_new_lines() {
        let g = from_csv("a,\"b,\n c\",\"say \"\"hi\"\"\"\r\n1,2,3\n".as_bytes(), "t");
        assert_eq!(g.rows, vec![vec!["a", "b,\n c", "say \"hi\""], vec!["1", "2", "3"]]);
        let gbk = encoding_rs::GB18030.encode("项目名称,分值\n").0.into_owned();
        assert_eq!(from_csv(&gbk, "t").rows, vec![vec!["项目名称", "分值"]]);
    }
}
