//! Loading workbooks, CSV files and system exports for the subcommands that take sheets.

use crate::diagnostic::Message;
use crate::sheet::{self, ColumnMap, TableFormat, Transcript};

use super::io;
use super::io::{Error, Reporter};

/// The column map for exports: the bundled one, extended by a `--columns` file.
pub fn column_map(path: Option<&str>) -> Result<ColumnMap, Error> {
    let mut map = ColumnMap::bundled();
    if let Some(p) = path {
        let text = io::read(p)?;
        map.extend(&text).map_err(|e| {
            Error::Input(Message::new(format!("`{p}`: {}", e.message.en), format!("`{p}`：{}", e.message.zh)))
        })?;
    }
    Ok(map)
}

/// Whether a path is a workbook or CSV file.
pub fn is_table(path: &str) -> bool {
    TableFormat::from_path(path).is_some()
}

/// The tables in a workbook or CSV file, each with the name it is shown under (the file, or
/// `file 表1!A1` when it holds several). Problems are reported.
pub fn transcripts(path: &str, columns: &ColumnMap, rep: &Reporter<'_>) -> Option<Vec<(String, Transcript)>> {
    let format = TableFormat::from_path(path)?;
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            rep.fail(Message::new(format!("cannot read `{path}`: {e}"), format!("无法读取 `{path}`：{e}")));
            return None;
        }
    };
    let stem = std::path::Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("Sheet1");
    match sheet::read_workbook(&bytes, format, stem, columns) {
        Ok(list) => {
            let several = list.len() > 1;
            Some(
                list.into_iter()
                    .map(|t| (if several { format!("{path} {}", t.place) } else { path.to_string() }, t))
                    .collect(),
            )
        }
        Err(e) => {
            rep.fail(Message::new(
                format!("`{path}`: {}", e.message.en),
                format!("`{path}`：{}", e.message.zh),
            ));
            None
        }
    }
}
