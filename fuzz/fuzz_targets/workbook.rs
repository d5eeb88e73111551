//! Workbooks and CSV exports: reading the grid, finding the 自评表 form, writing the transcript
//! and reading it as a sheet must never panic, whatever the bytes. The first byte chooses the
//! format (even: a workbook, odd: CSV).
#![no_main]

use std::sync::LazyLock;

use jixiao::sheet::{ColumnMap, TableFormat};
use libfuzzer_sys::fuzz_target;

static COLUMNS: LazyLock<ColumnMap> = LazyLock::new(ColumnMap::bundled);

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else { return };
    let format = if first % 2 == 0 { TableFormat::Workbook } else { TableFormat::Csv };
    if let Ok(tables) = jixiao::sheet::read_workbook(bytes, format, "fuzz", &COLUMNS) {
        for t in tables {
            let _ = t.sheet();
        }
    }
});
