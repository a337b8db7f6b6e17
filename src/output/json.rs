//! JSON exactly as the Node CLI prints it (`JSON.stringify(value, null, 2)` and a newline),
//! streamed one element at a time so `--all` never holds more than a page.

use std::io::{self, Write};

use serde_json::{Map, Value};

/// Pretty JSON exactly as `JSON.stringify(value, null, 2)` prints it, plus a newline.
pub fn write_json(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes a JSON array one element at a time, in the same layout as [`write_json`].
pub struct JsonArray<W: Write> {
    out: W,
    count: usize,
    buf: Vec<u8>,
}

impl<W: Write> JsonArray<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            count: 0,
            buf: Vec::new(),
        }
    }

    pub fn push(&mut self, item: &Value) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, item)?;
        // Raw newlines only occur between tokens (strings escape theirs), so indenting after
        // each one nests the element one level deeper.
        for (i, line) in self.buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n  ")?;
            }
            self.out.write_all(line)?;
        }
        self.count += 1;
        Ok(())
    }

    /// Sends what was pushed so far, so each page shows up as it arrives.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Keeps only `fields`, in the order given; fields a row lacks are left out.
pub fn select(row: &Value, fields: &[String]) -> Value {
    let Value::Object(map) = row else {
        return row.clone();
    };
    let picked: Map<String, Value> = fields
        .iter()
        .filter_map(|f| map.get(f).map(|v| (f.clone(), v.clone())))
        .collect();
    Value::Object(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_style(v: &Value) -> String {
        let mut out = Vec::new();
        write_json(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_array_matches_whole_array() {
        let rows: Value = serde_json::from_str(
            r#"[{"a":{"b":[1,{"c":"x\ny"}],"e":{}},"d":[]},{"z":1.50},"s",[]]"#,
        )
        .unwrap();
        let mut out = Vec::new();
        let mut array = JsonArray::new(&mut out);
        for row in rows.as_array().unwrap() {
            array.push(row).unwrap();
        }
        array.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), node_style(&rows));

        let mut empty = Vec::new();
        JsonArray::new(&mut empty).finish().unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
