//! Where a report goes: stdout, or a file written whole or not at all (a temporary file in the
//! same folder, renamed into place when everything is written).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::Message;

use super::io::Reporter;

/// How much of a report is held before it goes to stdout.
const BUFFER: usize = 1 << 16;

/// A report being written.
pub struct Output<'r, 'w> {
    target: Target<'r, 'w>,
    /// Cut lines to this many columns (a table on a terminal).
    width: Option<usize>,
    /// An error met writing to a file.
    error: Option<std::io::Error>,
}

enum Target<'r, 'w> {
    /// The reporter's stdout, through a buffer; whether the reader is still there.
    Stdout {
        rep: &'r Reporter<'w>,
        buffer: Vec<u8>,
        open: bool,
    },
    File {
        writer: BufWriter<File>,
        tmp: PathBuf,
        path: PathBuf,
    },
}

/// Terminal width from `$COLUMNS`, else the terminal itself, when stdout is a terminal.
fn terminal_width(rep: &Reporter<'_>) -> Option<usize> {
    if !rep.terminal().stdout {
        return None;
    }
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<usize>().ok()) {
        return Some(c);
    }
    terminal_columns()
}

/// The width of the terminal on stdout.
fn terminal_columns() -> Option<usize> {
    console::Term::stdout().size_checked().map(|(_, cols)| usize::from(cols))
}

impl<'r, 'w> Output<'r, 'w> {
    /// The reporter's stdout, or `path` (written atomically). `fit` cuts lines to the
    /// terminal's width when writing a table to a terminal.
    pub fn open(path: Option<&str>, fit: bool, rep: &'r Reporter<'w>) -> Result<Output<'r, 'w>, Message> {
        let target = match path {
            None | Some("-") => Target::Stdout { rep, buffer: Vec::with_capacity(BUFFER), open: true },
            Some(p) => {
                let path = PathBuf::from(p);
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
                let file = File::create(&tmp).map_err(|e| {
                    Message::new(format!("cannot write `{p}`: {e}"), format!("无法写入 `{p}`：{e}"))
                })?;
                Target::File { writer: BufWriter::with_capacity(1 << 16, file), tmp, path }
            }
        };
        let width = if fit && matches!(target, Target::Stdout { .. }) { terminal_width(rep) } else { None };
        Ok(Output { target, width, error: None })
    }

    /// Write text. A reader of stdout that has gone away (`| head`) is not an error.
    pub fn write(&mut self, text: &str) {
        if let Some(w) = self.width {
            let fitted = fit_lines(text, w);
            self.write_raw(fitted.as_bytes());
        } else {
            self.write_raw(text.as_bytes());
        }
    }

    /// Write bytes as they are.
    pub fn write_raw(&mut self, bytes: &[u8]) {
        match &mut self.target {
            Target::Stdout { rep, buffer, open } => {
                if !*open {
                    return;
                }
                if buffer.len() + bytes.len() < BUFFER {
                    buffer.extend_from_slice(bytes);
                } else {
                    // What is held goes first, then a large piece goes out without a copy.
                    *open = rep.out_bytes(buffer) && rep.out_bytes(bytes);
                    buffer.clear();
                }
            }
            Target::File { writer, .. } => {
                if self.error.is_none()
                    && let Err(e) = writer.write_all(bytes)
                {
                    self.error = Some(e);
                }
            }
        }
    }

    /// Finish: flush stdout, or move the file into place. `keep` false removes a file that
    /// should not be written (nothing could be scored).
    pub fn finish(self, keep: bool) -> Result<(), Message> {
        match self.target {
            Target::Stdout { rep, buffer, open } => {
                if open && rep.out_bytes(&buffer) {
                    rep.flush_out();
                }
                Ok(())
            }
            Target::File { writer, tmp, path } => {
                let shown = path.display().to_string();
                let fail = |e: std::io::Error| {
                    Message::new(format!("cannot write `{shown}`: {e}"), format!("无法写入 `{shown}`：{e}"))
                };
                let result = match self.error {
                    Some(e) => Err(e),
                    None => writer.into_inner().map_err(|e| e.into_error()).and_then(|f| f.sync_all()),
                };
                match result {
                    Ok(()) if keep => std::fs::rename(&tmp, &path).map_err(|e| {
                        let _ = std::fs::remove_file(&tmp);
                        fail(e)
                    }),
                    Ok(()) => {
                        let _ = std::fs::remove_file(&tmp);
                        Ok(())
                    }
                    Err(e) => {
                        let _ = std::fs::remove_file(&tmp);
                        Err(fail(e))
                    }
                }
            }
        }
    }
}

/// Cut each line wider than `width` columns, marking the cut with `…`.
pub fn fit_lines(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let total: usize = body.chars().map(|c| c.width().unwrap_or(0)).sum();
        if total <= width || width < 2 {
            out.push_str(line);
            continue;
        }
        let mut used = 0;
        for c in body.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            used += w;
            out.push(c);
        }
        out.push('…');
        out.push_str(end);
    }
    out
}

/// One CSV field, quoted when it needs to be. Text that a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@` first) is prefixed with `'` so it stays text.
pub fn csv_text(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    csv_field(&guarded)
}

/// One CSV field as it is (numbers), quoted when it needs to be.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_by_display_width() {
        assert_eq!(fit_lines("项目名称很长\nab\n", 7), "项目名…\nab\n");
        assert_eq!(fit_lines("abcdef", 6), "abcdef");
        assert_eq!(fit_lines("abcdefg", 6), "abcde…");
    }

    #[test]
    fn csv_fields_are_quoted_and_guarded() {
        assert_eq!(csv_text("a,b"), "\"a,b\"");
        assert_eq!(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-1.20"), "-1.20");
    }
}
