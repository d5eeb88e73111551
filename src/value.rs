//! Reading the printed forms of targets and actuals: `≥50个`, `80%以上`, `不低于95%`,
//! `≤90万元`, `2023年12月`, `6场沙龙、1场企业家年会`, `明显提升`…
//!
//! Reading never guesses silently: every liberty taken (summing listed amounts, ignoring words
//! around a number) is recorded in [`Reading::Number::notes`] so the score sheet can show it.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::text::{fold_width, refill};

/// Numbers in rule files and sheets must stay below this (10^15, a thousand trillion): far beyond
/// any real table. With scores held below it too, sums and comparisons of scores stay far from
/// the decimal range; formulas are evaluated with checked arithmetic all the same.
pub(crate) const LIMIT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// A comparison written in a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Op {
    /// ≥, 以上, 不低于
    #[serde(rename = ">=")]
    Ge,
    /// >, 大于, 超过
    #[serde(rename = ">")]
    Gt,
    /// ≤, 以内, 不高于
    #[serde(rename = "<=")]
    Le,
    /// <, 小于, 低于
    #[serde(rename = "<")]
    Lt,
    /// =, 等于
    #[serde(rename = "=")]
    Eq,
}

impl Op {
    /// The symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// Parse a symbol as written in structured input (`>=`, `≥`, `<`…).
    pub fn parse(s: &str) -> Option<Op> {
        Some(match trim(&fold(s)) {
            ">=" | "≥" | "≧" | "=>" => Op::Ge,
            ">" => Op::Gt,
            "<=" | "≤" | "≦" | "=<" => Op::Le,
            "<" => Op::Lt,
            "=" | "==" | "═" => Op::Eq,
            _ => return None,
        })
    }
}

/// A number with its unit, after multipliers (万, 亿, 千) are applied. Percentages are fractions
/// with unit `%`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// The value.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub value: Decimal,
    /// The unit, possibly empty; a listed unit is held without a copy.
    pub unit: Cow<'static, str>,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unit == "%" {
            match self.value.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) => write!(f, "{}%", p.normalize()),
                None => write!(f, "{} × 100%", self.value.normalize()),
            }
        } else {
            write!(f, "{}{}", self.value.normalize(), self.unit)
        }
    }
}

/// A calendar date, as precise as it was written. A missing day or month means the end of the
/// month or year: a deadline of `2023年12月` is met by anything in December.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Date {
    /// Year.
    pub year: u32,
    /// Month, if written.
    pub month: Option<u32>,
    /// Day, if written.
    pub day: Option<u32>,
}

impl Date {
    /// A number that orders dates (`yyyymmdd`, missing parts at their end).
    pub fn ordinal(self) -> u32 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or(31);
        self.year * 10_000 + month * 100 + day
    }
}

/// How much of a date is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum Precision {
    /// The year only (`2022年`).
    Year,
    /// The year and month (`2022年10月`).
    Month,
    /// A day (`2022年10月31日`).
    Day,
}

impl Date {
    /// How much of the date is written.
    pub fn precision(self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The precision at which this date, written less precisely than `deadline`, contains it:
    /// `2022年` contains `2022年10月底`, `2023年6月` contains `2023年6月30日`. Such an actual says
    /// neither that the deadline was met nor that it was missed; compared at its own precision it
    /// is the deadline's year (or month), so it is on time there. `None` when the dates are
    /// equally precise, or the deadline lies outside the written year or month.
    pub fn contains(self, deadline: Date) -> Option<Precision> {
        let coarse = self.precision();
        if coarse >= deadline.precision() || self.year != deadline.year {
            return None;
        }
        match coarse {
            Precision::Year => Some(Precision::Year),
            Precision::Month => (self.month == deadline.month).then_some(Precision::Month),
            Precision::Day => None,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年", self.year)?;
        if let Some(m) = self.month {
            write!(f, "{m}月")?;
        }
        if let Some(d) = self.day {
            write!(f, "{d}日")?;
        }
        Ok(())
    }
}

/// What a printed cell says.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reading {
    /// Nothing, or a placeholder (`/`, `—`, `……`).
    Empty,
    /// A quantity, with the comparison written before or after it.
    Number {
        /// The comparison, if one was written.
        op: Option<Op>,
        /// The quantity.
        quantity: Quantity,
        /// Liberties taken in reading it.
        notes: ReadingNotes,
        /// The multiplier written before the unit (`万` in `90万元`), already applied to the
        /// quantity; a bare number on the other side of the row is read with it too.
        #[serde(skip_serializing_if = "Option::is_none")]
        multiplier: Option<char>,
    },
    /// A date.
    Date {
        /// The comparison, if one was written (`前`, `以前` read as ≤).
        op: Option<Op>,
        /// The date.
        date: Date,
    },
    /// Words.
    Text {
        /// The words, width-folded and trimmed.
        text: String,
    },
}

/// A liberty taken while reading a cell, shown in the score sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReadingNote {
    /// Several amounts in one unit were listed and summed.
    Summed {
        /// The amounts.
        parts: Vec<Quantity>,
    },
    /// Words around the number were ignored.
    WordsIgnored,
}

/// The [`ReadingNote`]s of one reading: a list that takes one pointer's room, and allocates
/// nothing, when empty (as it nearly always is). Read it as a slice; it is serialized as a list.
#[derive(Clone, Default, PartialEq, Eq)]
#[allow(clippy::box_collection, reason = "a thin pointer: a boxed slice would take two words")]
pub struct ReadingNotes(Option<Box<Vec<ReadingNote>>>);

impl ReadingNotes {
    /// Add a note.
    pub fn push(&mut self, note: ReadingNote) {
        self.0.get_or_insert_default().push(note);
    }
}

impl std::ops::Deref for ReadingNotes {
    type Target = [ReadingNote];

    fn deref(&self) -> &[ReadingNote] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl From<Vec<ReadingNote>> for ReadingNotes {
    fn from(notes: Vec<ReadingNote>) -> ReadingNotes {
        ReadingNotes((!notes.is_empty()).then(|| Box::new(notes)))
    }
}

impl fmt::Debug for ReadingNotes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for ReadingNotes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl Reading {
    /// The written comparison, if any.
    pub fn op(&self) -> Option<Op> {
        match self {
            Reading::Number { op, .. } | Reading::Date { op, .. } => *op,
            _ => None,
        }
    }
}

/// `text` with full-width forms folded ([`fold_width`]), borrowed when there are none.
pub(crate) fn fold(text: &str) -> Cow<'_, str> {
    // Every folded character (U+3000, U+FF01–U+FF5E) starts with byte E3 or EF.
    let folds = |c: char| c == '\u{3000}' || ('\u{FF01}'..='\u{FF5E}').contains(&c);
    if text.bytes().any(|b| b == 0xE3 || b == 0xEF) && text.chars().any(folds) {
        Cow::Owned(fold_width(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// [`str::trim`], returning at once when neither end can be white space.
pub(crate) fn trim(s: &str) -> &str {
    if solid_start(s) && solid_end(s) { s } else { s.trim() }
}

/// [`str::trim_start`], returning at once when the start cannot be white space.
fn trim_start(s: &str) -> &str {
    if solid_start(s) { s } else { s.trim_start() }
}

/// [`str::trim_end`], returning at once when the end cannot be white space.
fn trim_end(s: &str) -> &str {
    if solid_end(s) { s } else { s.trim_end() }
}

/// Whether the character led by the bytes `lead`, `next` is visible ASCII or lies in U+2080–U+2FFF
/// (`≥`, `≤`) or U+4000–U+FFFF (Chinese): none of these is white space.
fn solid(lead: u8, next: Option<u8>) -> bool {
    (0x21..=0x7E).contains(&lead)
        || (0xE4..=0xEF).contains(&lead)
        || (lead == 0xE2 && next.is_some_and(|n| n >= 0x82))
}

/// Whether `s` starts with a character that cannot be white space (see [`solid`]).
pub(crate) fn solid_start(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(|&c| solid(c, b.get(1).copied()))
}

/// Whether `s` ends with a character that cannot be white space (see [`solid`]). A byte E2–EF
/// three from the end leads the last character.
fn solid_end(s: &str) -> bool {
    let b = s.as_bytes();
    match b.last() {
        Some(&c) if c < 0x80 => solid(c, None),
        Some(_) => b.len() >= 3 && solid(b[b.len() - 3], Some(b[b.len() - 2])) && b[b.len() - 3] >= 0xE2,
        None => false,
    }
}

/// Values written for "nothing here" in real tables. `无` is not among them: as an actual it
/// means "none happened" (see [`is_empty_note`] for notes).
pub(crate) fn is_placeholder(text: &str) -> bool {
    placeholder_folded(trim(&fold(text)))
}

/// [`is_placeholder`] of text already folded and trimmed (folding and trimming again change
/// nothing).
pub(crate) fn placeholder_folded(t: &str) -> bool {
    t.is_empty()
        || t.chars().all(|c| matches!(c, '/' | '-' | '—' | '…' | '.' | '·' | '、' | '\\' | '_' | '─'))
        || matches!(t, "N/A" | "n/a" | "NA" | "空")
}

/// Whether a deviation note or reason says nothing: empty, a placeholder, or `无`.
pub(crate) fn is_empty_note(text: &str) -> bool {
    let folded = fold(text);
    is_placeholder(text) || matches!(trim(&folded), "无" | "暂无" | "没有" | "不适用")
}

/// Read a printed target or actual.
#[doc(hidden)]
pub fn read(text: &str) -> Reading {
    read_in(text, String::new())
}

/// [`read`], words kept in `buffer`'s memory (the text of a reading no longer needed): no
/// allocation when it has room.
pub(crate) fn read_in(text: &str, buffer: String) -> Reading {
    // What the shortcut takes has nothing to fold or trim: no need to look for any.
    if let Some(r) = read_simple(text) {
        return r;
    }
    let folded = fold(text);
    let s = trim(&folded);
    // (Folding or trimming anything shortens the text.)
    if s.len() < text.len()
        && let Some(r) = read_simple(s)
    {
        return r;
    }
    read_folded(s, buffer)
}

/// [`read`] without its shortcuts: what they must agree with.
#[cfg(test)]
fn read_general(text: &str) -> Reading {
    let folded = fold(text);
    let s = trim(&folded);
    if placeholder_folded(s) {
        return Reading::Empty;
    }
    read_date(s).or_else(|| read_number(s)).unwrap_or_else(|| words(s, String::new()))
}

/// The commonest cells at once: at most one sign of comparison (`≥`, `>=`, `<`…), a plain
/// number (digits, at most one `.` between them, fifteen bytes at most: below [`LIMIT`]), and
/// nothing after it but a multiplier (`万`, `亿`, `千`), `%` or a listed unit other than `年`:
/// `≥200人`, `96.5%`, `≤90万元`. These read exactly as the general path reads them: no date (no
/// `年`, no `-`, a single `.` but not `2023.12`), no words around the number, no suffix
/// comparison; `None` for anything else. None of these characters is full-width or white space,
/// so what this reads is already folded and trimmed.
fn read_simple(s: &str) -> Option<Reading> {
    let b = s.as_bytes();
    let (op, from) = match *b.first()? {
        b'0'..=b'9' => (None, 0),
        b'>' if b.get(1) == Some(&b'=') => (Some(Op::Ge), 2),
        b'<' if b.get(1) == Some(&b'=') => (Some(Op::Le), 2),
        b'>' => (Some(Op::Gt), 1),
        b'<' => (Some(Op::Lt), 1),
        b'=' => (Some(Op::Eq), 1),
        0xE2 => {
            let op = match s.get(..3)? {
                "≥" | "≧" => Op::Ge,
                "≤" | "≦" => Op::Le,
                "═" => Op::Eq,
                _ => return None,
            };
            (Some(op), 3)
        }
        _ => return None,
    };
    // The digits as a whole number of units of 10^-scale: fifteen digits at most fit.
    let (mut i, mut mantissa, mut scale, mut dot) = (from, 0u64, 0u32, false);
    while let Some(&c) = b.get(i) {
        if c.is_ascii_digit() {
            mantissa = mantissa * 10 + u64::from(c - b'0');
            scale += u32::from(dot);
            i += 1;
        } else if c == b'.' && !dot && i > from && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            dot = true;
            i += 1;
        } else {
            break;
        }
        if i - from > 15 {
            return None;
        }
    }
    // Nothing read, or a year and a two-digit month (`2023.12`), which may be a date.
    if i == from || dot && scale == 2 && i - from == 7 {
        return None;
    }
    let tail = &s[i..];
    let mut chars = tail.chars();
    let mut first = chars.next();
    let multiplier = first.filter(|&c| multiplier_power(c).is_some());
    let mut body = tail;
    if multiplier.is_some() {
        body = chars.as_str();
        first = chars.next();
    }
    // The unit is `body`: `first`, then what `chars` holds.
    let unit = match (first, chars.as_str()) {
        (None, _) => "",
        (Some('%'), "") | (Some('百'), "分比") => "%",
        (Some(c), "") => one_char_unit(c)?,
        _ => listed_unit(body)?,
    };
    let percent = unit == "%";
    // value = mantissa × 10^power, written with no trailing zero after the point, as
    // `Decimal::normalize` writes it.
    let power =
        multiplier.and_then(multiplier_power).unwrap_or(0) - scale as i32 - if percent { 2 } else { 0 };
    let value = if power >= 0 {
        let whole = u128::from(mantissa) * 10u128.pow(power.unsigned_abs());
        Decimal::from_parts(whole as u32, (whole >> 32) as u32, (whole >> 64) as u32, false, 0)
    } else {
        let mut scale = power.unsigned_abs();
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Decimal::from_parts(mantissa as u32, (mantissa >> 32) as u32, 0, false, scale)
    };
    Some(Reading::Number {
        op,
        quantity: Quantity { value, unit: Cow::Borrowed(unit) },
        notes: ReadingNotes::default(),
        multiplier,
    })
}

/// The power of ten of a multiplier in [`MULTIPLIERS`].
fn multiplier_power(c: char) -> Option<i32> {
    match c {
        '万' | '萬' => Some(4),
        '亿' | '億' => Some(8),
        '千' => Some(3),
        _ => None,
    }
}

/// `unit` as [`UNITS`] lists it, if it is there other than as `年` (which may make a date) or `%`.
fn listed_unit(unit: &str) -> Option<&'static str> {
    let mut chars = unit.chars();
    match (chars.next(), chars.next()) {
        // The one-character units, without a pass over the list.
        (Some(c), None) => one_char_unit(c),
        _ => UNITS.iter().copied().find(|u| *u == unit),
    }
}

/// A unit found after a number, held without a copy when it is listed.
fn unit_text(unit: &str) -> Cow<'static, str> {
    match unit {
        "" => Cow::Borrowed(""),
        "%" => Cow::Borrowed("%"),
        _ => listed_unit(unit).map_or_else(|| Cow::Owned(unit.to_string()), Cow::Borrowed),
    }
}

/// `match c { '元' => Some("元"), … }`.
macro_rules! one_char_units {
    ($c:expr; $($u:literal)*) => {
        match $c {
            $($u => Some(concat!($u)),)*
            _ => None,
        }
    };
}

/// A one-character unit of [`UNITS`] other than `年` and `%`, as the list writes it.
fn one_char_unit(c: char) -> Option<&'static str> {
    one_char_units!(c;
        '元' '个' '人' '名' '位' '户' '家' '项' '次' '场' '批' '期' '天' '日' '月' '台' '套' '件' '篇' '份' '册' '本' '所' '座' '处' '条' '张' '辆' '艘' '亩' '米' '吨' '倍' '棵' '株' '头' '只' '门' '节' '班' '届' '轮' '部' '种' '类' '起' '宗' '例' '床' '间' '栋' '区' '村' '镇'
    )
}

/// [`read`] of text already folded and trimmed.
fn read_folded(s: &str, buffer: String) -> Reading {
    if placeholder_folded(s) {
        return Reading::Empty;
    }
    // One pass over the bytes: dates and numbers have ASCII digits, and white space starts with
    // one of these bytes; words without either are the text as it is.
    let (mut digit, mut space) = (false, false);
    for &b in s.as_bytes() {
        digit |= b.is_ascii_digit();
        space |= may_start_space(b);
    }
    if digit {
        read_date(s).or_else(|| read_number(s)).unwrap_or_else(|| words(s, buffer))
    } else if space {
        words(s, buffer)
    } else {
        Reading::Text { text: refill(buffer, s) }
    }
}

/// Whether `b` can lead a white-space character in UTF-8: ASCII white space, or the lead byte of
/// U+0085, U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2) or U+3000 (E3).
pub(crate) const fn may_start_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3)
}

/// Words read as text, white space inside them made single spaces.
fn words(s: &str, buffer: String) -> Reading {
    // `s` is trimmed: without white space inside, it is its own single word.
    if !s.contains(char::is_whitespace) {
        return Reading::Text { text: refill(buffer, s) };
    }
    Reading::Text { text: crate::text::single_spaced(buffer, s) }
}

const PREFIX_OPS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    ("<=", Op::Le),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("大于或等于", Op::Ge),
    ("大于等于", Op::Ge),
    ("小于或等于", Op::Le),
    ("小于等于", Op::Le),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("至少", Op::Ge),
    ("达到", Op::Ge),
    ("不高于", Op::Le),
    ("不超过", Op::Le),
    ("不多于", Op::Le),
    ("不大于", Op::Le),
    ("至多", Op::Le),
    ("控制在", Op::Le),
    ("低于", Op::Lt),
    ("小于", Op::Lt),
    ("少于", Op::Lt),
    ("高于", Op::Gt),
    ("大于", Op::Gt),
    ("超过", Op::Gt),
    ("多于", Op::Gt),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("═", Op::Eq),
    ("==", Op::Eq),
    ("=", Op::Eq),
    ("等于", Op::Eq),
];

const SUFFIX_OPS: &[(&str, Op)] = &[
    ("(含)以上", Op::Ge),
    ("及以上", Op::Ge),
    ("以上", Op::Ge),
    ("(含)以下", Op::Le),
    ("及以下", Op::Le),
    ("以下", Op::Le),
    ("以内", Op::Le),
    ("之内", Op::Le),
    ("内", Op::Le),
];

/// Measure words and units recognised after a number when more text follows.
const UNITS: &[&str] = &[
    "个百分点",
    "平方公里",
    "平方米",
    "立方米",
    "百分比",
    "人次",
    "场次",
    "批次",
    "户次",
    "件次",
    "小时",
    "分钟",
    "公里",
    "千米",
    "公顷",
    "公斤",
    "千克",
    "课时",
    "学时",
    "元/户",
    "元/人",
    "元/亩",
    "元/吨",
    "元",
    "个",
    "人",
    "名",
    "位",
    "户",
    "家",
    "项",
    "次",
    "场",
    "批",
    "期",
    "天",
    "日",
    "月",
    "年",
    "台",
    "套",
    "件",
    "篇",
    "份",
    "册",
    "本",
    "所",
    "座",
    "处",
    "条",
    "张",
    "辆",
    "艘",
    "亩",
    "米",
    "吨",
    "倍",
    "棵",
    "株",
    "头",
    "只",
    "门",
    "节",
    "班",
    "届",
    "轮",
    "部",
    "种",
    "类",
    "起",
    "宗",
    "例",
    "床",
    "间",
    "栋",
    "区",
    "村",
    "镇",
    "%",
];

// (`萬` and `億` are the traditional forms that tables copied from mirror sites print.)
const MULTIPLIERS: &[(char, i64)] =
    &[('万', 10_000), ('亿', 100_000_000), ('千', 1_000), ('萬', 10_000), ('億', 100_000_000)];

/// One number found in the text: where it is, its value and unit, and what surrounds it.
struct Found {
    start: usize,
    end: usize,
    quantity: Quantity,
    multiplier: Option<char>,
}

/// The factor of a multiplier written before a unit (`万` → 10000).
pub(crate) fn multiplier_factor(m: char) -> Option<Decimal> {
    MULTIPLIERS.iter().find(|(c, _)| *c == m).map(|(_, f)| Decimal::from(*f))
}

fn read_number(s: &str) -> Option<Reading> {
    // Most cells hold one number: keep it without a list.
    let (mut one, mut found) = (None, Vec::new());
    each_number(s, |f| match one.take() {
        None if found.is_empty() => one = Some(f),
        first => {
            found.extend(first);
            found.push(f);
        }
    });
    let (start, end) = match (&one, found.first(), found.last()) {
        (Some(f), _, _) => (f.start, f.end),
        (None, Some(first), Some(last)) => (first.start, last.end),
        _ => return None,
    };
    // Comparison: before the first number, or after the last.
    let before = &s[..start];
    let after = &s[end..];
    let mut op = None;
    let mut rest_before = trim(before);
    // (No word is a suffix of nothing.)
    if !rest_before.is_empty() {
        for (word, o) in PREFIX_OPS {
            if let Some(r) = rest_before.strip_suffix(word) {
                op = Some(*o);
                rest_before = trim(r);
                break;
            }
        }
    }
    let mut rest_after = trim(after);
    if !rest_after.is_empty() && (op.is_none() || matches!(op, Some(Op::Le))) {
        for (word, o) in SUFFIX_OPS {
            if let Some(r) = rest_after.strip_prefix(word) {
                // `控制在5%以内` names the comparison twice; keep ≤.
                op = Some(op.unwrap_or(*o));
                rest_after = trim(r);
                break;
            }
        }
    }
    let mut notes = ReadingNotes::default();
    if let Some(Found { quantity, multiplier, .. }) = one {
        // One number: no sum, and nothing between numbers.
        if !rest_before.is_empty() || !rest_after.is_empty() {
            notes.push(ReadingNote::WordsIgnored);
        }
        return Some(Reading::Number { op, quantity, notes, multiplier });
    }
    // Two amounts joined by a dash, a tilde or 至 are a range, not a sum: no one number.
    if is_range(s, &found) {
        return None;
    }
    let multiplier = found[0].multiplier.filter(|m| found.iter().all(|f| f.multiplier == Some(*m)));
    let quantity = {
        // Several amounts: sum them if they share a unit, otherwise this is not one number.
        let unit = &found[0].quantity.unit;
        if found.iter().any(|f| &f.quantity.unit != unit) {
            return None;
        }
        let mut sum = Decimal::ZERO;
        for f in &found {
            sum = sum.checked_add(f.quantity.value)?;
        }
        notes.push(ReadingNote::Summed { parts: found.iter().map(|f| f.quantity.clone()).collect() });
        Quantity { value: sum.normalize(), unit: unit.clone() }
    };
    let between_words =
        found.windows(2).any(|w| s[w[0].end..w[1].start].chars().any(|c| c.is_alphanumeric()));
    if !rest_before.is_empty() || !rest_after.is_empty() || between_words {
        notes.push(ReadingNote::WordsIgnored);
    }
    Some(Reading::Number { op, quantity, notes, multiplier })
}

/// Words and marks that join the two ends of a range (`90%～100%`, `95%-100%`, `3至5个`).
const RANGE_JOINS: &[&str] = &["-", "－", "~", "～", "〜", "—", "–", "——", "至", "到"];

/// Whether the numbers found in `s` are the two ends of a range: two of them, with nothing
/// between them but a range join (a dash read as the second one's minus sign included).
fn is_range(s: &str, found: &[Found]) -> bool {
    let [first, second] = found else { return false };
    // Where the second number's digits begin, past a minus sign taken as its own.
    let digits =
        s[second.start..].find(|c: char| c.is_ascii_digit()).map_or(second.start, |i| second.start + i);
    let between = trim(&s[first.end..digits]);
    RANGE_JOINS.contains(&between)
}

/// Whether a printed target or actual is a range of two amounts (`90%～100%`, `3-5个`), which
/// no scoring method reads as one number.
#[inline]
pub(crate) fn is_range_text(text: &str) -> bool {
    // (Words without an ASCII or full-width digit hold no amount: the usual qualitative target.)
    text.bytes().any(|b| MAY_HOLD_DIGIT[usize::from(b)]) && holds_range(text)
}

/// The bytes that begin an ASCII digit or a full-width form (a full-width digit among them).
static MAY_HOLD_DIGIT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_digit() || b == 0xEF;
        b += 1;
    }
    table
};

/// [`is_range_text`] of a text that may hold a digit.
fn holds_range(text: &str) -> bool {
    let folded = fold(text);
    let s = trim(&folded);
    read_date(s).is_none() && is_range(s, &numbers(s))
}

/// Every number in `s` with the unit that follows it.
fn numbers(s: &str) -> Vec<Found> {
    let mut out = Vec::new();
    each_number(s, |f| out.push(f));
    out
}

/// Each number in `s` with the unit that follows it, in order.
fn each_number(s: &str, mut out: impl FnMut(Found)) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A minus sign counts when it does not join two numbers (`2021-2023`).
        let before = s[..i].chars().next_back();
        let negative = matches!(before, Some('-' | '−'))
            && !s[..i].chars().rev().nth(1).is_some_and(|c| c.is_ascii_digit());
        let start = if negative { i - before.map_or(0, char::len_utf8) } else { i };
        let (mut dot, mut commas) = (false, false);
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                i += 1;
            } else if b == b'.' && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() && !dot {
                dot = true;
                i += 1;
            } else if b == b',' && is_thousands(bytes, i) {
                commas = true;
                i += 1;
            } else {
                break;
            }
        }
        // The number as written, unless a thousands separator or a `−` must go.
        let parsed = if !negative && !commas && i - start <= 18 {
            Ok(plain_decimal(&bytes[start..i]))
        } else if commas || (negative && before != Some('-')) {
            let digits_from = start + before.filter(|_| negative).map_or(0, char::len_utf8);
            let mut digits = String::from(if negative { "-" } else { "" });
            digits.extend(s[digits_from..i].chars().filter(|c| *c != ','));
            digits.parse::<Decimal>()
        } else {
            s[start..i].parse::<Decimal>()
        };
        let Ok(mut value) = parsed else {
            continue;
        };
        // (Fifteen bytes hold at most fifteen whole digits: below 10^15.)
        if i - start > 15 && value.abs() >= LIMIT {
            continue;
        }
        let rest = &s[i..];
        let (mut unit, used) = unit_after(rest);
        let mut end = i + used;
        let mut multiplier = None;
        // Multipliers: 万元 = 10000 元, 万人次 = 10000 人次, 万 alone = 10000.
        if let Some(first) = unit.chars().next()
            && let Some((_, m)) = MULTIPLIERS.iter().find(|(c, _)| *c == first)
        {
            let stripped = &unit[first.len_utf8()..];
            if stripped.is_empty() || UNITS.contains(&stripped) || is_plain_unit(stripped) {
                if let Some(v) = value.checked_mul(Decimal::from(*m)) {
                    value = v;
                    multiplier = Some(first);
                }
                unit = stripped;
            }
        }
        if unit == "%" || unit == "百分比" {
            // Two more decimal places divide by 100 exactly, as long as the scale allows.
            let mut hundredth = value;
            value = if hundredth.set_scale(value.scale() + 2).is_ok() {
                hundredth
            } else {
                value.checked_div(Decimal::ONE_HUNDRED).unwrap_or(value)
            };
            unit = "%";
        }
        if end > s.len() {
            end = s.len();
        }
        out(Found {
            start,
            end,
            quantity: Quantity { value: value.normalize(), unit: unit_text(unit) },
            multiplier,
        });
        i = end.max(i);
    }
}

/// One to fifteen ASCII digits with at most one `.` between two of them (below [`LIMIT`]), read
/// exactly in one pass; `None` for anything else.
pub(crate) fn short_plain_decimal(b: &[u8]) -> Option<Decimal> {
    if !(1..=15).contains(&b.len()) || !b[b.len() - 1].is_ascii_digit() {
        return None;
    }
    let (mut mantissa, mut scale, mut dot) = (0i64, 0u32, false);
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            mantissa = mantissa * 10 + i64::from(c - b'0');
            scale += u32::from(dot);
        } else if c == b'.' && !dot && i > 0 {
            dot = true;
        } else {
            return None;
        }
    }
    Some(Decimal::new(mantissa, scale))
}

/// At most 18 ASCII digits with at most one `.` between digits, read exactly.
pub(crate) fn plain_decimal(digits: &[u8]) -> Decimal {
    let (mut mantissa, mut scale, mut dot) = (0i64, 0u32, false);
    for &b in digits {
        if b == b'.' {
            dot = true;
        } else {
            mantissa = mantissa * 10 + i64::from(b - b'0');
            scale += u32::from(dot);
        }
    }
    Decimal::new(mantissa, scale)
}

fn is_thousands(bytes: &[u8], comma: usize) -> bool {
    let digits_after = bytes[comma + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
    digits_after == 3 && comma > 0 && bytes[comma - 1].is_ascii_digit()
}

fn is_plain_unit(s: &str) -> bool {
    // (Every CJK unified ideograph is alphabetic; asking the table is slower.)
    let letter = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphabetic();
    !s.is_empty() && s.chars().count() <= 4 && s.chars().all(|c| letter(c) || c == '/')
}

/// The unit at the start of `rest` and its length in bytes.
fn unit_after(rest: &str) -> (&str, usize) {
    let trimmed = trim_start(rest);
    let skipped = rest.len() - trimmed.len();
    // The whole remainder is short and wordy: it is the unit (`8755人`, `5300元/户`).
    // (Every suffix comparison ends in 上, 下 or 内, and starts with `(`, 及, 以, 之 or 内.)
    let tail_without_ops = if matches!(trimmed.chars().next_back(), Some('上' | '下' | '内')) {
        trim_end(SUFFIX_OPS.iter().find_map(|(w, _)| trimmed.strip_suffix(w)).unwrap_or(trimmed))
    } else {
        trim_end(trimmed)
    };
    // With a multiplier first (`万元`, `万人次`), look past it.
    let (mult, body) = match tail_without_ops.chars().next() {
        Some(c) if MULTIPLIERS.iter().any(|(m, _)| *m == c) => {
            (c.len_utf8(), &tail_without_ops[c.len_utf8()..])
        }
        _ => (0, tail_without_ops),
    };
    let suffix_op = |t: &str| {
        matches!(t.chars().next(), Some('(' | '及' | '以' | '之' | '内'))
            && SUFFIX_OPS.iter().any(|(w, _)| t.starts_with(w))
    };
    if is_plain_unit(body) && !suffix_op(body) {
        return (tail_without_ops, skipped + mult + body.len());
    }
    if mult > 0 && body.is_empty() {
        return (tail_without_ops, skipped + mult);
    }
    let head = &trimmed[mult.min(trimmed.len())..];
    // (`%` is the only unit that starts with `%`.)
    let unit = if head.starts_with('%') {
        Some("%")
    } else {
        UNITS.iter().copied().filter(|u| head.starts_with(*u)).max_by_key(|u| u.len())
    };
    if let Some(u) = unit {
        let mut len = u.len();
        // A per-unit such as 元/户 not in the list.
        if let Some(after) = head[len..].strip_prefix('/')
            && let Some(c) = after.chars().next().filter(|c| c.is_alphabetic())
        {
            len += 1 + c.len_utf8();
        }
        return (&trimmed[..mult + len], skipped + mult + len);
    }
    if mult > 0 {
        return (&trimmed[..mult], skipped + mult);
    }
    ("", 0)
}

fn read_date(s: &str) -> Option<Reading> {
    // A date has the digits of a year, and `年` or a separator of a numeric date.
    let b = s.as_bytes();
    let year_mark = |i: usize| b.get(i..i + 3) == Some("年".as_bytes());
    if !b.iter().any(u8::is_ascii_digit)
        || !b.iter().enumerate().any(|(i, c)| matches!(c, b'-' | b'.' | b'/') || (*c == 0xE5 && year_mark(i)))
    {
        return None;
    }
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let bare = |b: &str| -> Option<Date> {
        let b = b.strip_prefix("截至").or_else(|| b.strip_prefix("截止")).unwrap_or(b);
        parse_cn_date(b).or_else(|| parse_numeric_date(b))
    };
    // Longest suffix first, and on to the next when what is left is not a date.
    for suffix in ["底之前", "底以前", "底前", "以前", "之前", "以内", "前", "底", "末"] {
        if let Some(date) = compact.strip_suffix(suffix).and_then(bare) {
            return Some(Reading::Date { op: Some(Op::Le), date });
        }
    }
    bare(&compact).map(|date| Reading::Date { op: None, date })
}

fn parse_cn_date(s: &str) -> Option<Date> {
    let (year, rest) = s.split_once('年')?;
    let year: u32 = year.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    if rest.is_empty() || rest == "度" || rest == "底" || rest == "内" {
        return Some(Date { year, month: None, day: None });
    }
    let (month, rest) = rest.split_once('月')?;
    let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
    if rest.is_empty() || rest == "份" {
        return Some(Date { year, month: Some(month), day: None });
    }
    let day = rest.strip_suffix('日').or_else(|| rest.strip_suffix('号'))?;
    let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    Some(Date { year, month: Some(month), day: Some(day) })
}

/// `2023-06`, `2023/6/30`, `2023.06.30`, `2023.12`; a dotted date needs its day or a two-digit
/// month, so `2000.5` stays a number (and `2023.10` is October, as tables print deadlines).
fn parse_numeric_date(s: &str) -> Option<Date> {
    let dotted = s.contains('.');
    if dotted && (s.contains('-') || s.contains('/')) {
        return None;
    }
    let parts: Vec<&str> = s.split(['-', '.', '/']).collect();
    if parts.len() < 2 || parts.len() > 3 || parts[0].len() != 4 {
        return None;
    }
    if dotted && parts.len() == 2 && parts[1].len() != 2 {
        return None;
    }
    let year: u32 = parts[0].parse().ok().filter(|y| (1900..=2200).contains(y))?;
    let month: u32 = parts[1].parse().ok().filter(|m| (1..=12).contains(m))?;
    let day = match parts.get(2) {
        Some(d) => Some(d.parse::<u32>().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some(Date { year, month: Some(month), day })
}

/// A number at the very start of an indicator name (`10场企业家沙龙`): tables often state the
/// target there and leave the target column empty.
#[doc(hidden)]
pub fn leading_quantity(name: &str) -> Option<Quantity> {
    let folded = fold(name);
    let s = trim(&folded);
    if !s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let found = numbers(s);
    let first = found.first()?;
    let unit = &*first.quantity.unit;
    let counted = UNITS.contains(&unit) && !matches!(unit, "年" | "月" | "日" | "%");
    if first.start != 0 || !counted || read_date(s).is_some() {
        return None;
    }
    Some(first.quantity.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_amounts_joined_as_a_range_are_no_number() {
        for text in ["90%～100%", "95%-100%", "95% - 100%", "3至5个", "3-5个", "1~2", "2021-2023", "10到20人"]
        {
            assert!(is_range_text(text), "{text}");
            assert!(matches!(read(text), Reading::Text { .. }), "{text}: {:?}", read(text));
        }
        for text in ["-5%", "≤-5%", "95%", "6个、1个", "2023-06", "2023.06.30", "明显提升", "5人次以上"]
        {
            assert!(!is_range_text(text), "{text}");
        }
        // A list is still a sum.
        assert!(
            matches!(read("6个、1个"), Reading::Number { quantity, .. } if quantity.value == Decimal::from(7))
        );
    }

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal literal")
    }

    fn number(text: &str) -> (Option<Op>, Decimal, String, usize) {
        match read(text) {
            Reading::Number { op, quantity, notes, .. } => {
                (op, quantity.value, quantity.unit.into_owned(), notes.len())
            }
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn operators_in_all_their_forms() {
        assert_eq!(number("≥50个"), (Some(Op::Ge), d("50"), "个".into(), 0));
        assert_eq!(number(">=21933人"), (Some(Op::Ge), d("21933"), "人".into(), 0));
        assert_eq!(number("≧735人次"), (Some(Op::Ge), d("735"), "人次".into(), 0));
        assert_eq!(number("≤90万元"), (Some(Op::Le), d("900000"), "元".into(), 0));
        assert_eq!(number("<=5300元/户"), (Some(Op::Le), d("5300"), "元/户".into(), 0));
        assert_eq!(number("=8个"), (Some(Op::Eq), d("8"), "个".into(), 0));
        assert_eq!(number("═100%"), (Some(Op::Eq), d("1"), "%".into(), 0));
        assert_eq!(number("100%"), (None, d("1"), "%".into(), 0));
        assert_eq!(number("80%以上"), (Some(Op::Ge), d("0.8"), "%".into(), 0));
        assert_eq!(number("不低于95%"), (Some(Op::Ge), d("0.95"), "%".into(), 0));
        assert_eq!(number("小于5次"), (Some(Op::Lt), d("5"), "次".into(), 0));
        assert_eq!(number("≥100百分比"), (Some(Op::Ge), d("1"), "%".into(), 0));
        assert_eq!(number("控制在5%以内"), (Some(Op::Le), d("0.05"), "%".into(), 0));
        assert_eq!(number("≧20000亩"), (Some(Op::Ge), d("20000"), "亩".into(), 0));
        assert_eq!(number("8755"), (None, d("8755"), "".into(), 0));
        assert_eq!(number("21,933人"), (None, d("21933"), "人".into(), 0));
        assert_eq!(number("＞＝５０个"), (Some(Op::Ge), d("50"), "个".into(), 0));
    }

    #[test]
    fn listed_amounts_are_summed_and_noted() {
        let (op, v, unit, notes) = number("6场沙龙、1场企业家年会");
        assert_eq!((op, v, unit.as_str(), notes), (None, d("7"), "场", 2));
        let (_, v, unit, _) = number("“国企带民企大手牵小手”66万，大学生暑期大厂大所行17.5万");
        assert_eq!((v, unit.as_str()), (d("835000"), ""));
    }

    #[test]
    fn dates() {
        assert_eq!(
            read("2023年12月"),
            Reading::Date { op: None, date: Date { year: 2023, month: Some(12), day: None } }
        );
        assert_eq!(
            read("2023年12月底前"),
            Reading::Date { op: Some(Op::Le), date: Date { year: 2023, month: Some(12), day: None } }
        );
        assert_eq!(
            read("2023-06-30"),
            Reading::Date { op: None, date: Date { year: 2023, month: Some(6), day: Some(30) } }
        );
        let oct = Date { year: 2023, month: Some(10), day: None };
        let dec = Date { year: 2023, month: Some(12), day: None };
        assert!(oct.ordinal() < dec.ordinal());
    }

    #[test]
    fn words_stay_words() {
        assert_eq!(read("明显提升"), Reading::Text { text: "明显提升".into() });
        assert_eq!(read("验收合格（%）"), Reading::Text { text: "验收合格(%)".into() });
        assert_eq!(read(" / "), Reading::Empty);
        assert_eq!(read("……"), Reading::Empty);
        assert_eq!(read(""), Reading::Empty);
    }

    #[test]
    fn a_less_precise_date_contains_a_deadline_in_it() {
        let date = |text: &str| match read(text) {
            Reading::Date { date, .. } => date,
            other => panic!("{text}: {other:?}"),
        };
        let oct = date("2022年10月底前");
        assert_eq!(date("2022年").contains(oct), Some(Precision::Year));
        assert_eq!(date("2023年").contains(oct), None, "another year");
        assert_eq!(date("2022年10月").contains(oct), None, "as precise");
        assert_eq!(date("2022年6月").contains(date("2022年6月30日")), Some(Precision::Month));
        assert_eq!(date("2022年7月").contains(date("2022年6月30日")), None, "another month");
        assert_eq!(date("2022年").contains(date("2022年")), None);
    }

    #[test]
    fn date_suffixes_and_dotted_numbers() {
        let dec = Date { year: 2023, month: Some(12), day: None };
        for text in ["2023年12月以前", "2023年12月之前", "2023年12月底前", "2023年12月前"] {
            assert_eq!(read(text), Reading::Date { op: Some(Op::Le), date: dec }, "{text}");
        }
        assert_eq!(number("2000.5"), (None, d("2000.5"), "".into(), 0));
        assert_eq!(
            read("2023.06.30"),
            Reading::Date { op: None, date: Date { year: 2023, month: Some(6), day: Some(30) } }
        );
    }

    #[test]
    fn minus_signs() {
        assert_eq!(number("≤-5%"), (Some(Op::Le), d("-0.05"), "%".into(), 0));
        assert_eq!(number("−3个"), (None, d("-3"), "个".into(), 0));
        let found: Vec<Decimal> = numbers("2021-2023").iter().map(|f| f.quantity.value).collect();
        assert_eq!(found, vec![d("2021"), d("2023")], "a range is two numbers, not a negative one");
    }

    #[test]
    fn cjk_ideographs_are_alphabetic() {
        assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphabetic));
    }

    #[test]
    fn trimming_is_str_trim() {
        for t in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}人\u{3000}",
            "\u{85}x",
            "x\u{85}",
            "人",
            " 人 次 ",
            "\u{2003}",
            "人\u{2003}",
            "\u{a0}",
            "\t\n",
            "\u{1680}人",
            "人\u{1680}",
            "\u{feff}",
            "é ",
            "😀",
            "𝟘\u{205f}",
        ] {
            assert_eq!(trim(t), t.trim(), "{t:?}");
            assert_eq!(trim_start(t), t.trim_start(), "{t:?}");
            assert_eq!(trim_end(t), t.trim_end(), "{t:?}");
        }
    }

    #[test]
    fn plain_decimals_are_exact() {
        for t in ["0", "007", "123", "17.5", "0.50", "999999999999999999", "12345678.9012345678"] {
            assert_eq!(plain_decimal(t.as_bytes()), t.parse::<Decimal>().expect("a decimal"), "{t}");
        }
    }

    #[test]
    fn short_plain_decimals_are_digits_with_one_point_inside() {
        for t in ["0", "7", "007", "20", "17.5", "0.50", "123456789012345", "1234567.8901234"] {
            assert_eq!(
                short_plain_decimal(t.as_bytes()),
                Some(t.parse::<Decimal>().expect("a decimal")),
                "{t}"
            );
        }
        for t in ["", ".5", "5.", "1.2.3", "1..2", "-1", "+1", "1e3", " 1", "1,000", "1234567890123456", "１"]
        {
            assert_eq!(short_plain_decimal(t.as_bytes()), None, "{t}");
        }
    }

    #[test]
    fn the_limit_is_ten_to_the_fifteenth() {
        assert_eq!(LIMIT, d("1000000000000000"));
    }

    #[test]
    fn multipliers_are_remembered() {
        let multiplier = |text: &str| match read(text) {
            Reading::Number { multiplier, .. } => multiplier,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(multiplier("≥100万元"), Some('万'));
        assert_eq!(multiplier("66万，17.5万"), Some('万'));
        assert_eq!(multiplier("1亿元"), Some('亿'));
        assert_eq!(multiplier("95"), None);
        assert_eq!(multiplier("900000元"), None);
    }

    #[test]
    fn mixed_units_are_not_one_number() {
        assert!(matches!(read("3人5场"), Reading::Text { .. }));
    }

    /// `read` and the general path agree on `text`, decimals' scales included; whether the
    /// shortcut answered.
    fn agrees(text: &str) -> bool {
        if read_simple(text).is_some() {
            assert_eq!(trim(&fold(text)), text, "nothing to fold or trim");
        }
        let (fast, general) = (read(text), read_general(text));
        assert_eq!(fast, general, "{text:?}");
        assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{text:?}");
        read_simple(trim(&fold(text))).is_some()
    }

    #[test]
    fn the_shortcut_takes_the_common_cells() {
        for text in [
            "≥200人",
            "230人",
            "≥95%",
            "96%",
            "96.5%",
            "≤30天",
            "≤90万元",
            "85万元",
            "≥8场",
            "7场",
            "8755",
            "0.50",
            ">=21933人",
            "≧735人次",
            "<=5300元/户",
            "═100%",
            "≥100百分比",
            "＞＝５０个",
            " ≥50个 ",
            "3亿",
            "5千米",
            "12月",
            "2023",
            "2000.5",
        ] {
            assert!(agrees(text), "{text}");
        }
        // A year is a date, not 2023 years; words around a number are noted; a `1.` is not
        // plain; sixteen digits may pass the limit.
        for text in [
            "2023年",
            "2023.06.30",
            "2023.12",
            "≤2023.10",
            "80%以上",
            "不低于90%",
            "-5",
            "1,000人",
            "1.",
            ".5",
            "明显提升",
            "/",
            "5人次以上",
            "5人5",
            "10000000000000000",
        ] {
            assert!(!agrees(text), "{text}");
        }
        let multiplied = |text: &str| match read_simple(text) {
            Some(Reading::Number { quantity, multiplier, op, notes }) => {
                (op, quantity.value.to_string(), quantity.unit.into_owned(), multiplier, notes.len())
            }
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(multiplied("≤90万元"), (Some(Op::Le), "900000".into(), "元".into(), Some('万'), 0));
        assert_eq!(multiplied("96.50%"), (None, "0.965".into(), "%".into(), None, 0));
        assert_eq!(multiplied("230.0人"), (None, "230".into(), "人".into(), None, 0));
        assert_eq!(multiplied("5千米"), (None, "5000".into(), "米".into(), Some('千'), 0));
    }

    #[test]
    fn multiplier_powers_are_the_listed_factors() {
        for (c, factor) in MULTIPLIERS {
            assert_eq!(multiplier_power(*c).map(|p| 10i64.pow(p as u32)), Some(*factor), "{c}");
        }
        for c in '\0'..=char::MAX {
            let listed = MULTIPLIERS.iter().any(|(m, _)| *m == c);
            assert_eq!(multiplier_power(c).is_some(), listed, "{c:?}");
        }
    }

    #[test]
    fn white_space_starts_with_the_bytes_looked_for() {
        let mut buf = [0; 4];
        for c in ('\0'..=char::MAX).filter(|c| c.is_whitespace()) {
            assert!(may_start_space(c.encode_utf8(&mut buf).as_bytes()[0]), "{c:?}");
        }
        assert!(!may_start_space("明".as_bytes()[0]));
        assert!(!may_start_space(b'a'));
    }

    #[test]
    fn one_character_units_are_the_listed_ones() {
        let mut buf = [0; 4];
        for c in '\0'..=char::MAX {
            let unit: &str = c.encode_utf8(&mut buf);
            let listed = UNITS.contains(&unit) && !matches!(c, '年' | '%');
            assert_eq!(listed_unit(unit), listed.then_some(unit), "{c:?}");
        }
        for unit in UNITS {
            assert_eq!(listed_unit(unit), (!matches!(*unit, "年" | "%")).then_some(*unit), "{unit}");
        }
    }

    #[test]
    fn the_shortcut_reads_as_the_general_path() {
        let ops = [
            "",
            "≥",
            "≤",
            ">",
            "<",
            ">=",
            "<=",
            "=",
            "==",
            "≧",
            "≦",
            "═",
            "=>",
            "=<",
            "＞＝",
            "≥ ",
            " ",
            "-",
            "−",
            "≥-",
            "约",
            "不低于",
            "达到",
            "/",
            "—",
            "截至",
            "2023年",
            "a",
        ];
        let numbers = [
            "0",
            "7",
            "007",
            "230",
            "96.5",
            "0.50",
            "230.0",
            "1.",
            ".5",
            "1.2.3",
            "2023",
            "2000.5",
            "2023.06.30",
            "2023.12",
            "2150.25",
            "1899.05",
            "2023-06",
            "2023/6",
            "12",
            "999999999999999",
            "99999999999999.9",
            "1000000000000000",
            "9999999999999999999999999999999",
            "0.00000000000001",
            "1,000",
            "１２",
            "1e5",
        ];
        let multipliers = ["", "万", "亿", "千", "万万", "千万"];
        let mut units: Vec<&str> = UNITS.to_vec();
        units.extend([
            "",
            "％",
            "年度",
            "度",
            "kg",
            "元/x",
            "元/",
            "以上",
            "以内",
            "及以上",
            "前",
            "底前",
            "上",
            "内",
            " ",
            "人 ",
            " 人",
            "、3人",
            "5",
            "人5",
            "/",
            "-",
            ".",
            "沙龙",
            "人次人",
            "元/户/户",
            "个百分点以上",
            "万",
            "\u{3000}",
            "人\u{3000}",
        ]);
        let (mut checked, mut taken) = (0, 0);
        let mut text = String::new();
        for op in ops {
            for number in numbers {
                for multiplier in multipliers {
                    for unit in &units {
                        text.clear();
                        text.extend([op, number, multiplier, unit]);
                        checked += 1;
                        taken += usize::from(agrees(&text));
                    }
                }
            }
        }
        // Words and placeholders, without a digit.
        for text in [
            "明显提升",
            "较好",
            " 明显 提升 ",
            "N/A",
            "n/a",
            "空",
            "/",
            "—",
            "……",
            "...",
            "无",
            "",
            " ",
            "\u{3000}",
            "ａｂｃ",
            "明显\u{a0}提升",
            "明显\u{2003}提升",
            "明\u{3000}显",
            "≥较好",
            "较\u{1680}好",
            "\u{feff}较好",
            "验收合格（%）",
            "a\tb",
            "年",
            "%",
            "万元",
            "—/—",
            "-",
            "１",
            "\u{85}",
        ] {
            checked += 1;
            taken += usize::from(agrees(text));
        }
        // With words after: suffix comparisons, dates, several numbers.
        for number in numbers {
            for unit in ["", "%", "人", "万元", "年", "月", "千米"] {
                for after in ["以上", "以内", "及以下", "前", "底", "12月", "、5人", " ", "。", "左右", "内"]
                {
                    text.clear();
                    text.extend(["≥", number, unit, after]);
                    checked += 1;
                    taken += usize::from(agrees(&text));
                }
            }
        }
        assert!(taken > checked / 10, "{taken} of {checked}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn reading_is_the_same_with_or_without_the_shortcut(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "≥", "≤", ">", "<", "=", "≧", "═", "-", "−", ".", "/", ",", "0", "1", "5", "9", "2023",
                "999999999", "年", "月", "日", "万", "亿", "千", "元", "人", "%", "％", "次", "米", "户",
                "以上", "以内", "前", "底", " ", "\u{3000}", "１", "a", "明显", "、", "百分比", "个百分点",
                "内", "上",
            ]), 0..8)
        ) {
            agrees(&pieces.concat());
        }
    }

    #[test]
    fn targets_in_names() {
        assert_eq!(leading_quantity("10场企业家沙龙"), Some(Quantity { value: d("10"), unit: "场".into() }));
        assert_eq!(
            leading_quantity("20场株洲“名优特”产品进机关、进企业巡展活动"),
            Some(Quantity { value: d("20"), unit: "场".into() })
        );
        assert_eq!(leading_quantity("大学生暑期大厂大所行"), None);
        assert_eq!(leading_quantity("2022年度资金"), None);
    }
}
