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
    /// For a place nothing claims, the nearest declared name — never offered for a real
    /// province, which is no misspelling of another.
    pub suggestion: Option<String>,
    /// For a place nothing claims, the provincial-level division it names (`湖北省`), if any.
    pub known: Option<String>,
}

/// China's 34 provincial-level divisions: full name, short name, pinyin.
const PROVINCES: [(&str, &str, &str); 34] = [
    ("北京市", "北京", "beijing"),
    ("天津市", "天津", "tianjin"),
    ("河北省", "河北", "hebei"),
    ("山西省", "山西", "shanxi"),
    ("内蒙古自治区", "内蒙古", "neimenggu"),
    ("辽宁省", "辽宁", "liaoning"),
    ("吉林省", "吉林", "jilin"),
    ("黑龙江省", "黑龙江", "heilongjiang"),
    ("上海市", "上海", "shanghai"),
    ("江苏省", "江苏", "jiangsu"),
    ("浙江省", "浙江", "zhejiang"),
    ("安徽省", "安徽", "anhui"),
    ("福建省", "福建", "fujian"),
    ("江西省", "江西", "jiangxi"),
    ("山东省", "山东", "shandong"),
    ("河南省", "河南", "henan"),
    ("湖北省", "湖北", "hubei"),
    ("湖南省", "湖南", "hunan"),
    ("广东省", "广东", "guangdong"),
    ("广西壮族自治区", "广西", "guangxi"),
    ("海南省", "海南", "hainan"),
    ("重庆市", "重庆", "chongqing"),
    ("四川省", "四川", "sichuan"),
    ("贵州省", "贵州", "guizhou"),
    ("云南省", "云南", "yunnan"),
    ("西藏自治区", "西藏", "xizang"),
    ("陕西省", "陕西", "shaanxi"),
    ("甘肃省", "甘肃", "gansu"),
    ("青海省", "青海", "qinghai"),
    ("宁夏回族自治区", "宁夏", "ningxia"),
    ("新疆维吾尔自治区", "新疆", "xinjiang"),
    ("台湾省", "台湾", "taiwan"),
    ("香港特别行政区", "香港", "xianggang"),
    ("澳门特别行政区", "澳门", "aomen"),
];

/// The provincial-level division a printed place part names (`湖北省`, `湖北`, `Hubei Province`).
pub fn province(part: &str) -> Option<&'static str> {
    let k = key(part);
    PROVINCES.iter().find(|(full, short, pinyin)| k == key(full) || k == *short || k == *pinyin).map(|p| p.0)
}

/// A place name as compared: simplified, folded, lower case, without white space and without a
/// trailing administrative suffix (`湖南省` and `湖南` compare equal; so do `Zhuzhou City`,
/// `zhuzhoushi` and `zhuzhou`).
fn key(s: &str) -> String {
    let k: String = to_simplified(&fold_width(s))
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '\'' | '’' | '.'))
        .collect::<String>()
        .to_lowercase();
    if k.is_ascii() {
        // Pinyin and English: `Hunan Province`, `hunansheng`, `Zhuzhou City`, `zhuzhoushi`.
        for suffix in [
            "province",
            "prefecture",
            "autonomousregion",
            "county",
            "district",
            "city",
            "sheng",
            "shi",
            "xian",
        ] {
            if let Some(stem) = k.strip_suffix(suffix)
                && stem.len() >= 4
            {
                return stem.to_string();
            }
        }
        return k;
    }
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
/// Pinyin or English is split at separators: `Hunan, Zhuzhou` → Hunan, Zhuzhou.
fn parts(printed: &str) -> Vec<String> {
    let folded = fold_width(printed);
    if folded.is_ascii() {
        let words: Vec<String> = folded
            .split([',', '/', ';', '|'])
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        // `Zhuzhou City, Hunan Province` and `Hunan / Zhuzhou` alike: the smaller place is the
        // one a folder claims by name, so order does not matter beyond trying each.
        return words;
    }
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
            return Placement {
                folder: Some(f.id.clone()),
                steps: Vec::new(),
                suggestion: None,
                known: None,
            };
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
                    known: None,
                },
                None => Placement { folder: None, steps: Vec::new(), suggestion: None, known: None },
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
                return Placement { folder: Some(f.id.clone()), steps, suggestion: None, known: None };
            }
            if let Some(f) = self.folders.iter().find(|f| f.places.iter().any(|n| key(n) == k)) {
                steps.push(Message::new(
                    format!("`{part}` has no rules of its own; it lies in `{}`, whose rules are used", f.id),
                    format!("`{part}` 没有自己的规则；属于 `{}`，按其规则计分", f.id),
                ));
                return Placement { folder: Some(f.id.clone()), steps, suggestion: None, known: None };
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
        // A real province is not a misspelling of another one: nothing is suggested for it.
        let known = parts.iter().find_map(|p| province(p)).map(str::to_string);
        let suggestion =
            if known.is_some() { None } else { crate::words::did_you_mean(trimmed, all).map(str::to_string) };
        Placement { folder: None, steps, suggestion, known }
    }
}

/// Where a sheet that names no jurisdiction was found to belong, from a place name in its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// The rules folder.
    pub folder: String,
    /// What was found, where and what it leads to, for the user.
    pub because: Message,
}

impl Places {
    /// Where a sheet that prints no jurisdiction belongs, read from the place names in the texts
    /// it does print — its 主管部门, 实施单位, project name and title, given in that order as
    /// `(field in English, field in Chinese, text)`. The first text naming a place some folder
    /// other than `default` declares decides; in it the longest name found wins (`湘西土家族苗族
    /// 自治州` over a shorter one inside it). Two folders named equally long in the same text
    /// decide nothing. Only Chinese names are looked for: pinyin inside free text is too easily
    /// part of another word.
    pub fn detect(&self, texts: &[(&str, &str, &str)], default: &str) -> Option<Detection> {
        for &(en, zh, text) in texts {
            let hay = to_simplified(&fold_width(text));
            let mut best: Option<(usize, &Folder, &str)> = None;
            let mut tied = false;
            for f in self.folders.iter().filter(|f| f.id != default) {
                for name in f.names.iter().chain(&f.places).filter(|n| !n.is_ascii()) {
                    let k = key(name);
                    let len = k.chars().count();
                    if len < 2 || !hay.contains(&k) {
                        continue;
                    }
                    match best {
                        Some((l, bf, _)) if l > len || (l == len && bf.id == f.id) => {}
                        Some((l, bf, _)) if l == len && bf.id != f.id => tied = true,
                        _ => {
                            best = Some((len, f, name.as_str()));
                            tied = false;
                        }
                    }
                }
            }
            if let Some((_, f, name)) = best.filter(|_| !tied) {
                let id = &f.id;
                return Some(Detection {
                    folder: id.clone(),
                    because: Message::new(
                        format!(
                            "no jurisdiction is given; the {en} `{text}` names `{name}`, so the rules of `{id}` are used"
                        ),
                        format!("未填写所属地区；{zh} `{text}` 中有 `{name}`，按 `{id}` 的规则计分"),
                    ),
                });
            }
        }
        None
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

/// A level-1 weight a table prints that a policy's scheme does not give.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightMismatch {
    /// The category as printed (`预算执行率` for the budget block).
    pub label: String,
    /// The points the table prints for it.
    pub printed: rust_decimal::Decimal,
    /// The points the scheme gives it; `None` when the scheme has no such category.
    pub scheme: Option<rust_decimal::Decimal>,
}

impl std::fmt::Display for WeightMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.scheme {
            Some(p) => write!(f, "{} {} ≠ {}", self.label, self.printed.normalize(), p.normalize()),
            None => write!(f, "{} {} ≠ —", self.label, self.printed.normalize()),
        }
    }
}

/// The level-1 weights a table prints, in sheet order: the budget block's 分值 (as `None`), then each
/// category's — its own printed points (a `[[groups]]` entry or `产出指标(60分)` in its label),
/// else the sum of its level-2 groups' and rows' weights. A category with an unweighted row
/// outside a weighted group prints no total and is left out.
pub fn printed_weights(sheet: &crate::sheet::Sheet) -> Vec<(Option<String>, rust_decimal::Decimal)> {
    use crate::text::{normalize_label, points_in_label};
    use rust_decimal::Decimal;
    let mut out: Vec<(Option<String>, Decimal)> = Vec::new();
    if let Some(w) = sheet.budget.as_ref().and_then(|b| b.weight).filter(|w| !w.is_zero()) {
        out.push((None, w));
    }
    let mut seen: Vec<String> = Vec::new();
    for ind in &sheet.indicators {
        let key = normalize_label(&ind.level1);
        if key.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        let own = sheet
            .groups
            .iter()
            .find(|g| g.level2.is_none() && normalize_label(&g.level1) == key)
            .and_then(|g| g.weight)
            .or_else(|| points_in_label(&ind.level1));
        if let Some(w) = own {
            out.push((Some(key), w));
            continue;
        }
        let mut sum = Decimal::ZERO;
        let mut counted: Vec<String> = Vec::new();
        let mut known = true;
        for row in sheet.indicators.iter().filter(|i| normalize_label(&i.level1) == key) {
            let l2 = normalize_label(&row.level2);
            let group = sheet.groups.iter().find(|g| {
                normalize_label(&g.level1) == key
                    && g.level2.as_deref().map(normalize_label).as_deref() == Some(&l2)
            });
            match (group.and_then(|g| g.weight), row.weight) {
                (Some(w), _) => {
                    if !counted.contains(&l2) {
                        counted.push(l2);
                        sum += w;
                    }
                }
                (None, Some(w)) => sum += w,
                (None, None) => known = false,
            }
        }
        if known {
            out.push((Some(key), sum));
        }
    }
    out
}

/// The printed level-1 weights ([`printed_weights`]) that a policy's scheme does not give: a
/// 20-point budget block under a 10-point scheme, 产出 60 where the scheme says 50, a budget
/// block with points under a scheme that has none.
pub fn weight_mismatches(policy: &crate::policy::Policy, sheet: &crate::sheet::Sheet) -> Vec<WeightMismatch> {
    let scheme = &policy.scheme;
    let mut out = Vec::new();
    for (label, printed) in printed_weights(sheet) {
        let (label, points) = match label {
            None => ("预算执行率".to_string(), scheme.budget.as_ref().map(|b| b.points)),
            Some(label) => {
                let node = scheme
                    .find_root(&label)
                    .or_else(|| crate::text::label_variants(&label).iter().find_map(|v| scheme.find_root(v)))
                    .and_then(|n| scheme.nodes.get(n));
                match node {
                    // A category whose points the scheme leaves open fits any.
                    Some(n) if n.points.is_none() => continue,
                    Some(n) => (label, n.points),
                    None => (label, None),
                }
            }
        };
        if points != Some(printed) {
            out.push(WeightMismatch { label, printed, scheme: points });
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
    fn a_real_province_is_no_misspelling_of_another() {
        let p = places();
        for printed in ["湖北省", "湖北", "Hubei Province", "湖北省武汉市"] {
            let placed = p.resolve(printed);
            assert_eq!((placed.folder, placed.suggestion), (None, None), "{printed}");
            assert_eq!(placed.known.as_deref(), Some("湖北省"), "{printed}");
        }
        // A misspelling that names no real place is still offered the nearest name.
        let typo = p.resolve("湖男省");
        assert_eq!((typo.known, typo.suggestion.as_deref()), (None, Some("湖南省")));
        assert_eq!(province("广西"), Some("广西壮族自治区"));
        assert_eq!(province("株洲市"), None);
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
    fn pinyin_and_english_names_resolve_like_chinese_ones() {
        let p = Places::embedded();
        for printed in
            ["zhuzhou", "Zhuzhou", "Zhuzhou City", "zhuzhoushi", "ZHUZHOU", "Hunan Province", "hunansheng"]
        {
            assert_eq!(p.resolve(printed).folder.as_deref(), Some("hunan"), "{printed}");
        }
        assert_eq!(p.resolve("Zhuzhou City, Hunan Province").folder.as_deref(), Some("hunan"));
        assert_eq!(p.resolve("Pu'er").folder.as_deref(), Some("yunnan"));
        assert_eq!(p.resolve("kunmingshi").folder.as_deref(), Some("yunnan"));
        assert_eq!(p.resolve("530100").folder.as_deref(), Some("yunnan"));
        // A pinyin name nothing declares still falls through to the national rules.
        assert_eq!(p.resolve("chengdu").folder, None);
    }

    #[test]
    fn a_place_in_the_department_or_name_is_detected() {
        let p = Places::embedded();
        let found = |texts: &[(&str, &str, &str)]| p.detect(texts, "national").map(|d| d.folder);
        assert_eq!(found(&[("department", "主管部门", "湖南省农业农村厅")]).as_deref(), Some("hunan"));
        assert_eq!(found(&[("department", "主管部门", "株洲市工业和信息化局")]).as_deref(), Some("hunan"));
        assert_eq!(
            found(&[
                ("department", "主管部门", "市工信局"),
                ("name", "项目名称", "2022年普洱市咖啡产业项目")
            ])
            .as_deref(),
            Some("yunnan")
        );
        // The department speaks first; the title only when nothing before it names a place.
        assert_eq!(
            found(&[
                ("department", "主管部门", "湖南省财政厅"),
                ("title", "表题", "云南省项目支出绩效自评表")
            ])
            .as_deref(),
            Some("hunan")
        );
        // National words (`国家级`) lead to the default rules: nothing is detected.
        assert_eq!(found(&[("name", "项目名称", "国家级非物质文化遗产保护")]), None);
        // Two provinces named in one text decide nothing.
        assert_eq!(found(&[("name", "项目名称", "湖南云南协作")]), None);
        let because =
            p.detect(&[("department", "主管部门", "湖南省农业农村厅")], "national").map(|d| d.because.en);
        assert_eq!(
            because.as_deref(),
            Some(
                "no jurisdiction is given; the department `湖南省农业农村厅` names `湖南省`, so the rules of `hunan` are used"
            )
        );
    }

    #[test]
    fn the_bundled_names_parse() {
        for (folder, text) in crate::library::EMBEDDED_NAMES {
            assert_eq!(Places::default().add(folder, text), Ok(()), "{folder}");
        }
        assert_eq!(Places::embedded().resolve("株洲市").folder.as_deref(), Some("hunan"));
    }
}
