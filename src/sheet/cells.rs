//! Reading single workbook cells the way a person reads a printed table: `10分` is 10 points,
//! `20%` of a 100-point table is 20 points, `259.45万元` is 259.45 in a 万元 table, `產出` is
//! 产出. Every liberty comes back as a message so the score sheet can list it.

use rust_decimal::Decimal;

use crate::diagnostic::Message;
use crate::text::{fold_width, to_simplified};
use crate::value::{LIMIT, is_empty_note};

/// A number cell as read.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Cleaned {
    /// Nothing written (or a placeholder such as `/`, `—`, `无`).
    Empty,
    /// A number, with the liberty taken to read it, if any.
    Number(Decimal, Option<Message>),
    /// Not a number.
    Unreadable,
}

/// The key a label is matched by: simplified, full-width folded, without white space or a
/// trailing colon.
pub fn key(text: &str) -> String {
    let folded: String = to_simplified(&fold_width(text)).chars().filter(|c| !c.is_whitespace()).collect();
    folded.trim_end_matches([':', '：']).to_string()
}

/// A text cell as the sheet should hold it: lines broken inside a merged cell joined (without
/// a space between Chinese characters), surrounding space trimmed, traditional characters
/// simplified. Returns the text and whether simplifying changed it.
pub fn text(raw: &str) -> (String, bool) {
    let mut out = String::new();
    for line in raw.split(['\n', '\r']).map(|l| l.trim_matches(|c: char| c.is_whitespace())) {
        if line.is_empty() {
            continue;
        }
        let joins_tight = out.chars().last().is_none_or(|c| !c.is_ascii())
            || line.chars().next().is_some_and(|c| !c.is_ascii());
        if !out.is_empty() && !joins_tight {
            out.push(' ');
        }
        out.push_str(line);
    }
    let simple = to_simplified(&out);
    let changed = simple != out;
    (simple, changed)
}

/// A plain number, exactly; negative numbers are not points or amounts a table can print.
fn exact(s: &str) -> Option<Decimal> {
    let d = Decimal::from_str_exact(s).ok()?;
    (d.abs() < LIMIT && d >= Decimal::ZERO).then_some(d)
}

fn compact(raw: &str) -> String {
    to_simplified(&fold_width(raw)).chars().filter(|c| !c.is_whitespace() && *c != ',').collect()
}

/// A weight or score cell: `10`, `10分`, `(50分)`, `20%` (a share of a table out of `total`).
pub fn points(raw: &str, total: Decimal) -> Cleaned {
    let s = compact(raw);
    if s.is_empty() || is_empty_note(&s) {
        return Cleaned::Empty;
    }
    if let Some(d) = exact(&s) {
        return Cleaned::Number(d, None);
    }
    let inner = s.trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
    if let Some(d) = inner.strip_suffix('分').and_then(exact) {
        return Cleaned::Number(
            d,
            Some(Message::new(
                format!("`{}` read as {} points", raw.trim(), d.normalize()),
                format!("`{}` 按 {} 分读取", raw.trim(), d.normalize()),
            )),
        );
    }
    if let Some(p) = inner.strip_suffix('%').and_then(exact)
        && let Some(d) = p.checked_mul(total).and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
    {
        return Cleaned::Number(
            d,
            Some(Message::new(
                format!(
                    "`{}` read as a share of the table's {} points: {}",
                    raw.trim(),
                    total.normalize(),
                    d.normalize()
                ),
                format!("`{}` 按总分 {} 的占比读取：{} 分", raw.trim(), total.normalize(), d.normalize()),
            )),
        );
    }
    Cleaned::Unreadable
}

/// How many 元 a money unit is.
pub fn money_factor(unit: &str) -> Option<Decimal> {
    Some(match unit {
        "元" => Decimal::ONE,
        "千元" => Decimal::from(1_000),
        "万元" | "万" => Decimal::from(10_000),
        "亿元" | "亿" => Decimal::from(100_000_000),
        _ => return None,
    })
}

/// A year as a sheet writes it: `2023`, `2023年`, `2023年度`, `２０２３年度`, `2023 年度`, or in
/// Chinese digits as formal documents print it, `二〇二三年度`.
pub fn year(text: &str) -> Option<u32> {
    // Four ASCII digits, as most sheets write it, need no folding.
    if let &[a, b, c, d] = text.as_bytes()
        && [a, b, c, d].iter().all(u8::is_ascii_digit)
    {
        let year = [a, b, c, d].iter().fold(0, |y, &x| y * 10 + u32::from(x - b'0'));
        return (1990..=2200).contains(&year).then_some(year);
    }
    let digits: String =
        crate::text::fold_width(text).chars().filter(|c| !c.is_whitespace()).map(chinese_digit).collect();
    let year = digits.trim_end_matches(['年', '度']).parse::<u32>().ok()?;
    (1990..=2200).contains(&year).then_some(year)
}

/// A Chinese digit as its ASCII digit (`〇`, and `○` which is often typed for it, are 0); any
/// other character as it is.
pub(crate) fn chinese_digit(c: char) -> char {
    match c {
        '〇' | '○' | '零' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        c => c,
    }
}

/// An unreadable cell as findings name it: the cell and its text, with the digits it may have
/// been before text recognition turned them into letters (`IO` for `10`) — a hint, never read.
pub fn unreadable(cell: &str, raw: &str) -> String {
    format!("{cell} {}", unreadable_text(raw))
}

/// The problem a money cell that is no amount at all is listed as: the cell is left out.
pub fn unreadable_amount(cell: String, raw: &str) -> super::CellNote {
    let text = unreadable_text(raw);
    super::CellNote {
        cell,
        message: Message::new(
            format!("{text} is not an amount of money; the cell is left out"),
            format!("{text} 不是金额，该单元格未读取"),
        ),
    }
}

/// [`unreadable`] without the cell: the text, with the digits it may have been.
pub fn unreadable_text(raw: &str) -> String {
    let raw = raw.trim();
    let letters = |c: char| matches!(c, 'I' | 'l' | 'O' | 'o');
    let digits: String = raw
        .chars()
        .map(|c| match c {
            'I' | 'l' => '1',
            'O' | 'o' => '0',
            c => c,
        })
        .collect();
    if raw.chars().any(letters) && exact(&digits).is_some() {
        format!("`{raw}` (`{digits}` misread?)")
    } else {
        format!("`{raw}`")
    }
}

/// A money cell of a table kept in `unit`: `83.5`, `259.45万元`, `2.38  万元`, `1,234元`.
pub fn amount(raw: &str, unit: &str) -> Cleaned {
    let s = compact(raw);
    if s.is_empty() || is_empty_note(&s) {
        return Cleaned::Empty;
    }
    if let Some(d) = exact(&s) {
        let spaced = raw.trim() != s;
        let liberty = spaced.then(|| {
            Message::new(
                format!("`{}` read as {}", raw.trim(), d.normalize()),
                format!("`{}` 按 {} 读取", raw.trim(), d.normalize()),
            )
        });
        return Cleaned::Number(d, liberty);
    }
    let split = s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))).unwrap_or(s.len());
    let (number, written_unit) = s.split_at(split);
    let (Some(value), Some(from)) = (exact(number), money_factor(written_unit)) else {
        return Cleaned::Unreadable;
    };
    let to = money_factor(unit).unwrap_or(Decimal::from(10_000));
    let Some(converted) = value.checked_mul(from).and_then(|x| x.checked_div(to)) else {
        return Cleaned::Unreadable;
    };
    let shown = converted.normalize();
    Cleaned::Number(
        converted,
        Some(Message::new(
            format!("`{}` read as {shown} (the table is in {unit})", raw.trim()),
            format!("`{}` 按 {shown} 读取（本表金额单位为{unit}）", raw.trim()),
        )),
    )
}

/// What a 指标性质 (or system operator-code) cell says, as the sheet's `direction` field:
/// `≥`, `≤`, `=` or `定性`.
pub fn direction(raw: &str) -> Option<&'static str> {
    let k = key(raw);
    Some(match k.as_str() {
        "≥" | ">=" | "≧" | "=>" | ">" | "正向" | "正向指标" | "大于等于" | "大于" | "1" | "2" => {
            "≥"
        }
        "≤" | "<=" | "≦" | "=<" | "<" | "反向" | "反向指标" | "小于等于" | "小于" | "4" | "5" => {
            "≤"
        }
        "=" | "等于" | "═" | "3" => "=",
        "定性" | "定性指标" | "6" => "定性",
        _ => return None,
    })
}

/// A block label written where a level-1 category belongs: `年度绩效目标(90分)`, `绩效指标（90分）`
/// — the heading over all the indicator rows (its points are theirs together), never a category
/// of any scheme.
pub fn is_block_label(level1: &str) -> bool {
    // Every block label has 绩, which only 績 simplifies to (E7 BB A9 and E7 B8 BE).
    let b = level1.as_bytes();
    let has_ji = (0..b.len())
        .any(|i| b[i] == 0xE7 && matches!(b.get(i + 1..i + 3), Some([0xBB, 0xA9] | [0xB8, 0xBE])));
    if !has_ji {
        return false;
    }
    let key = crate::text::normalize_label(&to_simplified(level1));
    matches!(
        key.as_str(),
        "年度绩效目标"
            | "年度绩效指标"
            | "绩效指标"
            | "绩效目标"
            | "绩效评价指标"
            | "年度绩效目标完成情况"
            | "绩效目标完成情况"
    )
}

/// A level-2 cell that holds a level-1 category (`产出指标`, `满意度`, `项目效益`): a table whose
/// 一级指标 column holds a block label moves its categories one column to the right.
pub fn is_level1_label(level2: &str) -> bool {
    let key = crate::text::normalize_label(&to_simplified(level2));
    let key = key.strip_suffix('等').unwrap_or(&key);
    let key = key.strip_prefix("项目").unwrap_or(key);
    let key = key.strip_suffix("指标").unwrap_or(key);
    matches!(
        key,
        "产出"
            | "效益"
            | "满意度"
            | "服务对象满意度"
            | "决策"
            | "管理"
            | "过程"
            | "投入"
            | "绩效"
            | "效果"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_as_sheets_write_them() {
        for (text, expected) in [
            ("2023", Some(2023)),
            ("2023年", Some(2023)),
            ("2023年度", Some(2023)),
            (" 2023 年度 ", Some(2023)),
            ("２０２３年度", Some(2023)),
            ("二〇二三年度", Some(2023)),
            ("二○二二年", Some(2022)),
            ("二零二一", Some(2021)),
            ("FY2023", None),
            ("2023.0", None),
            ("1900", None),
            ("1990", Some(1990)),
            ("2200", Some(2200)),
            ("2201", None),
            ("0202", None),
            ("20２3", Some(2023)),
            ("二〇二三年三月", None),
            ("", None),
        ] {
            assert_eq!(super::year(text), expected, "{text:?}");
        }
    }

    fn num(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn block_headings_are_not_categories() {
        for label in [
            "年度绩效目标(90分)",
            "绩效指标（90分）",
            "年度绩效指标",
            "绩效\n指标",
            "年度绩效目標（80分）",
            "年度績效目標",
        ] {
            assert!(is_block_label(label), "{label}");
        }
        // The pre-2020 layout's 项目绩效 is a real category.
        for label in ["项目绩效", "项目绩效(70分)", "产出指标(50分)", "(50分)"] {
            assert!(!is_block_label(label), "{label}");
        }
        assert!(
            is_level1_label("产出指标") && is_level1_label("项目效益") && is_level1_label("满意度指标等")
        );
        assert!(!is_level1_label("数量指标") && !is_level1_label("经济效益指标"));
    }

    #[test]
    fn points_as_printed() {
        let hundred = Decimal::ONE_HUNDRED;
        assert_eq!(points("10", hundred), Cleaned::Number(num("10"), None));
        assert!(matches!(points("10分", hundred), Cleaned::Number(d, Some(_)) if d == num("10")));
        assert!(matches!(points("（50分）", hundred), Cleaned::Number(d, Some(_)) if d == num("50")));
        assert!(matches!(points("20%", hundred), Cleaned::Number(d, Some(_)) if d == num("20")));
        assert_eq!(points(" / ", hundred), Cleaned::Empty);
        assert_eq!(points("十分", hundred), Cleaned::Unreadable);
        assert_eq!(unreadable("A1", "IO"), "A1 `IO` (`10` misread?)");
        assert_eq!(unreadable("A1", "十分"), "A1 `十分`");
        assert_eq!(unreadable("A1", "Of"), "A1 `Of`");
        assert_eq!(points("-5", hundred), Cleaned::Unreadable);
    }

    #[test]
    fn amounts_with_units_and_spaces() {
        assert!(matches!(amount("259.45万元", "万元"), Cleaned::Number(d, Some(_)) if d == num("259.45")));
        assert!(matches!(amount("2.38  万元", "万元"), Cleaned::Number(d, Some(_)) if d == num("2.38")));
        assert!(matches!(amount("259.45萬元", "万元"), Cleaned::Number(d, Some(_)) if d == num("259.45")));
        assert!(matches!(amount("12,000元", "万元"), Cleaned::Number(d, Some(_)) if d == num("1.2")));
        assert_eq!(amount("83.5", "万元"), Cleaned::Number(num("83.5"), None));
        assert_eq!(amount("八十万", "万元"), Cleaned::Unreadable);
    }

    #[test]
    fn broken_labels_join() {
        assert_eq!(text("经济效\n益指标"), ("经济效益指标".to_string(), false));
        assert_eq!(text("產出\n指標"), ("产出指标".to_string(), true));
        assert_eq!(text("Total\nscore"), ("Total score".to_string(), false));
    }

    #[test]
    fn directions() {
        assert_eq!(direction("正向指标"), Some("≥"));
        assert_eq!(direction("4"), Some("≤"));
        assert_eq!(direction("3"), Some("="));
        assert_eq!(direction("6"), Some("定性"));
        assert_eq!(direction("up"), None);
    }
}
