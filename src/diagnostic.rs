//! Diagnostics as data: what went wrong, where, in both languages.
//!
//! Every stage turns its own error type into [`Diagnostic`]s; only the reporting layer knows how
//! to draw them. Spans are byte ranges into a [`SourceFile`] held by [`Sources`].

use crate::codes::Code;
use serde::Serialize;

pub use crate::ast::Span;
use crate::words::Lang;

/// Identifies one file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub usize);

/// A file's name (as the user gave it) and text.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SourceFile {
    /// The path as given on the command line or in an `extends`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// The files a run has read, so diagnostics can point into any of them.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a file and get its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile { name: name.into(), text: text.into() });
        FileId(self.files.len() - 1)
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0)
    }

    /// The file's name, or `?` for an unknown id.
    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.name.as_str()).unwrap_or("?")
    }

    /// All files in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    /// `name:line:column` for a byte offset (1-based line and column, columns in characters).
    pub fn location(&self, id: FileId, offset: usize) -> String {
        match self.get(id) {
            Some(file) => {
                let (line, col) = line_col(&file.text, offset);
                format!("{}:{line}:{col}", file.name)
            }
            None => "?".to_string(),
        }
    }
}

/// Where each line starts, for finding the line of many offsets in one text quickly.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index a text.
    pub fn new(text: &str) -> Self {
        // Counted first (memchr counts without stopping at each), so the list is allocated once.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let mut starts = Vec::with_capacity(lines + 1);
        starts.push(0);
        // memchr's vectorised search: several times faster than `match_indices` on a policy file.
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The bytes of a 1-based line, without its line break, in a text `len` bytes long; an
    /// empty range at the end for a line past the last.
    pub fn line_range(&self, line: usize, len: usize) -> std::ops::Range<usize> {
        let i = line.saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(len).min(len);
        let end = self.starts.get(i + 1).map_or(len, |e| e.saturating_sub(1)).max(start);
        start..end
    }
}

/// 1-based line and column (in characters) of a byte offset; offsets past the end clamp.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// A text in English and Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

impl Message {
    /// A message from its two texts.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Message { en: en.into(), zh: zh.into() }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Build a [`Message`] from two format strings: `msg!("unknown `{x}`", "未知的 `{x}`")`.
#[macro_export]
macro_rules! msg {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::diagnostic::Message { en: format!($en), zh: format!($zh) }
    };
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file works but probably not as meant.
    Warning,
}

/// The text under a diagnostic's main span when the stage that made it gave none.
pub(crate) fn default_label(code: Code) -> Message {
    match code {
        Code::UnknownName | Code::UnknownField => Message::new("not known", "未知"),
        Code::TypeMismatch => Message::new("wrong kind of value", "取值类型不符"),
        Code::PointsDoNotSum => Message::new("does not match", "合计不符"),
        Code::BandOverlap => Message::new("overlaps", "重叠"),
        Code::BandGap => Message::new("gap here", "此处有空档"),
        Code::BandEmpty => Message::new("empty", "空区间"),
        Code::BandUnreachable => Message::new("never applies", "永远不会适用"),
        Code::UnavailableValue => Message::new("not available here", "此处不可用"),
        Code::WrongType => Message::new("wrong type", "类型不符"),
        Code::MissingField => Message::new("missing", "缺失"),
        Code::UnreadableNumber | Code::UnreadableCell => Message::new("cannot be read", "无法读取"),
        Code::SheetSyntax => Message::new("here", "此处"),
        _ => Message::new("here", "此处"),
    }
}

/// A secondary place related to a diagnostic.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Label {
    /// Which file.
    pub file: FileId,
    /// Where in it.
    #[serde(skip)]
    pub span: Span,
    /// What this place has to do with the problem.
    pub message: Message,
}

/// One problem found in a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of problem, written as a stable kebab-case name (`unknown-name`).
    pub code: Code,
    /// What is wrong.
    pub message: Message,
    /// The file it is in.
    pub file: FileId,
    /// Where in the file.
    #[serde(skip)]
    pub span: Span,
    /// Text under the main span (defaults to nothing).
    pub label: Option<Message>,
    /// Related places.
    pub labels: Vec<Label>,
    /// How to fix it, when that is clear.
    pub help: Option<Message>,
    /// More context.
    pub notes: Vec<Message>,
}

impl Diagnostic {
    /// An error at `span` in `file`.
    pub fn error(code: Code, file: FileId, span: Span, message: Message) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message,
            file,
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// A warning at `span` in `file`.
    pub fn warning(code: Code, file: FileId, span: Span, message: Message) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(code, file, span, message) }
    }

    /// Text under the main span.
    pub fn with_label(mut self, message: Message) -> Self {
        self.label = Some(message);
        self
    }

    /// Add a related place.
    pub fn with_related(mut self, file: FileId, span: Span, message: Message) -> Self {
        self.labels.push(Label { file, span, message });
        self
    }

    /// Say how to fix it.
    pub fn with_help(mut self, help: Message) -> Self {
        self.help = Some(help);
        self
    }

    /// Add context.
    pub fn with_note(mut self, note: Message) -> Self {
        self.notes.push(note);
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `error[code]: message` in English; renderers draw the full diagnostic with its source.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}[{}]: {}", self.code, self.message.en)
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_range_holds_the_line_without_its_break() {
        let text = "一\n二三\n\nfour";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_range(2, text.len())], "二三");
        assert_eq!(&text[index.line_range(3, text.len())], "");
        assert_eq!(&text[index.line_range(4, text.len())], "four");
        assert_eq!(index.line_range(9, text.len()), text.len()..text.len());
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "一\n二三\n\nfour\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(index.line(offset), line_col(text, offset).0, "offset {offset}");
            }
        }
    }
}
