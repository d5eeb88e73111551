//! `jixiao diff OLD NEW [--corpus PATH...]`

use std::fmt::Write as _;
use std::sync::Arc;

use crate::diagnostic::Message;
use crate::diff::{self, Change, RuleChange, SheetImpact};
use crate::policy::Policy;
use crate::report::plain;
use crate::words::Lang;

use super::batch::{self, Inputs};
use super::io::{Error, Reporter};
use super::resolve::Resolver;
use super::{Outcome, io};

#[derive(clap::Args)]
pub struct Args {
    /// The old policy: a file, a name in the rules (`hunan/2021`), or a year (`2021`).
    old: String,
    /// The new policy, in the same forms.
    new: String,
    /// Sheets to score under both policies: files, folders, JSON Lines, or `-` for stdin.
    #[arg(long, num_args = 1..)]
    corpus: Vec<String>,
    /// The rules folder names and years refer to (default: `$JIXIAO_RULES`, `./rules`, built in).
    #[arg(long)]
    rules: Option<String>,
    /// The jurisdiction years refer to (default: `national`).
    #[arg(long)]
    jurisdiction: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Words.
    Text,
    /// JSON.
    Json,
}

/// A policy argument: a file, a library name, or a year.
fn policy_arg(
    arg: &str,
    resolver: &mut Resolver,
    jurisdiction: &str,
    rep: &Reporter<'_>,
) -> Result<(String, Arc<Policy>), Error> {
    if std::path::Path::new(arg).is_file() {
        let policy = io::load_policy_file(arg, rep)?;
        return Ok((arg.to_string(), Arc::new(policy)));
    }
    if resolver.library().get(arg).is_some() {
        return resolver.named(arg, rep).map(|p| (arg.to_string(), p)).ok_or(Error::Reported);
    }
    if let Ok(year) = arg.parse::<u32>() {
        let name = resolver.library().select(jurisdiction, year).map_err(|e| e.message())?.name;
        return resolver.named(&name, rep).map(|p| (name, p)).ok_or(Error::Reported);
    }
    Err(Error::Input(Message::new(
        format!("`{arg}` is not a policy file, a policy in the rules, or a year"),
        format!("`{arg}` 既不是政策文件、规则中的政策，也不是年度"),
    )))
}

pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let lang = rep.lang();
    // Names and years are looked up in a rules folder; a file given as --rules would not do.
    let rules = args.rules.as_deref().filter(|r| std::path::Path::new(r).is_dir());
    let mut resolver = Resolver::new(rules, None, None, rep)?;
    let jurisdiction = args.jurisdiction.clone().unwrap_or_else(|| "national".to_string());
    let (old_name, old) = policy_arg(&args.old, &mut resolver, &jurisdiction, rep)?;
    let (new_name, new) = policy_arg(&args.new, &mut resolver, &jurisdiction, rep)?;
    let mut failed = false;
    let sheets = if args.corpus.is_empty() {
        Vec::new()
    } else {
        let mut inputs = Inputs::new(&args.corpus, rep);
        if inputs.is_empty() {
            return Err(Error::Input(crate::diagnostic::Message::new(
                format!("no .toml, .json or .jsonl sheets in `{}`", args.corpus.join("`, `")),
                format!("`{}` 中没有 .toml、.json 或 .jsonl 自评表", args.corpus.join("`、`")),
            )));
        }
        let (sheets, tally) = batch::read_all(&mut inputs, rep);
        if tally.failed > 0 && sheets.is_empty() {
            return Err(Error::Reported);
        }
        failed = tally.failed > 0;
        sheets
    };
    let changes = diff::rule_changes(&old, &new, lang);
    let impacts = diff::impact(&old, &new, &changes, &sheets, lang);
    let summary = diff::summarize(&impacts);
    let differs = !changes.is_empty() || impacts.iter().any(SheetImpact::changed);
    match args.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Side<'a> {
                name: &'a str,
                file: Option<&'a String>,
                hash: &'a str,
            }
            #[derive(serde::Serialize)]
            struct Doc<'a> {
                old: Side<'a>,
                new: Side<'a>,
                rule_changes: &'a [RuleChange],
                impact: &'a [SheetImpact],
                summary: &'a diff::Summary,
            }
            let doc = Doc {
                old: Side { name: &old_name, file: old.files.first(), hash: old.hash() },
                new: Side { name: &new_name, file: new.files.first(), hash: new.hash() },
                rule_changes: &changes,
                impact: &impacts,
                summary: &summary,
            };
            rep.out(&format!("{}\n", crate::report::json::to_string_pretty(&doc).unwrap_or_default()));
        }
        Format::Text => rep.out(&text(
            &old_name,
            &old,
            &new_name,
            &new,
            &changes,
            &impacts,
            &summary,
            !sheets.is_empty(),
            lang,
        )),
    }
    Ok(if failed {
        Outcome::SomeFailed
    } else if differs {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Declarations as headings in the reader's language (`method 正向; tiers 定性三档`).
fn titles(decls: &[crate::decl::Decl], lang: Lang) -> String {
    let titles: Vec<String> = decls.iter().map(|d| d.title(lang)).collect();
    titles.join(lang.pick("; ", "；"))
}

#[allow(clippy::too_many_arguments)]
fn text(
    old_name: &str,
    old: &Policy,
    new_name: &str,
    new: &Policy,
    changes: &[RuleChange],
    impacts: &[SheetImpact],
    summary: &diff::Summary,
    with_corpus: bool,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{old_name} ({}) → {new_name} ({})", old.hash(), new.hash());
    let _ = writeln!(out);
    if changes.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("The rules are the same.", "规则没有变化。"));
    } else {
        let _ = writeln!(out, "{}", lang.pick("Changed rules:", "规则变化："));
        for c in changes {
            let (mark, word) = match c.change {
                Change::Added => ("+", lang.pick("added", "新增")),
                Change::Removed => ("-", lang.pick("removed", "删除")),
                _ => ("~", lang.pick("changed", "修改")),
            };
            let _ = writeln!(out, "  {mark} {} ({word})", c.title);
            for l in &c.removed {
                let _ = writeln!(out, "      - {l}");
            }
            for l in &c.added {
                let _ = writeln!(out, "      + {l}");
            }
        }
    }
    if !with_corpus {
        return out;
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            &format!("Impact on {} sheet(s):", impacts.len()),
            &format!("对 {} 份自评表的影响：", impacts.len())
        )
    );
    let fixed = |d: Option<rust_decimal::Decimal>| {
        d.map(|x| crate::report::fixed(x, 2)).unwrap_or_else(|| "✗".into())
    };
    for i in impacts {
        if !i.changed() {
            let _ = writeln!(out, "  {}  {}  {}", i.sheet, i.project, lang.pick("unchanged", "无变化"));
            continue;
        }
        let grade = |g: &Option<String>| g.clone().unwrap_or_else(|| "—".into());
        let delta = i.delta();
        let sign = if delta > rust_decimal::Decimal::ZERO { "+" } else { "" };
        let _ = writeln!(
            out,
            "  {}  {}  {} {} → {} {}  ({sign}{})",
            i.sheet,
            i.project,
            crate::report::fixed(i.old_total, 2),
            grade(&i.old_grade),
            crate::report::fixed(i.new_total, 2),
            grade(&i.new_grade),
            crate::report::fixed(delta, 2)
        );
        for m in &i.moves {
            let because = if m.because.is_empty() { "—".to_string() } else { titles(&m.because, lang) };
            let _ = writeln!(
                out,
                "      {}  {} → {}  {} {because}",
                m.what,
                fixed(m.old),
                fixed(m.new),
                lang.pick("because", "原因：")
            );
        }
        if !i.total_because.is_empty() {
            let _ = writeln!(
                out,
                "      {} {}",
                lang.pick("total: because", "总分/等级原因："),
                titles(&i.total_because, lang)
            );
        }
    }
    let _ = writeln!(out);
    let largest: Vec<String> = summary
        .largest
        .iter()
        .map(|(s, d)| format!("{s} {}{}", if *d > rust_decimal::Decimal::ZERO { "+" } else { "" }, plain(*d)))
        .collect();
    let largest = if largest.is_empty() {
        String::new()
    } else {
        format!("{}{}", lang.pick("; largest moves: ", "；变化最大："), largest.join(lang.pick(", ", "，")))
    };
    let (sheets, totals, grades) = (summary.sheets, summary.total_changed, summary.grade_changed);
    let line = if lang == Lang::Zh {
        format!("小结：共 {sheets} 份，总分变化 {totals} 份，等级变化 {grades} 份{largest}")
    } else {
        format!("Summary: {sheets} sheet(s), {totals} changed total, {grades} changed grade{largest}")
    };
    let _ = writeln!(out, "{line}");
    out
}
