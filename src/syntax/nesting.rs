//! A look at bracket depth before pest reads the text.
//!
//! pest descends one level of recursion for each bracket a rule opens, and jixiao builds pest
//! without a stack probe, so nesting is bounded here instead: brackets are counted in one pass
//! over the bytes, and text that nests deeper than [`MAX_NESTING`] does not reach it.
//!
//! The direct reader tried before pest needs no such look: it gives up on an expression nested
//! more than a few dozen levels as soon as it gets there, and schemes deeper than the tree
//! builder's bound, so its recursion stays shallow whatever the text. A file it reads therefore
//! nests (by the count below, which in such a file counts exactly the grammar's open brackets)
//! far less than [`MAX_NESTING`], and would pass this look: it is made only when that reader
//! declines.
//!
//! Only `(`, `（` and `{` open a level of the grammar (parenthesised expressions, calls, scheme
//! nodes, declaration bodies), but an interval may close a `(` with `]` (`(80%, 100%]`), so every
//! opening bracket counts one up and every closing one one down, never below zero. Brackets
//! inside strings (`"…"` with `\` escapes, `“…”`) and comments (`//` and `///` to the end of the
//! line) are text, not nesting; like the grammar, a string or comment ends at a line break.
//! The scan steps over plain characters a whole character at a time and finds the end of a
//! comment or string with `memchr`, so it costs a small part of what parsing does.
//!
//! The count is never below the depth pest reaches anywhere in the text, even when a broken file
//! is re-read item by item: each item starts on a line of its own, where the count carries over
//! from the lines above and is at least the zero the item starts from alone.

/// Brackets open at once. Real policies nest a few levels (a scheme node in a category in a
/// scheme, a call in a parenthesised condition in a method), and the tree builder refuses
/// expressions deeper than 64 and schemes deeper than 8, so nothing this deep would be accepted
/// anyway; the bound keeps the parser's recursion well inside a thread's stack (128 levels take
/// under half a megabyte in an unoptimised build).
pub(super) const MAX_NESTING: usize = 128;

/// How far to step from a byte that begins a character: 0 for the bytes that may begin a
/// bracket, a quote or a comment (`(`, `)`, `[`, `]`, `{`, `}`, `"`, `/`, and the first bytes of
/// `（`, `）`, `【`, `】`, `“`), otherwise the character's length, so Chinese text is stepped over a
/// character at a time.
const STEP: [u8; 256] = {
    let mut step = [1u8; 256];
    let mut b = 0xC0;
    while b < 256 {
        step[b] = if b < 0xE0 {
            2
        } else if b < 0xF0 {
            3
        } else {
            4
        };
        b += 1;
    }
    let special = [b'(', b')', b'[', b']', b'{', b'}', b'"', b'/', 0xE2, 0xE3, 0xEF];
    let mut i = 0;
    while i < special.len() {
        step[special[i] as usize] = 0;
        i += 1;
    }
    step
};

/// The byte span of the first bracket that opens a level beyond [`MAX_NESTING`], if any.
pub(super) fn too_deep(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let step = STEP[usize::from(b)];
        if step != 0 {
            i += usize::from(step);
            continue;
        }
        let next = (bytes.get(i + 1).copied(), bytes.get(i + 2).copied());
        // A bracket's width, positive if it opens, negative if it closes; or where a string or
        // comment starting here ends.
        let width: isize = match (b, next) {
            (b'(' | b'[' | b'{', _) => 1,
            (b')' | b']' | b'}', _) => -1,
            (0xEF, (Some(0xBC), Some(0x88))) | (0xE3, (Some(0x80), Some(0x90))) => 3, // （ 【
            (0xEF, (Some(0xBC), Some(0x89))) | (0xE3, (Some(0x80), Some(0x91))) => -3, // ） 】
            (b'"', _) => {
                i = straight_string_end(bytes, i + 1);
                continue;
            }
            (0xE2, (Some(0x80), Some(0x9C))) => {
                i = chinese_string_end(bytes, i + 3);
                continue;
            }
            (b'/', (Some(b'/'), _)) => {
                i = memchr::memchr2(b'\n', b'\r', &bytes[i + 2..]).map_or(bytes.len(), |n| i + 2 + n);
                continue;
            }
            _ => {
                // `/` alone, or another character beginning with 0xE2, 0xE3 or 0xEF.
                i += if b == b'/' { 1 } else { 3 };
                continue;
            }
        };
        if width < 0 {
            depth = depth.saturating_sub(1);
            i += width.unsigned_abs();
            continue;
        }
        depth += 1;
        if depth > MAX_NESTING {
            return Some((i, i + width.unsigned_abs()));
        }
        i += width.unsigned_abs();
    }
    None
}

/// Where the text after an opening `"` stops being a string: after its closing `"`, or at the
/// line feed that leaves it unterminated. A `\` takes the byte after it along, unless that is a
/// line feed. (A carriage return ends a string for the grammar too, but only a line feed can
/// begin an item that is parsed alone: the grammar reads nothing after an unterminated string on
/// its line.)
fn straight_string_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        let Some(n) = memchr::memchr3(b'"', b'\\', b'\n', &bytes[i..]) else { return bytes.len() };
        i += n;
        match bytes[i] {
            b'"' => return i + 1,
            b'\\' if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
            b'\\' => i += 1,
            _ => return i,
        }
    }
}

/// Where the text after an opening `“` stops being a string: after its `”`, or at a line feed.
fn chinese_string_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        let Some(n) = memchr::memchr2(0xE2, b'\n', &bytes[i..]) else { return bytes.len() };
        i += n;
        if bytes[i] == b'\n' {
            return i;
        }
        if bytes.get(i + 1..i + 3) == Some(&[0x80, 0x9D]) {
            return i + 3;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, n: usize) -> String {
        format!("{}{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn depth_up_to_the_limit_passes() {
        assert_eq!(too_deep(&nested("(", ")", MAX_NESTING)), None);
        assert_eq!(too_deep(&nested("（", "）", MAX_NESTING)), None);
        // Closed brackets do not add up, whatever their kind: an interval `(a, b]` closes its `(`.
        assert_eq!(too_deep(&"(80%, 100%] [1, 2) 【3, 4】 { } ".repeat(1000)), None);
    }

    #[test]
    fn the_first_bracket_beyond_the_limit_is_named() {
        assert_eq!(too_deep(&nested("(", ")", MAX_NESTING + 1)), Some((MAX_NESTING, MAX_NESTING + 1)));
        assert_eq!(too_deep(&nested("{", "}", 100_000)), Some((MAX_NESTING, MAX_NESTING + 1)));
        let wide = nested("（", "）", MAX_NESTING + 1);
        assert_eq!(too_deep(&wide), Some((3 * MAX_NESTING, 3 * MAX_NESTING + 3)));
        // 128 = 3 × 42 + 2 levels fill 42 groups of `(【{` (5 bytes each) and the next `(【`; the
        // `{` after them is one too many.
        assert_eq!(MAX_NESTING, 128);
        let mixed = format!("x {}", "(【{".repeat(100));
        assert_eq!(too_deep(&mixed), Some((2 + 5 * 42 + 4, 2 + 5 * 42 + 5)));
        // Stray closing brackets before do not buy depth.
        let late = format!("{}{}", ")".repeat(1000), "(".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&late), Some((1000 + MAX_NESTING, 1001 + MAX_NESTING)));
    }

    #[test]
    fn brackets_in_strings_and_comments_are_text() {
        let deep = "(".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&format!("\"{deep}\"")), None);
        assert_eq!(too_deep(&format!("\"\\\"{deep}\"")), None, "an escaped quote does not end it");
        assert_eq!(too_deep(&format!("“{deep}”")), None);
        assert_eq!(too_deep(&format!("// {deep}\n")), None);
        assert_eq!(too_deep(&format!("/// {deep}\n")), None);
    }

    #[test]
    fn strings_and_comments_end_at_a_line_break() {
        let deep = "(".repeat(MAX_NESTING + 1);
        let at = |prefix: &str| Some((prefix.len() + MAX_NESTING, prefix.len() + MAX_NESTING + 1));
        for prefix in
            ["\"open\n", "\"open\\\n", "“open\r\n", "// comment\n", "/// doc\r", "\"a\" \"b\\\\\"\n"]
        {
            assert_eq!(too_deep(&format!("{prefix}{deep}")), at(prefix), "{prefix:?}");
        }
    }
}
