//! Reading a JSON sheet straight into a [`Sheet`]: one pass over the bytes, no document tree,
//! lines counted as the reader goes.
//!
//! It reads exactly what the general reader ([`super::read`]) reads and gives the same sheet,
//! built with the same functions for every cell, amount and point. Anything it does not
//! reproduce — a syntax or field error, an unknown or repeated key, an escaped key, a value of
//! an unusual type, a structured target — makes it give up (`None`), and the general reader
//! reads the text and words every message, so nothing a user sees depends on which path ran.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::read::parse_decimal;
use super::*;
use crate::text::refill;
use crate::value::{self, Quantity, Reading, is_empty_note, is_placeholder};

/// The sheet in `text`, if it is plain JSON the direct reader reproduces exactly.
pub(crate) fn read(text: &str) -> Option<Sheet> {
    read_reusing(text, Vec::new())
}

/// [`read`], building the rows in `spare`: the rows of a sheet read before, whose text buffers
/// take the new rows' text without allocating.
pub(crate) fn read_reusing(text: &str, spare: Vec<Indicator>) -> Option<Sheet> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0, line: 1, spare };
    p.ws();
    let sheet = p.sheet()?;
    p.ws();
    (p.i == p.s.len()).then_some(sheet)
}

/// A scalar value as written.
enum Raw<'a> {
    Str(Cow<'a, str>),
    /// A number exactly as written.
    Num(&'a str),
    Bool(bool),
    Null,
    /// `{ "op": …, "value": …, "unit": … }`, for a target or an actual.
    Table(Box<Structured<'a>>),
}

/// A target or actual written as a table.
#[derive(Default)]
struct Structured<'a> {
    op: Slot<'a>,
    value: Slot<'a>,
    unit: Slot<'a>,
    /// Whether the table holds any field.
    any: bool,
}

/// A field's value and the line it starts on.
struct Field<'a> {
    raw: Raw<'a>,
    line: u32,
}

type Slot<'a> = Option<Field<'a>>;

/// Fill an empty slot; a repeated key gives up.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

struct Parser<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
    /// The 1-based line of `i`.
    line: u32,
    /// Rows whose memory the sheet's rows are built in.
    spare: Vec<Indicator>,
}

impl<'t> Parser<'t> {
    fn ws(&mut self) {
        // Compact JSON has none.
        if self.s.get(self.i).is_none_or(|&b| b > b' ') {
            return;
        }
        while let Some(&b) = self.s.get(self.i) {
            match b {
                b' ' | b'\t' | b'\r' => {}
                b'\n' => self.line = self.line.saturating_add(1),
                _ => return,
            }
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }

    fn word(&mut self, w: &[u8]) -> Option<()> {
        let end = self.i.checked_add(w.len())?;
        (self.s.get(self.i..end)? == w).then(|| self.i = end)
    }

    /// `{ "key": value, … }`, each value read by `entry`, which must consume it.
    fn object(&mut self, mut entry: impl FnMut(&mut Self, &'t [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.key()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            entry(self, key)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `[ item, … ]`, each item read by `item` (given its index), which must consume it.
    fn array(&mut self, mut item: impl FnMut(&mut Self, usize) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        let mut n = 0;
        loop {
            self.ws();
            item(self, n)?;
            n += 1;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Move to the next `"`, `\\` or control character of a string, eight bytes at a time.
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // A byte of `v` is zero (for `any` purposes: the lowest flag is exact).
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        while let Some(chunk) = self.s.get(self.i..self.i + 8) {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(chunk);
            let x = u64::from_le_bytes(bytes);
            let special = zero(x ^ (ONES * u64::from(b'"')))
                | zero(x ^ (ONES * u64::from(b'\\')))
                | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
            if special != 0 {
                self.i += (special.trailing_zeros() / 8) as usize;
                return;
            }
            self.i += 8;
        }
    }

    /// A key without escapes, as bytes: it is only ever compared with ASCII names.
    fn key(&mut self) -> Option<&'t [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        self.skip_plain();
        loop {
            match *self.s.get(self.i)? {
                b'"' => {
                    let key = self.s.get(start..self.i)?;
                    self.i += 1;
                    return Some(key);
                }
                b'\\' => return None,
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
    }

    /// A scalar value; a table or a list gives up.
    fn scalar(&mut self) -> Option<Field<'t>> {
        let line = self.line;
        let raw = match self.peek()? {
            b'"' => Raw::Str(self.string()?),
            b't' => {
                self.word(b"true")?;
                Raw::Bool(true)
            }
            b'f' => {
                self.word(b"false")?;
                Raw::Bool(false)
            }
            b'n' => {
                self.word(b"null")?;
                Raw::Null
            }
            b'-' | b'0'..=b'9' => Raw::Num(self.number()?),
            _ => return None,
        };
        Some(Field { raw, line })
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as written.
    fn number(&mut self) -> Option<&'t str> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while let Some(b'0'..=b'9') = p.peek() {
                p.i += 1;
            }
            p.i > from
        };
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && !digits(self) {
            return None;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        self.text.get(start..self.i)
    }

    /// A string with its escapes decoded, borrowed when it has none.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        self.eat(b'"')?;
        let start = self.i;
        self.skip_plain();
        loop {
            match *self.s.get(self.i)? {
                b'"' => {
                    let out = self.text.get(start..self.i)?;
                    self.i += 1;
                    return Some(Cow::Borrowed(out));
                }
                b'\\' => break,
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
        let mut out = self.text.get(start..self.i)?.to_string();
        loop {
            let run = self.i;
            while let Some(&c) = self.s.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.text.get(run..self.i)?);
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let c = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let c = match hi {
                                0xD800..=0xDBFF => {
                                    self.word(b"\\u")?;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&lo) {
                                        return None;
                                    }
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                                }
                                0xDC00..=0xDFFF => return None,
                                _ => char::from_u32(hi)?,
                            };
                            out.push(c);
                            continue;
                        }
                        _ => return None,
                    };
                    self.i += 1;
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.i.checked_add(4)?;
        let digits = self.text.get(self.i..end)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i = end;
        u32::from_str_radix(digits, 16).ok()
    }

    /// Read a scalar into `slot`.
    fn fill(&mut self, slot: &mut Slot<'t>) -> Option<()> {
        let f = self.scalar()?;
        set(slot, f)
    }

    /// Read a printed cell into `slot`: a scalar, or `{ op, value, unit }`.
    fn fill_cell(&mut self, slot: &mut Slot<'t>) -> Option<()> {
        if self.peek() != Some(b'{') {
            return self.fill(slot);
        }
        let line = self.line;
        let mut t = Structured::default();
        self.object(|p, key| {
            t.any = true;
            match key {
                b"op" => p.fill(&mut t.op),
                b"value" => p.fill(&mut t.value),
                b"unit" => p.fill(&mut t.unit),
                _ => None,
            }
        })?;
        set(slot, Field { raw: Raw::Table(Box::new(t)), line })
    }

    fn sheet(&mut self) -> Option<Sheet> {
        let mut project = None;
        let mut budget = None;
        let mut goals = None;
        let mut groups = None;
        let mut indicators = None;
        let mut total = None;
        self.object(|p, key| match key {
            b"project" => set(&mut project, p.project()?),
            b"budget" => set(&mut budget, p.budget()?),
            b"goals" => set(&mut goals, p.goals()?),
            b"groups" => set(&mut groups, p.groups()?),
            b"indicators" => set(&mut indicators, p.indicators()?),
            b"total" => set(&mut total, p.total()?),
            _ => None,
        })?;
        let project = project?;
        let budget = match budget {
            Some(b) => Some(b.read(&project.money_unit)?),
            None => None,
        };
        let (indicators, skipped) = indicators.unwrap_or_default();
        Some(Sheet {
            project,
            budget,
            goals: goals.unwrap_or_default(),
            groups: groups.unwrap_or_default(),
            indicators,
            skipped,
            total: total.unwrap_or_default(),
            origin: None,
        })
    }

    fn project(&mut self) -> Option<Project> {
        let (mut name, mut department, mut implementer, mut year, mut jurisdiction, mut unit, mut title) =
            (None, None, None, None, None, None, None);
        self.object(|p, key| match key {
            b"name" => p.fill(&mut name),
            b"department" => p.fill(&mut department),
            b"implementer" => p.fill(&mut implementer),
            b"year" => p.fill(&mut year),
            b"jurisdiction" => p.fill(&mut jurisdiction),
            b"unit" => p.fill(&mut unit),
            b"title" => p.fill(&mut title),
            _ => None,
        })?;
        let name = required_text(&name)?;
        let year = match year.map(|f| f.raw) {
            None => None,
            Some(Raw::Num(raw)) => Some(super::cells::year(raw)?),
            Some(Raw::Str(s)) => Some(super::cells::year(&s)?),
            Some(_) => return None,
        };
        let money_unit = text(&unit)?.map_or_else(|| "万元".to_string(), |u| u.trim().to_string());
        let money_factor = match money_unit.as_str() {
            "元" => Decimal::ONE,
            "千元" => Decimal::from(1_000),
            "万元" => Decimal::from(10_000),
            "亿元" => Decimal::from(100_000_000),
            _ => return None,
        };
        let trimmed = |slot: &Slot<'_>| -> Option<Option<String>> {
            Some(text(slot)?.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string))
        };
        Some(Project {
            name: name.to_string(),
            department: trimmed(&department)?,
            implementer: trimmed(&implementer)?,
            year,
            jurisdiction: trimmed(&jurisdiction)?,
            money_factor,
            money_unit,
            title: trimmed(&title)?,
        })
    }

    fn budget(&mut self) -> Option<RawBudget<'t>> {
        let mut b = RawBudget { line: self.line, ..RawBudget::default() };
        self.object(|p, key| match key {
            b"initial" => p.fill(&mut b.initial),
            b"annual" => p.fill(&mut b.annual),
            b"executed" => p.fill(&mut b.executed),
            b"weight" => p.fill(&mut b.weight),
            b"rate" => p.fill_cell(&mut b.rate),
            b"claimed" => p.fill(&mut b.claimed),
            b"note" => p.fill(&mut b.note),
            b"rows" => {
                let mut rows = Vec::new();
                p.array(|p, _| {
                    let mut r = RawRow::default();
                    p.object(|p, key| match key {
                        b"label" => p.fill(&mut r.label),
                        b"initial" => p.fill(&mut r.initial),
                        b"annual" => p.fill(&mut r.annual),
                        b"executed" => p.fill(&mut r.executed),
                        _ => None,
                    })?;
                    rows.push(r);
                    Some(())
                })?;
                set(&mut b.rows, rows)
            }
            _ => None,
        })?;
        Some(b)
    }

    fn goals(&mut self) -> Option<Goals> {
        let (mut expected, mut achieved) = (None, None);
        self.object(|p, key| match key {
            b"expected" => p.fill(&mut expected),
            b"achieved" => p.fill(&mut achieved),
            _ => None,
        })?;
        Some(Goals { expected: owned(text(&expected)?), achieved: owned(text(&achieved)?) })
    }

    fn groups(&mut self) -> Option<Vec<GroupClaim>> {
        let mut out = Vec::new();
        self.array(|p, _| {
            let line = p.line;
            let (mut level1, mut level2, mut weight, mut claimed) = (None, None, None, None);
            p.object(|p, key| match key {
                b"level1" => p.fill(&mut level1),
                b"level2" => p.fill(&mut level2),
                b"weight" => p.fill(&mut weight),
                b"claimed" => p.fill(&mut claimed),
                _ => None,
            })?;
            out.push(GroupClaim {
                level1: required_text(&level1)?.to_string(),
                level2: owned(text(&level2)?.filter(|s| !blank(s))),
                weight: decimal(&weight)?,
                claimed: decimal(&claimed)?,
                line,
            });
            Some(())
        })?;
        Some(out)
    }

    fn total(&mut self) -> Option<ClaimedTotal> {
        let (mut claimed, mut grade) = (None, None);
        self.object(|p, key| match key {
            b"claimed" => p.fill(&mut claimed),
            b"grade" => p.fill(&mut grade),
            _ => None,
        })?;
        Some(ClaimedTotal {
            claimed: decimal(&claimed)?,
            grade: owned(text(&grade)?.filter(|g| !is_placeholder(g))),
        })
    }

    // (Kept out of `sheet`: inlined there, the rows' loop is compiled less well.)
    #[inline(never)]
    fn indicators(&mut self) -> Option<(Vec<Indicator>, Vec<SkippedRow>)> {
        // The rows of a sheet read before, overwritten one by one; else room for a typical
        // table's rows.
        let mut out = std::mem::take(&mut self.spare);
        if out.capacity() == 0 {
            out.reserve(16);
        }
        let mut filled = 0;
        let mut skipped = Vec::new();
        // Merged cells: an empty level-1 or level-2 repeats the row above.
        let mut above = Above::default();
        self.array(|p, i| {
            let line = p.line;
            let mut r = RawIndicator::default();
            // The first byte leaves one name or two to compare the key with.
            p.object(|p, key| match (*key.first()?, key) {
                (b'l', b"level1") => p.fill(&mut r.level1),
                (b'l', b"level2") => p.fill(&mut r.level2),
                (b'n', b"name") => p.fill(&mut r.name),
                (b't', b"target") => p.fill_cell(&mut r.target),
                (b'a', b"actual") => p.fill_cell(&mut r.actual),
                (b'w', b"weight") => p.fill(&mut r.weight),
                (b'c', b"claimed") => p.fill(&mut r.claimed),
                (b'n', b"note") => p.fill(&mut r.note),
                (b't', b"tier") => p.fill(&mut r.tier),
                (b'd', b"direction") => p.fill(&mut r.direction),
                (b'u', b"unit") => p.fill(&mut r.unit),
                (b'u', b"unreadable") => p.fill(&mut r.unreadable),
                (b'n', b"not_applicable") => p.fill(&mut r.not_applicable),
                (b'a', b"adjust") => {
                    let (mut points, mut reason) = (None, None);
                    p.object(|p, key| match key {
                        b"points" => p.fill(&mut points),
                        b"reason" => p.fill(&mut reason),
                        _ => None,
                    })?;
                    set(&mut r.adjust, (points, reason))
                }
                _ => None,
            })?;
            r.read(i, line, &mut above, Rows { out: &mut out, filled: &mut filled }, &mut skipped)
        })?;
        out.truncate(filled);
        Some((out, skipped))
    }
}

#[derive(Default)]
struct RawBudget<'a> {
    initial: Slot<'a>,
    annual: Slot<'a>,
    executed: Slot<'a>,
    weight: Slot<'a>,
    rate: Slot<'a>,
    claimed: Slot<'a>,
    note: Slot<'a>,
    rows: Option<Vec<RawRow<'a>>>,
    line: u32,
}

#[derive(Default)]
struct RawRow<'a> {
    label: Slot<'a>,
    initial: Slot<'a>,
    annual: Slot<'a>,
    executed: Slot<'a>,
}

impl RawBudget<'_> {
    /// The budget block in a sheet whose amounts are in `unit`.
    fn read(self, unit: &str) -> Option<Budget> {
        let line = self.line;
        let printed_rate = match &self.rate {
            Some(_) => Some(cell(&self.rate, line)?),
            None => None,
        };
        let mut notes = Vec::new();
        let mut rows = Vec::new();
        for (i, r) in self.rows.iter().flatten().enumerate() {
            let label = text(&r.label)?.unwrap_or_default().to_string();
            let field = |key: &str| format!("budget.rows[{i}].{key}");
            rows.push(BudgetRow {
                label,
                initial: money(&r.initial, unit, &mut notes, || field("initial"))?,
                annual: money(&r.annual, unit, &mut notes, || field("annual"))?,
                executed: money(&r.executed, unit, &mut notes, || field("executed"))?,
            });
        }
        let amount = |slot: &Slot<'_>, key: &str, notes: &mut Vec<CellNote>| -> Option<Option<Decimal>> {
            let v = money(slot, unit, notes, || format!("budget.{key}"))?;
            // A negative amount is an error.
            if v.is_some_and(|v| v < Decimal::ZERO) {
                return None;
            }
            Some(v)
        };
        let (mut initial, mut annual, mut executed) = (
            amount(&self.initial, "initial", &mut notes)?,
            amount(&self.annual, "annual", &mut notes)?,
            amount(&self.executed, "executed", &mut notes)?,
        );
        (initial, annual, executed) =
            super::read::total_or_sub_row((initial, annual, executed), &rows, &mut notes);
        Some(Budget {
            initial,
            annual,
            executed,
            weight: decimal(&self.weight)?,
            printed_rate,
            claimed: decimal(&self.claimed)?,
            note: owned(text(&self.note)?),
            rows,
            line,
            read_notes: notes,
        })
    }
}

/// What a row's empty level-1 or level-2 cell repeats: the categories of the row above (merged
/// cells), and whether its level-1 cell is a block label.
#[derive(Default)]
struct Above {
    level1: Cow<'static, str>,
    level2: Cow<'static, str>,
    block: bool,
}

impl Above {
    /// The categories for one more row: the common ones without a copy (as `clone` does, which
    /// is not inlined).
    fn categories(&self) -> (Cow<'static, str>, Cow<'static, str>) {
        let share = |c: &Cow<'static, str>| match c {
            Cow::Borrowed(s) => Cow::Borrowed(*s),
            Cow::Owned(s) => Cow::Owned(s.clone()),
        };
        (share(&self.level1), share(&self.level2))
    }
}

/// Where rows go: `out[filled]` is overwritten, reusing its text buffers, or a row is pushed.
struct Rows<'r> {
    out: &'r mut Vec<Indicator>,
    filled: &'r mut usize,
}

/// Text buffers of an old row, to be filled with a new row's text.
#[derive(Default)]
struct Buffers {
    name: String,
    target: Buffer,
    actual: Buffer,
    note: Option<String>,
}

/// A cell's text buffers: for its text as written, and for its words as read.
#[derive(Default)]
struct Buffer {
    text: String,
    words: String,
}

impl Buffer {
    fn of(cell: &mut Cell) -> Buffer {
        let words = match &mut cell.reading {
            Reading::Text { text } => std::mem::take(text),
            _ => String::new(),
        };
        Buffer { text: std::mem::take(&mut cell.text), words }
    }
}

impl Rows<'_> {
    /// The text buffers of the next row to overwrite, if any (empty ones otherwise).
    fn buffers(&mut self) -> Buffers {
        match self.out.get_mut(*self.filled) {
            Some(old) => Buffers {
                name: std::mem::take(&mut old.name),
                target: Buffer::of(&mut old.target),
                actual: Buffer::of(&mut old.actual),
                note: old.note.take(),
            },
            None => Buffers::default(),
        }
    }

    fn put(&mut self, row: Indicator) {
        match self.out.get_mut(*self.filled) {
            Some(old) => *old = row,
            None => self.out.push(row),
        }
        *self.filled += 1;
    }
}

#[derive(Default)]
struct RawIndicator<'a> {
    level1: Slot<'a>,
    level2: Slot<'a>,
    name: Slot<'a>,
    target: Slot<'a>,
    actual: Slot<'a>,
    weight: Slot<'a>,
    claimed: Slot<'a>,
    note: Slot<'a>,
    tier: Slot<'a>,
    direction: Slot<'a>,
    unit: Slot<'a>,
    unreadable: Slot<'a>,
    not_applicable: Slot<'a>,
    adjust: Option<(Slot<'a>, Slot<'a>)>,
}

impl RawIndicator<'_> {
    /// Row `i`, on `line`, as the general reader reads it: pushed to `out` or `skipped`.
    fn read(
        &self,
        i: usize,
        line: u32,
        above: &mut Above,
        mut out: Rows<'_>,
        skipped: &mut Vec<SkippedRow>,
    ) -> Option<()> {
        if let Some(l1) = text(&self.level1)?.filter(|s| !blank(s))
            && l1 != &*above.level1
        {
            above.level2 = Cow::Borrowed("");
            above.level1 = category(l1);
            above.block = cells::is_block_label(l1);
        }
        if let Some(l2) = text(&self.level2)?.filter(|s| !blank(s))
            && l2 != &*above.level2
        {
            above.level2 = category(l2);
        }
        let (level1, level2) = (&above.level1, &above.level2);
        let name = text(&self.name)?.unwrap_or_default();
        let placeholder_name = super::read::is_placeholder_row(name);
        if placeholder_name && self.is_empty_row() {
            skipped.push(SkippedRow { row: i, name: name.to_string(), line });
            return Some(());
        }
        if blank(level1) && blank(level2) {
            return None;
        }
        let buffers = out.buffers();
        let mut target = cell_in(&self.target, line, buffers.target)?;
        let mut actual = cell_in(&self.actual, line, buffers.actual)?;
        let direction = text(&self.direction)?.filter(|s| !blank(s));
        let unit = text(&self.unit)?.filter(|s| !blank(s));
        if direction.is_some() || unit.is_some() {
            super::read::compose_columns(&mut target, &mut actual, direction, unit).ok()?;
        }
        let adjustment = match &self.adjust {
            Some((points, reason)) => {
                let points = decimal(points)?;
                let reason = text(reason)?.filter(|r| !is_empty_note(r));
                Some(Adjustment { points: points?, reason: reason?.to_string() })
            }
            None => None,
        };
        let not_applicable = match self.not_applicable.as_ref().map(|f| &f.raw) {
            Some(Raw::Bool(b)) => *b,
            Some(_) => return None,
            None => false,
        };
        let mut read_notes = Vec::new();
        let (level1, level2) = if above.block {
            let (l1, l2) = block_categories(level1, level2, &format!("indicators[{i}]"), &mut read_notes);
            (Cow::Owned(l1), Cow::Owned(l2))
        } else {
            above.categories()
        };
        let field = |key: &str| format!("indicators[{i}].{key}");
        let weight = points(&self.weight, &mut read_notes, || field("weight"))?;
        if weight.is_some_and(|w| w < Decimal::ZERO) {
            return None;
        }
        let weight_line = self.weight.as_ref().map_or(line, |f| f.line);
        let tier_line = self.tier.as_ref().map_or(line, |f| f.line);
        let claimed = points(&self.claimed, &mut read_notes, || field("claimed"))?;
        out.put(Indicator {
            level1,
            level2,
            name: refill(buffers.name, name),
            target,
            actual,
            weight,
            claimed,
            note: text(&self.note)?.map(|note| refill(buffers.note.unwrap_or_default(), note)),
            not_applicable,
            placeholder_name,
            detail_name: crate::eval::is_detail_name(name),
            row: i,
            line,
            weight_line,
            tier_line,
            extra: Extra {
                tier: owned(text(&self.tier)?.filter(|s| !blank(s))),
                adjustment,
                unreadable: owned(text(&self.unreadable)?.filter(|s| !blank(s))),
                read_notes,
            }
            .boxed(),
        });
        Some(())
    }

    /// Whether target, actual, weight and claimed score are all blank.
    fn is_empty_row(&self) -> bool {
        [&self.target, &self.actual, &self.weight, &self.claimed].iter().all(|slot| match slot {
            None => true,
            Some(Field { raw: Raw::Str(s), .. }) => is_placeholder(s),
            Some(Field { raw: Raw::Null, .. }) => true,
            Some(Field { raw: Raw::Table(t), .. }) => !t.any,
            Some(_) => false,
        })
    }
}

/// A text field: text, or a number as written; `None` (give up) for anything else.
fn text<'s>(slot: &'s Slot<'_>) -> Option<Option<&'s str>> {
    match slot.as_ref().map(|f| &f.raw) {
        None | Some(Raw::Null) => Some(None),
        Some(Raw::Str(s)) => Some(Some(s)),
        Some(Raw::Num(n)) => Some(Some(n)),
        Some(Raw::Bool(_) | Raw::Table(_)) => None,
    }
}

/// Whether `s` is empty or white space (`s.trim().is_empty()`).
fn blank(s: &str) -> bool {
    !value::solid_start(s) && s.chars().all(char::is_whitespace)
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_string)
}

/// A required text field, not blank.
fn required_text<'s>(slot: &'s Slot<'_>) -> Option<&'s str> {
    text(slot)?.filter(|s| !blank(s))
}

/// A number field as the general reader's `decimal` reads it; `None` (give up) where it would
/// report an error.
fn decimal(slot: &Slot<'_>) -> Option<Option<Decimal>> {
    match slot.as_ref().map(|f| &f.raw) {
        None | Some(Raw::Null) => Some(None),
        Some(Raw::Num(n)) => parse_decimal(n).ok().map(Some),
        Some(Raw::Str(s)) if is_empty_note(s) => Some(None),
        Some(Raw::Str(s)) => {
            parse_decimal(&crate::text::fold_width(s).trim().replace(',', "")).ok().map(Some)
        }
        Some(Raw::Bool(_) | Raw::Table(_)) => None,
    }
}

/// Points as a table prints them (`20分`, `20%`), read as the general reader's `points` reads
/// them, with its note.
fn points(slot: &Slot<'_>, notes: &mut Vec<CellNote>, field: impl Fn() -> String) -> Option<Option<Decimal>> {
    if let Some(Field { raw: Raw::Str(s), .. }) = slot
        && parse_decimal(&crate::text::fold_width(s).trim().replace(',', "")).is_err()
        && let cells::Cleaned::Number(d, liberty) = cells::points(s, Decimal::ONE_HUNDRED)
    {
        if let Some(message) = liberty {
            notes.push(CellNote { cell: field(), message });
        }
        return Some(Some(d));
    }
    decimal(slot)
}

/// An amount of money as the general reader's `money` reads it, with its note.
fn money(
    slot: &Slot<'_>,
    unit: &str,
    notes: &mut Vec<CellNote>,
    field: impl Fn() -> String,
) -> Option<Option<Decimal>> {
    if let Some(Field { raw: Raw::Str(s), .. }) = slot
        && parse_decimal(&crate::text::fold_width(s).trim().replace(',', "")).is_err()
        && let cells::Cleaned::Number(d, liberty) = cells::amount(s, unit)
    {
        if let Some(message) = liberty {
            notes.push(CellNote { cell: field(), message });
        }
        return Some(Some(d));
    }
    decimal(slot)
}

/// A printed target or actual, read as the general reader's `cell` reads it.
fn cell(slot: &Slot<'_>, row_line: u32) -> Option<Cell> {
    cell_in(slot, row_line, Buffer::default())
}

/// [`cell`], held in `buffer`'s memory.
fn cell_in(slot: &Slot<'_>, row_line: u32, buffer: Buffer) -> Option<Cell> {
    let Some(f) = slot else {
        return Some(Cell { text: refill(buffer.text, ""), reading: Reading::Empty, line: row_line });
    };
    let line = f.line;
    Some(match &f.raw {
        Raw::Str(s) => Cell { text: refill(buffer.text, s), reading: value::read_in(s, buffer.words), line },
        Raw::Num(n) => Cell {
            text: refill(buffer.text, n),
            reading: Reading::Number {
                op: None,
                quantity: Quantity { value: parse_decimal(n).ok()?, unit: Cow::Borrowed("") },
                notes: Default::default(),
                multiplier: None,
            },
            line,
        },
        Raw::Null => Cell { text: refill(buffer.text, ""), reading: Reading::Empty, line },
        Raw::Table(t) => {
            // As the general reader's `structured`: an op that is not a comparison, or no
            // value, is an error.
            let op = match text(&t.op)? {
                Some(s) if !blank(s) => Some(value::Op::parse(s)?),
                _ => None,
            };
            let v = decimal(&t.value)??;
            let unit = text(&t.unit)?.unwrap_or_default();
            let text = format!("{}{}{}", op.map_or("", value::Op::symbol), v.normalize(), unit);
            Cell { reading: value::read(&text), text, line }
        }
        Raw::Bool(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tree::{self, Node, Value};
    use super::*;

    /// The direct reader's sheet and the general reader's, as text; a direct answer must be the
    /// general one.
    fn agree(text: &str) -> bool {
        let direct = read(text).map(|s| format!("{s:?}"));
        let general =
            super::super::read::load_general(text, super::super::Format::Json).map(|s| format!("{s:?}"));
        match (&direct, &general) {
            (Some(d), Ok(g)) => assert_eq!(d, g, "the direct reader differs on {text}"),
            (Some(_), Err(e)) => {
                panic!("the direct reader reads what the general one rejects ({e:?}): {text}")
            }
            (None, _) => {}
        }
        direct.is_some()
    }

    fn files(dirs: &[&str], exts: &[&str]) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for dir in dirs {
            let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
                        out.push(p);
                    }
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn every_json_fixture_reads_the_same_either_way() {
        let mut direct = 0;
        let found = files(&["tests", "examples", "fuzz"], &["json", "jsonl", "ndjson"]);
        assert!(found.len() >= 10, "the fixtures are found: {found:?}");
        for f in &found {
            let Ok(text) = std::fs::read_to_string(f) else { continue };
            for t in std::iter::once(text.as_str()).chain(text.lines()) {
                direct += usize::from(agree(t));
            }
        }
        // The example sheet, the two eval sheets and the two row sheets at least.
        assert!(direct >= 5, "the direct reader reads {direct} fixture texts");
        let example = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/yunnan-2022-jiaoshi.json"),
        )
        .expect("the example sheet");
        assert!(agree(&example), "the pretty-printed example sheet is read directly");
    }

    /// A document tree written back as JSON, compact or one field a line.
    fn to_json(node: &Node, pretty: bool, out: &mut String) {
        let nl = if pretty { "\n" } else { "" };
        match &node.value {
            Value::Table(entries) => {
                out.push('{');
                for (i, (k, _, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(nl);
                    out.push_str(&json_string(k));
                    out.push(':');
                    to_json(v, pretty, out);
                }
                out.push_str(nl);
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(nl);
                    to_json(v, pretty, out);
                }
                out.push(']');
            }
            Value::Str(s) => out.push_str(&json_string(s)),
            Value::Num(n) => out.push_str(n),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Null | Value::DateTime => out.push_str("null"),
        }
    }

    fn json_string(s: &str) -> String {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn every_toml_sheet_written_as_json_reads_the_same_either_way() {
        let (mut sheets, mut direct) = (0, 0);
        for f in files(&["tests", "examples"], &["toml"]) {
            let Ok(text) = std::fs::read_to_string(&f) else { continue };
            let Ok(node) = tree::from_toml(&text) else { continue };
            if !matches!(&node.value, Value::Table(e) if e.iter().any(|(k, _, _)| k == "project")) {
                continue;
            }
            sheets += 1;
            for pretty in [false, true] {
                let mut json = String::new();
                to_json(&node, pretty, &mut json);
                let d = agree(&json);
                // Every sheet the general reader reads without a problem is read directly (a
                // value it leaves out, such as a budget amount in words, is a problem).
                let general = super::super::read::load_general(&json, super::super::Format::Json);
                let clean = general.is_ok_and(|s| s.origin.is_none_or(|o| o.problems.is_empty()));
                assert!(d || !clean, "read directly: {}", f.display());
                direct += usize::from(d);
            }
        }
        assert!(sheets >= 20, "{sheets} TOML sheets");
        assert!(direct * 2 >= sheets, "{direct} of {} texts read directly", sheets * 2);
    }

    /// A deterministic generator (splitmix64).
    struct Rng(u64);

    impl Rng {
        fn range(&mut self, lo: u64, hi: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            lo + (z ^ (z >> 31)) % (hi - lo + 1)
        }
    }

    /// Lines shaped like a batch of sheets: counts, percentages, costs, durations, qualitative
    /// rows, claimed scores present or not, numbers written as text or as numbers.
    fn generated(n: u64) -> Vec<String> {
        let mut rng = Rng(2026);
        (0..n)
            .map(|i| {
                let rows: Vec<String> = (0..rng.range(3, 12))
                    .map(|k| {
                        let (level2, target, actual) = match rng.range(0, 6) {
                            0 => ("数量指标", format!("\"≥{}人\"", rng.range(50, 500)), format!("\"{}人\"", rng.range(10, 600))),
                            1 => ("质量指标", format!("\"≥{}%\"", rng.range(90, 99)), format!("\"{}%\"", rng.range(80, 100))),
                            2 => ("时效指标", format!("\"≤{}天\"", rng.range(10, 60)), format!("\"{}天\"", rng.range(5, 70))),
                            3 => ("成本指标", format!("\"≤{}万元\"", rng.range(100, 900)), format!("\"{}.5万元\"", rng.range(90, 990))),
                            4 => ("时效指标", "\"2023年12月底前\"".into(), "\"2023年11月\"".into()),
                            5 => ("数量指标", format!("{}", rng.range(1, 9)), "null".into()),
                            _ => ("社会效益指标", "\"明显提升\"".into(), "\"有所 提升\"".into()),
                        };
                        let claimed = match rng.range(0, 2) {
                            0 => String::new(),
                            1 => format!(",\"claimed\":{}.5", rng.range(0, 9)),
                            _ => format!(",\"claimed\":\"{}分\"", rng.range(0, 9)),
                        };
                        let level1 = if k % 4 == 0 { r#""level1":"产出指标","# } else { "" };
                        format!(
                            r#"{{{level1}"level2":"{level2}","name":"任务{k}","target":{target},"actual":{actual},"weight":{}{claimed}}}"#,
                            rng.range(1, 20)
                        )
                    })
                    .collect();
                format!(
                    r#"{{"project":{{"name":"项目{i}","year":"2023年","unit":"万元"}},"budget":{{"annual":{},"executed":"{}万元"}},"indicators":[{}],"total":{{"claimed":{},"grade":"优"}}}}"#,
                    rng.range(100, 999),
                    rng.range(50, 999),
                    rows.join(","),
                    rng.range(60, 100)
                )
            })
            .collect()
    }

    /// Sheets read one after another into the rows of the last give what each gives alone:
    /// longer and shorter tables, a note then none, a row skipped, a sheet the general reader
    /// reads, one that is not a sheet.
    #[test]
    fn a_loader_reads_each_sheet_as_it_reads_alone() {
        let row = |name: &str, extra: &str| {
            format!(
                r#"{{"level1":"产出指标","level2":"数量指标","name":"{name}","target":"≥8场","actual":"7场","weight":5{extra}}}"#
            )
        };
        let sheet =
            |rows: &[String]| format!(r#"{{"project":{{"name":"甲"}},"indicators":[{}]}}"#, rows.join(","));
        let skipped = r#"{"level1":"产出指标","level2":"数量指标","name":"指标2：","target":"","actual":""}"#;
        let mut lines = vec![
            sheet(&[
                row("a", r#","note":"天气原因，推迟两场""#),
                row("b", r#","note":"原因""#),
                row("c", ""),
            ]),
            sheet(&[row("长一些的指标名称，比上一张表的名称长得多", ""), skipped.to_string()]),
            sheet(&[row("d", r#","note":"短""#)]),
            // An error; a sheet only the general reader reads (an escaped key).
            sheet(&[row("e", r#","Note":"x""#)]),
            sheet(&[row("e", "")]).replace(r#""name":"甲""#, r#""n\u0061me":"甲""#),
            "not a sheet".to_string(),
            sheet(&[row("f", ""), row("g", r#","unit":"场""#)]),
            sheet(&[]),
            sheet(&[row("h", "")]),
        ];
        lines.extend(generated(60));
        let mut loader = super::super::Loader::default();
        let mut read = 0;
        for line in &lines {
            let alone = super::super::load(line, Format::Json)
                .map(|s| format!("{s:?}"))
                .map_err(|e| format!("{e:?}"));
            let reused = loader.load(line, Format::Json).map(|s| {
                let text = format!("{s:?}");
                loader.recycle(s);
                read += 1;
                text
            });
            assert_eq!(reused.map_err(|e| format!("{e:?}")), alone, "{line}");
        }
        // All but the two that are no sheets.
        assert_eq!(read, lines.len() - 2);

        // The rows' text is written where the last sheet's was.
        let first = loader.load(&lines[0], Format::Json).expect("a sheet");
        let (name, target) = (first.indicators[0].name.as_ptr(), first.indicators[1].target.text.as_ptr());
        loader.recycle(first);
        let second = loader.load(&sheet(&[row("x", ""), row("y", "")]), Format::Json).expect("a sheet");
        assert_eq!(second.indicators[0].name, "x");
        assert_eq!(second.indicators[0].name.as_ptr(), name);
        assert_eq!(second.indicators[1].target.text.as_ptr(), target);
        loader.recycle(second);

        // And a qualitative cell's words are read into the last one's.
        let words = |s: &Sheet| match &s.indicators[0].actual.reading {
            Reading::Text { text } => (text.clone(), text.as_ptr()),
            other => panic!("words: {other:?}"),
        };
        let qualitative = |actual: &str| sheet(&[row("q", "").replace("7场", actual)]);
        let first = loader.load(&qualitative("明显 提升"), Format::Json).expect("a sheet");
        let (text, at) = words(&first);
        assert_eq!(text, "明显 提升");
        loader.recycle(first);
        let second = loader.load(&qualitative("有所提升"), Format::Json).expect("a sheet");
        assert_eq!(words(&second), ("有所提升".to_string(), at));
    }

    #[test]
    fn generated_lines_are_read_directly_and_the_same() {
        for line in generated(200) {
            assert!(agree(&line), "read directly: {line}");
        }
    }

    #[test]
    fn common_shapes_are_read_directly_with_their_lines() {
        let text = "{\n  \"project\": {\"name\": \"项目\", \"year\": 2023, \"department\": \" 局 \", \"title\": \"\"},\n  \"budget\": {\n    \"initial\": \"1,234.5元\", \"annual\": 0, \"executed\": null, \"rate\": \"95%\",\n    \"rows\": [{\"label\": \"当年拨款\", \"annual\": 80, \"executed\": \"40万元\"}], \"note\": \"无\"\n  },\n  \"goals\": {\"expected\": \"培训\\n500人\", \"achieved\": 520},\n  \"groups\": [{\"level1\": \"产出指标\", \"weight\": \"50\"}],\n  \"indicators\": [\n    {\"level1\": \"年度绩效目标(90分)\", \"level2\": \"产出指标\", \"name\": \"培训人数\",\n     \"direction\": \"≥\", \"target\": 500, \"unit\": \"人\", \"actual\": 520,\n     \"weight\": \"20分\", \"tier\": \"A\"},\n    {\"name\": \"指标2：\", \"target\": \"/\"},\n    {\"level2\": \"质量指标\", \"name\": \"合格率\", \"target\": \"≥95%\", \"actual\": \"97%\", \"not_applicable\": false,\n     \"adjust\": {\"points\": -1, \"reason\": \"抽查不合格\"}, \"weight\": 1e1}\n  ],\n  \"total\": {\"claimed\": \"88.5\", \"grade\": \"/\"}\n}\n";
        assert!(agree(text));
        let sheet = read(text).expect("read directly");
        // Lines: the budget opens on line 3; the rows open on lines 10, 13 (skipped: a
        // placeholder name and nothing else) and 14; the first row's target is on line 11, the
        // third row's weight on line 15.
        assert_eq!(sheet.budget.as_ref().map(|b| b.line), Some(3));
        assert_eq!(sheet.indicators.iter().map(|i| i.line).collect::<Vec<_>>(), vec![10, 14]);
        assert_eq!(sheet.skipped.iter().map(|s| (s.row, s.line)).collect::<Vec<_>>(), vec![(1, 13)]);
        assert_eq!(sheet.indicators[0].target.line, 11);
        assert_eq!(sheet.indicators[1].weight_line, 15);
        assert_eq!(sheet.indicators[1].tier_line, 14);
        // `1,234.5元` and `40万元` are read with a note each; the zero total takes the amounts of
        // the row with an annual budget, with a third.
        let budget = sheet.budget.as_ref().expect("a budget");
        assert_eq!(budget.annual, Some(Decimal::from(80)));
        assert_eq!(budget.read_notes.len(), 3, "{:?}", budget.read_notes);
        assert_eq!(sheet.indicators[0].read_notes().len(), 2, "block heading and `20分`");
    }

    #[test]
    fn anything_unusual_is_left_to_the_general_reader() {
        let ok = r#"{"project":{"name":"项目"},"indicators":[{"level1":"产出指标","name":"a","target":"≥5个","actual":"6个","weight":10}]}"#;
        assert!(agree(ok) && read(ok).is_some());
        for (from, to) in [
            (r#""weight":10"#, r#""weight":10,"weight":10"#),
            (r#""weight":10"#, r#""weigth":10"#),
            (r#""weight":10"#, r#""weight":-10"#),
            (r#""weight":10"#, r#""weight":"abc""#),
            (r#""weight":10"#, r#""weight":true"#),
            (r#""weight":10"#, r#""weight":[10]"#),
            (r#""weight":10"#, r#""weight":10,"not_applicable":null"#),
            (r#""weight":10"#, r#""weight":10,"adjust":{"points":1}"#),
            (r#""weight":10"#, r#""weight":10,"direction":"大约""#),
            (r#""weight":10"#, r#""weight":10,}"#),
            (r#""target":"≥5个""#, r#""target":{"op":"约","value":5,"unit":"个"}"#),
            (r#""target":"≥5个""#, r#""target":{"op":">=","unit":"个"}"#),
            (r#""target":"≥5个""#, r#""target":{"op":">=","value":5,"units":"个"}"#),
            (r#""target":"≥5个""#, r#""target":{}"#),
            (r#""target":"≥5个""#, r#""target":1e99"#),
            (r#""name""#, r#""na\u006de""#),
            (r#""level1":"产出指标","#, ""),
            (r#""name":"项目""#, r#""name":" ""#),
            (r#"{"name":"项目"}"#, r#"{"name":"项目","unit":"美元"}"#),
            (r#"{"name":"项目"}"#, r#"{"name":"项目","year":1900}"#),
            (r#"{"name":"项目"}"#, r#"{"name":"项目","year":null}"#),
            (r#""project":{"name":"项目"},"#, ""),
            (r#""indicators""#, r#""budget":{"executed":-1},"indicators""#),
            (r#"]}"#, r#"]} x"#),
            (r#"]}"#, r#"]"#),
        ] {
            assert!(ok.contains(from), "{from}");
            let t = ok.replacen(from, to, 1);
            assert!(read(&t).is_none(), "left alone: {t}");
            agree(&t);
        }
        for t in ["", "[]", "\u{feff}{\"project\":{\"name\":\"a\"}}", "{\"project\":{\"name\":\"a\u{1}\"}}"] {
            assert!(read(t).is_none(), "{t:?}");
        }
    }
}
