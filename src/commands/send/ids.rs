//! Trace and span IDs from the operating system's random source; never all zero, which W3C
//! and OTLP reserve for "no ID".

use crate::command_error::{CommandError, Result};

pub fn trace_id() -> Result<[u8; 16]> {
    random()
}

pub fn span_id() -> Result<[u8; 8]> {
    random()
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    loop {
        getrandom::fill(&mut bytes)
            .map_err(|e| CommandError::failure(format!("no random source for IDs: {e}")))?;
        if bytes.iter().any(|&b| b != 0) {
            return Ok(bytes);
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hex ID already checked by the flag parser.
pub fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
