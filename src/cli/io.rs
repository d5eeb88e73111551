//! Reading files, finding rules, and reporting diagnostics for the subcommands.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use crate::check::Checked;
use crate::diagnostic::{Diagnostic, Message, Sources};
use crate::library::Library;
use crate::policy::Policy;
use crate::report::diagnostics;
use crate::words::Lang;

/// Whether the process's own stdout and stderr are terminals. `run` writes to any writer and
/// assumes neither is; `main` tells the truth, so colour, fitted tables and the progress bar
/// appear only on a real terminal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Terminal {
    /// The writer given as `out` is a terminal.
    pub stdout: bool,
    /// The writer given as `err` is a terminal.
    pub stderr: bool,
}

impl Terminal {
    /// The process's own stdout and stderr.
    pub fn detect() -> Terminal {
        Terminal { stdout: std::io::stdout().is_terminal(), stderr: std::io::stderr().is_terminal() }
    }
}

/// Where a command's input, output and messages go, in which language, and whether in colour.
/// Every subcommand reads `-` and prints through one of these and nothing else.
pub struct Reporter<'w> {
    lang: Lang,
    color: bool,
    terminal: Terminal,
    stdin: RefCell<Option<Box<dyn Read>>>,
    out: RefCell<&'w mut dyn Write>,
    err: RefCell<&'w mut dyn Write>,
}

impl<'w> Reporter<'w> {
    /// A reporter reading a sheet given as `-` from `stdin` and writing to `out` and `err`.
    /// Colour on stderr when it is a terminal and `NO_COLOR` is not set.
    pub fn new(
        lang: Lang,
        terminal: Terminal,
        stdin: Box<dyn Read>,
        out: &'w mut dyn Write,
        err: &'w mut dyn Write,
    ) -> Reporter<'w> {
        let color = terminal.stderr && std::env::var_os("NO_COLOR").is_none();
        Reporter {
            lang,
            color,
            terminal,
            stdin: RefCell::new(Some(stdin)),
            out: RefCell::new(out),
            err: RefCell::new(err),
        }
    }

    /// The input `-` stands for. It can be read once: a second `-` finds it empty.
    pub fn take_stdin(&self) -> Box<dyn Read> {
        self.stdin.borrow_mut().take().unwrap_or_else(|| Box::new(std::io::empty()))
    }

    /// The language of messages.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether what goes to stderr is coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Whether stdout and stderr are terminals.
    pub fn terminal(&self) -> Terminal {
        self.terminal
    }

    /// Print diagnostics to stderr.
    pub fn report(&self, diags: &[Diagnostic], sources: &Sources) {
        if diags.is_empty() {
            return;
        }
        self.err_text(&diagnostics::render(diags, sources, self.lang, self.color));
    }

    /// Write bytes to stdout. A reader that has gone away (`jixiao eval … | head`) is not an
    /// error; `false` says the bytes did not go out.
    pub fn out_bytes(&self, bytes: &[u8]) -> bool {
        match self.out.try_borrow_mut() {
            Ok(mut w) => w.write_all(bytes).is_ok(),
            Err(_) => false,
        }
    }

    /// Flush stdout.
    pub fn flush_out(&self) {
        if let Ok(mut w) = self.out.try_borrow_mut() {
            let _ = w.flush();
        }
    }

    /// Write to stdout, and flush.
    pub fn out(&self, text: &str) {
        if self.out_bytes(text.as_bytes()) {
            self.flush_out();
        }
    }

    /// Write a line to stderr, ignoring a stderr that has gone away.
    pub fn err_line(&self, text: &str) {
        if let Ok(mut w) = self.err.try_borrow_mut() {
            let _ = writeln!(w, "{text}");
        }
    }

    /// Write text to stderr as it is.
    pub fn err_text(&self, text: &str) {
        if let Ok(mut w) = self.err.try_borrow_mut() {
            let _ = w.write_all(text.as_bytes());
        }
    }

    /// Print a plain error (no source to point at) to stderr.
    pub fn fail(&self, message: Message) {
        let lang = self.lang;
        self.err_line(&format!("{}: {}", lang.pick("error", "错误"), message.get(lang)));
    }

    /// Print a warning to stderr.
    pub fn warn(&self, message: Message) {
        let lang = self.lang;
        self.err_line(&format!("{}: {}", lang.pick("warning", "警告"), message.get(lang)));
    }

    /// Print a note to stderr.
    pub fn note(&self, message: Message) {
        let lang = self.lang;
        self.err_line(&format!("{}: {}", lang.pick("note", "提示"), message.get(lang)));
    }

    /// Print what ended a command.
    pub fn error(&self, error: Error) {
        match error {
            Error::Input(message) => self.fail(message),
            Error::Reported => {}
        }
    }

    /// Flush both writers.
    pub fn flush(&self) {
        self.flush_out();
        if let Ok(mut w) = self.err.try_borrow_mut() {
            let _ = w.flush();
        }
    }
}

/// Why a command could not do its work (exit code 2).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An input or argument that cannot be used, said in both languages.
    Input(Message),
    /// The problems were already reported (diagnostics drawn at their source).
    Reported,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Input(m) => f.write_str(&m.en),
            Error::Reported => f.write_str("the problems were reported"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Message> for Error {
    fn from(m: Message) -> Error {
        Error::Input(m)
    }
}

/// Read a file as UTF-8 text.
pub fn read(path: &str) -> Result<String, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Message::new(format!("cannot read `{path}`: {e}"), format!("无法读取 `{path}`：{e}")))?;
    String::from_utf8(bytes).map_err(|_| {
        Error::Input(Message::new(format!("`{path}` is not UTF-8 text"), format!("`{path}` 不是 UTF-8 文本")))
    })
}

/// Where rules come from.
pub enum Rules {
    /// One policy file.
    File(String),
    /// A rules folder: `<folder>/<jurisdiction>/<year>.policy`.
    Dir(String),
    /// The rules built into jixiao.
    Builtin,
}

/// `--rules`, else `$JIXIAO_RULES`, else `./rules` if it is a folder, else the built-in rules.
pub fn rules_source(arg: Option<&str>) -> Rules {
    let chosen =
        arg.map(str::to_string).or_else(|| std::env::var("JIXIAO_RULES").ok().filter(|s| !s.is_empty()));
    match chosen {
        Some(p) if Path::new(&p).is_dir() => Rules::Dir(p),
        Some(p) => Rules::File(p),
        None if Path::new("rules").is_dir() => Rules::Dir("rules".to_string()),
        None => Rules::Builtin,
    }
}

/// Read every `<jurisdiction>/<year>.policy` under `dir`.
pub fn library_from_dir(dir: &str) -> Result<Library, Error> {
    let mut lib = Library::new();
    let root = Path::new(dir);
    let jurisdictions = std::fs::read_dir(root).map_err(|e| {
        Message::new(
            format!("cannot read the rules folder `{dir}`: {e}"),
            format!("无法读取规则目录 `{dir}`：{e}"),
        )
    })?;
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for j in jurisdictions.flatten() {
        let jpath = j.path();
        if !jpath.is_dir() {
            continue;
        }
        let Some(jname) = jpath.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        for f in std::fs::read_dir(&jpath).into_iter().flatten().flatten() {
            let fpath = f.path();
            if fpath.extension().is_some_and(|e| e == "policy")
                && let Some(stem) = fpath.file_stem().and_then(|s| s.to_str())
            {
                files.insert(format!("{jname}/{stem}"), fpath.clone());
            }
        }
    }
    for (name, path) in files {
        let shown = path.to_string_lossy().replace('\\', "/");
        let text = read(&shown)?;
        lib.insert(name, shown, text);
    }
    Ok(lib)
}

/// The library a policy file's `extends` are resolved in: `--rules DIR` if given, else the
/// folder two levels up (`rules/` for `rules/hunan/2023.policy`). Only the policies the chain
/// names are read from it (`<root>/<name>.policy`), so unrelated files there never matter.
fn library_for(
    path: &str,
    text: &str,
    rules: Option<&str>,
    cache: &mut BTreeMap<String, Library>,
) -> Result<(Library, Option<String>), Error> {
    let p = Path::new(path);
    let root = match rules {
        Some(r) => PathBuf::from(r),
        None => p.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default(),
    };
    let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
    let key = root.to_string_lossy().into_owned();
    let lib = cache.entry(key).or_default();
    let mut next = extends_of(lib, text);
    while let Some(name) = next.take() {
        if lib.get(&name).is_some() || name.contains("..") {
            break;
        }
        let file = root.join(format!("{name}.policy"));
        if !file.is_file() {
            break;
        }
        let shown = file.to_string_lossy().replace('\\', "/");
        let parent = read(&shown)?;
        next = extends_of(lib, &parent);
        lib.insert(name, shown, parent);
    }
    Ok((lib.clone(), library_name(path)))
}

/// Whether a policy text may extend another (it holds the keyword).
fn mentions_extends(text: &str) -> bool {
    text.contains("extends") || text.contains("继承")
}

/// The policy a policy text extends, if it parses and says so. It is parsed through the
/// library's cache, so resolving it afterwards does not parse it again.
fn extends_of(lib: &Library, text: &str) -> Option<String> {
    if !mentions_extends(text) {
        return None;
    }
    lib.parse(text).and_then(|f| {
        f.items.iter().find_map(|i| match &i.kind {
            crate::ast::ItemKind::Extends(t) => Some(t.value.clone()),
            _ => None,
        })
    })
}

/// A policy file's name in its rules folder (`hunan/2023` for `rules/hunan/2023.policy`), so a
/// cycle through it is recognised and its header can be held to its path.
fn library_name(path: &str) -> Option<String> {
    let p = Path::new(path);
    p.parent()
        .and_then(|d| d.file_name())
        .and_then(|d| d.to_str())
        .zip(p.file_stem().and_then(|s| s.to_str()))
        .map(|(j, y)| format!("{j}/{y}"))
}

/// Parse, compose (when it extends another policy) and check one policy file. Its diagnostics
/// go to `diags`; an error is a file that cannot be read.
pub fn policy_file(
    path: &str,
    rules: Option<&str>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    cache: &mut BTreeMap<String, Library>,
) -> Result<Option<Checked>, Error> {
    if !Path::new(path).exists() {
        return Err(Error::Input(Message::new(
            format!("`{path}` does not exist"),
            format!("`{path}` 不存在"),
        )));
    }
    let text = read(path)?;
    let (lib, name) = if mentions_extends(&text) {
        library_for(path, &text, rules, cache)?
    } else {
        (Library::new(), library_name(path))
    };
    match lib.resolve_text(path, &text, name.as_deref(), sources) {
        Ok(checked) => {
            diags.extend(checked.warnings.iter().cloned());
            Ok(Some(checked))
        }
        Err(e) => {
            diags.extend(e.diagnostics);
            Ok(None)
        }
    }
}

/// Resolve a policy of the library by name; errors are reported and end the run.
pub fn resolve(lib: &Library, name: &str, rep: &Reporter<'_>) -> Option<Policy> {
    let mut sources = Sources::new();
    let result = lib.resolve(name, &mut sources);
    match result {
        Ok(checked) => Some(checked.policy),
        Err(e) => {
            let errors: Vec<Diagnostic> = e.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
            rep.report(&errors, &sources);
            None
        }
    }
}

/// A policy given as a file, resolved against its rules folder when it extends another. Its
/// errors are reported; warnings are left to `jixiao check`.
pub fn load_policy_file(path: &str, rep: &Reporter<'_>) -> Result<Policy, Error> {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let mut cache = BTreeMap::new();
    let checked = policy_file(path, None, &mut sources, &mut diags, &mut cache)?;
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    match checked {
        Some(c) if errors.is_empty() => Ok(c.policy),
        _ => {
            rep.report(&errors, &sources);
            Err(Error::Reported)
        }
    }
}

/// The library for `Rules::Dir` or `Rules::Builtin`.
pub fn library(rules: &Rules) -> Result<Library, Error> {
    match rules {
        Rules::Dir(d) => library_from_dir(d),
        Rules::Builtin => {
            let mut lib = Library::new();
            let builtin = Library::embedded();
            for name in builtin.names() {
                if let Some(e) = builtin.get(name) {
                    lib.insert(name, format!("builtin:{}", e.path), e.text.clone());
                }
            }
            Ok(lib)
        }
        Rules::File(_) => Ok(Library::new()),
    }
}
