//! Syntax errors in the words of the language, never in pest's rule names.

use crate::codes::Code;
use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::ast::Span;
use crate::diagnostic::{Diagnostic, FileId, Message};
use crate::msg;

/// A syntax error.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// Where.
    pub span: Span,
    /// What.
    pub kind: SyntaxErrorKind,
}

/// The kinds of syntax error.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// Something other than what the grammar allows at this point.
    Unexpected {
        /// What would have been accepted.
        expected: Vec<Expected>,
        /// What was there.
        found: Found,
    },
    /// A number too large or too precise for exact decimals.
    NumberOutOfRange(String),
    /// A whole number (a year, decimal places) too large.
    IntegerOutOfRange(String),
    /// Nesting too deep or an expression too long to be a rule.
    TooComplex,
}

/// A class of token or construct, in user terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Expected {
    /// A top-level declaration.
    Declaration,
    /// A specific keyword (English, Chinese).
    Keyword(&'static str, &'static str),
    /// A quoted string.
    Text,
    /// A number.
    Number,
    /// A whole number.
    Integer,
    /// A name.
    Name,
    /// A direction or subject (`≥`, `qualitative`…).
    Direction,
    /// An interval `[a, b)` or `>= a`.
    Interval,
    /// An expression.
    Expression,
    /// An operator.
    Operator,
    /// A punctuation mark.
    Punct(&'static str),
    /// A doc comment.
    Doc,
    /// The end of the file.
    EndOfFile,
}

impl Expected {
    fn describe(self) -> Message {
        match self {
            Expected::Declaration => msg!(
                "a declaration (`policy`, `scheme`, `method`, `tiers`, `grades`, `round`, `flag`…)",
                "声明（`政策`、`指标体系`、`方法`、`档次`、`等级`、`舍入`、`提示`……）"
            ),
            Expected::Keyword(en, zh) => msg!("`{en}`", "`{zh}`"),
            Expected::Text => msg!("a quoted string", "带引号的字符串"),
            Expected::Number => msg!("a number", "数字"),
            Expected::Integer => msg!("a whole number", "整数"),
            Expected::Name => msg!("a name", "名称"),
            Expected::Direction => msg!("a direction such as `≥` or `qualitative`", "方向，如 `≥` 或 `定性`"),
            Expected::Interval => {
                msg!("an interval such as `[80%, 100%]` or `>= 90`", "区间，如 `[80%, 100%]` 或 `>= 90`")
            }
            Expected::Expression => msg!("an expression", "表达式"),
            Expected::Operator => msg!("an operator", "运算符"),
            Expected::Punct(p) => msg!("`{p}`", "`{p}`"),
            Expected::Doc => msg!("a `///` comment", "`///` 文档注释"),
            Expected::EndOfFile => msg!("the end of the file", "文件结尾"),
        }
    }
}

/// What stood where something else was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Found {
    /// A token, quoted as written.
    Token(String),
    /// The end of the file.
    EndOfFile,
}

const DECLARATION_KEYWORDS: &[Rule] = &[
    Rule::kw_policy,
    Rule::kw_jurisdiction,
    Rule::kw_year,
    Rule::kw_basis,
    Rule::kw_extends,
    Rule::kw_scheme,
    Rule::kw_method,
    Rule::kw_tiers,
    Rule::kw_grades,
    Rule::kw_round,
    Rule::kw_flag,
    Rule::kw_unit,
    Rule::kw_inapplicable,
    Rule::kw_audit,
    Rule::kw_override,
    Rule::kw_remove,
];

fn expected_of(rule: Rule) -> Option<Expected> {
    use Expected as E;
    Some(match rule {
        Rule::kw_policy => E::Keyword("policy", "政策"),
        Rule::kw_jurisdiction => E::Keyword("jurisdiction", "地区"),
        Rule::kw_year => E::Keyword("year", "年度"),
        Rule::kw_basis => E::Keyword("basis", "依据"),
        Rule::kw_extends => E::Keyword("extends", "继承"),
        Rule::kw_override => E::Keyword("override", "覆盖"),
        Rule::kw_remove => E::Keyword("remove", "删除"),
        Rule::kw_scheme => E::Keyword("scheme", "指标体系"),
        Rule::kw_total => E::Keyword("total", "总分"),
        Rule::kw_budget => E::Keyword("budget", "预算执行"),
        Rule::kw_alias => E::Keyword("alias", "又名"),
        Rule::kw_ceiling | Rule::ceiling => E::Keyword("ceiling", "限额"),
        Rule::kw_split => E::Keyword("split", "分配"),
        Rule::kw_method => E::Keyword("method", "方法"),
        Rule::kw_for => E::Keyword("for", "适用"),
        Rule::kw_uncapped | Rule::uncapped => E::Keyword("uncapped", "不封顶"),
        Rule::kw_default => E::Keyword("default", "缺省"),
        Rule::kw_when | Rule::flag_when => E::Keyword("when", "当"),
        Rule::kw_tiers | Rule::tier_outcome => E::Keyword("tiers", "档次"),
        Rule::kw_words | Rule::words => E::Keyword("words", "词语"),
        Rule::kw_take | Rule::take => E::Keyword("take", "取值"),
        Rule::kw_grades => E::Keyword("grades", "等级"),
        Rule::kw_round => E::Keyword("round", "舍入"),
        Rule::kw_unit => E::Keyword("unit", "单位"),
        Rule::kw_inapplicable => E::Keyword("inapplicable", "不适用"),
        Rule::kw_audit => E::Keyword("audit", "审核"),
        Rule::kw_flag => E::Keyword("flag", "提示"),
        Rule::kw_message | Rule::message => E::Keyword("message", "提示语"),
        Rule::kw_english | Rule::english => E::Keyword("english", "英文"),
        Rule::kw_deduct | Rule::deduct => E::Keyword("deduct", "扣分"),
        Rule::kw_cap | Rule::cap => E::Keyword("cap", "封顶"),
        Rule::infix | Rule::arith => E::Operator,
        Rule::not | Rule::neg => E::Expression,
        Rule::expr | Rule::value | Rule::call | Rule::outcome => E::Expression,
        Rule::string | Rule::node | Rule::aliases => E::Text,
        Rule::number => E::Number,
        Rule::integer => E::Integer,
        Rule::name | Rule::word => E::Name,
        Rule::direction | Rule::direction_sym | Rule::selector | Rule::selectors | Rule::flag_scope => {
            E::Direction
        }
        Rule::interval | Rule::bracketed | Rule::half_line | Rule::open | Rule::cmp_sym => E::Interval,
        Rule::tier | Rule::grade => E::Name,
        Rule::budget_entry => E::Keyword("budget", "预算执行"),
        Rule::split => E::Keyword("split", "分配"),
        Rule::integers => E::Keyword("integers", "取整"),
        Rule::default_actual => E::Keyword("default", "缺省"),
        Rule::clause => E::Keyword("when", "当"),
        Rule::otherwise | Rule::kw_else => E::Keyword("else", "否则"),
        Rule::comma => E::Punct(","),
        Rule::lbrace => E::Punct("{"),
        Rule::rbrace => E::Punct("}"),
        Rule::lparen => E::Punct("("),
        Rule::rparen => E::Punct(")"),
        Rule::close => E::Punct("]"),
        Rule::equals => E::Punct("="),
        Rule::arrow => E::Punct("=>"),
        Rule::percent => E::Punct("%"),
        Rule::doc => E::Doc,
        Rule::EOI => E::EndOfFile,
        Rule::item | Rule::overriding | Rule::remove => E::Declaration,
        _ => return None,
    })
}

/// Convert a pest error at `offset` within `text` into a [`SyntaxError`].
pub(super) fn from_pest(err: &pest::error::Error<Rule>, text: &str, offset: usize) -> SyntaxError {
    let pos = offset
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let positives = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        // pest's own limits (nesting that would exhaust the stack).
        ErrorVariant::CustomError { .. } => {
            let (_, len) = token_at(text, pos);
            return SyntaxError { span: Span::new(pos, pos + len), kind: SyntaxErrorKind::TooComplex };
        }
    };
    let declarations = positives.iter().filter(|r| DECLARATION_KEYWORDS.contains(r)).count();
    let mut expected: Vec<Expected> = Vec::new();
    if declarations >= 3 {
        expected.push(Expected::Declaration);
    }
    for rule in positives {
        if declarations >= 3 && DECLARATION_KEYWORDS.contains(&rule) {
            continue;
        }
        if let Some(e) = expected_of(rule)
            && !expected.contains(&e)
        {
            expected.push(e);
        }
    }
    expected.sort();
    let (found, len) = token_at(text, pos);
    SyntaxError { span: Span::new(pos, pos + len), kind: SyntaxErrorKind::Unexpected { expected, found } }
}

/// The token starting at `pos`, and its length in bytes.
fn token_at(text: &str, pos: usize) -> (Found, usize) {
    let Some(rest) = text.get(pos..) else {
        return (Found::EndOfFile, 0);
    };
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return (Found::EndOfFile, 0);
    };
    let end = if first.is_alphanumeric() || first == '_' {
        rest.char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.' && first.is_ascii_digit()))
            .map_or(rest.len(), |(i, _)| i)
    } else if first == '"' || first == '“' {
        let close = if first == '"' { '"' } else { '”' };
        rest.char_indices()
            .skip(1)
            .find(|(_, c)| *c == close || *c == '\n')
            .map_or(rest.len(), |(i, c)| if c == close { i + c.len_utf8() } else { i })
    } else if "=<>!".contains(first) {
        rest.char_indices().find(|(_, c)| !"=<>!".contains(*c)).map_or(rest.len(), |(i, _)| i)
    } else {
        first.len_utf8()
    };
    // Keep long tokens readable in a one-line message.
    let token = &rest[..end];
    let shown: String = if token.chars().count() > 24 {
        token.chars().take(24).chain("…".chars()).collect()
    } else {
        token.to_string()
    };
    (Found::Token(shown), end)
}

/// Chinese keywords that a user may have run into the next word.
const RUN_ON_KEYWORDS: &[&str] = &[
    "指标体系",
    "不适用",
    "提示语",
    "不封顶",
    "政策",
    "地区",
    "年度",
    "依据",
    "继承",
    "覆盖",
    "删除",
    "方法",
    "适用",
    "缺省",
    "否则",
    "档次",
    "词语",
    "取值",
    "等级",
    "舍入",
    "单位",
    "提示",
    "英文",
    "扣分",
    "封顶",
    "又名",
    "分配",
    "总分",
    "当",
];

impl SyntaxError {
    /// The diagnostic for this error in `file`.
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        match &self.kind {
            SyntaxErrorKind::NumberOutOfRange(text) => Diagnostic::error(
                Code::NumberOutOfRange,
                file,
                self.span,
                msg!("number `{text}` is too large or too precise", "数字 `{text}` 过大或小数位过多"),
            )
            .with_help(msg!(
                "numbers must be below 10^15 and keep at most 28 significant digits",
                "数字须小于 10^15，最多保留 28 位有效数字"
            )),
            SyntaxErrorKind::TooComplex => Diagnostic::error(
                Code::TooComplex,
                file,
                self.span,
                msg!(
                    "this is nested too deeply or is too long to be a rule",
                    "此处嵌套过深或过长，不能作为规则"
                ),
            )
            .with_help(msg!(
                "split it into simpler clauses, a tier table, or fewer levels",
                "请拆分为更简单的条款、改用档次表，或减少层级"
            )),
            SyntaxErrorKind::IntegerOutOfRange(text) => Diagnostic::error(
                Code::NumberOutOfRange,
                file,
                self.span,
                msg!("whole number `{text}` is too large", "整数 `{text}` 过大"),
            ),
            SyntaxErrorKind::Unexpected { expected, found } => {
                let found_msg = match found {
                    Found::Token(t) => msg!("`{t}`", "`{t}`"),
                    Found::EndOfFile => msg!("the end of the file", "文件结尾"),
                };
                let list = |pick: fn(&Message) -> &str, comma: &str, or: &str| -> String {
                    let parts: Vec<String> =
                        expected.iter().map(|e| pick(&e.describe()).to_string()).collect();
                    match parts.len() {
                        0 => String::new(),
                        1 => parts[0].clone(),
                        n => format!("{}{or}{}", parts[..n - 1].join(comma), parts[n - 1]),
                    }
                };
                let en_list = list(|m| &m.en, ", ", " or ");
                let zh_list = list(|m| &m.zh, "、", "或");
                let message = if expected.is_empty() {
                    Message::new(
                        format!("unexpected {}", found_msg.en),
                        format!("此处不应出现 {}", found_msg.zh),
                    )
                } else {
                    Message::new(
                        format!("expected {en_list}, found {}", found_msg.en),
                        format!("此处应为{zh_list}，实际为 {}", found_msg.zh),
                    )
                };
                let mut diag = Diagnostic::error(Code::SyntaxError, file, self.span, message)
                    .with_label(msg!("unexpected here", "此处有误"));
                if let Some(help) = hint(found, expected) {
                    diag = diag.with_help(help);
                }
                diag
            }
        }
    }
}

/// Help for common slips.
fn hint(found: &Found, expected: &[Expected]) -> Option<Message> {
    let Found::Token(token) = found else {
        return Some(msg!(
            "a `{{`, `(` or `[` may be missing its closing partner",
            "可能缺少与 `{{`、`(` 或 `[` 配对的右括号"
        ));
    };
    if let Some(kw) = RUN_ON_KEYWORDS.iter().find(|kw| token.starts_with(**kw) && token.len() > kw.len()) {
        let rest = &token[kw.len()..];
        return Some(Message::new(
            format!("put a space between the keyword `{kw}` and `{rest}`"),
            format!("关键字 `{kw}` 与 `{rest}` 之间需要空格"),
        ));
    }
    if token.starts_with('"') && !token.ends_with('"')
        || token.starts_with('“') && !token.ends_with('”')
        || token == "\""
    {
        return Some(msg!("this string has no closing quote on its line", "该字符串在本行没有结束引号"));
    }
    let wants = |e: Expected| expected.contains(&e);
    if wants(Expected::Declaration)
        && token.chars().count() > 1
        && token.chars().all(|c| c.is_alphanumeric() || c == '_')
        && let Some(k) = crate::words::did_you_mean(token, super::recover::ITEM_KEYWORDS.iter().copied())
    {
        return Some(msg!("did you mean `{k}`?", "是否应为 `{k}`？"));
    }
    match token.as_str() {
        "年" => Some(msg!("write the year as a bare number: `year 2020`", "年度只写数字：`年度 2020`")),
        "｛" | "｝" => Some(msg!("write braces in half-width: `{{ }}`", "花括号请使用半角：`{{ }}`")),
        "'" => Some(msg!("strings use double quotes: \"…\" or “…”", "字符串请使用双引号：\"…\" 或 “…”")),
        "：" | "；" | "。" => Some(msg!(
            "full-width punctuation `{token}` is not part of the language; remove it",
            "规则语言不使用全角标点 `{token}`，请删除"
        )),
        "=" if wants(Expected::Punct(",")) => {
            Some(msg!("separate selectors with a comma: `for ≥, =`", "多个适用范围用逗号分隔：`适用 ≥, =`"))
        }
        "=" if wants(Expected::Punct("=>")) => {
            Some(msg!("a clause is written `when CONDITION => SCORE`", "条款写作 `当 条件 => 得分`"))
        }
        "=>" if wants(Expected::Operator) => Some(msg!(
            "to compare, write `>=` (or `≥`); `=>` separates a condition from its score",
            "比较请写 `>=`（或 `≥`）；`=>` 用于分隔条件与得分"
        )),
        "else" | "否则" | "when" | "当" => Some(msg!(
            "clauses belong inside a method's `{{ … }}`; a `}}` may have closed it early",
            "条款应写在方法的 `{{ … }}` 之内；可能有多余的 `}}` 提前结束了方法"
        )),
        _ => None,
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.to_diagnostic(FileId(0));
        write!(f, "{} (bytes {}..{})", d.message.en, self.span.start, self.span.end)
    }
}

impl std::error::Error for SyntaxError {}
