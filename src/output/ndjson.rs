//! NDJSON: one compact JSON object a line, the same objects `--json` prints in its array. It
//! suits `--follow` (an array could never be closed) and line tools (`jq -c`, `grep`).

use std::io::{self, Write};

use serde_json::Value;

pub struct Ndjson<W: Write> {
    out: W,
}

impl<W: Write> Ndjson<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    pub fn push(&mut self, row: &Value) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, row)?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_compact_object_a_line_keeping_numbers_and_key_order() {
        let rows: Value =
            serde_json::from_str(r#"[{"z":1.50,"a":{"b":[1,"x\ny"]}},{"n":10000000000000000001}]"#)
                .unwrap();
        let mut out = Vec::new();
        let mut writer = Ndjson::new(&mut out);
        for row in rows.as_array().unwrap() {
            writer.push(row).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"z\":1.50,\"a\":{\"b\":[1,\"x\\ny\"]}}\n{\"n\":10000000000000000001}\n"
        );
    }
}
