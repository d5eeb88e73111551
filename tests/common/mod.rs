//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jixiao::diagnostic::{Diagnostic, Sources};
use jixiao::report::diagnostics;
use jixiao::words::Lang;

/// A path relative to the crate root, with forward slashes, for stable snapshots.
pub fn rel(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// The policies of a rules folder (`<jurisdiction>/<year>.policy`), named as jixiao names them.
pub fn library_from(dir: &Path) -> jixiao::library::Library {
    let mut lib = jixiao::library::Library::new();
    for j in std::fs::read_dir(dir).expect("rules folder").flatten() {
        for f in std::fs::read_dir(j.path()).expect("jurisdiction folder").flatten() {
            let path = f.path();
            if path.extension().is_none_or(|e| e != "policy") {
                continue;
            }
            let name = format!(
                "{}/{}",
                j.file_name().to_string_lossy(),
                path.file_stem().expect("stem").to_string_lossy()
            );
            lib.insert(name, rel(&path), std::fs::read_to_string(&path).expect("rule file is readable"));
        }
    }
    lib
}

/// The bundled rules, read from `rules/`.
pub fn bundled_rules() -> jixiao::library::Library {
    library_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
}

/// Parse and check one policy text alone (an `extends` is not resolved); the diagnostics, if
/// any, and the sources to render them.
pub fn check_text(name: &str, text: &str) -> (Vec<Diagnostic>, Sources) {
    let mut sources = Sources::new();
    let id = sources.add(name, text);
    let diags = match jixiao::internals::parse_policy(text) {
        Err(errors) => errors.iter().map(|e| e.to_diagnostic(id)).collect(),
        Ok(file) => match jixiao::internals::check_file(&file, id, &sources) {
            Ok(checked) => checked.warnings,
            Err(e) => e.diagnostics,
        },
    };
    (diags, sources)
}

/// Diagnostics drawn without colour, English then Chinese.
pub fn render_both(diags: &[Diagnostic], sources: &Sources) -> String {
    format!(
        "{}\n===== zh =====\n{}",
        diagnostics::render(diags, sources, Lang::En, false),
        diagnostics::render(diags, sources, Lang::Zh, false)
    )
}

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr, for a snapshot.
    pub fn transcript(&self, args: &[&str]) -> String {
        format!(
            "$ jixiao {}\nexit: {:?}\n----- stdout -----\n{}----- stderr -----\n{}",
            args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

/// The binary with `args`, run from the crate root with no colour and an English locale, and
/// with no rules folder or backtrace setting taken from the environment.
pub fn jixiao(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("JIXIAO_RULES")
        .env_remove("RUST_BACKTRACE");
    cmd
}

/// Run a prepared command to its end.
pub fn run_with(mut cmd: Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run the binary with `args`.
pub fn run(args: &[&str]) -> Run {
    run_with(jixiao(args))
}

/// Run the binary with `args` and `stdin` on its standard input.
pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = jixiao(args);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawned");
    if let Some(mut i) = child.stdin.take() {
        i.write_all(stdin).expect("stdin written");
    }
    let out = child.wait_with_output().expect("finished");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A file `name` in the test scratch folder `folder` (created).
pub fn scratch(folder: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir.join(name)
}
