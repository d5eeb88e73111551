//! The registry of diagnostic codes.
//!
//! Every problem jixiao can report has one [`Code`]: a stable kebab-case name, the stage that
//! finds it, its usual severity, a one-line summary and a longer explanation with an example, in
//! English and Chinese. `jixiao explain CODE` prints the entry.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::diagnostic::{Message, Severity};
use crate::words::Lang;

/// The stage of the pipeline that reports a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Reading a rule file's text.
    Syntax,
    /// Checking one policy.
    Check,
    /// Putting `extends` chains together and choosing a year.
    Compose,
    /// Reading a project sheet.
    Sheet,
    /// Scoring a sheet.
    Eval,
}

impl Stage {
    /// The stage's name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Syntax, Lang::En) => "rule-file syntax",
            (Stage::Syntax, Lang::Zh) => "规则文件语法",
            (Stage::Check, Lang::En) => "policy check",
            (Stage::Check, Lang::Zh) => "政策检查",
            (Stage::Compose, Lang::En) => "inheritance and years",
            (Stage::Compose, Lang::Zh) => "继承与年度",
            (Stage::Sheet, Lang::En) => "reading a sheet",
            (Stage::Sheet, Lang::Zh) => "读取自评表",
            (Stage::Eval, Lang::En) => "scoring",
            (Stage::Eval, Lang::Zh) => "计分",
        }
    }
}

/// One entry of the registry.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct CodeInfo {
    /// The code.
    pub code: Code,
    /// Which stage reports it.
    pub stage: Stage,
    /// How serious it usually is.
    pub severity: Severity,
    summary: (&'static str, &'static str),
    explanation: (&'static str, &'static str),
    /// A short example that raises it.
    pub example: &'static str,
}

impl CodeInfo {
    /// One line saying what the problem is.
    pub fn summary(&self) -> Message {
        Message::new(self.summary.0, self.summary.1)
    }

    /// What the problem is, why it matters and how to fix it.
    pub fn explanation(&self) -> Message {
        Message::new(self.explanation.0, self.explanation.1)
    }
}

macro_rules! registry {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal, $stage:ident, $severity:ident,
            ($sum_en:literal, $sum_zh:literal),
            ($exp_en:literal, $exp_zh:literal),
            $example:literal;
    )*) => {
        /// A kind of problem, as named in diagnostics and by `jixiao explain`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name (`unknown-name`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The registry entry.
            pub fn info(self) -> CodeInfo {
                match self {
                    $(Code::$variant => CodeInfo {
                        code: Code::$variant,
                        stage: Stage::$stage,
                        severity: Severity::$severity,
                        summary: ($sum_en, $sum_zh),
                        explanation: ($exp_en, $exp_zh),
                        example: $example,
                    },)*
                }
            }
        }
    };
}

impl Code {
    /// The code with this name, if there is one.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not a registered code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a jixiao diagnostic code", self.0)
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::from_name(s.trim()).ok_or_else(|| UnknownCode(s.to_string()))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl CodeInfo {
    /// The entry as plain text, as `jixiao explain CODE` prints it.
    pub fn render(&self, lang: Lang) -> String {
        let severity = match (self.severity, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Warning, Lang::Zh) => "警告",
        };
        let (sep, stage, example) = match lang {
            Lang::En => (", ", "found in", "Example:"),
            Lang::Zh => ("，", "发现于", "示例："),
        };
        let mut out = format!(
            "{}: {}\n{severity}{sep}{stage} {}\n\n{}\n\n{example}\n",
            self.code.name(),
            self.summary().get(lang),
            self.stage.name(lang),
            self.explanation().get(lang),
        );
        for line in self.example.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// One line per code: name and summary, for `jixiao explain` with no code.
pub fn index(lang: Lang) -> String {
    let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for code in Code::ALL {
        let name = code.name();
        out.push_str(&format!("{name:<width$}  {}\n", code.info().summary().get(lang)));
    }
    out
}

registry! {
    // ---- syntax ----
    /// The text of a rule file does not follow the grammar.
    SyntaxError = "syntax-error", Syntax, Error,
        ("the rule file cannot be read here", "规则文件此处无法读取"),
        ("A word, symbol or bracket is not where the language allows it. The message says what \
was expected instead; common causes are full-width braces (｛｝), a missing closing brace, or a \
keyword misspelt. Fix the text at the place shown; everything after a broken declaration is still \
checked.",
         "此处的词语、符号或括号不符合规则语言的写法。提示会说明此处应当出现什么；常见原因是使用了全角括号\
（｛｝）、缺少右括号，或关键字拼写错误。请修改所指位置；出错声明之后的内容仍会继续检查。"),
        "method 正向 for ≥ ｛ else => full ｝";
    /// A number too large or too precise for exact arithmetic.
    NumberOutOfRange = "number-out-of-range", Syntax, Error,
        ("a number is too large or too precise", "数字过大或过于精确"),
        ("Numbers in rule files and sheets must stay below 10^15 and keep at most 28 significant \
digits, so every score is computed exactly. A number this large is almost always a typing error.",
         "规则文件和自评表中的数字须小于 10^15，最多 28 位有效数字，以保证每个分数都能精确计算。如此大的数字\
几乎总是录入错误。"),
        "scheme total 10000000000000000 { … }";
    /// An expression nested too deeply or too long.
    TooComplex = "too-complex", Syntax, Error,
        ("a rule is nested too deeply", "规则嵌套过深"),
        ("Expressions and schemes have a nesting limit so that a damaged file cannot exhaust the \
machine. Split the rule into simpler clauses or use a tier table.",
         "表达式和指标体系有嵌套上限，以免损坏的文件耗尽资源。请拆分为更简单的条款或改用档次表。"),
        "when ((((((((actual)))))))) … ";
    // ---- check ----
    /// A name that is not declared or not a known word.
    UnknownName = "unknown-name", Check, Error,
        ("a name the policy does not know", "政策中没有此名称"),
        ("A variable, function, direction, category, tier table or keyword word is not known. \
The message suggests the nearest known name; names are compared after folding full-width forms.",
         "变量、函数、方向、类别、档次表或关键字未定义。提示会给出最接近的已知名称；比较时全角与半角视为相同。"),
        "else => weigth * actual / target";
    /// Two declarations (or two lines) say the same thing.
    DuplicateDefinition = "duplicate-definition", Check, Error,
        ("something is declared twice", "重复声明"),
        ("A method, tier table, flag, category, tier, header line or setting is declared twice \
in one policy. Only one can apply, so jixiao refuses to guess: delete one, or use `override` to \
replace an inherited declaration.",
         "同一政策中某个方法、档次表、提示、类别、档次、信息行或设置被声明了两次。只能有一个生效，jixiao \
不作猜测：请删除其一，或用 `覆盖` 替换继承来的声明。"),
        "year 2020\nyear 2021";
    /// A value of the wrong kind in an expression.
    TypeMismatch = "type-mismatch", Check, Error,
        ("a value of the wrong kind", "取值类型不符"),
        ("Expressions have numbers, dates, words and conditions. A score must be a number, a \
`when` must be a condition, dates cannot be multiplied, and comparisons cannot be chained.",
         "表达式中有数值、日期、文字和条件。得分必须是数值，`当` 后面必须是条件，日期不能相乘，比较不能连写。"),
        "when actual => full";
    /// A value used where the sheet cannot provide it.
    UnavailableValue = "unavailable-value", Check, Error,
        ("this value is not available here", "此处不可用该值"),
        ("Some values exist only in some places: `actual` and `target` belong to indicators, \
`rate` and `executed` to the budget item, `total` to sheet flags, `score` to flags. Using one \
elsewhere would read nothing.",
         "有些值只在特定位置可用：`实际`、`目标` 属于指标，`执行率`、`执行数` 属于预算执行，`总分` 属于整表提示，\
`得分` 属于提示。在其他位置使用将读不到任何值。"),
        "method 预算执行 for budget { else => weight * actual }";
    /// A function called with the wrong arguments.
    WrongArguments = "wrong-arguments", Check, Error,
        ("a function gets the wrong arguments", "函数参数不符"),
        ("`min` and `max` take two or more numbers, `lookup` a tier table and a number, `given` \
one value. The message shows the expected form.",
         "`min`、`max` 需要两个或以上数值，`lookup` 需要档次表和一个数值，`given` 需要一个值。提示会给出正确写法。"),
        "else => min(weight)";
    /// A division by a literal zero.
    DivisionByZero = "division-by-zero", Check, Error,
        ("a formula divides by zero", "公式除以零"),
        ("A formula divides by the number 0 written in the rule file; it can never give a score.",
         "公式除以规则文件中写明的 0，永远无法得出分数。"),
        "else => weight * actual / 0";
    /// Two methods claim the same indicators.
    AmbiguousMethod = "ambiguous-method", Check, Error,
        ("two methods claim the same indicators", "两个方法适用于同一类指标"),
        ("Each indicator is scored by the most specific method for its category and direction. \
Two methods with the same selector leave the choice open; remove one or narrow its `for`.",
         "每个指标按其类别和方向选择最具体的方法。两个方法的适用范围相同时无法确定使用哪个；请删除其一或缩小 `适用` 范围。"),
        "method a for ≥ { … }\nmethod b for ≥ { … }";
    /// A declaration nothing uses.
    UnusedDeclaration = "unused-declaration", Check, Warning,
        ("a declaration is never used", "声明未被使用"),
        ("A method that no indicator can select, or a tier table no method reads, has no effect. \
It is often a leftover from last year's file or a selector written wrongly.",
         "没有指标会选中的方法、没有方法引用的档次表都不起作用，常见于沿用上年文件留下的内容或适用范围写错。"),
        "tiers 旧档次 { … }   // never used";
    /// A method with an invalid `for`.
    InvalidSelector = "invalid-selector", Check, Error,
        ("this `for` cannot select anything sensible", "`适用` 范围无效"),
        ("A method is for indicator directions, categories or the budget item; a flag is for \
indicators, groups, the budget or the whole sheet. Some combinations mean nothing, such as the \
budget together with a direction.",
         "方法适用于指标方向、类别或预算执行；提示适用于指标、分组、预算或整表。有些组合没有意义，例如预算执行与方向同时出现。"),
        "method m for budget, ≥ { … }";
    /// A default for something other than `actual`.
    InvalidDefault = "invalid-default", Check, Error,
        ("only `actual` can have a default", "只有 `实际` 可以设缺省值"),
        ("`default actual = …` fills an empty actual value (a cost row's actual is often the \
executed amount). Targets and weights must come from the sheet.",
         "`缺省 实际 = …` 用于填补空的实际完成值（成本指标的实际值常取执行数）。指标值和分值必须来自自评表。"),
        "default target = 100";
    /// A clause outcome that is not a score.
    InvalidOutcome = "invalid-outcome", Check, Error,
        ("this outcome is not a score", "结果不是分数"),
        ("A clause ends in `full`, a formula, or `tiers` with a tier table; a row no clause \
scores is left unscored with its reason.",
         "条款的结果须为 `满分`、公式，或 `档次` 加档次表；没有条款能计分的行不计分并写明原因。"),
        "when actual >= target => \"好\"";
    /// A clause that can never apply.
    UnreachableClause = "unreachable-clause", Check, Warning,
        ("this clause can never apply", "此条款永远不会生效"),
        ("An earlier clause already covers every case this one would, usually because an `else` \
or a wider condition comes first. Clauses are tried in order.",
         "前面的条款已覆盖本条款的全部情形，通常是 `否则` 或更宽的条件写在前面。条款按顺序匹配。"),
        "else => full\nwhen actual < target => 0";
    /// A division by a sheet value whose sign no condition settles.
    UnsettledDivisor = "unsettled-divisor", Check, Warning,
        ("a clause divides by a sheet value that may be zero or negative",
         "条款除以可能为 0 或负数的自评表取值"),
        ("`weight * actual / target` is a ratio only while `target` is positive: at 0 it divides \
by zero, and below 0 (`≥-2%` met by `-4%`) it gives a ratio above 1 that capping turns into full \
marks. Settle the divisor's sign in this clause's condition or an earlier one (`when target > 0 \
=> …`) and say what the other cases score. On a sheet, such a clause meeting a zero or negative \
divisor leaves the row unscored with that reason.",
         "`分值 * 实际 / 目标` 只有在 `目标` 为正数时才是比例：为 0 时除以零，为负数时（如 `≥-2%` \
实际 `-4%`）比例大于 1，封顶后成了满分。请在本条或之前条款的条件中确定除数的正负（`当 目标 > 0 => …`），\
并写明其余情形如何计分。计分时，此类条款遇到为 0 或负数的除数，该行不予计分并说明原因。"),
        "when actual >= target => full\nelse => weight * actual / target";
    /// A method selected for `=` in a ceiling category.
    UnreachableSelector = "unreachable-selector", Check, Warning,
        ("`=` is selected in a ceiling category, where `=` targets are scored as `≤`",
         "在限额类别中选择了“=”，而该类别的“=”指标按“≤”计分"),
        ("In a category marked `ceiling` (a cost category) a target written `=` is a ceiling, so \
its rows are scored by the category's `≤` method and this selector never applies.",
         "标为 `限额` 的类别（成本类）中写作“=”的指标值是上限，按该类别的“≤”方法计分，此适用范围不会生效。"),
        "\"成本指标\" ceiling … method 成本 for \"成本指标\" =";
    /// A method without a final `else`.
    NoFallback = "no-fallback", Check, Warning,
        ("a method has no `else`", "方法缺少 `否则`"),
        ("Without `else`, a row that no `when` matches is left unscored, with that reason. Add \
`else` with the score, so a gap is never an accident.",
         "没有 `否则` 时，任何 `当` 都不匹配的指标将不计分并说明原因。请添加 `否则` 给出分数，避免无意中留下空档。"),
        "method m for ≥ { when actual >= target => full }";
    /// A method with no clauses.
    EmptyMethod = "empty-method", Check, Error,
        ("a method has no clauses", "方法没有条款"),
        ("A method needs at least one `when` or `else`.", "方法至少需要一个 `当` 或 `否则`。"),
        "method m for ≥ { }";
    /// No method for a kind of indicator the scheme has.
    NoMethod = "no-method", Check, Error,
        ("no method scores this kind of indicator", "没有方法为此类指标计分"),
        ("Every direction (≥, ≤, =, qualitative, deadline) and the budget item need a method, \
or rows of that kind cannot be scored.",
         "每种方向（≥、≤、=、定性、时限）和预算执行都需要计分方法，否则此类指标无法计分。"),
        "(no method for deadline)";
    /// A tier band written the wrong way round or empty.
    BandEmpty = "band-empty", Check, Error,
        ("this band holds nothing", "此区间为空"),
        ("A band whose low end is above its high end (or equal, with an open end) holds no value. \
Write the low end first: `[60%, 80%)`.",
         "下限高于上限（或相等且有一端开区间）的区间不含任何值。请先写下限：`[60%, 80%)`。"),
        "部分达成 [80%, 60%)";
    /// Values no band covers.
    BandGap = "band-gap", Check, Error,
        ("some values fall in no band", "有取值不属于任何区间"),
        ("Grade bands, tier tables and lookup tables must cover their whole range, or some totals \
get no grade. Integer bands such as 80–89 leave 89.5 uncovered unless the total is rounded to \
whole numbers.",
         "等级、档次表和查找表必须覆盖整个取值范围，否则有些总分没有等级。80–89 这样的整数区间会漏掉 89.5，\
除非总分取整。"),
        "grades { 优 [90, 100]  良 [80, 89] … }";
    /// Two bands share values.
    BandOverlap = "band-overlap", Check, Error,
        ("two bands share values", "两个区间重叠"),
        ("A value in two bands would get two grades or tiers. Make one end open: `[80, 90)`.",
         "同时属于两个区间的取值会得到两个等级或档次。请将一端改为开区间：`[80, 90)`。"),
        "优 [90, 100]  良 [80, 90]";
    /// A band no value can reach, because earlier bands already take its values.
    BandUnreachable = "band-unreachable", Check, Error,
        ("this band can never be reached", "此区间永远不会被用到"),
        ("Bands are tried in order and the first that holds a value wins. A threshold list out of \
order (`中 >= 60` before `良 >= 75`) gives 75.9 the grade 中; a band inside one written before it \
(`良 >= 95` under `优 >= 90`) never applies. Write thresholds from the highest down.",
         "区间按顺序匹配，先匹配者优先。门槛顺序错乱（`中 >= 60` 写在 `良 >= 75` 之前）会使 75.9 分评为中；\
被前面区间包含的区间（`优 >= 90` 之后的 `良 >= 95`）永远不会生效。请按从高到低的顺序书写门槛。"),
        "grades { 优 >= 90  中 >= 60  良 >= 75  差 }";
    /// A band outside 0–100 %.
    BandOutOfRange = "band-out-of-range", Check, Error,
        ("a band lies outside 0–100 %", "区间超出 0–100%"),
        ("Qualitative tiers are shares of the indicator's points, between 0 and 100 %. Bands \
written in points (e.g. [8, 10]) are almost always meant as percentages.",
         "定性档次是指标分值的比例，介于 0 与 100% 之间。按分值写的区间（如 [8, 10]）通常应写成百分比。"),
        "达成 [8, 10]";
    /// A catch-all grade before others.
    CatchAllNotLast = "catch-all-not-last", Check, Error,
        ("the catch-all grade is not last", "兜底等级不在最后"),
        ("A grade with no bound takes every total that reaches it; written first it takes all.",
         "没有界限的等级会接收所有到达它的总分；写在前面会吞掉全部总分。"),
        "grades { 差  优 >= 90 … }";
    /// No grade bands.
    NoGrades = "no-grades", Check, Error,
        ("the policy has no grade bands", "政策没有等级划分"),
        ("Every policy grades its total; add `grades { 优 >= 90  良 >= 80  中 >= 60  差 }`.",
         "每个政策都要为总分评定等级；请添加 `等级 { 优 >= 90  良 >= 80  中 >= 60  差 }`。"),
        "(no grades block)";
    /// A tier without a name.
    UnnamedTier = "unnamed-tier", Check, Error,
        ("a qualitative tier has no name", "定性档次没有名称"),
        ("Qualitative tiers are chosen by name (in the sheet's `tier`) and shown by name; give \
each one.",
         "定性档次按名称选择（自评表的 `tier`）并按名称显示；请为每个档次命名。"),
        "tiers t { [80%, 100%] … }";
    /// A qualitative tier without a value to take.
    MissingTierValue = "missing-tier-value", Check, Error,
        ("a tier table does not say which value to take", "档次表未说明取值"),
        ("A qualitative tier is a band of points; `take` says which value in it is the score \
(top, middle, bottom, or the claimed score when it lies in the band).",
         "定性档次是分值区间；`取值` 说明取区间中的哪个值（上限、中值、下限，或落在区间内的申报分）。"),
        "tiers t { 达成 [80%, 100%] }";
    /// An invalid `take`.
    InvalidTake = "invalid-take", Check, Error,
        ("this `take` cannot be used", "`取值` 无效"),
        ("`take claimed` needs a fallback that is not itself `claimed`.",
         "`取值 申报` 需要一个不是 `申报` 的备选。"),
        "take claimed else claimed";
    /// A cycle between lookup tables.
    LookupCycle = "lookup-cycle", Check, Error,
        ("lookup tables refer to each other in a circle", "查找表循环引用"),
        ("A tier table whose values look up another table that looks back can never be \
evaluated.",
         "档次表的取值引用另一个表，而后者又引用回来，永远无法求值。"),
        "tiers a { >= 0 => lookup(b, rate) }  tiers b { >= 0 => lookup(a, rate) }";
    /// A scheme without points.
    MissingPoints = "missing-points", Check, Error,
        ("a category has no points", "类别没有分值"),
        ("Level-1 categories carry the points of the scheme; write them after the label.",
         "一级指标承载指标体系的分值；请写在名称之后。"),
        "\"产出指标\" { … }";
    /// Points that are negative or zero where they cannot be.
    InvalidPoints = "invalid-points", Check, Error,
        ("points must be positive", "分值必须为正"),
        ("The total and each category's points must be above zero.",
         "总分和每个类别的分值都必须大于零。"),
        "scheme total 0 { … }";
    /// Points not adding up.
    PointsDoNotSum = "points-do-not-sum", Check, Error,
        ("points do not add up", "分值合计不符"),
        ("The level-1 points and the budget item must add up to the total, and level-2 points to \
their category's. Published tables often print weights adding to 110; a policy must not.",
         "一级指标分值与预算执行分值之和须等于总分，二级指标分值之和须等于所属一级指标。公开的表格常有合计为 110 \
的情况，政策文件不能如此。"),
        "scheme total 100 { budget \"预算执行率\" 10  \"产出指标\" 60  \"效益指标\" 40 }";
    /// A scheme deeper than three levels.
    SchemeTooDeep = "scheme-too-deep", Check, Error,
        ("the scheme is nested too deeply", "指标体系层级过深"),
        ("A scheme has level-1 and level-2 categories; the level-3 indicators come from sheets.",
         "指标体系只有一级和二级指标；三级指标来自自评表。"),
        "\"产出指标\" 50 { \"数量指标\" { \"培训\" } }";
    /// No scheme block.
    MissingScheme = "missing-scheme", Check, Error,
        ("the policy has no scheme", "政策没有指标体系"),
        ("A policy needs `scheme total N { … }` with its categories and points.",
         "政策需要 `指标体系 总分 N { … }`，列出类别和分值。"),
        "(no scheme block)";
    /// A header line is missing.
    MissingHeader = "missing-header", Check, Error,
        ("a header line is missing", "缺少政策信息行"),
        ("Every policy states `policy`, `jurisdiction` and `year`, so each score sheet can name \
the rules that made it.",
         "每个政策须写明 `政策`、`地区` 和 `年度`，以便每份计分结果都能说明所依据的规则。"),
        "(no jurisdiction line)";
    /// A year that is not a four-digit year.
    InvalidYear = "invalid-year", Check, Error,
        ("the year is not a four-digit year", "年度不是四位年份"),
        ("Years are written as four digits between 1949 and 2999.",
         "年度须写为 1949 至 2999 之间的四位数字。"),
        "year 202";
    /// A unit declaration that cannot convert.
    InvalidUnit = "invalid-unit", Check, Error,
        ("a unit cannot be used", "单位无法使用"),
        ("A unit conversion needs a positive factor; in a sheet, a money unit must be 元 or 万元.",
         "单位换算需要正的换算系数；自评表中的金额单位须为 元 或 万元。"),
        "unit \"千米\" = 0 \"米\"";
    /// Units defined in terms of each other.
    UnitCycle = "unit-cycle", Check, Error,
        ("units are defined in a circle", "单位循环定义"),
        ("Each unit must lead to a base unit; `a = 2 b` with `b = 3 a` never does.",
         "每个单位最终都要换算到一个基本单位；`a = 2 b` 与 `b = 3 a` 永远无法换算。"),
        "unit \"a\" = 2 \"b\"\nunit \"b\" = 3 \"a\"";
    /// An invalid rounding.
    InvalidRounding = "invalid-rounding", Check, Error,
        ("this rounding cannot be used", "舍入设置无效"),
        ("Rounding keeps 0 to 10 decimal places.", "舍入保留 0 至 10 位小数。"),
        "round 40";
    /// An `audit` line that retitles a check with empty text.
    InvalidAudit = "invalid-audit", Check, Error,
        ("this audit line cannot be used", "审核设置无效"),
        ("`audit CHECK \"title\"` shows a built-in check of the table's arithmetic under another \
title, so the title cannot be empty; write `audit CHECK off` to switch the check off instead.",
         "`审核 审核项 \"名称\"` 为表内算术的内置审核项改名，名称不能为空；要关闭该项请写 `审核 审核项 关闭`。"),
        "audit printed_sum \"\"";
    /// A flag without a message.
    NoMessage = "no-message", Check, Error,
        ("a flag has no message", "提示没有说明"),
        ("A flag is shown to a reviewer; it needs a `message` saying what to look at.",
         "提示要展示给复核人员，需要 `说明` 指出应关注什么。"),
        "flag f for ≥ { when actual > target * 2 }";
    /// `override` of something not inherited.
    NothingToOverride = "nothing-to-override", Compose, Error,
        ("`override` replaces nothing", "`覆盖` 没有可替换的内容"),
        ("`override` replaces a declaration inherited through `extends`; the parent has no \
declaration with this kind and name. Check the spelling, or drop `override` to add a new one.",
         "`覆盖` 用于替换通过 `继承` 得到的声明；上级政策中没有此类型和名称的声明。请检查拼写，或去掉 `覆盖` 以新增声明。"),
        "extends \"national/2020\"\noverride method 正向2 { … }";
    /// `remove` of something not inherited.
    NothingToRemove = "nothing-to-remove", Compose, Error,
        ("`remove` removes nothing", "`删除` 没有可删除的内容"),
        ("`remove` drops a declaration inherited through `extends`; the parent has none with \
this kind and name.",
         "`删除` 用于去掉通过 `继承` 得到的声明；上级政策中没有此类型和名称的声明。"),
        "remove flag 不存在的提示";
    /// An inherited declaration redefined without `override`.
    RedefinedWithoutOverride = "redefined-without-override", Compose, Error,
        ("an inherited declaration is redefined without `override`", "重新定义继承的声明但未写 `覆盖`"),
        ("A policy that extends another must say `override` when it replaces an inherited \
declaration, so that a change is never accidental.",
         "继承其他政策时，替换继承来的声明必须写 `覆盖`，避免无意中改动。"),
        "extends \"national/2020\"\nmethod 正向 for ≥ { … }";
    /// `override` or `remove` at the top of a chain.
    OverrideMissing = "override-missing", Compose, Error,
        ("`override` in a policy that extends nothing", "未继承任何政策却使用 `覆盖`"),
        ("Only a policy with `extends` has inherited declarations to override.",
         "只有写了 `继承` 的政策才有可覆盖的声明。"),
        "override method 正向 for ≥ { … }   // no extends";
    /// `remove` at the top of a chain.
    RemoveMissing = "remove-missing", Compose, Error,
        ("`remove` of something not inherited", "删除未继承的内容"),
        ("Only declarations inherited through `extends` can be removed.",
         "只有通过 `继承` 得到的声明才能删除。"),
        "remove flag 超额   // the parent has no such flag";
    /// The parent policy cannot be found.
    MissingParent = "missing-parent", Compose, Error,
        ("the policy to extend cannot be found", "找不到要继承的政策"),
        ("`extends` names a policy as `jurisdiction/year` within the rules folder. The message \
lists the nearest names the folder has.",
         "`继承` 以 `地区/年度` 指明规则目录中的政策。提示会列出目录中最接近的名称。"),
        "extends \"hunan/2012\"";
    /// `extends` that cannot be resolved at all.
    UnresolvedExtends = "unresolved-extends", Compose, Error,
        ("`extends` cannot be resolved here", "此处无法解析 `继承`"),
        ("A single file checked on its own cannot follow `extends`; check it within its rules \
folder (`jixiao check --rules rules`).",
         "单独检查一个文件时无法解析 `继承`；请在规则目录中检查（`jixiao check --rules rules`）。"),
        "extends \"national/2020\"";
    /// Policies extending each other in a circle.
    ExtendsCycle = "extends-cycle", Compose, Error,
        ("policies extend each other in a circle", "政策循环继承"),
        ("A chain of `extends` must end at a policy that extends nothing.",
         "`继承` 链必须终止于一个不继承其他政策的政策。"),
        "a extends b, b extends a";
    /// An extends chain too long.
    ExtendsTooDeep = "extends-too-deep", Compose, Error,
        ("the `extends` chain is too long", "`继承` 链过长"),
        ("Chains are limited in length so that a damaged rules folder cannot loop.",
         "继承链有长度上限，以免损坏的规则目录陷入循环。"),
        "(a chain of 65 policies)";
    /// A header that disagrees with the file's place in the rules folder.
    NameMismatch = "name-mismatch", Compose, Error,
        ("the header disagrees with the file's path", "政策信息与文件路径不符"),
        ("In a rules folder, `rules/<jurisdiction>/<year>.policy` must declare that jurisdiction \
and year, so choosing a policy by year can be trusted.",
         "规则目录中 `rules/<地区>/<年度>.policy` 必须声明相同的地区和年度，按年度选择政策才可靠。"),
        "rules/hunan/2023.policy: year 2021";
    // ---- sheet ----
    /// A sheet file is not valid TOML or JSON.
    SheetSyntax = "sheet-syntax", Sheet, Error,
        ("the sheet file cannot be parsed", "自评表文件无法解析"),
        ("The file is not valid TOML or JSON at the place shown. Quotes, commas and brackets are \
the usual causes.",
         "文件在所指位置不是有效的 TOML 或 JSON，常见原因是引号、逗号或括号。"),
        "name = \"未闭合";
    /// A required field is missing.
    MissingField = "missing-field", Sheet, Error,
        ("a required field is missing", "缺少必填字段"),
        ("A sheet needs a `[project]` with a name, and each indicator its level-1 category.",
         "自评表需要含名称的 `[project]`，每个指标需要一级指标。"),
        "[[indicators]]\nname = \"培训人数\"";
    /// A field of the wrong type.
    WrongType = "wrong-type", Sheet, Error,
        ("a field has the wrong type", "字段类型不符"),
        ("Amounts and points are numbers (or text holding one), names are text, flags such as \
`not_applicable` are true or false.",
         "金额和分值为数值（或含数值的文字），名称为文字，`not_applicable` 等为 true 或 false。"),
        "weight = [10]";
    /// A field jixiao does not know.
    UnknownField = "unknown-field", Sheet, Error,
        ("a field jixiao does not know", "未知字段"),
        ("A misspelt field would be ignored and its value lost, so it is an error. The message \
suggests the nearest field.",
         "拼错的字段会被忽略、数值丢失，因此作为错误报告。提示会给出最接近的字段名。"),
        "[[indicators]]\nwieght = 10";
    /// A number cell that cannot be read.
    UnreadableNumber = "unreadable-number", Sheet, Error,
        ("a number cannot be read", "数值无法读取"),
        ("A weight, amount or score cell holds text that is not a number. It is never read as \
zero.",
         "分值、金额或得分单元格中的文字不是数字。jixiao 绝不把它当作零。"),
        "weight = \"十分\"";
    /// A target or actual cell that cannot be read.
    UnreadableCell = "unreadable-cell", Sheet, Error,
        ("a cell cannot be read", "单元格无法读取"),
        ("A structured target or actual (`{ op, value, unit }`) has a part jixiao cannot read.",
         "结构化的指标值或实际值（`{ op, value, unit }`）中有无法读取的部分。"),
        "target = { op = \"≈\", value = 5 }";
    /// A negative amount.
    NegativeAmount = "negative-amount", Sheet, Error,
        ("an amount is negative", "金额为负"),
        ("Budget amounts, weights and claimed scores cannot be negative.",
         "预算金额、分值和申报得分不能为负。"),
        "executed = -5";
    // ---- eval ----
    /// A category name the scheme does not know.
    UnknownCategory = "unknown-category", Eval, Error,
        ("the scheme has no such category", "指标体系中没有此类别"),
        ("The row's level-1 or level-2 label matches no category or alias of the policy's \
scheme. Add an `alias` to the scheme, or correct the label.",
         "该行的一级或二级指标名称与指标体系中的类别和别名都不匹配。请在指标体系中添加 `又名`，或更正名称。"),
        "level1 = \"产出指表\"";
    /// No weight for a row.
    NoWeight = "no-weight", Eval, Error,
        ("a row has no points", "指标没有分值"),
        ("The row has no 分值 and its group has no points to share among its rows.",
         "该行没有分值，所属分组也没有可分配的分值。"),
        "[[indicators]] … (no weight, no group)";
    /// No method applies to a row.
    NoMethodForRow = "no-method-for-row", Eval, Error,
        ("no method scores this row", "没有方法为此行计分"),
        ("The policy has no method for the row's category and direction.",
         "政策中没有适用于该行类别和方向的计分方法。"),
        "(a deadline row under a policy without a deadline method)";
    /// An empty actual.
    EmptyActual = "empty-actual", Eval, Error,
        ("the actual value is empty", "实际完成值为空"),
        ("Without an actual there is nothing to score; the row is unscored and the total shown \
as a range.",
         "没有实际完成值就无法计分；该行不计分，总分以区间显示。"),
        "actual = \"\"";
    /// An actual that cannot be read as the target needs.
    UnreadableActual = "unreadable-actual", Eval, Error,
        ("the actual cannot be read as the target needs", "实际完成值无法按指标值读取"),
        ("A numeric target needs a number, a deadline a date, a qualitative target words the \
tier table knows.",
         "数值型指标需要数值，时限指标需要日期，定性指标需要档次表认识的词语。"),
        "target = \"≥50个\"  actual = \"较多\"";
    /// A target the method cannot use.
    UnreadableTarget = "unreadable-target", Eval, Error,
        ("the target cannot be used by this method", "指标值无法用于该方法"),
        ("The method's formula needs a number from the target, and the target holds none.",
         "方法的公式需要指标值中的数值，而指标值中没有。"),
        "target = \"明显\"";
    /// Units that do not convert.
    UnitMismatch = "unit-mismatch", Eval, Error,
        ("target and actual are in different units", "指标值与实际值单位不一致"),
        ("Target and actual must be in one unit or in units the policy converts (`unit`).",
         "指标值与实际值必须单位相同，或为政策（`单位`）可换算的单位。"),
        "target = \"≥50人\"  actual = \"50场\"";
    /// A formula divides by zero for this row.
    ZeroDivisor = "zero-divisor", Eval, Error,
        ("a formula divides by zero for this row", "此行公式除以零"),
        ("The formula divides by a value that is zero on this row (often a zero target). The row \
is unscored; give the method a clause for that case.",
         "公式的除数在此行为零（常见于指标值为 0）。该行不计分；请在方法中为此情形添加条款。"),
        "target = \"≤0起\" with weight * target / actual";
    /// A division by a zero or negative sheet value that no clause handles.
    UnsettledDivisorValue = "unsettled-divisor-value", Eval, Error,
        ("the formula divides by a zero or negative value no clause handles",
         "公式除以没有条款处理的 0 或负数"),
        ("The clause divides by a sheet value whose sign its conditions do not settle (`check` \
warns with `unsettled-divisor`), and on this row the value is zero or negative: a ratio there \
would be meaningless or full marks in disguise, so the row is unscored.",
         "条款的除数为自评表取值，其正负未由条件确定（`check` 以 `unsettled-divisor` 提示），此行该值为 0 \
或负数：此时的比例没有意义或变相给满分，故该行不计分。"),
        "target = \"≥-2%\"  actual = \"-4%\" with weight * actual / target";
    /// A flag's deduction or cap could not be computed.
    FlagFailed = "flag-failed", Eval, Error,
        ("a flag's condition, deduction or cap cannot be computed", "提示的条件、扣分或封顶无法计算"),
        ("A flag that deducts or caps fired on this row, sheet or group (or its condition could not \
be evaluated), but its `deduct` or `cap` divides by zero or overflows for these values. The score it would adjust is unknown, so it is left unscored (or the \
total shown as uncertain) rather than silently not deducted. Give the flag's expression a guard \
for that case.",
         "提示已触发，但其 `扣分` 或 `封顶` 在这些取值下除以零或溢出。它所调整的分数因此未知，故不计分（或总分\
标为不确定），而不是悄悄不扣分。请在提示的表达式中处理该情形。"),
        "flag f { when actual > target  deduct 2 * target / actual }   // actual = 0";
    /// A workbook cell of the row could not be read.
    UnreadableRowCell = "unreadable-row-cell", Eval, Error,
        ("a cell of the row cannot be read", "该行有单元格无法读取"),
        ("A workbook cell of this row holds something jixiao cannot read. Only this row is left \
unscored; every other row is scored and the sheet is marked incomplete.",
         "该行某个单元格的内容无法读取。只有该行不计分，其他行照常计分，整表标为不完整。"),
        "Sheet1!F12 = \"IO\"";
    /// A number grew too large.
    Overflow = "overflow", Eval, Error,
        ("a number is too large to compute exactly", "数值过大，无法精确计算"),
        ("An intermediate result left the range of exact decimals.",
         "中间结果超出了精确小数的范围。"),
        "(huge amounts multiplied)";
    /// No clause applied.
    NoClauseApplied = "no-clause-applied", Eval, Error,
        ("no clause of the method applies", "方法中没有适用的条款"),
        ("The method has no `else` and no `when` matched this row; it is left unscored rather \
than given a guess.",
         "方法没有 `否则`，也没有 `当` 与此行匹配；该行不计分，不作猜测。"),
        "method m for ≥ { when actual >= target => full }";
    /// A qualitative actual that fits no tier.
    TierUndetermined = "tier-undetermined", Eval, Error,
        ("the actual matches no tier", "实际完成值不属于任何档次"),
        ("A qualitative actual must be one of a tier's words, repeat the target, or the sheet must \
name the tier (`tier = \"达成\"`).",
         "定性实际值须为某档次的词语或与指标值相同，否则需在自评表中写明档次（`tier = \"达成\"`）。"),
        "actual = \"还行\"";
    /// A target that is a range.
    RangeTarget = "range-target", Eval, Error,
        ("the target is a range of two amounts", "指标值是一个区间"),
        ("A target such as `90%～100%` or `3-5个` names two amounts. Which end must be reached is \
not written, so the row is left unscored rather than given a guess.",
         "`90%～100%`、`3-5个` 这样的指标值给出两个数值，未写明须达到哪一端，该行不计分，不作猜测。"),
        "target = \"90%～100%\"";
    /// An unknown tier named by the sheet.
    UnknownTier = "unknown-tier", Eval, Error,
        ("the sheet names a tier the table does not have", "自评表所写档次不存在"),
        ("The `tier` field must name one of the table's tiers.", "`tier` 字段必须是档次表中的档次。"),
        "tier = \"优秀\"";
    /// A value the method needs is missing.
    MissingValue = "missing-value", Eval, Error,
        ("a value the method needs is missing", "缺少方法所需的值"),
        ("The formula reads a value (such as the executed amount) that the sheet does not give.",
         "公式读取了自评表没有提供的值（如执行数）。"),
        "default actual = executed, no executed amount";
    /// A lookup table without a band for the value.
    LookupOutOfRange = "lookup-out-of-range", Eval, Error,
        ("no tier of the lookup table holds the value", "查找表中没有包含此值的档次"),
        ("`lookup` found no band for the value, for instance an execution rate above 100 % in a \
table that stops at 100 %.",
         "`lookup` 找不到包含该值的区间，例如执行率超过 100% 而表格止于 100%。"),
        "lookup(执行率档次, 105%)";
    /// No budget block.
    NoBudget = "no-budget", Eval, Error,
        ("the sheet has no budget block", "自评表没有预算执行信息"),
        ("The scheme scores budget execution but the sheet has no `[budget]`.",
         "指标体系对预算执行计分，但自评表没有 `[budget]`。"),
        "(no [budget])";
    /// No annual budget.
    NoAnnualBudget = "no-annual-budget", Eval, Error,
        ("the annual budget is missing or zero", "全年预算数缺失或为零"),
        ("The execution rate is executed / annual budget; without the annual budget it is \
unknown.",
         "执行率 = 全年执行数 / 全年预算数；没有全年预算数就无法计算。"),
        "[budget]\nexecuted = 80";
    /// No executed amount.
    NoExecuted = "no-executed", Eval, Error,
        ("the executed amount is missing", "全年执行数缺失"),
        ("The execution rate is executed / annual budget; without the executed amount it is \
unknown.",
         "执行率 = 全年执行数 / 全年预算数；没有全年执行数就无法计算。"),
        "[budget]\nannual = 100";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in Code::ALL {
            let name = code.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{name}");
            assert_eq!(name.parse::<Code>(), Ok(code));
            let info = code.info();
            assert_eq!(info.code, code);
            for m in [info.summary(), info.explanation()] {
                assert!(!m.en.is_empty() && !m.zh.is_empty(), "{name}");
            }
            assert!(!info.example.is_empty(), "{name}");
        }
        assert!("no-such-code".parse::<Code>().is_err());
    }
}
