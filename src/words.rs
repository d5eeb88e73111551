//! The vocabulary: every word with a fixed meaning, in English and Chinese.
//!
//! Structural keywords live in the grammar; the words here are ordinary names that the parser
//! maps to a meaning (variables, functions, directions, modes). Keeping them in one table lets
//! the parser accept both languages, the checker suggest the nearest word, and renderers print
//! each word in the reader's language.

use serde::Serialize;

/// The language of messages and explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

impl Lang {
    /// Pick between an English and a Chinese text.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A closed set of words with English and Chinese spellings.
pub(crate) trait Vocabulary: Copy + Sized + 'static {
    /// Every meaning with its spellings: English first, then Chinese, then other accepted forms.
    fn entries() -> &'static [(Self, &'static [&'static str])];

    /// The meaning of a word, in either language.
    fn from_word(word: &str) -> Option<Self> {
        Self::entries().iter().find(|(_, spellings)| spellings.contains(&word)).map(|(v, _)| *v)
    }

    /// All accepted spellings, for "did you mean".
    fn spellings() -> Vec<&'static str> {
        Self::entries().iter().flat_map(|(_, s)| s.iter().copied()).collect()
    }
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => [$($spelling:literal),+] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),*
        }

        impl Vocabulary for $name {
            fn entries() -> &'static [(Self, &'static [&'static str])] {
                &[ $( ($name::$variant, &[$($spelling),+]) ),* ]
            }
        }

        impl $name {
            /// The English spelling.
            pub fn english(self) -> &'static str {
                self.spelling(Lang::En)
            }

            /// The spelling in `lang`.
            pub fn spelling(self, lang: Lang) -> &'static str {
                let spellings = Self::entries()
                    .iter()
                    .find(|(v, _)| *v == self)
                    .map(|(_, s)| *s)
                    .unwrap_or(&[]);
                let index = match lang { Lang::En => 0, Lang::Zh => 1 };
                spellings.get(index).or(spellings.first()).copied().unwrap_or("")
            }
        }
    };
}

vocabulary! {
    /// Values an expression can name.
    pub enum Var {
        /// The indicator's actual value (实际完成值).
        Actual => ["actual", "实际", "实际值"],
        /// The indicator's target value (年度指标值).
        Target => ["target", "目标", "目标值"],
        /// The points of the indicator or block being scored (分值).
        Weight => ["weight", "分值"],
        /// Full marks: the same as `weight`.
        Full => ["full", "满分"],
        /// The computed score (in flags).
        Score => ["score", "得分"],
        /// The score the sheet claims (自评得分).
        Claimed => ["claimed", "申报", "申报得分"],
        /// Whether a deviation note was written (in flags).
        Noted => ["noted", "有说明"],
        /// Amount executed in the year (全年执行数).
        Executed => ["executed", "执行数", "全年执行数"],
        /// Annual (adjusted) budget (全年预算数).
        Annual => ["annual", "预算数", "全年预算数"],
        /// Budget at the start of the year (年初预算数).
        Initial => ["initial", "年初预算数"],
        /// Execution rate: executed / annual (执行率).
        Rate => ["rate", "执行率"],
        /// The sheet total (in sheet flags).
        Total => ["total", "总分"],
        /// Points the scheme gives a category or the whole sheet.
        Points => ["points", "标准分"],
    }
}

vocabulary! {
    /// Functions an expression can call.
    pub enum Func {
        /// Smallest of its arguments.
        Min => ["min", "最小", "最小值"],
        /// Largest of its arguments.
        Max => ["max", "最大", "最大值"],
        /// Absolute value.
        Abs => ["abs", "绝对值"],
        /// Whether the sheet gives a value (`given(claimed)`).
        Given => ["given", "已填"],
        /// `lookup(TABLE, x)`: the value of the tier whose band holds x.
        Lookup => ["lookup", "查表"],
        /// `rounded(x, n)`: x rounded half up to n decimal places.
        Rounded => ["rounded", "保留"],
        /// `places(claimed)`: how many decimal places a sheet value is written with.
        Places => ["places", "小数位数"],
    }
}

vocabulary! {
    /// What a method or flag applies to.
    pub enum Subject {
        /// Targets written ≥, >, 以上, 不低于.
        Higher => ["higher", "正向"],
        /// Targets written ≤, <, 以内, 不高于.
        Lower => ["lower", "反向"],
        /// Targets written = or with no operator.
        Equal => ["equal", "等于"],
        /// Targets in words (明显提升, 及时…).
        Qualitative => ["qualitative", "定性"],
        /// Targets that are a date (2023年12月).
        Deadline => ["deadline", "时限"],
        /// Indicators with no target at all.
        Untargeted => ["untargeted", "无目标"],
        /// The budget-execution block.
        Budget => ["budget", "预算执行"],
        /// The whole sheet (flags only).
        Sheet => ["sheet", "全表"],
        /// Each level-1 and level-2 category (flags only).
        Group => ["group", "指标组"],
    }
}

vocabulary! {
    /// How an indicator's target reads.
    pub enum Direction {
        /// ≥: more is better.
        Higher => ["higher", "正向"],
        /// ≤: less is better.
        Lower => ["lower", "反向"],
        /// =: hit the value.
        Equal => ["equal", "等于"],
        /// Words, scored by tiers.
        Qualitative => ["qualitative", "定性"],
        /// A date to meet.
        Deadline => ["deadline", "时限"],
        /// No target given.
        Untargeted => ["untargeted", "无目标"],
    }
}

impl Direction {
    /// Every direction, in selection-table order.
    pub const ALL: [Direction; 6] = [
        Direction::Higher,
        Direction::Lower,
        Direction::Equal,
        Direction::Qualitative,
        Direction::Deadline,
        Direction::Untargeted,
    ];
}

impl Subject {
    /// The indicator direction this subject selects, if it is one.
    pub fn direction(self) -> Option<Direction> {
        Some(match self {
            Subject::Higher => Direction::Higher,
            Subject::Lower => Direction::Lower,
            Subject::Equal => Direction::Equal,
            Subject::Qualitative => Direction::Qualitative,
            Subject::Deadline => Direction::Deadline,
            Subject::Untargeted => Direction::Untargeted,
            Subject::Budget | Subject::Sheet | Subject::Group => return None,
        })
    }
}

vocabulary! {
    /// Which value a qualitative tier gives inside its band.
    pub enum TakeRule {
        /// The top of the band.
        Top => ["top", "上限"],
        /// The bottom of the band.
        Bottom => ["bottom", "下限"],
        /// The middle of the band.
        Middle => ["middle", "中值"],
        /// The claimed score, if it lies in the band.
        Claimed => ["claimed", "申报"],
        /// The tier's own `=> value`, a share of the weight (`部分达成 [60%, 80%) => 70%`).
        Value => ["value", "档值"],
    }
}

vocabulary! {
    /// What a `round` line applies to.
    pub enum RoundTarget {
        /// Indicator and budget scores.
        Score => ["score", "得分"],
        /// The total.
        Total => ["total", "总分"],
        /// The execution rate before it is used.
        Rate => ["rate", "执行率"],
    }
}

vocabulary! {
    /// Rounding modes.
    pub enum RoundMode {
        /// Half away from zero (四舍五入).
        HalfUp => ["half_up", "四舍五入"],
        /// Half to even (银行家舍入).
        HalfEven => ["half_even", "银行家舍入"],
        /// Toward zero (截尾).
        Down => ["down", "截尾", "truncate"],
        /// Away from zero (进一).
        Up => ["up", "进一"],
    }
}

vocabulary! {
    /// How a group's points are shared among indicators without their own weight.
    pub enum SplitMode {
        /// Equal shares.
        Equally => ["equally", "平均"],
    }
}

vocabulary! {
    /// What not-applicable indicators do to the total.
    pub enum InapplicableMode {
        /// Drop them and scale the rest up to the full total.
        Rescale => ["rescale", "折算"],
        /// Drop them; their points are simply lost.
        Zero => ["zero", "计零"],
    }
}

vocabulary! {
    /// The built-in checks of a table's own arithmetic, which every policy gets unless it
    /// switches one off (`audit printed_sum off`).
    pub enum AuditCheck {
        /// The printed scores do not add up to the printed total.
        PrintedSum => ["printed_sum", "得分合计"],
        /// A printed group's points differ from the sum of its rows' printed weights.
        GroupPoints => ["group_points", "分组分值"],
        /// The printed weights do not add up to the policy's total.
        WeightsTotal => ["weights_total", "分值合计"],
        /// A claimed score above its weight.
        ClaimOverWeight => ["claim_over_weight", "自评超分值"],
        /// The printed grade is not the band of the printed total.
        PrintedGrade => ["printed_grade", "自评等级"],
        /// The printed grade differs from the computed one.
        GradeDiffers => ["grade_differs", "等级不符"],
        /// A claimed score on a row that cannot be scored.
        UnscoredClaim => ["unscored_claim", "无法计分自评"],
        /// The table prints points or a score for budget execution, and the scheme has no budget
        /// item (the pre-2020 layouts): they are not counted.
        BudgetNotInScheme => ["budget_not_in_scheme", "预算执行不计分"],
    }
}

vocabulary! {
    /// What an `audit` line does to a check, besides renaming it.
    pub enum AuditSwitch {
        /// Switch the check off.
        Off => ["off", "关闭"],
    }
}

/// The spelling among `candidates` nearest to `word`, if one is near enough to suggest.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_len = word.chars().count();
    let candidates: Vec<&'a str> = candidates.into_iter().filter(|c| *c != word).collect();
    let near = candidates
        .iter()
        .map(|c| (strsim::osa_distance(word, c), *c))
        .filter(|(d, c)| {
            let len = word_len.max(c.chars().count());
            *d <= 2.max(len / 3) && *d < len
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c);
    // Characters scrambled by text recognition (`出标产指` for `产出指标`): the same letters in
    // another order.
    near.or_else(|| {
        let sorted = |s: &str| {
            let mut v: Vec<char> = s.chars().collect();
            v.sort_unstable();
            v
        };
        let letters = sorted(word);
        (word_len > 2).then(|| candidates.iter().copied().filter(|c| sorted(c) == letters).min()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_map_to_one_meaning() {
        assert_eq!(Var::from_word("actual"), Some(Var::Actual));
        assert_eq!(Var::from_word("实际"), Some(Var::Actual));
        assert_eq!(Var::from_word("实际值"), Some(Var::Actual));
        assert_eq!(Var::Actual.spelling(Lang::Zh), "实际");
        assert_eq!(RoundMode::from_word("四舍五入"), Some(RoundMode::HalfUp));
        assert_eq!(Var::from_word("nothing"), None);
    }

    #[test]
    fn scrambled_labels_are_suggested() {
        assert_eq!(did_you_mean("出标产指", ["产出指标", "效益指标"]), Some("产出指标"));
        assert_eq!(did_you_mean("甲乙丙丁", ["产出指标"]), None);
    }

    #[test]
    fn suggestions_are_near() {
        assert_eq!(did_you_mean("acutal", Var::spellings()), Some("actual"));
        assert_eq!(did_you_mean("目表", Var::spellings()), Some("目标"));
        assert_eq!(did_you_mean("zzzzzzzz", Var::spellings()), None);
    }
}
