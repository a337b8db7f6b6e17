//! NDJSON: one compact JSON object a line, the same objects `--json` prints in its array. It
//! suits `--follow` (an array could never be closed) and line tools (`jq -c`, `grep`).

use std::io::{self, Write};

use super::json::{write_compact, Batched, Row};

pub struct Ndjson<W: Write> {
    out: Batched<W>,
}

impl<W: Write> Ndjson<W> {
    pub fn new(out: W) -> Self {
        Self {
            out: Batched::new(out),
        }
    }

    /// One row as the server wrote it, `fields` kept as `--json` keeps them.
    pub fn push(&mut self, row: Row, fields: Option<&[&str]>) -> io::Result<()> {
        self.out.push(|buf| {
            write_compact(buf, row, fields);
            buf.push(b'\n');
        })
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_compact_object_a_line_keeping_key_order_with_numbers_as_node_prints_them() {
        let rows = [
            b"{ \"z\": 1.50, \"a\": {\"b\": [1, \"x\\ny\"]} }".as_slice(),
            b"{\"n\":10000000000000000001}",
        ]
        .map(|text| Row::parse(text).unwrap());
        let mut out = Vec::new();
        let mut writer = Ndjson::new(&mut out);
        for row in rows {
            writer.push(row, None).unwrap();
        }
        writer.push(rows[0], Some(&["a"])).unwrap();
        writer.flush().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"z\":1.5,\"a\":{\"b\":[1,\"x\\ny\"]}}\n{\"n\":10000000000000000000}\n{\"a\":{\"b\":[1,\"x\\ny\"]}}\n"
        );
    }
}
