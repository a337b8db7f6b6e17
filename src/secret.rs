//! The API token, kept out of every output but the one HTTP header that needs it.

use std::fmt;

/// How many leading characters of a token may be shown (as the Node CLI shows them).
const PREFIX_LEN: usize = 10;

/// A validated bearer token. It has no `Display`, and `Debug` prints `REDACTED`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Trims surrounding whitespace and rejects what cannot go in an HTTP header.
    /// The error describes the problem without repeating the token.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let token = raw.trim();
        if token.is_empty() {
            return Err("Token cannot be empty.".into());
        }
        if let Some((index, c)) = token
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_graphic())
        {
            let what = if c.is_whitespace() {
                "whitespace"
            } else if c.is_control() {
                "a control character"
            } else {
                "a non-ASCII character"
            };
            return Err(format!(
                "the token contains {what} at character {}; paste it again without it",
                index + 1
            ));
        }
        Ok(Self(token.to_owned()))
    }

    /// The part that is safe to show, e.g. `kpi_1a2b3c...`. Short tokens show at most half of
    /// themselves so the prefix never reveals the whole secret.
    pub fn prefix(&self) -> String {
        format!("{}...", self.raw_prefix())
    }

    /// The same part without the `...`, as `whoami --json` reports it for scripts to compare.
    pub fn raw_prefix(&self) -> &str {
        let shown = PREFIX_LEN.min(self.0.len() / 2);
        &self.0[..shown]
    }

    /// The secret itself, for the `Authorization` header and the config file only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(REDACTED)")
    }
}

/// A token as typed on the command line, before validation: still a secret, so its `Debug`
/// hides it too (clap types derive `Debug`).
#[derive(Clone)]
pub struct RawToken(String);

impl RawToken {
    /// Never fails: validation happens later, so clap cannot echo a bad token in its error.
    pub fn from_arg(raw: &str) -> Result<Self, std::convert::Infallible> {
        Ok(Self(raw.to_owned()))
    }

    pub fn parse(&self) -> Result<Token, String> {
        Token::parse(&self.0)
    }
}

impl fmt::Debug for RawToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawToken(REDACTED)")
    }
}

const REDACTED: &str = "[REDACTED]";

/// `text` with every secret hidden: anything that looks like a token (`kpi_…`), each of
/// `secrets` (the token given with `--token` or `KOPAI_TOKEN`, which may not look like one),
/// and the password of every URL (`http://user:***@host`). For text that may echo what the
/// user typed, such as clap's "unexpected argument" errors.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_owned();
    for secret in secrets {
        // A very short value would blank out ordinary words; it is no real token either.
        if secret.chars().count() >= 6 {
            text = text.replace(secret.as_str(), REDACTED);
        }
    }
    let text = redact_token_like(&text);
    redact_url_passwords(&text)
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\'' | '"' | '`' | ',' | ')' | ']')
}

fn redact_token_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("kpi_") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(ends_word).unwrap_or(tail.len());
        out.push_str(REDACTED);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// `scheme://user:password@host` → `scheme://user:***@host`, wherever it appears in `text`.
fn redact_url_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("://") {
        let (head, tail) = rest.split_at(start + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| ends_word(c) || matches!(c, '/' | '?' | '#'))
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.split_once(':') {
                    Some((user, _password)) => {
                        out.push_str(user);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_tokens_given_secrets_and_url_passwords() {
        assert_eq!(
            redact("unexpected argument 'kpi_abc123' found", &[]),
            "unexpected argument '[REDACTED]' found"
        );
        assert_eq!(
            redact("bad 'hunter2-secret' value", &["hunter2-secret".into()]),
            "bad '[REDACTED]' value"
        );
        assert_eq!(
            redact("`http://me:SECRET@h:80/x` and https://h/a@b", &[]),
            "`http://me:***@h:80/x` and https://h/a@b"
        );
        assert_eq!(redact("short abc", &["abc".into()]), "short abc");
    }

    #[test]
    fn debug_and_prefix_never_show_the_whole_token() {
        let token = Token::parse("  kpi_0123456789abcdef\n").unwrap();
        assert_eq!(format!("{token:?}"), "Token(REDACTED)");
        assert_eq!(token.prefix(), "kpi_012345...");
        assert_eq!(token.raw_prefix(), "kpi_012345");
        assert_eq!(Token::parse("abcd").unwrap().prefix(), "ab...");
    }

    #[test]
    fn rejects_empty_and_header_unsafe_tokens() {
        assert_eq!(Token::parse(" \t").unwrap_err(), "Token cannot be empty.");
        assert!(Token::parse("kpi_a b").unwrap_err().contains("whitespace"));
        assert!(Token::parse("kpi_a\u{7}b").unwrap_err().contains("control"));
        assert!(Token::parse("kpi_é").unwrap_err().contains("non-ASCII"));
    }
}
