//! Choosing the policy for each sheet: one file for all, or the newest policy of the sheet's
//! jurisdiction in effect in its year.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::Message;
use crate::library::Library;
use crate::policy::Policy;
use crate::sheet::Sheet;

use super::batch::Inputs;
use super::io::{self, Rules};
use super::io::{Error, Reporter};
use crate::place::Places;

/// The names every folder of a rules folder declares (`<folder>/<jurisdiction>/names.toml`).
fn places_from_dir(dir: &str) -> Result<Places, Error> {
    let mut places = Places::default();
    let mut folders: Vec<_> =
        std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    folders.sort();
    for folder in folders {
        let file = folder.join("names.toml");
        let (Some(id), true) = (folder.file_name().and_then(|n| n.to_str()), file.is_file()) else {
            continue;
        };
        let shown = file.to_string_lossy().replace('\\', "/");
        let text = io::read(&shown)?;
        places
            .add(id, &text)
            .map_err(|e| Message::new(format!("`{shown}`: {}", e.en), format!("`{shown}`：{}", e.zh)))?;
    }
    Ok(places)
}

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
    /// The rules and the sheets to read (files, folders, JSON Lines, `-` for stdin), or why
    /// they cannot be used: the rules have errors, or no sheet is named or found.
    pub fn open(&self, rep: &Reporter<'_>) -> Result<(Resolver, Inputs), Error> {
        let columns = super::tables::column_map(self.columns.as_deref())?;
        let resolver = Resolver::new(self.rules.as_deref(), self.year, self.jurisdiction.clone(), rep)?;
        let inputs = Inputs::new(&self.sheets, rep).with_columns(columns);
        if inputs.is_empty() {
            return Err(Error::Input(Message::new(
                format!(
                    "no sheets (.toml, .json, .jsonl, .xlsx, .xls, .ods, .csv) in `{}`",
                    self.sheets.join("`, `")
                ),
                format!(
                    "`{}` 中没有自评表（.toml、.json、.jsonl、.xlsx、.xls、.ods、.csv）",
                    self.sheets.join("`、`")
                ),
            )));
        }
        Ok((resolver, inputs))
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
    places: Places,
}

impl Resolver {
    /// From `--rules`, `--year` and `--jurisdiction`.
    pub fn new(
        rules: Option<&str>,
        year: Option<u32>,
        jurisdiction: Option<String>,
        rep: &Reporter<'_>,
    ) -> Result<Resolver, Error> {
        let source = io::rules_source(rules);
        let fixed = match &source {
            Rules::File(path) => Some(Arc::new(io::load_policy_file(path, rep)?)),
            _ => None,
        };
        let library = io::library(&source)?;
        let places = match &source {
            Rules::Builtin => Places::embedded(),
            Rules::Dir(d) => places_from_dir(d)?,
            Rules::File(_) => Places::default(),
        };
        Ok(Resolver { library, fixed, year, jurisdiction, cache: BTreeMap::new(), noted: Vec::new(), places })
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
        rep: &Reporter<'_>,
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
        let given = self.jurisdiction.clone().or_else(|| sheet.project.jurisdiction.clone());
        let detected = match given {
            Some(_) => None,
            None => self.detect(sheet_name, sheet, rep),
        };
        // A printed place no rules folder declares (`湖北省`) falls back to the national rules as
        // if none were given, so the printed weights may still choose.
        let unplaced = given
            .as_deref()
            .is_some_and(|g| !self.places.is_empty() && self.places.resolve(g).folder.is_none());
        let by_default = (given.is_none() && detected.is_none()) || unplaced;
        let jurisdiction = match (given, detected) {
            (Some(printed), _) => self.place(&printed, rep),
            (None, Some(folder)) => folder,
            (None, None) => self.place("national", rep),
        };
        let selected = self.library.select(&jurisdiction, year).map_err(|e| e.message())?;
        if selected.fallback {
            let key = format!("{jurisdiction}/{year}");
            if !self.noted.contains(&key) {
                self.noted.push(key);
                let name = &selected.name;
                rep.note(Message::new(
                    format!(
                        "the rules have no `{jurisdiction}` policy in effect in {year}; scoring with `{name}`"
                    ),
                    format!("规则中没有 {year} 年适用于 `{jurisdiction}` 的政策；按 `{name}` 计分"),
                ));
            }
        }
        let name = selected.name;
        let policy = self.named(&name, rep).ok_or_else(|| {
            Message::new(
                format!("`{sheet_name}`: the rules `{name}` have errors (reported above)"),
                format!("`{sheet_name}`：规则 `{name}` 有错误（见上文）"),
            )
        })?;
        let policy = self.fitting_layout(sheet_name, sheet, &jurisdiction, &name, policy, rep);
        Ok(self.fitting_weights(sheet_name, sheet, by_default, policy, rep))
    }

    /// The rules folder named by a place in the sheet's department, implementer, project name
    /// or title, when it gives no jurisdiction; the finding is noted.
    fn detect(&mut self, sheet_name: &str, sheet: &Sheet, rep: &Reporter<'_>) -> Option<String> {
        let p = &sheet.project;
        let texts: Vec<(&str, &str, &str)> = [
            ("主管部门 (department)", "主管部门", p.department.as_deref()),
            ("实施单位 (implementer)", "实施单位", p.implementer.as_deref()),
            ("project name", "项目名称", Some(p.name.as_str())),
            ("title", "表题", p.title.as_deref()),
        ]
        .into_iter()
        .filter_map(|(en, zh, t)| t.map(|t| (en, zh, t)))
        .collect();
        let found = self.places.detect(&texts, "national")?;
        let m = found.because;
        rep.note(Message::new(format!("`{sheet_name}`: {}", m.en), format!("`{sheet_name}`：{}", m.zh)));
        Some(found.folder)
    }

    /// A policy whose level-1 weights are those the table prints. When the table names no
    /// jurisdiction and its printed weights (a 20-point budget block and 产出 60 / 效益 10 /
    /// 满意度 10, say) are not those of the rules chosen by default, the newest policy whose
    /// weights are the printed ones is used, and the switch is reported loudly; otherwise a
    /// mismatch is warned about and the rules chosen are kept.
    fn fitting_weights(
        &mut self,
        sheet_name: &str,
        sheet: &Sheet,
        by_default: bool,
        policy: Arc<Policy>,
        rep: &Reporter<'_>,
    ) -> Arc<Policy> {
        let missing = crate::place::weight_mismatches(&policy, sheet);
        if missing.is_empty() {
            return policy;
        }
        let listed = missing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let chosen = format!("{}/{}", policy.jurisdiction, policy.year);
        if by_default {
            let year = self.year.or(sheet.project.year).unwrap_or(0);
            let mut candidates: Vec<String> =
                self.library.names().filter(|n| *n != chosen).map(str::to_string).collect();
            // In effect by the table's year first (newest first), then later ones (oldest first).
            candidates.sort_by_key(|n| {
                let y = n.rsplit('/').next().and_then(|y| y.parse::<u32>().ok()).unwrap_or(0);
                (y > year, y.abs_diff(year), n.clone())
            });
            for name in candidates {
                let Some(other) = self.named(&name, rep) else { continue };
                if crate::place::weight_mismatches(&other, sheet).is_empty()
                    && crate::place::unknown_categories(&other, sheet).is_empty()
                {
                    rep.warn(Message::new(
                        format!(
                            "`{sheet_name}`: the printed weights do not match `{chosen}` (printed ≠ rules: {listed}) and the table names no jurisdiction that has rules; scoring with `{name}`, whose weights match — pass `--jurisdiction` to choose"
                        ),
                        format!(
                            "`{sheet_name}`：表中印的分值与 `{chosen}` 不符（表中 ≠ 规则：{listed}），且未填写有规则的所属地区；改按分值相符的 `{name}` 计分——可用 `--jurisdiction` 指定"
                        ),
                    ));
                    return other;
                }
            }
        }
        rep.warn(Message::new(
            format!(
                "`{sheet_name}`: the printed weights do not match the rules `{chosen}` (printed ≠ rules: {listed}); the rules' weights are used"
            ),
            format!("`{sheet_name}`：表中印的分值与规则 `{chosen}` 不符（表中 ≠ 规则：{listed}）；按规则的分值计分"),
        ));
        policy
    }

    /// The rules folder a printed jurisdiction leads to, each step noted once.
    fn place(&mut self, printed: &str, rep: &Reporter<'_>) -> String {
        if self.places.is_empty() {
            return printed.to_string();
        }
        let placement = self.places.resolve(printed);
        let first_time = !self.noted.iter().any(|n| n == printed);
        if first_time {
            self.noted.push(printed.to_string());
            for step in &placement.steps {
                rep.note(step.clone());
            }
        }
        match placement.folder {
            Some(f) => f,
            None => {
                if first_time && let Some(known) = &placement.known {
                    rep.note(Message::new(
                        format!(
                            "the rules have no `{printed}` policy: `{known}` is a provincial-level division of China, but no rules folder declares it; scoring with the national rules"
                        ),
                        format!(
                            "规则中没有 `{printed}` 的政策：`{known}` 是省级行政区，但没有规则目录声明它；按全国规则计分"
                        ),
                    ));
                } else if first_time {
                    let hint = placement
                        .suggestion
                        .map(|s| (format!("; did you mean `{s}`?"), format!("；是否应为 `{s}`？")));
                    let (en, zh) = hint.unwrap_or_default();
                    rep.note(
                        Message::new(
                            format!(
                                "the rules have no `{printed}` policy and no rules folder declares that place; scoring with the national rules{en}"
                            ),
                            format!(
                                "规则中没有 `{printed}` 的政策，也没有规则目录声明该地区；按全国规则计分{zh}"
                            ),
                        ));
                }
                "national".to_string()
            }
        }
    }

    /// A policy whose categories are the table's. When the policy in effect lacks the table's
    /// level-1 categories (a 产出/效益/满意度 table under a pre-2020 决策/管理/绩效 layout), the
    /// newest policy of the jurisdiction (or the national one) that has them is used instead, and
    /// the switch is reported loudly; when none has them, that is reported.
    fn fitting_layout(
        &mut self,
        sheet_name: &str,
        sheet: &Sheet,
        jurisdiction: &str,
        chosen: &str,
        policy: Arc<Policy>,
        rep: &Reporter<'_>,
    ) -> Arc<Policy> {
        let missing = crate::place::unknown_categories(&policy, sheet);
        if missing.is_empty() {
            return policy;
        }
        let mut candidates: Vec<String> = self
            .library
            .names()
            .filter(|n| n.split('/').next().is_some_and(|j| j == jurisdiction || j == "national"))
            .filter(|n| *n != chosen)
            .map(str::to_string)
            .collect();
        // Rules in effect by the table's year first (newest first), then later ones (oldest
        // first); the jurisdiction's own before the national ones.
        let year = self.year.or(sheet.project.year).unwrap_or(0);
        candidates.sort_by_key(|n| {
            let y = n.rsplit('/').next().and_then(|y| y.parse::<u32>().ok()).unwrap_or(0);
            (y > year, !n.starts_with(&format!("{jurisdiction}/")), y.abs_diff(year))
        });
        let listed = missing.join("、");
        for name in candidates {
            let Some(other) = self.named(&name, rep) else { continue };
            if crate::place::unknown_categories(&other, sheet).is_empty() {
                rep.warn(Message::new(
                    format!(
                        "`{sheet_name}`: the table's categories ({listed}) are not in the layout of `{chosen}`, the rules in effect for its year; scoring with `{name}`, whose layout has them"
                    ),
                    format!(
                        "`{sheet_name}`：表中的一级指标（{listed}）不属于其年度适用的 `{chosen}` 的指标体系；改按指标体系相符的 `{name}` 计分"
                    ),
                ));
                return other;
            }
        }
        rep.warn(Message::new(
            format!(
                "`{sheet_name}`: the table's categories ({listed}) are not in the layout of `{chosen}` nor of any other rules; their rows cannot be scored"
            ),
            format!(
                "`{sheet_name}`：表中的一级指标（{listed}）不属于 `{chosen}` 或任何其他规则的指标体系，相关各行无法计分"
            ),
        ));
        policy
    }

    /// A policy by library name (`hunan/2023`), resolved once.
    pub fn named(&mut self, name: &str, rep: &Reporter<'_>) -> Option<Arc<Policy>> {
        if let Some(p) = self.cache.get(name) {
            return p.clone();
        }
        let policy = io::resolve(&self.library, name, rep).map(Arc::new);
        self.cache.insert(name.to_string(), policy.clone());
        policy
    }
}
