//! A batch of sheets: read from files, folders, JSON Lines and stdin, scored in parallel in
//! bounded chunks and handed on in input order. A sheet that cannot be read or scored becomes a
//! [`Failure`] (file, line, field, message) and the batch goes on.
//!
//! Memory is bounded by one chunk (at most [`CHUNK_SHEETS`] sheets or [`CHUNK_BYTES`] of text),
//! whatever the size of the input. Output does not depend on the number of threads: each chunk
//! is scored in parallel and its results are collected in input order before any is written.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Message, Sources, line_col};
use crate::policy::Policy;
use crate::report::{SheetText, View, diagnostics, needs_text};
use crate::score::Operand;
use crate::score::ScoreSheet;
use crate::sheet::{self, ColumnMap, Format, Loader, Sheet, SheetError};
use crate::words::{Direction, Lang};
use rayon::prelude::*;
use rust_decimal::Decimal;

use super::io::Reporter;
use super::resolve::Resolver;

/// Largest sheet file, or line of a JSON Lines file, that is read.
pub const MAX_SHEET_BYTES: u64 = 16 * 1024 * 1024;
/// Sheets scored together.
const CHUNK_SHEETS: usize = 512;
/// Text read ahead at most (a chunk ends early once it holds this much).
const CHUNK_BYTES: usize = 8 * 1024 * 1024;
/// Failures kept for the summary; the rest are counted (each is reported when it happens).
const FAILURES_KEPT: usize = 1000;

/// Where a sheet was read from.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The sheet's name in output: the file, or `file:line` for a JSON Lines sheet.
    pub name: String,
    /// The file (`-` is shown as `<stdin>`).
    pub file: String,
    /// The line of a JSON Lines sheet.
    pub line: Option<u64>,
}

/// One sheet's text, not yet read, or a table already read from a workbook.
pub struct Input {
    origin: Origin,
    body: Body,
}

enum Body {
    Text {
        format: Format,
        text: String,
    },
    /// A JSON Lines line as read: its UTF-8 is checked with the sheet, on any core.
    Line(Vec<u8>),
    /// A table read from a workbook, with its transcript (the TOML `jixiao read` prints).
    Read {
        sheet: Box<Sheet>,
        transcript: Box<sheet::Transcript>,
    },
}

impl Input {
    fn text(origin: Origin, format: Format, text: String) -> Input {
        Input { origin, body: Body::Text { format, text } }
    }

    /// Bytes of text it holds (a table read from a workbook counts as nothing).
    fn size(&self) -> usize {
        match &self.body {
            Body::Text { text, .. } => text.len(),
            Body::Line(bytes) => bytes.len(),
            Body::Read { .. } => 0,
        }
    }
}

/// A sheet that could not be read or scored.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The problem in one line, naming the sheet, its line and field when known.
    pub message: String,
    /// What is printed to stderr.
    pub report: String,
}

impl Failure {
    fn plain(message: Message, help: Option<Message>, lang: Lang) -> Failure {
        let text = message.get(lang).to_string();
        let mut report = format!("{}: {text}\n", lang.pick("error", "错误"));
        if let Some(h) = help {
            report.push_str(&format!("  {}: {}\n", lang.pick("help", "帮助"), h.get(lang)));
        }
        Failure { message: text, report }
    }

    /// The problem in one line, for lists.
    pub fn one_line(&self) -> &str {
        &self.message
    }
}

enum Pending {
    File(String),
    Stdin,
    Missing(String),
}

/// A JSON Lines source being read line by line.
struct Lines {
    file: String,
    reader: Box<dyn BufRead>,
    line: u64,
    /// Room for the next line: the last one's length (lines of a batch are alike).
    room: usize,
}

/// The sheets named on the command line, read lazily in order.
pub struct Inputs {
    pending: VecDeque<Pending>,
    /// Tables of a workbook read and waiting their turn.
    tables: VecDeque<Result<Input, Failure>>,
    lines: Option<Lines>,
    /// Whether more than one sheet may come (a JSON report is then an array).
    several: bool,
    /// Sheets to come, when known (no JSON Lines, no stdin).
    total: Option<u64>,
    /// Bytes to read, when known (no stdin), and bytes read so far.
    total_bytes: Option<u64>,
    read_bytes: u64,
    lang: Lang,
    /// The column names exports are read with.
    columns: ColumnMap,
    /// What `-` reads, until it is read.
    stdin: Option<Box<dyn Read>>,
}

fn is_jsonl(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

fn is_sheet_file(path: &str) -> bool {
    is_jsonl(path) || Format::from_path(path).is_some() || super::tables::is_table(path)
}

/// Sheet files under `dir`, sorted, searched recursively. Links to folders are not followed, so
/// a link cycle cannot make the search endless.
fn collect_sheets(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if !linked {
                collect_sheets(&path, out);
            }
        } else if path.to_str().is_some_and(is_sheet_file) {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Strip a UTF-8 byte-order mark.
fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Text from bytes, or why not.
fn utf8(bytes: Vec<u8>, shown: &str, file: &str) -> Result<String, (Message, Option<Message>)> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(_) => Err((
            Message::new(format!("`{shown}` is not UTF-8 text"), format!("`{shown}` 不是 UTF-8 文本")),
            Some(Message::new(
                format!(
                    "a table saved in GBK (GB2312) can be converted with `iconv -f GBK -t UTF-8 {file} > converted`, or saved again as UTF-8"
                ),
                format!(
                    "以 GBK（GB2312）保存的表格可用 `iconv -f GBK -t UTF-8 {file} > converted` 转换，或重新另存为 UTF-8"
                ),
            )),
        )),
    }
}

fn too_large(shown: &str) -> Message {
    let mib = MAX_SHEET_BYTES / (1024 * 1024);
    Message::new(
        format!("`{shown}` is larger than {mib} MiB; split it, or write it as JSON Lines (one sheet a line)"),
        format!("`{shown}` 超过 {mib} MiB；请拆分，或写成 JSON Lines（每行一张表）"),
    )
}

impl Inputs {
    /// The sheets named by `args`: files, folders (searched recursively for .toml, .json and
    /// .jsonl files), and `-` for the reporter's stdin.
    pub fn new(args: &[String], rep: &Reporter<'_>) -> Inputs {
        let lang = rep.lang();
        let mut pending = VecDeque::new();
        for a in args {
            let p = Path::new(a);
            if a == "-" {
                pending.push_back(Pending::Stdin);
            } else if p.is_dir() {
                let mut found = Vec::new();
                collect_sheets(p, &mut found);
                pending.extend(found.into_iter().map(Pending::File));
            } else if p.exists() {
                pending.push_back(Pending::File(a.clone()));
            } else {
                pending.push_back(Pending::Missing(a.clone()));
            }
        }
        let streams = pending.iter().any(|p| match p {
            Pending::Stdin => true,
            Pending::File(f) => is_jsonl(f),
            Pending::Missing(_) => false,
        });
        let several = pending.len() > 1 || streams;
        let total = if streams { None } else { Some(pending.len() as u64) };
        // A workbook may hold several tables: the number of sheets is then not known ahead.
        let total = if pending.iter().any(|p| matches!(p, Pending::File(f) if super::tables::is_table(f))) {
            None
        } else {
            total
        };
        let mut total_bytes = Some(0u64);
        for p in &pending {
            total_bytes = match p {
                Pending::File(f) => total_bytes.map(|t| t + std::fs::metadata(f).map_or(0, |m| m.len())),
                Pending::Stdin => None,
                Pending::Missing(_) => total_bytes,
            };
        }
        Inputs {
            pending,
            tables: VecDeque::new(),
            lines: None,
            several,
            total,
            total_bytes,
            read_bytes: 0,
            lang,
            columns: ColumnMap::bundled(),
            stdin: args.iter().any(|a| a == "-").then(|| rep.take_stdin()),
        }
    }

    /// Read exports with `columns` instead of the bundled column names.
    pub fn with_columns(mut self, columns: ColumnMap) -> Inputs {
        self.columns = columns;
        self
    }

    /// Whether nothing was found at all.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.lines.is_none() && self.tables.is_empty()
    }

    /// Whether several sheets may come.
    pub fn several(&self) -> bool {
        self.several
    }

    fn file(&mut self, path: String) -> Option<Result<Input, Failure>> {
        let origin = Origin { name: path.clone(), file: path.clone(), line: None };
        let lang = self.lang;
        if is_jsonl(&path) {
            return match std::fs::File::open(&path) {
                Ok(f) => {
                    self.lines =
                        Some(Lines { file: path, reader: Box::new(BufReader::new(f)), line: 0, room: 0 });
                    None
                }
                Err(e) => Some(Err(Failure::plain(
                    Message::new(format!("cannot read `{path}`: {e}"), format!("无法读取 `{path}`：{e}")),
                    None,
                    lang,
                ))),
            };
        }
        if let Some(format) = sheet::TableFormat::from_path(&path) {
            self.read_tables(&path, format);
            return None;
        }
        let Some(format) = Format::from_path(&path) else {
            return Some(Err(Failure::plain(
                Message::new(
                    format!(
                        "`{path}`: a sheet must be a .toml, .json, .jsonl, .xlsx, .xls, .ods or .csv file"
                    ),
                    format!("`{path}`：自评表必须是 .toml、.json、.jsonl、.xlsx、.xls、.ods 或 .csv 文件"),
                ),
                None,
                lang,
            )));
        };
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_SHEET_BYTES) {
            return Some(Err(Failure::plain(too_large(&path), None, lang)));
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => {
                self.read_bytes += b.len() as u64;
                b
            }
            Err(e) => {
                return Some(Err(Failure::plain(
                    Message::new(format!("cannot read `{path}`: {e}"), format!("无法读取 `{path}`：{e}")),
                    None,
                    lang,
                )));
            }
        };
        Some(match utf8(bytes, &path, &path) {
            Ok(text) => Ok(Input::text(origin, format, text)),
            Err((m, h)) => Err(Failure::plain(m, h, lang)),
        })
    }

    /// Queue every table of a workbook, CSV file or export; a table whose cells cannot make a
    /// sheet, or a file that cannot be opened, becomes a failure and the batch goes on.
    fn read_tables(&mut self, path: &str, format: sheet::TableFormat) {
        let lang = self.lang;
        let read = std::fs::read(path);
        if let Ok(b) = &read {
            self.read_bytes += b.len() as u64;
        }
        let bytes = match read {
            Ok(b) if b.len() as u64 > MAX_SHEET_BYTES => {
                self.tables.push_back(Err(Failure::plain(too_large(path), None, lang)));
                return;
            }
            Ok(b) => b,
            Err(e) => {
                self.tables.push_back(Err(Failure::plain(
                    Message::new(format!("cannot read `{path}`: {e}"), format!("无法读取 `{path}`：{e}")),
                    None,
                    lang,
                )));
                return;
            }
        };
        let stem = Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("Sheet1");
        match sheet::read_workbook(&bytes, format, stem, &self.columns) {
            Ok(list) => {
                let several = list.len() > 1;
                for t in list {
                    let name = if several { format!("{path} {}", t.place) } else { path.to_string() };
                    let origin = Origin { name: name.clone(), file: path.to_string(), line: None };
                    self.tables.push_back(match t.sheet() {
                        Ok(s) => Ok(Input {
                            origin,
                            body: Body::Read { sheet: Box::new(s), transcript: Box::new(t) },
                        }),
                        Err(problems) => {
                            let list: Vec<String> = problems
                                .iter()
                                .map(|p| format!("{}: {}", p.cell, p.message.get(lang)))
                                .collect();
                            Err(Failure::plain(
                                Message::new(
                                    format!("{name}: {}", list.join("; ")),
                                    format!("{name}：{}", list.join("；")),
                                ),
                                None,
                                lang,
                            ))
                        }
                    });
                }
            }
            Err(e) => self.tables.push_back(Err(Failure::plain(
                Message::new(format!("`{path}`: {}", e.message.en), format!("`{path}`：{}", e.message.zh)),
                None,
                lang,
            ))),
        }
    }

    /// Stdin: JSON Lines when its first line is a whole JSON object, else one TOML or JSON sheet.
    fn stdin(&mut self) -> Option<Result<Input, Failure>> {
        let name = "<stdin>".to_string();
        let origin = Origin { name: name.clone(), file: name.clone(), line: None };
        let stdin = self.stdin.take().unwrap_or_else(|| Box::new(std::io::empty()));
        let mut reader = BufReader::new(stdin);
        let mut first = Vec::new();
        let limited = (&mut reader).take(MAX_SHEET_BYTES + 1).read_until(b'\n', &mut first);
        if let Err(e) = limited {
            return Some(Err(Failure::plain(
                Message::new(format!("cannot read stdin: {e}"), format!("无法读取标准输入：{e}")),
                None,
                self.lang,
            )));
        }
        let head = String::from_utf8_lossy(&first);
        let head = strip_bom(head.trim());
        if head.starts_with('{') && crate::sheet::well_formed_json(head) {
            let chained = std::io::Cursor::new(first).chain(reader);
            self.lines =
                Some(Lines { file: name, reader: Box::new(BufReader::new(chained)), line: 0, room: 0 });
            self.several = true;
            return None;
        }
        let mut bytes = first;
        if let Err(e) = reader.take(MAX_SHEET_BYTES + 1).read_to_end(&mut bytes) {
            return Some(Err(Failure::plain(
                Message::new(format!("cannot read stdin: {e}"), format!("无法读取标准输入：{e}")),
                None,
                self.lang,
            )));
        }
        if bytes.len() as u64 > MAX_SHEET_BYTES {
            return Some(Err(Failure::plain(too_large(&name), None, self.lang)));
        }
        Some(match utf8(bytes, &name, "-") {
            Ok(text) => {
                let format =
                    if strip_bom(text.trim_start()).starts_with('{') { Format::Json } else { Format::Toml };
                Ok(Input::text(origin, format, text))
            }
            Err((m, h)) => Err(Failure::plain(m, h, self.lang)),
        })
    }

    /// The next line of the JSON Lines source being read; `None` at its end.
    fn next_line(&mut self) -> Option<Result<Input, Failure>> {
        let lang = self.lang;
        let lines = self.lines.as_mut()?;
        loop {
            lines.line += 1;
            let line = lines.line;
            let origin =
                Origin { name: format!("{}:{line}", lines.file), file: lines.file.clone(), line: Some(line) };
            let mut buf = Vec::with_capacity(lines.room);
            let read = (&mut lines.reader).take(MAX_SHEET_BYTES + 1).read_until(b'\n', &mut buf);
            lines.room = buf.len().min(1 << 20);
            match read {
                Err(e) => {
                    let file = lines.file.clone();
                    self.lines = None;
                    return Some(Err(Failure::plain(
                        Message::new(format!("cannot read `{file}`: {e}"), format!("无法读取 `{file}`：{e}")),
                        None,
                        lang,
                    )));
                }
                Ok(0) => {
                    self.lines = None;
                    return None;
                }
                Ok(n) => self.read_bytes += n as u64,
            }
            if buf.len() as u64 > MAX_SHEET_BYTES && !buf.ends_with(b"\n") {
                // Skip the rest of the line.
                let mut rest = Vec::new();
                while let Ok(n) = (&mut lines.reader).take(1 << 20).read_until(b'\n', &mut rest) {
                    if n == 0 || rest.ends_with(b"\n") {
                        break;
                    }
                    rest.clear();
                }
                let shown = origin.name.clone();
                return Some(Err(Failure::plain(too_large(&shown), None, lang)));
            }
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Ok(Input { origin, body: Body::Line(buf) }));
        }
    }
}

impl Iterator for Inputs {
    type Item = Result<Input, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(table) = self.tables.pop_front() {
                return Some(table);
            }
            if self.lines.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            let item = match self.pending.pop_front()? {
                Pending::File(path) => self.file(path),
                Pending::Stdin => self.stdin(),
                Pending::Missing(path) => Some(Err(Failure::plain(
                    Message::new(format!("`{path}` does not exist"), format!("`{path}` 不存在")),
                    None,
                    self.lang,
                ))),
            };
            if let Some(item) = item {
                return Some(item);
            }
        }
    }
}

/// Read one sheet's text; problems become a failure drawn against the text.
fn read_sheet(input: Input, loader: &mut Loader, lang: Lang, color: bool) -> Result<ReadSheet, Failure> {
    match input.body {
        Body::Read { sheet, transcript } => {
            Ok(ReadSheet { origin: input.origin, sheet: *sheet, source: Source::Transcript(transcript) })
        }
        Body::Line(bytes) => match utf8(bytes, &input.origin.name, &input.origin.file) {
            Ok(text) => read_text(input.origin, Format::Json, text, loader, lang, color),
            Err((m, h)) => Err(Failure::plain(m, h, lang)),
        },
        Body::Text { format, text } => read_text(input.origin, format, text, loader, lang, color),
    }
}

/// Read a sheet's text.
fn read_text(
    origin: Origin,
    format: Format,
    text: String,
    loader: &mut Loader,
    lang: Lang,
    color: bool,
) -> Result<ReadSheet, Failure> {
    match loader.load(&text, format) {
        Ok(sheet) => Ok(ReadSheet { origin, sheet, source: Source::Text(text) }),
        Err(errors) => Err(sheet_failure(origin, text, &errors, lang, color)),
    }
}

/// A sheet read, with what it was read from.
struct ReadSheet {
    origin: Origin,
    sheet: Sheet,
    source: Source,
}

/// What a sheet was read from: its text, or a workbook table's transcript (written out as
/// text only when a diagnostic is to be drawn in it).
enum Source {
    Text(String),
    Transcript(Box<sheet::Transcript>),
}

/// The sheet's text, when placing its unscored rows needs it (see [`needs_text`]): as read,
/// or a workbook's transcript.
fn sheet_text<'r>(read: &'r ReadSheet, score: &ScoreSheet) -> Option<std::borrow::Cow<'r, str>> {
    if !needs_text(score) {
        return None;
    }
    Some(match &read.source {
        Source::Text(text) => std::borrow::Cow::Borrowed(text.as_str()),
        Source::Transcript(t) => std::borrow::Cow::Owned(t.to_toml().0),
    })
}

/// The rows of a scored sheet that could not be scored, drawn as diagnostics in the sheet's
/// text: at the cell at fault, the workbook cell named when the sheet came from one. A JSON
/// Lines sheet gets one line per row, at its line of the file. Empty when every row scored.
fn unscored_rows(view: &View<'_>, read: &ReadSheet, color: bool) -> String {
    let budget_errs =
        view.score.budget.as_ref().is_some_and(|b| b.error.is_some()) && read.sheet.budget.is_some();
    let rows_err =
        !read.sheet.indicators.is_empty() && view.score.indicators.iter().any(|s| s.error.is_some());
    if !budget_errs && !rows_err {
        return String::new();
    }
    let lang = view.lang;
    let origin = &read.origin;
    let mut sources = Sources::new();
    let (name, text) = match &read.source {
        Source::Text(text) => (origin.name.clone(), std::borrow::Cow::Borrowed(text.as_str())),
        Source::Transcript(t) => (
            format!(
                "{} ({})",
                origin.name,
                lang.pick("as `jixiao read` prints it", "按 `jixiao read` 的输出")
            ),
            std::borrow::Cow::Owned(t.to_toml().0),
        ),
    };
    let file = sources.add(name, text.as_ref());
    let diags = view.row_diagnostics(file, &text);
    let Some(file_line) = origin.line else {
        return diagnostics::render(&diags, &sources, lang, color);
    };
    let mut out = String::new();
    for d in &diags {
        let (_, col) = line_col(&text, d.span.start);
        out.push_str(&format!(
            "{}:{file_line}:{col}: {}[{}]: {}",
            origin.file,
            lang.pick("error", "错误"),
            d.code,
            d.message.get(lang)
        ));
        if let Some(label) = &d.label {
            out.push_str(lang.pick(&format!(" (in {})", label.en), &format!("（位于 {}）", label.zh)));
        }
        out.push('\n');
        if let Some(h) = &d.help {
            out.push_str(&format!("  {}: {}\n", lang.pick("help", "帮助"), h.get(lang)));
        }
    }
    out
}

struct TextInput {
    origin: Origin,
    text: String,
}

fn sheet_failure(origin: Origin, text: String, errors: &[SheetError], lang: Lang, color: bool) -> Failure {
    let input = TextInput { origin, text };
    let first = errors.first();
    let (line, _) = first.map_or((1, 1), |e| line_col(&input.text, e.span.start));
    let field = first.map(|e| e.field.clone()).filter(|f| !f.is_empty());
    let file_line = input.origin.line.unwrap_or(line as u64);
    let mut message = format!("{}:{file_line}: ", input.origin.file);
    message.push_str(
        first.map_or_else(
            || lang.pick("the sheet could not be read", "无法读取自评表"),
            |e| e.message.get(lang),
        ),
    );
    if let Some(f) = &field {
        message.push_str(lang.pick(&format!(" (in `{f}`)"), &format!("（位于 `{f}`）")));
    }
    let report = match input.origin.line {
        // A JSON Lines sheet: one line per problem, at the line of the file.
        Some(file_line) => {
            let mut out = String::new();
            for e in errors {
                let (_, col) = line_col(&input.text, e.span.start);
                out.push_str(&format!(
                    "{}:{file_line}:{col}: {}[{}]: {}",
                    input.origin.file,
                    lang.pick("error", "错误"),
                    e.code,
                    e.message.get(lang)
                ));
                if !e.field.is_empty() {
                    let f = &e.field;
                    out.push_str(lang.pick(&format!(" (in `{f}`)"), &format!("（位于 `{f}`）")));
                }
                out.push('\n');
                if let Some(h) = &e.help {
                    out.push_str(&format!("  {}: {}\n", lang.pick("help", "帮助"), h.get(lang)));
                }
            }
            out
        }
        None => {
            let mut sources = Sources::new();
            let id = sources.add(input.origin.name.clone(), input.text);
            let diags: Vec<Diagnostic> = errors.iter().map(|e| e.to_diagnostic(id)).collect();
            diagnostics::render(&diags, &sources, lang, color)
        }
    };
    Failure { message, report }
}

/// Read every sheet into memory, for commands that compare a whole corpus (`diff --corpus`).
/// Sheets that cannot be read are reported and counted; the rest are returned in input order.
pub fn read_all(inputs: &mut Inputs, rep: &Reporter<'_>) -> (Vec<(String, Sheet)>, Tally) {
    let lang = rep.lang();
    let color = rep.color();
    let mut tally = Tally::default();
    let mut out = Vec::new();
    loop {
        let chunk: Vec<_> = inputs.by_ref().take(CHUNK_SHEETS).collect();
        if chunk.is_empty() {
            break;
        }
        let read: Vec<Result<ReadSheet, Failure>> = chunk
            .into_par_iter()
            .map(|item| item.and_then(|input| read_sheet(input, &mut Loader::default(), lang, color)))
            .collect();
        for item in read {
            match item {
                Ok(read) => {
                    tally.scored += 1;
                    out.push((read.origin.name, read.sheet));
                }
                Err(failure) => {
                    tally.failed += 1;
                    rep.err_text(&failure.report);
                    if tally.failures.len() < FAILURES_KEPT {
                        tally.failures.push(failure);
                    }
                }
            }
        }
    }
    (out, tally)
}

/// What the summary, the CSV row and the spot-check sample need to know of a scored sheet.
#[derive(Clone, Debug)]
pub struct Facts {
    /// The sheet's name (file, or `file:line`).
    pub name: String,
    /// 项目名称.
    pub project: String,
    /// 主管部门.
    pub department: Option<String>,
    /// The computed total.
    pub total: Decimal,
    /// The total as printed with the policy's places.
    pub total_text: String,
    /// When rows could not be scored, the highest total the sheet can reach, as printed.
    pub total_high: Option<String>,
    /// The grade.
    pub grade: Option<String>,
    /// The printed total.
    pub claimed: Option<Decimal>,
    /// Claimed minus computed; while rows are unscored, minus the nearer end of the range the
    /// total can take (0 when the claim lies inside it).
    pub gap: Option<Decimal>,
    /// Flags fired and rows that could not be scored.
    pub findings: usize,
    /// The kind of each finding: flag names, and the kinds of scoring errors.
    pub kinds: Vec<String>,
    /// Whether anything is to report (findings or an incomplete sheet).
    pub has_findings: bool,
    /// Budget execution rate.
    pub rate: Option<Decimal>,
    /// Rows scored ≥ whose actual reaches 150 % of the target with no deviation note.
    pub unexplained_over: usize,
}

fn error_kind(e: &crate::score::EvalError) -> String {
    e.code().name().to_string()
}

/// Renders a sheet from its name, the sheet and its numbers alone.
pub type NumbersOnly<R> = dyn Fn(&str, &Sheet, &crate::Scores<'_>) -> R + Sync;

impl Facts {
    /// The facts of a sheet scored for its numbers alone, where the batch already has findings:
    /// its findings are not known, and it is counted as having some.
    fn of_numbers(name: &str, sheet: &Sheet, scores: &crate::Scores<'_>) -> Facts {
        Facts {
            name: name.to_string(),
            project: sheet.project.name.trim().to_string(),
            department: sheet.project.department.clone(),
            total: scores.total,
            total_text: scores.total.to_string(),
            total_high: None,
            grade: scores.grade.map(str::to_string),
            claimed: sheet.total.claimed,
            gap: sheet.total.claimed.and_then(|c| c.checked_sub(scores.total)),
            findings: 0,
            kinds: Vec::new(),
            has_findings: true,
            rate: None,
            unexplained_over: 0,
        }
    }

    /// The total as shown to a reader: its range (`88.80–98.80`) while rows are unscored.
    pub fn total_shown(&self) -> String {
        match &self.total_high {
            Some(high) => format!("{}–{high}", self.total_text),
            None => self.total_text.clone(),
        }
    }

    fn new(view: &View<'_>) -> Facts {
        let score: &ScoreSheet = view.score;
        let policy = view.policy;
        let mut kinds = Vec::new();
        let flag_name = |f: &crate::score::FiredFlag| {
            policy.flags.get(f.flag).map_or_else(|| "flag".to_string(), |r| r.name.clone())
        };
        kinds.extend(score.flags.iter().map(flag_name));
        kinds.extend(score.audit.iter().map(|f| f.check.english().to_string()));
        for g in &score.groups {
            kinds.extend(g.flags.iter().map(flag_name));
        }
        if let Some(b) = &score.budget {
            kinds.extend(b.flags.iter().map(flag_name));
            kinds.extend(b.error.iter().map(error_kind));
        }
        let mut unexplained_over = 0;
        let over = Decimal::new(15, 1);
        for s in &score.indicators {
            kinds.extend(s.flags.iter().map(flag_name));
            kinds.extend(s.error.iter().map(error_kind));
            if s.notes.contains(&crate::score::Note::PlaceholderName) {
                kinds.push("placeholder-name".to_string());
            }
            if s.direction == Direction::Higher
                && let (Some(Operand::Quantity(t)), Some(Operand::Quantity(a))) = (&s.target, &s.actual)
                && t.value > Decimal::ZERO
                && t.value.checked_mul(over).is_some_and(|limit| a.value >= limit)
                && !view.sheet.indicators.get(s.position).is_some_and(|i| i.noted())
            {
                unexplained_over += 1;
            }
        }
        Facts {
            name: view.sheet_name.to_string(),
            project: view.sheet.project.name.trim().to_string(),
            department: view.sheet.project.department.clone(),
            total: score.total,
            total_text: view.fixed_total(score.total),
            total_high: score.total_range.map(|(_, high)| view.fixed_total(high)),
            grade: score.grade.clone(),
            claimed: score.claimed_total,
            gap: score.claimed_total.and_then(|c| match score.total_range {
                Some((low, high)) if c >= low && c <= high => Some(Decimal::ZERO),
                Some((_, high)) if c > high => c.checked_sub(high),
                _ => c.checked_sub(score.total),
            }),
            findings: kinds.len(),
            has_findings: !score.complete || !kinds.is_empty(),
            kinds,
            rate: score.budget.as_ref().and_then(|b| b.rate),
            unexplained_over,
        }
    }
}

/// A sheet read, with the policy it is scored by.
type Job = (ReadSheet, Arc<Policy>);

/// A scored sheet: its facts and its rendering.
pub struct Scored<R> {
    /// What the summary needs.
    pub facts: Facts,
    /// The rendering.
    pub out: R,
    /// Its unscored rows drawn as diagnostics, for stderr (empty when there are none, or when
    /// the batch does not draw them).
    pub rows: String,
}

/// What a batch came to.
#[derive(Default)]
pub struct Tally {
    /// Sheets scored.
    pub scored: u64,
    /// Sheets that could not be read or scored.
    pub failed: u64,
    /// The first failures, for the summary.
    pub failures: Vec<Failure>,
    /// Whether any scored sheet has findings.
    pub findings: bool,
}

/// A progress bar on a terminal, shown once a run has taken a second.
///
/// The bar measures bytes read when the input's size is known (so a JSON Lines file shows how
/// far it has got), and says how many sheets are done, of how many when that is known.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
    total: Option<u64>,
    total_bytes: Option<u64>,
    enabled: bool,
}

impl Progress {
    fn new(inputs: &Inputs, enabled: bool) -> Progress {
        Progress {
            bar: None,
            start: Instant::now(),
            total: inputs.total,
            total_bytes: inputs.total_bytes,
            enabled,
        }
    }

    fn update(&mut self, tally: &Tally, read_bytes: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.start.elapsed() >= Duration::from_secs(1) {
            let bar = match self.total_bytes {
                Some(n) => indicatif::ProgressBar::new(n),
                None => indicatif::ProgressBar::new_spinner(),
            };
            let template = if self.total_bytes.is_some() {
                "{elapsed_precise} [{bar:30}] {percent:>3}% {msg}"
            } else {
                "{elapsed_precise} {spinner} {msg}"
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
            self.bar = Some(bar.with_elapsed(self.start.elapsed()));
        }
        if let Some(bar) = &self.bar {
            let done = tally.scored + tally.failed;
            let secs = self.start.elapsed().as_secs_f64().max(0.001);
            if self.total_bytes.is_some() {
                bar.set_position(read_bytes);
            } else {
                bar.tick();
            }
            let of = self.total.map(|t| format!("/{t}")).unwrap_or_default();
            // The rate and the time left over the whole run (the bar starts late, with a jump, so
            // its own estimates would not be).
            let left = self.total_bytes.filter(|_| read_bytes > 0).map_or_else(String::new, |total| {
                let secs_left = total.saturating_sub(read_bytes) as f64 * secs / read_bytes as f64;
                format!(" (eta {:#})", indicatif::HumanDuration(Duration::from_secs_f64(secs_left.round())))
            });
            bar.set_message(format!(
                "{done}{of} sheets, {:.0}/s, {} failed{left}",
                done as f64 / secs,
                tally.failed
            ));
        }
    }

    /// Print above the bar.
    fn print(&self, rep: &Reporter<'_>, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| rep.err_text(text)),
            None => rep.err_text(text),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// How a batch runs: on how many threads, and whether it may show a progress bar.
pub struct Runner {
    /// Threads of this run alone (`-j N`); `None` uses rayon's shared pool, one thread a core.
    pool: Option<rayon::ThreadPool>,
    /// A progress bar is allowed (when stderr is a terminal).
    progress: bool,
}

impl Runner {
    /// `threads` of its own (built for this run, so runs in one process never share a setting),
    /// or the shared pool.
    pub fn new(threads: Option<usize>, progress: bool) -> Result<Runner, Message> {
        let pool = match threads {
            Some(n) => Some(rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().map_err(|e| {
                Message::new(format!("cannot start {n} thread(s): {e}"), format!("无法启动 {n} 个线程：{e}"))
            })?),
            None => None,
        };
        Ok(Runner { pool, progress })
    }

    /// Run `work` (which may use parallel iterators) on this run's threads.
    fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

/// Runs a batch.
pub struct Batch<'r, 'w> {
    resolver: &'r mut Resolver,
    rep: &'r Reporter<'w>,
    runner: &'r Runner,
    /// Whether rows that could not be scored are drawn on stderr as diagnostics.
    draw_rows: bool,
    /// The outcome so far.
    pub tally: Tally,
}

impl<'r, 'w> Batch<'r, 'w> {
    /// A batch scoring with `resolver`'s rules on `runner`'s threads, reporting to `rep`.
    pub fn new(resolver: &'r mut Resolver, rep: &'r Reporter<'w>, runner: &'r Runner) -> Batch<'r, 'w> {
        Batch { resolver, rep, runner, draw_rows: false, tally: Tally::default() }
    }

    /// Draw each row that could not be scored on stderr, as a diagnostic at its cell.
    pub fn draw_unscored_rows(mut self) -> Self {
        self.draw_rows = true;
        self
    }

    /// Score every input, rendering each with `render` (in parallel) and handing each result,
    /// in input order, to `sink`. Failures are reported to stderr as they are met.
    pub fn run<R: Send>(
        &mut self,
        inputs: &mut Inputs,
        render: impl Fn(&View<'_>, &Facts) -> R + Sync,
        sink: impl FnMut(Scored<R>),
    ) {
        self.run_with(inputs, render, None::<&NumbersOnly<R>>, sink);
    }

    /// As [`Batch::run`], but a sheet whose output needs only its numbers is rendered with
    /// `numbers` from [`crate::evaluate_scores`]' quick path, with no explanations built. That
    /// is done once a sheet with findings has been met (from the next chunk on), so the exit
    /// code depends on no later sheet, and only where the quick path answers (a sheet it
    /// declines, such as one with unscored rows to draw, is scored in full). Such a sheet's
    /// [`Facts`] hold its name, project, total and grade, and count it as having findings:
    /// do not use this where a summary is wanted.
    pub fn run_numbers<R: Send>(
        &mut self,
        inputs: &mut Inputs,
        render: impl Fn(&View<'_>, &Facts) -> R + Sync,
        numbers: &NumbersOnly<R>,
        sink: impl FnMut(Scored<R>),
    ) {
        self.run_with(inputs, render, Some(numbers), sink);
    }

    fn run_with<R: Send>(
        &mut self,
        inputs: &mut Inputs,
        render: impl Fn(&View<'_>, &Facts) -> R + Sync,
        numbers: Option<&NumbersOnly<R>>,
        mut sink: impl FnMut(Scored<R>),
    ) {
        let rep = self.rep;
        let lang = rep.lang();
        let color = rep.color();
        let runner = self.runner;
        let draw_rows = self.draw_rows;
        let mut progress = Progress::new(inputs, runner.progress && rep.terminal().stderr);
        // The last chunk's sheets, handed back: each new sheet is read into one's rows.
        let mut loaders: Vec<Loader> = Vec::new();
        loop {
            let mut chunk = Vec::new();
            let mut bytes = 0;
            while chunk.len() < CHUNK_SHEETS && bytes < CHUNK_BYTES {
                match inputs.next() {
                    Some(item) => {
                        bytes += item.as_ref().map_or(0, Input::size);
                        chunk.push(item);
                    }
                    None => break,
                }
            }
            if chunk.is_empty() {
                break;
            }
            loaders.resize_with(chunk.len(), Loader::default);
            let read: Vec<Result<ReadSheet, Failure>> = runner.install(|| {
                chunk
                    .into_par_iter()
                    .zip(loaders.par_drain(..))
                    .map(|(item, mut loader)| {
                        item.and_then(|input| read_sheet(input, &mut loader, lang, color))
                    })
                    .collect()
            });
            let jobs: Vec<Result<Job, Failure>> = read
                .into_iter()
                .map(|item| {
                    item.and_then(|read| {
                        match self.resolver.policy_for_sheet(&read.origin.name, &read.sheet, rep) {
                            Ok(policy) => Ok((read, policy)),
                            Err(message) => Err(Failure::plain(message, None, lang)),
                        }
                    })
                })
                .collect();
            let render = &render;
            // Once the batch has findings, no later sheet changes its exit code.
            let numbers = numbers.filter(|_| self.tally.findings);
            let score = |read: &ReadSheet, policy: &Policy| {
                if let Some(numbers) = numbers
                    && let Some(scores) = crate::eval::evaluate_scores_quick(policy, &read.sheet)
                {
                    let out = numbers(&read.origin.name, &read.sheet, &scores);
                    let facts = Facts::of_numbers(&read.origin.name, &read.sheet, &scores);
                    return Scored { facts, out, rows: String::new() };
                }
                let score = crate::eval::evaluate(policy, &read.sheet);
                let text = sheet_text(read, &score);
                let indexed = text.as_deref().map(SheetText::new);
                let view = View {
                    policy,
                    sheet: &read.sheet,
                    score: &score,
                    sheet_name: &read.origin.name,
                    lang,
                    text: indexed.as_ref(),
                };
                let facts = Facts::new(&view);
                let out = render(&view, &facts);
                let rows = if draw_rows { unscored_rows(&view, read, color) } else { String::new() };
                Scored { facts, out, rows }
            };
            let done: Vec<(Result<Scored<R>, Failure>, Loader)> = runner.install(|| {
                jobs.into_par_iter()
                    .map(|job| {
                        let mut loader = Loader::default();
                        let scored = job.map(|(read, policy)| {
                            let scored = score(&read, &policy);
                            loader.recycle(read.sheet);
                            scored
                        });
                        (scored, loader)
                    })
                    .collect()
            });
            for (item, loader) in done {
                loaders.push(loader);
                match item {
                    Ok(scored) => {
                        self.tally.scored += 1;
                        self.tally.findings |= scored.facts.has_findings;
                        if !scored.rows.is_empty() {
                            progress.print(rep, &scored.rows);
                        }
                        sink(scored);
                    }
                    Err(failure) => {
                        self.tally.failed += 1;
                        progress.print(rep, &failure.report);
                        if self.tally.failures.len() < FAILURES_KEPT {
                            self.tally.failures.push(failure);
                        }
                    }
                }
            }
            progress.update(&self.tally, inputs.read_bytes);
        }
        progress.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each run builds its own pool: a second run in the same process gets the threads it asks
    /// for, which the process-wide pool (set once) could not give it.
    #[test]
    fn each_runner_has_its_own_threads() {
        let two = Runner::new(Some(2), false).expect("two threads start");
        let three = Runner::new(Some(3), false).expect("three threads start");
        assert_eq!(two.install(rayon::current_num_threads), 2);
        assert_eq!(three.install(rayon::current_num_threads), 3);
        // `-j 0` is taken as one thread.
        assert_eq!(Runner::new(Some(0), false).expect("one thread").install(rayon::current_num_threads), 1);
    }
}
