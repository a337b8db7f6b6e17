//! CSV (RFC 4180) and TSV: a header line of field names, then one line per row. Values are
//! written as the server sent them (nanosecond strings stay strings, numbers as written);
//! nested values (attribute maps, arrays) go in one cell as compact JSON.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::Value;

use crate::term::sanitize_multiline;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// RFC 4180: fields quoted when they hold a comma, a quote or a line break; CRLF line ends.
    Comma,
    /// Tab-separated: no quoting, so tabs, line breaks and backslashes are escaped as `\t`,
    /// `\n`, `\r` and `\\` (the convention of PostgreSQL's and MySQL's text formats).
    Tab,
}

pub struct Delimited<W: Write> {
    out: W,
    separator: Separator,
    /// `-f` fields: the header, in this order, even when no row arrives.
    fields: Vec<String>,
    /// The header of rows that are not objects (`services`: plain strings).
    scalar_header: String,
    header: Option<Vec<String>>,
    /// Stdout is a terminal: control characters that could drive it become spaces.
    clean: bool,
    line: String,
}

impl<W: Write> Delimited<W> {
    pub fn new(
        out: W,
        separator: Separator,
        fields: Vec<String>,
        scalar_header: String,
        clean: bool,
    ) -> Self {
        Self {
            out,
            separator,
            fields,
            scalar_header,
            header: None,
            clean,
            line: String::new(),
        }
    }

    /// Writes a row; the first one fixes the header (the `-f` fields, else its keys).
    pub fn push(&mut self, row: &Value) -> io::Result<()> {
        if self.header.is_none() {
            let header = if !self.fields.is_empty() {
                self.fields.clone()
            } else if let Value::Object(map) = row {
                map.keys().cloned().collect()
            } else {
                vec![self.scalar_header.clone()]
            };
            self.write_header(header)?;
        }
        self.line.clear();
        match row {
            Value::Object(map) => {
                let header = self.header.as_deref().unwrap_or_default();
                for (i, key) in header.iter().enumerate() {
                    let text = map.get(key).map(super::cell::plain).unwrap_or_default();
                    push_cell(&mut self.line, i, &text, self.separator, self.clean);
                }
            }
            other => push_cell(
                &mut self.line,
                0,
                &super::cell::plain(other),
                self.separator,
                self.clean,
            ),
        }
        self.end_line()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// With `-f`, an empty result still gets its header, so a script sees the columns.
    pub fn finish(mut self) -> io::Result<()> {
        if self.header.is_none() && !self.fields.is_empty() {
            let fields = self.fields.clone();
            self.write_header(fields)?;
        }
        self.out.flush()
    }

    fn write_header(&mut self, header: Vec<String>) -> io::Result<()> {
        self.line.clear();
        for (i, name) in header.iter().enumerate() {
            push_cell(&mut self.line, i, name, self.separator, self.clean);
        }
        self.header = Some(header);
        self.end_line()
    }

    fn end_line(&mut self) -> io::Result<()> {
        self.line.push_str(match self.separator {
            Separator::Comma => "\r\n",
            Separator::Tab => "\n",
        });
        self.out.write_all(self.line.as_bytes())
    }
}

/// A value as the server sent it: strings bare, `null` empty, the rest as compact JSON.
fn push_cell(line: &mut String, index: usize, text: &str, separator: Separator, clean: bool) {
    // On a terminal, server text is made safe as everywhere else; line breaks stay (quoted).
    let text = if clean {
        sanitize_multiline(text)
    } else {
        Cow::Borrowed(text)
    };
    match separator {
        Separator::Comma => {
            if index > 0 {
                line.push(',');
            }
            if text.contains([',', '"', '\r', '\n']) {
                line.push('"');
                line.push_str(&text.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(&text);
            }
        }
        Separator::Tab => {
            if index > 0 {
                line.push('\t');
            }
            for c in text.chars() {
                match c {
                    '\\' => line.push_str("\\\\"),
                    '\t' => line.push_str("\\t"),
                    '\n' => line.push_str("\\n"),
                    '\r' => line.push_str("\\r"),
                    c => line.push(c),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(separator: Separator, fields: &[&str], rows: &str) -> String {
        let rows: Value = serde_json::from_str(rows).unwrap();
        let mut out = Vec::new();
        let fields = fields.iter().map(|f| f.to_string()).collect();
        let mut writer = Delimited::new(&mut out, separator, fields, "Service".into(), false);
        for row in rows.as_array().unwrap() {
            writer.push(row).unwrap();
        }
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let rows = r#"[{"a":"x,y","b":"say \"hi\"","c":"1\n2","d":1.50,"e":{"k":[1,null]},"f":null,"g":true}]"#;
        assert_eq!(
            write(Separator::Comma, &[], rows),
            "a,b,c,d,e,f,g\r\n\"x,y\",\"say \"\"hi\"\"\",\"1\n2\",1.50,\"{\"\"k\"\":[1,null]}\",,true\r\n"
        );
    }

    #[test]
    fn tsv_escapes_tabs_line_breaks_and_backslashes() {
        let rows = r#"[{"a":"x\ty","b":"1\r\n2","c":"C:\\dir"}]"#;
        assert_eq!(
            write(Separator::Tab, &[], rows),
            "a\tb\tc\nx\\ty\t1\\r\\n2\tC:\\\\dir\n"
        );
    }

    #[test]
    fn fields_set_the_header_even_without_rows_and_missing_values_are_empty() {
        assert_eq!(write(Separator::Comma, &["b", "zz"], "[]"), "b,zz\r\n");
        assert_eq!(
            write(Separator::Comma, &["b", "zz"], r#"[{"a":1,"b":2}]"#),
            "b,zz\r\n2,\r\n"
        );
        assert_eq!(write(Separator::Comma, &[], "[]"), "");
    }

    #[test]
    fn plain_string_rows_get_one_named_column() {
        assert_eq!(
            write(Separator::Tab, &[], r#"["checkout-api","payment"]"#),
            "Service\ncheckout-api\npayment\n"
        );
    }
}
