//! CSV (RFC 4180) and TSV: a header line of field names, then one line per row. Values are
//! written as the server sent them (nanosecond strings stay strings, numbers as written);
//! nested values (attribute maps, arrays) go in one cell as compact JSON. A text cell that a
//! spreadsheet would run as a formula gets a leading `'` (unless raw cells were asked for), and
//! no cell ever holds a raw NUL.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::value::RawValue;

use super::json::{is_string, RowFields};

use crate::term::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// RFC 4180: fields quoted when they hold a comma, a quote or a line break; CRLF line ends.
    Comma,
    /// Tab-separated: no quoting, so tabs, line breaks, backslashes and NUL are escaped as
    /// `\t`, `\n`, `\r`, `\\` and `\0` (the convention of MySQL's text format).
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
    cells: CellRules,
    line: String,
}

impl<W: Write> Delimited<W> {
    pub fn new(
        out: W,
        separator: Separator,
        fields: Vec<String>,
        scalar_header: String,
        cells: CellRules,
    ) -> Self {
        Self {
            out,
            separator,
            fields,
            scalar_header,
            header: None,
            cells,
            line: String::new(),
        }
    }

    /// Writes a row; the first one fixes the header (the `-f` fields, else its keys).
    pub fn push(&mut self, row: &RowFields) -> io::Result<()> {
        if self.header.is_none() {
            let header = if !self.fields.is_empty() {
                self.fields.clone()
            } else if let Some(keys) = row.keys() {
                keys.map(str::to_owned).collect()
            } else {
                vec![self.scalar_header.clone()]
            };
            self.write_header(header)?;
        }
        self.line.clear();
        if row.keys().is_some() {
            let header = self.header.as_deref().unwrap_or_default();
            for (i, key) in header.iter().enumerate() {
                match row.get(key) {
                    Some(value) => push_value(&mut self.line, i, value, self.separator, self.cells),
                    None => push_cell(&mut self.line, i, "", false, self.separator, self.cells),
                }
            }
        } else {
            push_value(&mut self.line, 0, row.whole(), self.separator, self.cells);
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
            push_cell(&mut self.line, i, name, true, self.separator, self.cells);
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

/// How cells are written besides the format's own quoting.
#[derive(Debug, Clone, Copy, Default)]
pub struct CellRules {
    /// Stdout is a terminal: line breaks and tabs become spaces, other control characters and
    /// bidirectional overrides U+FFFD, as for every text from outside shown to a person.
    pub terminal: bool,
    /// `--csv-raw`: text cells exactly as sent, even those a spreadsheet runs as formulas.
    pub raw: bool,
}

/// A value as the server sent it: strings bare, `null` empty, the rest as compact JSON.
fn push_value(
    line: &mut String,
    index: usize,
    value: &RawValue,
    separator: Separator,
    cells: CellRules,
) {
    let text = super::json::text(value);
    push_cell(line, index, &text, is_string(value), separator, cells);
}

/// One cell of text; `is_text` says it was a JSON string (numbers are never rewritten).
fn push_cell(
    line: &mut String,
    index: usize,
    text: &str,
    is_text: bool,
    separator: Separator,
    cells: CellRules,
) {
    let text = if cells.terminal {
        sanitize(text)
    } else {
        Cow::Borrowed(text)
    };
    let mut text = if is_text && !cells.raw && runs_as_formula(&text) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    };
    match separator {
        Separator::Comma => {
            if index > 0 {
                line.push(',');
            }
            // CSV has no escapes: a NUL (which ends the text for C programs) is shown as U+FFFD.
            if text.contains('\0') {
                text = Cow::Owned(text.replace('\0', "\u{FFFD}"));
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
                    '\0' => line.push_str("\\0"),
                    c => line.push(c),
                }
            }
        }
    }
}

/// Whether a spreadsheet (Excel, LibreOffice, Google Sheets) would run this text cell as a
/// formula, or strip its first character and then run it (OWASP's list: `=`, `+`, `-`, `@`,
/// TAB, CR). A text that is only a decimal number (`-5`, `+1.5e3`) is read as that number and
/// nothing else, so it stays as it is.
fn runs_as_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_decimal_number(text)
}

/// `[+-]digits[.digits][e[+-]digits]`, with at least one digit before the exponent.
fn is_decimal_number(text: &str) -> bool {
    let text = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(separator: Separator, fields: &[&str], rows: &str) -> String {
        let page = crate::output::split_rows(rows.as_bytes(), None).unwrap();
        let mut out = Vec::new();
        let fields = fields.iter().map(|f| f.to_string()).collect();
        let mut writer = Delimited::new(
            &mut out,
            separator,
            fields,
            "Service".into(),
            CellRules::default(),
        );
        for &row in &page.rows {
            writer.push(&RowFields::read(row, None)).unwrap();
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

    #[test]
    fn only_text_a_spreadsheet_would_run_counts_as_a_formula() {
        for formula in [
            "=1", "+1+1", "-1-1", "@A1", "\tx", "\r=x", "-", "+", "-e5", "-1e", "--1",
        ] {
            assert!(runs_as_formula(formula), "{formula:?}");
        }
        for plain in [
            "-5", "+5", "-1.5", "-.5", "-5.", "+1e5", "-1.5E-3", "a=1", " =1", "",
        ] {
            assert!(!runs_as_formula(plain), "{plain:?}");
        }
    }
}
