//! `jixiao snapshot record|check|accept [--rules DIR] [--dir SNAPSHOT_DIR] SHEETS...`

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Message;
use crate::report::{View, snapshot};

use super::batch::Batch;
use super::io::{Error, Reporter};
use super::{Outcome, eval, resolve};

#[derive(clap::Args)]
pub struct Args {
    /// What to do.
    #[arg(value_enum)]
    action: Action,
    #[command(flatten)]
    input: resolve::SheetArgs,
    /// Where snapshots are kept.
    #[arg(long, default_value = "snapshots")]
    dir: String,
    #[command(flatten)]
    run: eval::RunArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Action {
    /// Write a snapshot for every sheet.
    Record,
    /// Re-score every sheet and show what changed against its snapshot.
    Check,
    /// Write the new snapshots of the sheets whose scores changed.
    Accept,
}

/// Where a sheet's snapshot lives: the sheet's path under `dir`, with `.snap` appended.
fn snapshot_path(dir: &str, sheet: &str) -> PathBuf {
    let mut out = PathBuf::from(dir);
    // A JSON Lines sheet (`big.jsonl:17`) gets `big.jsonl/17.snap`; stdin is `stdin`.
    let sheet = sheet.replace("<stdin>", "stdin");
    let sheet = match sheet.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{file}/{line}")
        }
        _ => sheet.clone(),
    };
    for c in Path::new(&sheet).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => out.push("_up"),
            _ => {}
        }
    }
    let name = out
        .file_name()
        .map(|n| format!("{}.snap", n.to_string_lossy()))
        .unwrap_or_else(|| "sheet.snap".into());
    out.set_file_name(name);
    out
}

/// Write a file whole or not at all: to a temporary name, then renamed into place.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("snap.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let lang = rep.lang();
    let runner = args.run.runner()?;
    let (mut resolver, mut inputs) = args.input.open(rep)?;
    let mut changed = 0u64;
    let mut written = 0u64;
    let mut write_error = false;
    let mut batch = Batch::new(&mut resolver, rep, &runner);
    let dir = args.dir.clone();
    batch.run(
        &mut inputs,
        |view: &View<'_>, _| (snapshot_path(&dir, view.sheet_name), snapshot::render(view)),
        |scored| {
            let name = &scored.facts.name;
            let (path, text) = scored.out;
            let stored = std::fs::read_to_string(&path).ok();
            let differs = stored.as_deref() != Some(text.as_str());
            match args.action {
                Action::Record => {}
                Action::Check | Action::Accept if !differs => return,
                Action::Check => {
                    changed += 1;
                    match &stored {
                        None => rep.out(&format!(
                            "{}\n",
                            lang.pick(
                                &format!("{name}: no snapshot yet ({})", path.display()),
                                &format!("{name}：尚无快照（{}）", path.display())
                            )
                        )),
                        Some(old) => {
                            rep.out(&format!(
                                "{}\n",
                                lang.pick(&format!("{name}: scores changed"), &format!("{name}：得分有变化"))
                            ));
                            let diff = similar::TextDiff::from_lines(old.as_str(), text.as_str());
                            rep.out(
                                &diff
                                    .unified_diff()
                                    .context_radius(2)
                                    .header(&path.display().to_string(), lang.pick("now", "当前"))
                                    .to_string(),
                            );
                        }
                    }
                    return;
                }
                Action::Accept => changed += 1,
            }
            if let Err(e) = write_atomically(&path, &text) {
                rep.fail(Message::new(
                    format!("cannot write `{}`: {e}", path.display()),
                    format!("无法写入 `{}`：{e}", path.display()),
                ));
                write_error = true;
                return;
            }
            written += 1;
        },
    );
    let tally = std::mem::take(&mut batch.tally);
    let total = tally.scored;
    if write_error {
        return Err(Error::Reported);
    }
    match args.action {
        Action::Record => rep.err_line(lang.pick(
            &format!("recorded {written} snapshot(s) in `{}`", args.dir),
            &format!("已在 `{}` 记录 {written} 份快照", args.dir),
        )),
        Action::Accept => rep.err_line(lang.pick(
            &format!("accepted {written} changed snapshot(s) of {total}"),
            &format!("已接受 {written} 份变化的快照（共 {total} 份）"),
        )),
        Action::Check if changed == 0 => rep.err_line(
            lang.pick(&format!("{total} snapshot(s) unchanged"), &format!("{total} 份快照均无变化")),
        ),
        Action::Check => {
            rep.err_line(lang.pick(
                    &format!("{changed} of {total} snapshot(s) changed; run `jixiao snapshot accept` to take the new scores"),
                    &format!("{total} 份中有 {changed} 份快照变化；运行 `jixiao snapshot accept` 接受新得分"),
                ));
        }
    }
    if tally.failed > 0 {
        rep.err_line(lang.pick(
            &format!("{} sheet(s) could not be read or scored", tally.failed),
            &format!("{} 张自评表无法读取或评分", tally.failed),
        ));
    }
    Ok(match eval::outcome(&tally) {
        Outcome::Findings | Outcome::Clean if changed > 0 && args.action == Action::Check => {
            Outcome::Findings
        }
        Outcome::Findings => Outcome::Clean,
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_mirror_the_sheet_path() {
        assert_eq!(
            snapshot_path("snapshots", "examples/a.toml"),
            PathBuf::from("snapshots/examples/a.toml.snap")
        );
        assert_eq!(snapshot_path("s", "../x/b.json"), PathBuf::from("s/_up/x/b.json.snap"));
        assert_eq!(snapshot_path("s", "/abs/c.toml"), PathBuf::from("s/abs/c.toml.snap"));
        assert_eq!(snapshot_path("s", "big.jsonl:17"), PathBuf::from("s/big.jsonl/17.snap"));
        assert_eq!(snapshot_path("s", "<stdin>:2"), PathBuf::from("s/stdin/2.snap"));
    }
}
