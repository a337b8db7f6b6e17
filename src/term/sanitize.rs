//! Text from outside (a server, a config file) made safe to show to a person: nothing in it
//! can move the cursor, retitle the window or reorder what is shown.

use std::borrow::Cow;

/// Text from outside (a server, a file) made safe to print to a person on one line: line
/// breaks and tabs become spaces; every other control character (C0, DEL, C1: escape
/// sequences that retitle the window, clear the screen or hide a link) and the bidirectional
/// overrides that reorder what is shown (U+202A–U+202E, U+2066–U+2069) become U+FFFD, so
/// the reader sees that something was there.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, false)
}

/// The same for multi-line text (a markdown document): line breaks and tabs are kept.
pub fn sanitize_multiline(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, true)
}

fn replace_unsafe(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let keep = |c: char| keep_lines && matches!(c, '\n' | '\t');
    let unsafe_char = |c: char| !keep(c) && (c.is_control() || is_bidi_control(c));
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let replaced = text
        .chars()
        .map(|c| match c {
            _ if !unsafe_char(c) => c,
            '\n' | '\r' | '\t' => ' ',
            _ => char::REPLACEMENT_CHARACTER,
        })
        .collect();
    Cow::Owned(replaced)
}

/// JSON that kopai writes itself (its error objects), with every control character and
/// bidirectional override written as `\uXXXX`: serde_json escapes only C0, and DEL, C1 (U+009B
/// starts an escape sequence) and U+202E would reach a terminal raw. They can only be inside
/// strings, where the escape stands for the same character, so nothing is lost.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || is_bidi_control(c);
    if !json.chars().any(unsafe_char) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_replaces_controls_and_bidi_overrides() {
        assert!(matches!(sanitize("plain text é"), Cow::Borrowed(_)));
        assert_eq!(sanitize("a\x1b]0;pwned\x07b"), "a\u{FFFD}]0;pwned\u{FFFD}b");
        assert_eq!(sanitize("line\r\nnext\ttab"), "line  next tab");
        assert_eq!(
            sanitize("x\u{202E}y\u{2066}z\u{9b}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        assert_eq!(
            sanitize_multiline("# A\n\tb\x1b[2J\r"),
            "# A\n\tb\u{FFFD}[2J "
        );
    }

    #[test]
    fn json_controls_are_escaped_and_mean_the_same() {
        let json = serde_json::json!({"m": "a\u{202E}b\u{9b}c\u{7f}\\\u{2066}\n"}).to_string();
        let escaped = escape_json_controls(&json);
        assert_eq!(escaped, r#"{"m":"a\u202eb\u009bc\u007f\\\u2066\n"}"#);
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back.to_string(), json);
    }
}
