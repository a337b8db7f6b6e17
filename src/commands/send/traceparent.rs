//! W3C Trace Context's `traceparent` header, as the `TRACEPARENT` variable carries it:
//! `VERSION-TRACE_ID-PARENT_ID-FLAGS`, lowercase hex, IDs never all zero.

use std::fmt;

/// The flag that says the trace is sampled (recorded): kopai records every span it makes.
pub const SAMPLED: u8 = 0x01;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceParent {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
    pub flags: u8,
}

impl TraceParent {
    /// Parses as the spec asks a receiver to: version 00 is exactly 55 characters; a later
    /// version may add fields after a `-`, which are not ours to read; `ff` is never valid.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        if !text.is_ascii() {
            return Err("it is not ASCII");
        }
        let version = text.get(..2).ok_or("too short")?;
        let version =
            hex_bytes::<1>(version).ok_or("the version is not two lowercase hex digits")?[0];
        if version == 0xff {
            return Err("version ff is invalid");
        }
        let known = text.get(..55).ok_or("too short (expected 55 characters)")?;
        let rest = &text[55..];
        if version == 0 && !rest.is_empty() {
            return Err("version 00 has exactly 55 characters");
        }
        if !rest.is_empty() && !rest.starts_with('-') {
            return Err("the flags are not followed by `-`");
        }
        let mut fields = known.split('-');
        let (Some(_), Some(trace_id), Some(span_id), Some(flags), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err("expected VERSION-TRACE_ID-PARENT_ID-FLAGS");
        };
        let trace_id =
            hex_bytes::<16>(trace_id).ok_or("the trace ID is not 32 lowercase hex digits")?;
        let span_id =
            hex_bytes::<8>(span_id).ok_or("the parent ID is not 16 lowercase hex digits")?;
        let flags = hex_bytes::<1>(flags).ok_or("the flags are not two lowercase hex digits")?[0];
        if trace_id == [0; 16] {
            return Err("the trace ID is all zeros");
        }
        if span_id == [0; 8] {
            return Err("the parent ID is all zeros");
        }
        Ok(Self {
            trace_id,
            span_id,
            flags,
        })
    }
}

/// Always written as version 00, the one this program knows.
impl fmt::Display for TraceParent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("00-")?;
        write_hex(f, &self.trace_id)?;
        f.write_str("-")?;
        write_hex(f, &self.span_id)?;
        write!(f, "-{:02x}", self.flags)
    }
}

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

/// `2 * N` lowercase hex digits (the spec allows no capitals), as bytes.
fn hex_bytes<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.len() != 2 * N {
        return None;
    }
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(bytes)
}

fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_valid_header_round_trips() {
        let parent = TraceParent::parse(VALID).unwrap();
        assert_eq!(parent.flags, 1);
        assert_eq!(
            parent.span_id,
            [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]
        );
        assert_eq!(parent.to_string(), VALID);
    }

    #[test]
    fn a_later_version_is_read_for_what_version_00_has() {
        let later = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-has";
        let parent = TraceParent::parse(later).unwrap();
        assert_eq!(parent.to_string(), VALID);
    }

    #[test]
    fn malformed_headers_say_what_is_wrong() {
        for (text, why) in [
            ("", "too short"),
            ("00-4bf92f", "too short (expected 55 characters)"),
            (
                &VALID.replacen("00", "0A", 1),
                "the version is not two lowercase hex digits",
            ),
            (
                &VALID.replace("4bf9", "4BF9"),
                "the trace ID is not 32 lowercase hex digits",
            ),
            (
                &format!("{VALID}-x"),
                "version 00 has exactly 55 characters",
            ),
            (&VALID.replacen("00", "ff", 1), "version ff is invalid"),
            (
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "the trace ID is all zeros",
            ),
            (
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "the parent ID is all zeros",
            ),
            (
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
                "the flags are not two lowercase hex digits",
            ),
            (
                "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "expected VERSION-TRACE_ID-PARENT_ID-FLAGS",
            ),
            (
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
                "the flags are not followed by `-`",
            ),
            (
                "0é-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "it is not ASCII",
            ),
        ] {
            assert_eq!(TraceParent::parse(text), Err(why), "{text}");
        }
    }
}
