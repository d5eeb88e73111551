//! jixiao's own JSON writer: a `serde::Serializer` that writes compact or indented JSON into a
//! `String`, with exact decimals written as JSON numbers.
//!
//! A `Decimal` is written as a number only when it goes through [`exact`] (as
//! `#[serde(serialize_with = "crate::report::json::exact")]`): it is formatted straight into
//! the output, with no `String` in between. Any other serializer sees such a field as a string
//! holding the exact decimal, so a value never passes through a float, whatever features the
//! `rust_decimal` crate is built with.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
use serde::ser::{self, Serialize, SerializeSeq as _, SerializeTuple as _};

/// The newtype name [`exact`] serializes a decimal under; this writer writes its contents bare.
const NUMBER: &str = "$jixiao::json::Number";

/// Serialize a decimal, or an option, pair or list holding decimals, with every decimal an
/// exact JSON number in jixiao's writer (a string holding it in any other serializer).
pub(crate) fn exact<T: Exact + ?Sized, S: ser::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.exact(serializer)
}

/// A value whose decimals serialize exactly (see [`exact`]).
pub(crate) trait Exact {
    /// Serialize it.
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Serializes the value it borrows through [`Exact`].
struct ExactRef<'a, T: ?Sized>(&'a T);

impl<T: Exact + ?Sized> Serialize for ExactRef<'_, T> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.exact(serializer)
    }
}

/// A decimal's text, formatted where it is written.
struct Digits<'a>(&'a Decimal);

impl Serialize for Digits<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

impl Exact for Decimal {
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(NUMBER, &Digits(self))
    }
}

impl Exact for bool {
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*self)
    }
}

impl Exact for String {
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<T: Exact> Exact for Option<T> {
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&ExactRef(v)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Exact> Exact for Vec<T> {
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for v in self {
            seq.serialize_element(&ExactRef(v))?;
        }
        seq.end()
    }
}

impl<A: Exact, B: Exact> Exact for (A, B) {
    fn exact<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut t = serializer.serialize_tuple(2)?;
        t.serialize_element(&ExactRef(&self.0))?;
        t.serialize_element(&ExactRef(&self.1))?;
        t.end()
    }
}

/// The JSON text of `value`, on one line.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::new();
    write(&mut out, value)?;
    Ok(out)
}

/// The JSON text of `value`, indented by two spaces, as `serde_json` indents.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::new();
    write_pretty(&mut out, value)?;
    Ok(out)
}

/// Append the JSON text of `value`, on one line, to `out`. On an error `out` may hold part of it.
pub fn write<T: Serialize + ?Sized>(out: &mut String, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out, pretty: false, indent: 0, bare: false })
}

/// Append the JSON text of `value`, indented by two spaces, to `out`.
pub fn write_pretty<T: Serialize + ?Sized>(out: &mut String, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out, pretty: true, indent: 0, bare: false })
}

/// Why a value could not be written as JSON: a map key that is not a string or number, or an
/// error raised by the value's own `Serialize`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Append `s` as a JSON string: quotes, `\"`, `\\`, the short escapes and `\u00XX` for other
/// control characters; everything else as it is.
pub(crate) fn push_str(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

/// Append `d` as its `Display` writes it (`4.38`, `0.05`, `-1`, `15.00`): the digits of a mantissa
/// that fits 64 bits written straight into `out`, any other through `Display`.
pub(crate) fn push_decimal(out: &mut String, d: Decimal) {
    let Ok(mut v) = u64::try_from(d.mantissa().unsigned_abs()) else {
        let _ = write!(out, "{d}");
        return;
    };
    let scale = d.scale() as usize;
    // Digits from the last: at least `scale` of them, the point before the last `scale`, and a
    // `0` before the point when nothing else is; at most 28 + 3 bytes.
    let mut buf = [b'0'; 32];
    let mut at = buf.len();
    let mut n = 0;
    while v > 0 || n < scale {
        if n == scale && n > 0 {
            at -= 1;
            buf[at] = b'.';
        }
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    if n == scale {
        if n > 0 {
            at -= 1;
            buf[at] = b'.';
        }
        // (`buf` is `0` where nothing was written.)
        at -= 1;
    }
    if d.is_sign_negative() {
        out.push('-');
    }
    out.reserve(buf.len() - at);
    for &b in &buf[at..] {
        out.push(char::from(b));
    }
}

/// Append the inside of `s` as a JSON string (see [`push_str`]).
fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Writes `Display` output as the inside of a JSON string.
struct Escaping<'a>(&'a mut String);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        push_escaped(self.0, s);
        Ok(())
    }
}

struct Writer<'o> {
    out: &'o mut String,
    pretty: bool,
    indent: usize,
    /// The next string is a number's digits ([`exact`]): write it without quotes.
    bare: bool,
}

impl<'o> Writer<'o> {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    fn open<'w>(&'w mut self, bracket: char) -> Compound<'w, 'o> {
        self.out.push(bracket);
        self.indent += 1;
        Compound { w: self, first: true }
    }

    fn int(&mut self, v: impl fmt::Display) -> Result<(), Error> {
        let _ = write!(self.out, "{v}");
        Ok(())
    }
}

struct Compound<'w, 'o> {
    w: &'w mut Writer<'o>,
    first: bool,
}

impl Compound<'_, '_> {
    fn item(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        if self.w.pretty {
            self.w.newline();
        }
        self.first = false;
    }

    fn close(self, bracket: char) -> Result<(), Error> {
        self.w.indent -= 1;
        if self.w.pretty && !self.first {
            self.w.newline();
        }
        self.w.out.push(bracket);
        Ok(())
    }

    fn key(&mut self, key: &str) {
        self.item();
        push_str(self.w.out, key);
        self.w.out.push_str(if self.w.pretty { ": " } else { ":" });
    }
}

/// `{"variant": …}` around a variant's contents: the outer object of an externally tagged enum.
struct Variant<'w, 'o> {
    inner: Compound<'w, 'o>,
}

impl<'w, 'o> Variant<'w, 'o> {
    /// Open `{"name": ` and then the contents' own bracket.
    fn open(w: &'w mut Writer<'o>, name: &str, bracket: char) -> Self {
        w.out.push('{');
        w.indent += 1;
        if w.pretty {
            w.newline();
        }
        push_str(w.out, name);
        w.out.push_str(if w.pretty { ": " } else { ":" });
        Variant { inner: w.open(bracket) }
    }

    fn close(self, bracket: char) -> Result<(), Error> {
        let w = self.inner.w;
        let first = self.inner.first;
        Compound { w, first }.close(bracket)?;
        // The outer object always holds one key.
        Compound { w, first: false }.close('}')
    }
}

impl<'w, 'o> ser::Serializer for &'w mut Writer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'o>;
    type SerializeTuple = Compound<'w, 'o>;
    type SerializeTupleStruct = Compound<'w, 'o>;
    type SerializeTupleVariant = Variant<'w, 'o>;
    type SerializeMap = Compound<'w, 'o>;
    type SerializeStruct = Compound<'w, 'o>;
    type SerializeStructVariant = Variant<'w, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if v.is_finite() {
            let _ = write!(self.out, "{v:?}");
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buf))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        if std::mem::take(&mut self.bare) {
            self.out.push_str(v);
        } else {
            push_str(self.out, v);
        }
        Ok(())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        if std::mem::take(&mut self.bare) {
            let _ = write!(self.out, "{value}");
        } else {
            self.out.push('"');
            let _ = write!(Escaping(self.out), "{value}");
            self.out.push('"');
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if name == NUMBER {
            self.bare = true;
            let done = value.serialize(&mut *self);
            self.bare = false;
            done
        } else {
            value.serialize(self)
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut c = self.open('{');
        c.key(variant);
        value.serialize(&mut *c.w)?;
        c.close('}')
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<'w, 'o>, Error> {
        Ok(Variant::open(self, variant, '['))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open('{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open('{'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<'w, 'o>, Error> {
        Ok(Variant::open(self, variant, '{'))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeTupleVariant for Variant<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(']')
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.item();
        key.serialize(KeyWriter(self.w.out))?;
        self.w.out.push_str(if self.w.pretty { ": " } else { ":" });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}')
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}')
    }
}

impl ser::SerializeStructVariant for Variant<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}')
    }
}

/// Writes a map key: a string as it is, a number, `bool` or `char` quoted as a string.
struct KeyWriter<'o>(&'o mut String);

fn not_a_key() -> Error {
    Error("a JSON object key must be a string or a number".into())
}

impl<'o> ser::Serializer for KeyWriter<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.serialize_str(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.collect_str(&v)
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buf))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        push_str(self.0, v);
        Ok(())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.0.push('"');
        let _ = write!(Escaping(self.0), "{value}");
        self.0.push('"');
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_key())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `push_decimal`'s text and `Display`'s, for one decimal.
    fn same_text(d: Decimal) {
        let mut out = String::from("x");
        push_decimal(&mut out, d);
        assert_eq!(out, format!("x{d}"), "{d:?}");
    }

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        for (m, scale) in
            [(0i64, 0u32), (0, 2), (5, 2), (438, 2), (150, 2), (15, 0), (1, 28), (123, 1), (-7, 3)]
        {
            same_text(Decimal::new(m, scale));
        }
        for d in [Decimal::MAX, Decimal::MIN, Decimal::from(u64::MAX), -Decimal::ZERO, -Decimal::new(0, 3)] {
            same_text(d);
        }
        same_text(Decimal::from_parts(1, 1, 0, true, 0));
    }

    proptest::proptest! {
        #[test]
        fn any_decimal_is_written_as_display_writes_it(
            lo: u32, mid: u32, hi in proptest::prop_oneof![proptest::strategy::Just(0u32), proptest::prelude::any::<u32>()],
            negative: bool, scale in 0u32..=28,
        ) {
            same_text(Decimal::from_parts(lo, mid, hi, negative, scale));
        }
    }

    #[derive(serde::Serialize)]
    struct Row {
        name: &'static str,
        #[serde(serialize_with = "exact")]
        score: Decimal,
        #[serde(serialize_with = "exact")]
        claimed: Option<Decimal>,
        #[serde(serialize_with = "exact")]
        range: Option<(Decimal, Decimal)>,
        tags: Vec<&'static str>,
        nothing: Vec<u8>,
    }

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    fn row() -> Row {
        Row {
            name: "a\"b\\c\n\u{1}é",
            score: d("88.80"),
            claimed: None,
            range: Some((d("-0.005"), d("100"))),
            tags: vec!["x", "y"],
            nothing: vec![],
        }
    }

    #[test]
    fn decimals_are_written_as_exact_numbers_keeping_their_places() {
        // 88.80 keeps its trailing zero; −0.005 its sign and places; strings are escaped the
        // way serde_json escapes them (\u0001 in lowercase hex, é as it is).
        assert_eq!(
            to_string(&row()).as_deref(),
            Ok(
                r#"{"name":"a\"b\\c\n\u0001é","score":88.80,"claimed":null,"range":[-0.005,100],"tags":["x","y"],"nothing":[]}"#
            )
        );
    }

    #[test]
    fn indented_output_matches_serde_json_layout() {
        let want = "{\n  \"name\": \"a\\\"b\\\\c\\n\\u0001é\",\n  \"score\": 88.80,\n  \"claimed\": null,\n  \
                    \"range\": [\n    -0.005,\n    100\n  ],\n  \"tags\": [\n    \"x\",\n    \"y\"\n  ],\n  \
                    \"nothing\": []\n}";
        assert_eq!(to_string_pretty(&row()).as_deref(), Ok(want));
    }

    #[test]
    fn another_serializer_sees_exact_strings() {
        // serde_json (built for the tests with arbitrary precision) still gets the digits as a
        // string: no float in between, whatever features rust_decimal has.
        let text = serde_json::to_string(&row()).expect("serializable");
        assert!(text.contains(r#""score":"88.80""#), "{text}");
        assert!(text.contains(r#""range":["-0.005","100"]"#), "{text}");
    }

    #[test]
    fn enums_are_written_as_serde_derives_describe_them() {
        #[derive(serde::Serialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        enum Tagged {
            Sum {
                #[serde(serialize_with = "exact")]
                printed: Decimal,
            },
        }
        #[derive(serde::Serialize)]
        enum External {
            Pair(u8, u8),
            Named { a: bool },
            One(i32),
        }
        assert_eq!(
            to_string(&Tagged::Sum { printed: d("1.50") }).as_deref(),
            Ok(r#"{"kind":"sum","printed":1.50}"#)
        );
        let list = [External::Pair(1, 2), External::Named { a: true }, External::One(-3)];
        assert_eq!(to_string(&list).as_deref(), Ok(r#"[{"Pair":[1,2]},{"Named":{"a":true}},{"One":-3}]"#));
        assert_eq!(
            to_string_pretty(&External::Named { a: false }).as_deref(),
            Ok("{\n  \"Named\": {\n    \"a\": false\n  }\n}")
        );
    }

    #[test]
    fn a_map_key_must_be_a_string_or_a_number() {
        let mut ok = std::collections::BTreeMap::new();
        ok.insert(3u32, "three");
        assert_eq!(to_string(&ok).as_deref(), Ok(r#"{"3":"three"}"#));
        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1u8], 1u8);
        assert!(to_string(&bad).is_err());
    }
}
