//! Where a table belongs: a jurisdiction written as printed (`湖南省`, `湖南`, `株洲市`,
//! `四川省德阳市中江县`, a division code `430200`) resolved to a rules folder through the names
//! each folder declares for itself in its `names.toml`.
//!
//! The most specific part of the printed place that some folder claims wins: a county's own
//! rules, else its city's, else its province's (a province folder lists the places inside it),
//! else the national rules. Every step down is recorded so it can be shown.

use crate::diagnostic::Message;
use crate::text::{fold_width, to_simplified};

/// The names one rules folder declares.
#[derive(Clone, Debug, Default, PartialEq)]
struct Folder {
    id: String,
    names: Vec<String>,
    places: Vec<String>,
    codes: Vec<String>,
}

/// The declared names of every rules folder.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Places {
    folders: Vec<Folder>,
}

/// Where a printed jurisdiction leads.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The rules folder (`hunan`), or `None` when no folder claims any part of it.
    pub folder: Option<String>,
    /// Each step taken, in order (`株洲市 has no rules of its own; it lies in hunan`).
    pub steps: Vec<Message>,
    /// For a place nothing claims, the nearest declared name.
    pub suggestion: Option<String>,
}

/// A place name as compared: simplified, folded, lower case, without white space and without a
/// trailing administrative suffix (`湖南省` and `湖南` compare equal).
fn key(s: &str) -> String {
    let k: String = to_simplified(&fold_width(s))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    for suffix in
        ["特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "州", "盟", "旗"]
    {
        if let Some(stem) = k.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return stem.to_string();
        }
    }
    k
}

/// The parts of a printed place, province first: `四川省德阳市中江县` → 四川省, 德阳市, 中江县.
fn parts(printed: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = printed.trim().chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends = matches!(c, '省' | '市' | '县' | '旗' | '盟')
            || (c == '区' && current.chars().count() >= 2)
            || (c == '州' && current.ends_with("自治州"));
        // `自治区` / `自治州` end only at their last character.
        let inside_word =
            chars.get(i + 1).is_some_and(|n| matches!((c, n), ('自', '治') | ('治', '区' | '州')));
        if ends && !inside_word && current.chars().count() >= 2 {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

impl Places {
    /// The names the bundled rules folders declare.
    pub fn embedded() -> Places {
        let mut places = Places::default();
        for (folder, text) in crate::library::EMBEDDED_NAMES {
            // The bundled files are tested to parse.
            let _ = places.add(folder, text);
        }
        places
    }

    /// Add a folder's `names.toml`.
    pub fn add(&mut self, folder: &str, text: &str) -> Result<(), Message> {
        let table: toml::Table = text
            .parse()
            .map_err(|e| Message::new(format!("not valid TOML: {e}"), format!("不是有效的 TOML：{e}")))?;
        let list = |key: &str| -> Result<Vec<String>, Message> {
            match table.get(key) {
                None => Ok(Vec::new()),
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        v.as_str().map(str::to_string).ok_or_else(|| {
                            Message::new(
                                format!("`{key}` should hold only text"),
                                format!("`{key}` 只能包含文本"),
                            )
                        })
                    })
                    .collect(),
                Some(_) => Err(Message::new(
                    format!("`{key}` should be a list of names"),
                    format!("`{key}` 应为名称列表"),
                )),
            }
        };
        for k in table.keys() {
            if !matches!(k.as_str(), "names" | "places" | "codes") {
                return Err(Message::new(
                    format!("unknown key `{k}`; expected `names`, `places` or `codes`"),
                    format!("未知的键 `{k}`；可用 `names`、`places`、`codes`"),
                ));
            }
        }
        let mut names = list("names")?;
        names.push(folder.to_string());
        self.folders.retain(|f| f.id != folder);
        self.folders.push(Folder {
            id: folder.to_string(),
            names,
            places: list("places")?,
            codes: list("codes")?,
        });
        Ok(())
    }

    /// Whether any folder declares names.
    pub fn is_empty(&self) -> bool {
        self.folders.is_empty()
    }

    /// Resolve a printed jurisdiction.
    pub fn resolve(&self, printed: &str) -> Placement {
        let trimmed = printed.trim();
        // A folder named as such (`hunan`) is taken as it is.
        if let Some(f) = self.folders.iter().find(|f| f.id == trimmed) {
            return Placement { folder: Some(f.id.clone()), steps: Vec::new(), suggestion: None };
        }
        // A division code: its leading digits.
        if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) {
            let found = self.folders.iter().find(|f| f.codes.iter().any(|c| trimmed.starts_with(c.as_str())));
            return match found {
                Some(f) => Placement {
                    folder: Some(f.id.clone()),
                    steps: vec![Message::new(
                        format!("division code `{trimmed}` lies in `{}`", f.id),
                        format!("区划代码 `{trimmed}` 属于 `{}`", f.id),
                    )],
                    suggestion: None,
                },
                None => Placement { folder: None, steps: Vec::new(), suggestion: None },
            };
        }
        let parts = parts(trimmed);
        let mut steps = Vec::new();
        for part in parts.iter().rev() {
            let k = key(part);
            if let Some(f) = self.folders.iter().find(|f| f.names.iter().any(|n| key(n) == k)) {
                if !steps.is_empty() || part.trim() != trimmed {
                    steps.push(Message::new(
                        format!("`{part}` has the rules folder `{}`", f.id),
                        format!("`{part}` 对应规则目录 `{}`", f.id),
                    ));
                }
                return Placement { folder: Some(f.id.clone()), steps, suggestion: None };
            }
            if let Some(f) = self.folders.iter().find(|f| f.places.iter().any(|n| key(n) == k)) {
                steps.push(Message::new(
                    format!("`{part}` has no rules of its own; it lies in `{}`, whose rules are used", f.id),
                    format!("`{part}` 没有自己的规则；属于 `{}`，按其规则计分", f.id),
                ));
                return Placement { folder: Some(f.id.clone()), steps, suggestion: None };
            }
            steps.push(Message::new(
                format!("no rules folder declares `{part}`"),
                format!("没有规则目录声明 `{part}`"),
            ));
        }
        if parts.len() <= 1 {
            // One part: the final message says it all.
            steps.clear();
        }
        let all = self.folders.iter().flat_map(|f| f.names.iter().chain(&f.places)).map(String::as_str);
        let suggestion = crate::words::did_you_mean(trimmed, all).map(str::to_string);
        Placement { folder: None, steps, suggestion }
    }
}

/// The level-1 categories of a sheet that a policy's scheme does not have (matched as the
/// evaluator matches them: by label, alias, or a looser form), in sheet order.
pub fn unknown_categories(policy: &crate::policy::Policy, sheet: &crate::sheet::Sheet) -> Vec<String> {
    let scheme = &policy.scheme;
    let mut out: Vec<String> = Vec::new();
    for ind in &sheet.indicators {
        let key = crate::text::normalize_label(&ind.level1);
        let known = scheme.find_root(&key).is_some()
            || crate::text::label_variants(&key).iter().any(|v| scheme.find_root(v).is_some());
        if !known && !key.is_empty() && !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        let mut p = Places::default();
        assert_eq!(p.add("national", "names = [\"全国\"]"), Ok(()));
        assert_eq!(p.add("hunan", "names = [\"湖南省\"]\nplaces = [\"株洲市\"]\ncodes = [\"43\"]"), Ok(()));
        assert_eq!(p.add("zhongjiang", "names = [\"中江县\"]"), Ok(()));
        p
    }

    #[test]
    fn printed_places_split_into_parts() {
        assert_eq!(parts("四川省德阳市中江县"), vec!["四川省", "德阳市", "中江县"]);
        assert_eq!(parts("广西壮族自治区南宁市"), vec!["广西壮族自治区", "南宁市"]);
        assert_eq!(parts("湖南"), vec!["湖南"]);
    }

    #[test]
    fn places_resolve_most_specific_first() {
        let p = places();
        assert_eq!(p.resolve("湖南省").folder.as_deref(), Some("hunan"));
        assert_eq!(p.resolve("湖南").folder.as_deref(), Some("hunan"));
        assert_eq!(p.resolve("hunan").folder.as_deref(), Some("hunan"));
        let zhuzhou = p.resolve("株洲市");
        assert_eq!(zhuzhou.folder.as_deref(), Some("hunan"));
        assert_eq!(zhuzhou.steps.len(), 1);
        let county = p.resolve("四川省德阳市中江县");
        assert_eq!(county.folder.as_deref(), Some("zhongjiang"));
        let other = p.resolve("四川省德阳市罗江区");
        assert_eq!(other.folder, None);
        assert_eq!(other.steps.len(), 3, "each part tried is noted");
        assert_eq!(p.resolve("430200").folder.as_deref(), Some("hunan"));
        assert_eq!(p.resolve("hunna").suggestion.as_deref(), Some("hunan"));
    }

    #[test]
    fn the_bundled_names_parse() {
        for (folder, text) in crate::library::EMBEDDED_NAMES {
            assert_eq!(Places::default().add(folder, text), Ok(()), "{folder}");
        }
        assert_eq!(Places::embedded().resolve("株洲市").folder.as_deref(), Some("hunan"));
    }
}
