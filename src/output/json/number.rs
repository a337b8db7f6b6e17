//! Numbers as the Node CLI prints them. It parses an answer with `JSON.parse`, so every number
//! becomes a double, and prints it with `JSON.stringify`, which spells a double as JavaScript's
//! `Number.prototype.toString` does: the fewest digits that read back as the same double, plain
//! from 10⁻⁶ up to 10²¹ and with an exponent (`1e+21`, `1.5e-7`) outside that; `-0` is `0` and
//! a number too large for a double (`1e400`) is `null`.

/// Writes the number literal `token` as `JSON.stringify(JSON.parse(token))` writes it.
pub(super) fn write_number(out: &mut Vec<u8>, token: &[u8]) {
    if prints_as_written(token) {
        out.extend_from_slice(token);
        return;
    }
    let value = std::str::from_utf8(token)
        .ok()
        .and_then(|t| t.parse::<f64>().ok());
    match value {
        Some(value) => write_double(out, value),
        // Not a number: a row that was never checked; print it as it stands.
        None => out.extend_from_slice(token),
    }
}

/// Whether a literal is already what JavaScript prints for it, without parsing it: no
/// exponent, no `-0`, no trailing zero after the point, at most 15 significant digits (so no
/// shorter spelling reads back as the same double) and, below 1, at most five zeros after the
/// point. Almost every number a server sends passes; the others go the slow way.
pub(super) fn prints_as_written(token: &[u8]) -> bool {
    let digits = token.strip_prefix(b"-").unwrap_or(token);
    let (whole, fraction) = match digits.iter().position(|&b| b == b'.') {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, &[][..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return false;
    }
    if fraction.last() == Some(&b'0') || (whole == b"0" && fraction.is_empty() && digits != token) {
        return false;
    }
    let significant = if whole == b"0" {
        let zeros = fraction.iter().take_while(|&&b| b == b'0').count();
        if zeros > 5 {
            return false;
        }
        fraction.len() - zeros
    } else {
        whole.len() + fraction.len()
    };
    significant <= 15
}

/// A double as `JSON.stringify` writes it.
fn write_double(out: &mut Vec<u8>, value: f64) {
    if !value.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    if value == 0.0 {
        out.push(b'0');
        return;
    }
    if value < 0.0 {
        out.push(b'-');
    }
    // Rust's shortest round-trip digits, as JavaScript picks them: `d.ddde±x`.
    let shortest = format!("{:e}", value.abs());
    let (mantissa, exponent) = shortest.split_once('e').unwrap_or((&shortest, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let k = digits.len() as i64;
    // The value is 0.d₁d₂…dₖ × 10ⁿ.
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let zeros = |out: &mut Vec<u8>, count: i64| {
        out.extend(std::iter::repeat_n(
            b'0',
            usize::try_from(count).unwrap_or(0),
        ));
    };
    if k <= n && n <= 21 {
        out.extend_from_slice(&digits);
        zeros(out, n - k);
    } else if 0 < n && n <= 21 {
        let (whole, fraction) = digits.split_at(n as usize);
        out.extend_from_slice(whole);
        out.push(b'.');
        out.extend_from_slice(fraction);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        zeros(out, -n);
        out.extend_from_slice(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.extend_from_slice(first);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        out.push(b'e');
        out.push(if n > 0 { b'+' } else { b'-' });
        out.extend_from_slice((n - 1).unsigned_abs().to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn node(token: &str) -> String {
        let mut out = Vec::new();
        write_number(&mut out, token.as_bytes());
        String::from_utf8(out).unwrap()
    }

    /// What `JSON.stringify(JSON.parse(token))` prints in Node (checked with Node 18), for each
    /// token.
    #[test]
    fn numbers_print_as_node_prints_them() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("0e0", "0"),
            ("0.0", "0"),
            ("7", "7"),
            ("-12", "-12"),
            ("1.5", "1.5"),
            ("1.50", "1.5"),
            ("1.0", "1"),
            ("100", "100"),
            ("1E5", "100000"),
            ("1e5", "100000"),
            ("1e+5", "100000"),
            ("-1.5E+3", "-1500"),
            ("123e-2", "1.23"),
            ("1e20", "100000000000000000000"),
            ("1e21", "1e+21"),
            ("1.5e300", "1.5e+300"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("1e400", "null"),
            ("-1e400", "null"),
            ("1e-400", "0"),
            ("5e-324", "5e-324"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("1.5e-7", "1.5e-7"),
            ("0.00001234", "0.00001234"),
            ("0.1", "0.1"),
            ("0.30000000000000004", "0.30000000000000004"),
            ("123456789.123456789", "123456789.12345679"),
            ("9007199254740993", "9007199254740992"),
            ("12345678901234567890", "12345678901234567000"),
            ("100000000000000000001", "100000000000000000000"),
            ("123456789012345678901234", "1.2345678901234569e+23"),
            ("-9223372036854775809", "-9223372036854776000"),
            ("999999999999999", "999999999999999"),
            ("0.1234567890123456789", "0.12345678901234568"),
        ];
        for (token, want) in cases {
            assert_eq!(node(token), want, "{token}");
        }
    }

    proptest! {
        /// Every spelling of one double prints the same, and reads back as that double.
        #[test]
        fn every_spelling_of_a_double_prints_alike(bits in any::<u64>()) {
            let value = f64::from_bits(bits);
            prop_assume!(value.is_finite());
            let spellings = [
                format!("{value}"),
                format!("{value:e}"),
                format!("{value:E}"),
                format!("{value:.3e}").parse::<f64>().map(|v| format!("{v:e}")).unwrap(),
            ];
            let printed = node(&spellings[0]);
            prop_assert_eq!(&node(&spellings[1]), &printed);
            prop_assert_eq!(&node(&spellings[2]), &printed);
            let back: f64 = printed.parse().unwrap();
            prop_assert!(back == value || (back == 0.0 && value == 0.0));
            // And a short literal is its own spelling when JavaScript's rules say so.
            let short = node(&spellings[3]);
            prop_assert_eq!(node(&short), short);
        }
    }
}
