//! Typing and lowering expressions.

use crate::codes::Code;
use indexmap::IndexMap;

use crate::ast::{self, BinaryOp, ExprKind, Span, UnaryOp, Word};
use crate::diagnostic::{Diagnostic, FileId, Message};
use crate::msg;
use crate::policy::{Expr, TiersId};
use crate::words::{Func, Var, Vocabulary, did_you_mean};

/// The type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Type {
    /// A decimal number.
    Number,
    /// A calendar date (deadline targets).
    Date,
    /// True or false.
    Bool,
}

impl Type {
    fn describe(self) -> Message {
        match self {
            Type::Number => msg!("a number", "数值"),
            Type::Date => msg!("a date", "日期"),
            Type::Bool => msg!("a condition", "条件"),
        }
    }
}

/// What `actual` and `target` are where an expression is written.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Operand {
    /// Available with this type.
    Typed(Type),
    /// Not available here, and why.
    Unavailable(Message),
}

/// The place an expression is written: what it may name.
#[derive(Clone, Debug)]
pub struct Scope {
    /// `actual` and `target`.
    pub operands: Operand,
    /// Why per-indicator values are unavailable, if they are.
    pub kind: ScopeKind,
}

/// Kinds of places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScopeKind {
    /// A method clause for indicators.
    Method,
    /// A method clause for the budget block.
    BudgetMethod,
    /// A tier's `=> value` in a lookup table.
    TierValue,
    /// A flag on indicators.
    IndicatorFlag,
    /// A flag on the budget block.
    BudgetFlag,
    /// A flag on categories.
    GroupFlag,
    /// A flag on the whole sheet.
    SheetFlag,
}

impl ScopeKind {
    /// The place, in words.
    pub fn describe(self) -> Message {
        match self {
            ScopeKind::Method => msg!("an indicator method", "指标计分方法"),
            ScopeKind::BudgetMethod => msg!("a budget method", "预算执行计分方法"),
            ScopeKind::TierValue => msg!("a tier value", "档次取值"),
            ScopeKind::IndicatorFlag => msg!("an indicator flag", "指标提示"),
            ScopeKind::BudgetFlag => msg!("a budget flag", "预算执行提示"),
            ScopeKind::GroupFlag => msg!("a category flag", "指标组提示"),
            ScopeKind::SheetFlag => msg!("a sheet flag", "全表提示"),
        }
    }

    /// Whether `var` means something here.
    pub fn allows(self, var: Var) -> bool {
        use ScopeKind as K;
        match var {
            Var::Actual | Var::Target => matches!(self, K::Method | K::IndicatorFlag),
            Var::Weight | Var::Full => true,
            Var::Executed | Var::Annual | Var::Initial | Var::Rate => true,
            Var::Score | Var::Claimed => {
                matches!(self, K::IndicatorFlag | K::BudgetFlag | K::GroupFlag | K::SheetFlag)
            }
            Var::Noted => matches!(self, K::IndicatorFlag | K::BudgetFlag),
            Var::Total => self == K::SheetFlag,
            Var::Points => matches!(self, K::GroupFlag | K::SheetFlag),
        }
    }
}

/// Types expressions in one scope, reporting problems as diagnostics.
pub struct ExprChecker<'a> {
    /// What may be named.
    pub scope: &'a Scope,
    /// Tier tables by name.
    pub tables: &'a IndexMap<String, TiersId>,
    /// The file the expression is in.
    pub file: FileId,
    /// Where problems go.
    pub diags: &'a mut Vec<Diagnostic>,
    /// Tables used through `lookup`, with where.
    pub lookups: Vec<(TiersId, Span)>,
    /// Whether the unavailability of `actual`/`target` was already reported (once is enough).
    pub operands_reported: bool,
}

impl ExprChecker<'_> {
    fn error(&mut self, code: Code, span: Span, message: Message) -> Option<(Expr, Type)> {
        self.diags.push(Diagnostic::error(code, self.file, span, message));
        None
    }

    /// Check that `e` has type `want`; report otherwise.
    pub fn expect(&mut self, e: &ast::Expr, want: Type) -> Option<Expr> {
        let (lowered, got) = self.check(e)?;
        if got == want {
            Some(lowered)
        } else {
            let (w, g) = (want.describe(), got.describe());
            let mut diag = Diagnostic::error(
                Code::TypeMismatch,
                self.file,
                e.span,
                Message::new(
                    format!("expected {}, found {}", w.en, g.en),
                    format!("此处应为{}，实际为{}", w.zh, g.zh),
                ),
            );
            if want == Type::Number && got == Type::Bool {
                diag = diag.with_help(msg!(
                    "a score is a number; put conditions after `when`",
                    "得分应为数值；条件写在 `当` 之后"
                ));
            }
            self.diags.push(diag);
            None
        }
    }

    /// Type and lower an expression.
    pub fn check(&mut self, e: &ast::Expr) -> Option<(Expr, Type)> {
        match &e.kind {
            ExprKind::Number(n) => Some((Expr::Num(n.value, n.percent), Type::Number)),
            ExprKind::Var(var) => self.var(*var, e.span).map(|t| (Expr::Var(*var), t)),
            ExprKind::Ref(ident) => {
                if self.tables.contains_key(&ident.name) {
                    let name = &ident.name;
                    self.diags.push(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            self.file,
                            e.span,
                            msg!("`{name}` is a tier table, not a value", "`{name}` 是档次表，不是数值"),
                        )
                        .with_help(msg!("use `lookup({name}, rate)`", "请写作 `查表({name}, 执行率)`")),
                    );
                    return None;
                }
                let mut diag = Diagnostic::error(
                    Code::UnknownName,
                    self.file,
                    e.span,
                    Message::new(
                        format!("unknown value `{}`", ident.name),
                        format!("未知的取值 `{}`", ident.name),
                    ),
                );
                let scope = self.scope.kind;
                let candidates = Var::entries()
                    .iter()
                    .filter(|(v, _)| scope.allows(*v))
                    .flat_map(|(_, s)| s.iter().copied());
                if let Some(s) = did_you_mean(&ident.name, candidates) {
                    diag = diag.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？"));
                }
                self.diags.push(diag);
                None
            }
            ExprKind::Unary(op, inner) => {
                let (lowered, t) = self.check(inner)?;
                match (op, t) {
                    (UnaryOp::Not, Type::Bool) => Some((Expr::Not(Box::new(lowered)), Type::Bool)),
                    (UnaryOp::Neg, Type::Number) => Some((Expr::Neg(Box::new(lowered)), Type::Number)),
                    (UnaryOp::Not, _) => self.mismatch(inner.span, Type::Bool, t),
                    (UnaryOp::Neg, _) => self.mismatch(inner.span, Type::Number, t),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span),
            ExprKind::Call(func, args) => self.call(func, args, e.span),
        }
    }

    fn mismatch(&mut self, span: Span, want: Type, got: Type) -> Option<(Expr, Type)> {
        let (w, g) = (want.describe(), got.describe());
        self.error(
            Code::TypeMismatch,
            span,
            Message::new(
                format!("expected {}, found {}", w.en, g.en),
                format!("此处应为{}，实际为{}", w.zh, g.zh),
            ),
        )
    }

    fn var(&mut self, var: Var, span: Span) -> Option<Type> {
        let scope = self.scope.kind;
        if !scope.allows(var) {
            let (name_en, name_zh) =
                (var.spelling(crate::words::Lang::En), var.spelling(crate::words::Lang::Zh));
            let place = scope.describe();
            self.diags.push(Diagnostic::error(
                Code::UnavailableValue,
                self.file,
                span,
                Message::new(
                    format!("`{name_en}` has no value in {}", place.en),
                    format!("`{name_zh}` 在{}中没有取值", place.zh),
                ),
            ));
            return None;
        }
        match var {
            Var::Actual | Var::Target => match &self.scope.operands {
                Operand::Typed(t) => Some(*t),
                Operand::Unavailable(why) => {
                    if !self.operands_reported {
                        self.operands_reported = true;
                        let why = why.clone();
                        self.diags.push(Diagnostic::error(Code::UnavailableValue, self.file, span, why));
                    }
                    None
                }
            },
            Var::Noted => Some(Type::Bool),
            _ => Some(Type::Number),
        }
    }

    fn binary(&mut self, op: BinaryOp, a: &ast::Expr, b: &ast::Expr, span: Span) -> Option<(Expr, Type)> {
        let left = self.check(a);
        let right = self.check(b);
        let ((la, ta), (lb, tb)) = (left?, right?);
        // The checked sides are moved into the node, not copied.
        let out = |la: Expr, lb: Expr, t| Some((Expr::Binary(op, Box::new(la), Box::new(lb)), t));
        match op {
            BinaryOp::And | BinaryOp::Or => {
                if ta != Type::Bool {
                    return self.mismatch(a.span, Type::Bool, ta);
                }
                if tb != Type::Bool {
                    return self.mismatch(b.span, Type::Bool, tb);
                }
                out(la, lb, Type::Bool)
            }
            op if op.is_comparison() => {
                if ta == Type::Bool || tb == Type::Bool {
                    let (bad, t) = if ta == Type::Bool { (a.span, ta) } else { (b.span, tb) };
                    let mut diag = Diagnostic::error(
                        Code::TypeMismatch,
                        self.file,
                        bad,
                        Message::new(
                            format!("cannot compare {}", t.describe().en),
                            format!("不能比较{}", t.describe().zh),
                        ),
                    );
                    if matches!(&a.kind, ExprKind::Binary(inner, ..) if inner.is_comparison()) {
                        diag = diag.with_help(msg!(
                            "write `a <= x and x < b` instead of `a <= x < b`",
                            "请写作 `a <= x 且 x < b`，而不是 `a <= x < b`"
                        ));
                    }
                    self.diags.push(diag);
                    return None;
                }
                if ta != tb {
                    let (da, db) = (ta.describe(), tb.describe());
                    return self.error(
                        Code::TypeMismatch,
                        span,
                        Message::new(
                            format!("cannot compare {} with {}", da.en, db.en),
                            format!("不能将{}与{}比较", da.zh, db.zh),
                        ),
                    );
                }
                out(la, lb, Type::Bool)
            }
            _ => {
                if op == BinaryOp::Div && matches!(&lb, Expr::Num(n, _) if n.is_zero()) {
                    return self.error(
                        Code::DivisionByZero,
                        b.span,
                        msg!("this divides by zero", "此处除以零"),
                    );
                }
                for (side, t) in [(a, ta), (b, tb)] {
                    if t != Type::Number {
                        let d = t.describe();
                        let mut diag = Diagnostic::error(
                            Code::TypeMismatch,
                            self.file,
                            side.span,
                            Message::new(
                                format!("arithmetic needs numbers, found {}", d.en),
                                format!("算术运算需要数值，实际为{}", d.zh),
                            ),
                        );
                        if t == Type::Date {
                            diag = diag.with_help(msg!(
                                "dates can only be compared: `actual <= target`",
                                "日期只能比较：`实际 <= 目标`"
                            ));
                        }
                        self.diags.push(diag);
                        return None;
                    }
                }
                out(la, lb, Type::Number)
            }
        }
    }

    fn call(&mut self, func: &Word<Func>, args: &[ast::Expr], span: Span) -> Option<(Expr, Type)> {
        let func = match func {
            Word::Known(f, _) => *f,
            Word::Unknown(ident) => {
                let name = &ident.name;
                let mut diag = Diagnostic::error(
                    Code::UnknownName,
                    self.file,
                    ident.span,
                    msg!("unknown function `{name}`", "未知的函数 `{name}`"),
                );
                if let Some(s) = did_you_mean(name, Func::spellings()) {
                    diag = diag.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？"));
                } else {
                    diag = diag.with_help(msg!(
                        "the functions are `min`, `max`, `abs`, `given`, `lookup`, `rounded` and `places`",
                        "可用函数：`最小`、`最大`、`绝对值`、`已填`、`查表`、`保留`、`小数位数`"
                    ));
                }
                self.diags.push(diag);
                return None;
            }
        };
        let arity = |this: &mut Self, ok: bool, want: &str, want_zh: &str| {
            if ok {
                true
            } else {
                let name = func.english();
                this.diags.push(Diagnostic::error(
                    Code::WrongArguments,
                    this.file,
                    span,
                    Message::new(
                        format!("`{name}` takes {want}, found {}", args.len()),
                        format!(
                            "`{}` 需要{want_zh}，实际为 {} 个",
                            func.spelling(crate::words::Lang::Zh),
                            args.len()
                        ),
                    ),
                ));
                false
            }
        };
        match func {
            Func::Min | Func::Max => {
                if !arity(self, args.len() >= 2, "at least two arguments", "至少两个参数") {
                    return None;
                }
                let mut lowered = Vec::new();
                for a in args {
                    lowered.push(self.expect(a, Type::Number));
                }
                let lowered: Option<Vec<Expr>> = lowered.into_iter().collect();
                let lowered = lowered?;
                Some((if func == Func::Min { Expr::Min(lowered) } else { Expr::Max(lowered) }, Type::Number))
            }
            Func::Abs => {
                if !arity(self, args.len() == 1, "one argument", "一个参数") {
                    return None;
                }
                let x = self.expect(&args[0], Type::Number)?;
                Some((Expr::Abs(Box::new(x)), Type::Number))
            }
            Func::Rounded => {
                if !arity(self, args.len() == 2, "a number and decimal places", "一个数值和小数位数")
                {
                    return None;
                }
                let x = self.expect(&args[0], Type::Number);
                let places = self.expect(&args[1], Type::Number)?;
                // A written number of places must be one `rounded` can use (0 to 20).
                if let Expr::Num(n, _) = &places
                    && !(n.is_integer()
                        && (rust_decimal::Decimal::ZERO..=rust_decimal::Decimal::from(20)).contains(n))
                {
                    return self.error(
                        Code::WrongArguments,
                        args[1].span,
                        msg!(
                            "`rounded` takes a whole number of decimal places from 0 to 20",
                            "`保留` 的小数位数须为 0 到 20 的整数"
                        ),
                    );
                }
                Some((Expr::Rounded(Box::new(x?), Box::new(places)), Type::Number))
            }
            Func::Places => {
                if !arity(self, args.len() == 1, "one argument", "一个参数") {
                    return None;
                }
                match &args[0].kind {
                    ExprKind::Var(v) => {
                        let t = self.var(*v, args[0].span)?;
                        if t != Type::Number {
                            let d = t.describe();
                            return self.error(
                                Code::TypeMismatch,
                                args[0].span,
                                Message::new(
                                    format!("`places` needs a number, found {}", d.en),
                                    format!("`小数位数` 需要数值，实际为{}", d.zh),
                                ),
                            );
                        }
                        Some((Expr::Places(*v), Type::Number))
                    }
                    _ => self.error(
                        Code::WrongArguments,
                        args[0].span,
                        msg!(
                            "`places` takes a value name such as `claimed`",
                            "`小数位数` 的参数应为取值名称，如 `申报`"
                        ),
                    ),
                }
            }
            Func::Given => {
                if !arity(self, args.len() == 1, "one argument", "一个参数") {
                    return None;
                }
                match &args[0].kind {
                    ExprKind::Var(v) => {
                        self.var(*v, args[0].span)?;
                        Some((Expr::Given(*v), Type::Bool))
                    }
                    _ => self.error(
                        Code::WrongArguments,
                        args[0].span,
                        msg!(
                            "`given` takes a value name such as `claimed`",
                            "`已填` 的参数应为取值名称，如 `申报`"
                        ),
                    ),
                }
            }
            Func::Lookup => {
                if !arity(self, args.len() == 2, "a tier table and a number", "一个档次表和一个数值")
                {
                    return None;
                }
                let table = match &args[0].kind {
                    ExprKind::Ref(ident) => match self.tables.get(&ident.name) {
                        Some(id) => Some(*id),
                        None => {
                            let name = &ident.name;
                            let mut diag = Diagnostic::error(
                                Code::UnknownName,
                                self.file,
                                args[0].span,
                                msg!("unknown tier table `{name}`", "未知的档次表 `{name}`"),
                            );
                            if let Some(s) = did_you_mean(name, self.tables.keys().map(String::as_str)) {
                                diag = diag.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？"));
                            }
                            self.diags.push(diag);
                            None
                        }
                    },
                    _ => {
                        self.error(
                            Code::WrongArguments,
                            args[0].span,
                            msg!(
                                "the first argument of `lookup` is a tier table name",
                                "`查表` 的第一个参数应为档次表名称"
                            ),
                        );
                        None
                    }
                };
                let x = self.expect(&args[1], Type::Number);
                let (table, x) = (table?, x?);
                self.lookups.push((table, args[0].span));
                Some((Expr::Lookup(table, Box::new(x)), Type::Number))
            }
        }
    }
}
