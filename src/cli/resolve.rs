//! Choosing the policy for each sheet: one file for all, or the newest policy of the sheet's
//! jurisdiction in effect in its year.

use std::collections::BTreeMap;
use std::rc::Rc;

use jixiao::diagnostic::Message;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::sheet::Sheet;
use jixiao::words::Lang;

use super::io::{self, Rules};

/// The sheets to score and the rules to score them with, as `eval` and `snapshot` take them.
#[derive(clap::Args)]
pub struct SheetArgs {
    /// Sheets (.toml, .json, .xlsx, .xls, .ods or .csv files, or folders of them).
    #[arg(required = true)]
    sheets: Vec<String>,
    /// A policy file, or a rules folder (`<jurisdiction>/<year>.policy`). Default: `$JIXIAO_RULES`,
    /// else `./rules`, else the rules built into jixiao.
    #[arg(long)]
    rules: Option<String>,
    /// Score as of this year (default: each sheet's `project.year`).
    #[arg(long)]
    year: Option<u32>,
    /// Use this jurisdiction's rules (default: each sheet's `project.jurisdiction`, else `national`).
    #[arg(long)]
    jurisdiction: Option<String>,
    /// A column map (`[columns] field = ["name", …]`) adding names for an export's columns.
    #[arg(long)]
    columns: Option<String>,
}

impl SheetArgs {
    /// Read the sheets (files or folders) and choose each one's policy. Every problem is
    /// reported; `None` if any sheet cannot be read or scored.
    pub fn load(&self, lang: Lang) -> Option<Vec<(String, Sheet, Rc<Policy>)>> {
        super::tables::set_columns(self.columns.as_deref(), lang)?;
        sheets_and_policies(self.rules.as_deref(), self.year, self.jurisdiction.clone(), &self.sheets, lang)
    }
}

fn sheets_and_policies(
    rules: Option<&str>,
    year: Option<u32>,
    jurisdiction: Option<String>,
    sheets: &[String],
    lang: Lang,
) -> Option<Vec<(String, Sheet, Rc<Policy>)>> {
    let mut resolver = Resolver::new(rules, year, jurisdiction, lang)?;
    let paths = io::sheet_paths(sheets);
    if paths.is_empty() {
        io::fail(
            jixiao::diagnostic::Message::new(
                format!("no .toml or .json sheets in `{}`", sheets.join("`, `")),
                format!("`{}` 中没有 .toml 或 .json 自评表", sheets.join("`、`")),
            ),
            lang,
        );
        return None;
    }
    let loaded = io::load_sheets(&paths, lang)?;
    let mut out = Vec::with_capacity(loaded.len());
    for (name, sheet) in loaded {
        let policy = resolver.policy_for(&name, &sheet, lang)?;
        out.push((name, sheet, policy));
    }
    Some(out)
}

/// Finds and caches the policy each sheet is scored with.
pub struct Resolver {
    library: Library,
    fixed: Option<Rc<Policy>>,
    year: Option<u32>,
    jurisdiction: Option<String>,
    cache: BTreeMap<String, Option<Rc<Policy>>>,
    noted: Vec<String>,
}

impl Resolver {
    /// From `--rules`, `--year` and `--jurisdiction`.
    pub fn new(
        rules: Option<&str>,
        year: Option<u32>,
        jurisdiction: Option<String>,
        lang: Lang,
    ) -> Option<Resolver> {
        let source = io::rules_source(rules);
        let fixed = match &source {
            Rules::File(path) => Some(Rc::new(io::load_policy_file(path, lang)?)),
            _ => None,
        };
        let library = io::library(&source, lang)?;
        Some(Resolver { library, fixed, year, jurisdiction, cache: BTreeMap::new(), noted: Vec::new() })
    }

    /// The library the resolver chooses from.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The policy for a sheet; problems are reported to stderr.
    pub fn policy_for(&mut self, sheet_name: &str, sheet: &Sheet, lang: Lang) -> Option<Rc<Policy>> {
        if let Some(p) = &self.fixed {
            return Some(p.clone());
        }
        let Some(year) = self.year.or(sheet.project.year) else {
            io::fail(
                Message::new(
                    format!("`{sheet_name}` gives no `project.year`; pass `--year` to choose the rules"),
                    format!("`{sheet_name}` 没有 `project.year`；请用 `--year` 指定适用年度"),
                ),
                lang,
            );
            return None;
        };
        let jurisdiction = self
            .jurisdiction
            .clone()
            .or_else(|| sheet.project.jurisdiction.clone())
            .unwrap_or_else(|| "national".to_string());
        let selected = match self.library.select(&jurisdiction, year) {
            Ok(s) => s,
            Err(e) => {
                io::fail(e.message(), lang);
                return None;
            }
        };
        if selected.fallback {
            let key = format!("{jurisdiction}/{year}");
            if !self.noted.contains(&key) {
                self.noted.push(key);
                let name = &selected.name;
                io::note(
                    Message::new(
                        format!(
                            "the rules have no `{jurisdiction}` policy in effect in {year}; scoring with `{name}`"
                        ),
                        format!("规则中没有 {year} 年适用于 `{jurisdiction}` 的政策；按 `{name}` 计分"),
                    ),
                    lang,
                );
            }
        }
        self.named(&selected.name, lang)
    }

    /// A policy by library name (`hunan/2023`), resolved once.
    pub fn named(&mut self, name: &str, lang: Lang) -> Option<Rc<Policy>> {
        if let Some(p) = self.cache.get(name) {
            return p.clone();
        }
        let policy = io::resolve(&self.library, name, lang).map(Rc::new);
        self.cache.insert(name.to_string(), policy.clone());
        policy
    }
}
