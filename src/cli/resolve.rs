//! Choosing the policy for each sheet: one file for all, or the newest policy of the sheet's
//! jurisdiction in effect in its year.

use std::collections::BTreeMap;
use std::sync::Arc;

use jixiao::diagnostic::Message;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::sheet::Sheet;
use jixiao::words::Lang;

use super::batch::Inputs;
use super::io::{self, Rules};

/// The sheets to score and the rules to score them with, as `eval` and `snapshot` take them.
#[derive(clap::Args)]
pub struct SheetArgs {
    /// Sheets: .toml, .json or .jsonl (JSON Lines, one sheet a line) files, workbooks and
    /// exports (.xlsx, .xls, .ods, .csv), folders of them (searched recursively), or `-` for stdin.
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
    /// The rules and the sheets to read (files, folders, JSON Lines, `-` for stdin). `None`
    /// (reported) when the rules cannot be used or no sheet is named or found.
    pub fn open(&self, lang: Lang) -> Option<(Resolver, Inputs)> {
        super::tables::set_columns(self.columns.as_deref(), lang)?;
        let resolver = Resolver::new(self.rules.as_deref(), self.year, self.jurisdiction.clone(), lang)?;
        let inputs = Inputs::new(&self.sheets, lang);
        if inputs.is_empty() {
            io::fail(
                Message::new(
                    format!(
                        "no sheets (.toml, .json, .jsonl, .xlsx, .xls, .ods, .csv) in `{}`",
                        self.sheets.join("`, `")
                    ),
                    format!(
                        "`{}` 中没有自评表（.toml、.json、.jsonl、.xlsx、.xls、.ods、.csv）",
                        self.sheets.join("`、`")
                    ),
                ),
                lang,
            );
            return None;
        }
        Some((resolver, inputs))
    }
}

/// Finds and caches the policy each sheet is scored with.
pub struct Resolver {
    library: Library,
    fixed: Option<Arc<Policy>>,
    year: Option<u32>,
    jurisdiction: Option<String>,
    cache: BTreeMap<String, Option<Arc<Policy>>>,
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
            Rules::File(path) => Some(Arc::new(io::load_policy_file(path, lang)?)),
            _ => None,
        };
        let library = io::library(&source, lang)?;
        Some(Resolver { library, fixed, year, jurisdiction, cache: BTreeMap::new(), noted: Vec::new() })
    }

    /// The library the resolver chooses from.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The policy for a sheet, or why there is none. A note that another jurisdiction's rules
    /// are used is printed once.
    pub fn policy_for_sheet(
        &mut self,
        sheet_name: &str,
        sheet: &Sheet,
        lang: Lang,
    ) -> Result<Arc<Policy>, Message> {
        if let Some(p) = &self.fixed {
            return Ok(p.clone());
        }
        let Some(year) = self.year.or(sheet.project.year) else {
            return Err(Message::new(
                format!("`{sheet_name}` gives no `project.year`; pass `--year` to choose the rules"),
                format!("`{sheet_name}` 没有 `project.year`；请用 `--year` 指定适用年度"),
            ));
        };
        let jurisdiction = self
            .jurisdiction
            .clone()
            .or_else(|| sheet.project.jurisdiction.clone())
            .unwrap_or_else(|| "national".to_string());
        let selected = self.library.select(&jurisdiction, year).map_err(|e| e.message())?;
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
        let name = selected.name;
        self.named(&name, lang).ok_or_else(|| {
            Message::new(
                format!("`{sheet_name}`: the rules `{name}` have errors (reported above)"),
                format!("`{sheet_name}`：规则 `{name}` 有错误（见上文）"),
            )
        })
    }

    /// A policy by library name (`hunan/2023`), resolved once.
    pub fn named(&mut self, name: &str, lang: Lang) -> Option<Arc<Policy>> {
        if let Some(p) = self.cache.get(name) {
            return p.clone();
        }
        let policy = io::resolve(&self.library, name, lang).map(Arc::new);
        self.cache.insert(name.to_string(), policy.clone());
        policy
    }
}
