//! Durations as people write them (`250ms`, `1.5s`, `2h`), read exactly into nanoseconds.

/// A duration `<number><unit>` read exactly (no floating point) into nanoseconds. A bare number
/// is whole nanoseconds (`1.5` is an error, not 1 ns) unless `unit_required`.
pub fn duration_ns(raw: &str, unit_required: bool) -> Result<u128, ()> {
    let raw = raw.trim();
    let split = raw
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let scale: u128 = match unit {
        "" if !unit_required => 1,
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60 * 1_000_000_000,
        "h" => 3_600 * 1_000_000_000,
        "d" => 86_400 * 1_000_000_000,
        _ => return Err(()),
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && frac.is_empty()) || (unit.is_empty() && number.contains('.')) {
        return Err(());
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ())?
    };
    // Checked all the way: a huge value is an error, never a wrapped one.
    let mut ns = whole.checked_mul(scale).ok_or(())?;
    let mut place = scale;
    for digit in frac.bytes() {
        place /= 10;
        ns = ns.checked_add(u128::from(digit - b'0') * place).ok_or(())?;
    }
    // Nanosecond strings must fit the server's 64-bit integers.
    if ns > u128::from(u64::MAX) {
        return Err(());
    }
    Ok(ns)
}
