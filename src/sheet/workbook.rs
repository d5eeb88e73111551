//! Reading tables from workbooks (.xlsx, .xls, .ods) and CSV files: every 自评表 form on every
//! worksheet, or the projects of a row-per-indicator export.

use super::export::{self, ColumnMap};
use super::form;
use super::grid::{self, Grid, WorkbookError};
use super::transcript::Transcript;
use crate::diagnostic::Message;

/// Kinds of table files jixiao reads besides TOML and JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// .xlsx, .xlsm, .xls, .xlsb or .ods.
    Workbook,
    /// .csv or .tsv.
    Csv,
}

impl TableFormat {
    /// The kind a file name implies, if any.
    pub fn from_path(path: &str) -> Option<TableFormat> {
        let lower = path.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Some(TableFormat::Workbook),
            "csv" | "tsv" => Some(TableFormat::Csv),
            _ => None,
        }
    }
}

/// Every table in a workbook or CSV file, in worksheet order. `name` names a CSV's single
/// worksheet (the file's stem).
pub fn read(
    bytes: &[u8],
    format: TableFormat,
    name: &str,
    columns: &ColumnMap,
) -> Result<Vec<Transcript>, WorkbookError> {
    let grids = match format {
        TableFormat::Workbook => grid::from_workbook(bytes)?,
        TableFormat::Csv => vec![grid::from_csv(bytes, name)],
    };
    let mut out = Vec::new();
    for g in &grids {
        out.extend(tables(g, columns));
    }
    if out.is_empty() {
        return Err(WorkbookError {
            message: Message::new(
                "no 自评表 found: no worksheet has an indicator header row (三级指标 with 年度指标值, 实际完成值 or 得分) or an export's columns (a project and an indicator name)",
                "未找到自评表：没有工作表含指标表头行（三级指标及年度指标值、实际完成值或得分），也没有导出表的列（项目与指标名称）",
            ),
        });
    }
    Ok(out)
}

/// The tables on one worksheet: an export if its columns say so, else the forms on it.
pub fn tables(grid: &Grid, columns: &ColumnMap) -> Vec<Transcript> {
    export::read(grid, columns).unwrap_or_else(|| form::read(grid))
}
