//! A profile's name: checked once, wherever it comes from (a flag, `KOPAI_PROFILE`, the file).

use std::fmt;

/// The top level of the file: the settings the Node CLI reads too.
const DEFAULT: &str = "default";
const MAX_LEN: usize = 64;

/// Letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters:
/// safe in a terminal, a shell command and a JSON key, and never mistaken for a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileName(String);

impl ProfileName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Err("a profile name cannot be empty".into());
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        let starts_well = raw.starts_with(|c: char| c.is_ascii_alphanumeric());
        if raw.len() > MAX_LEN || !starts_well || !raw.chars().all(allowed) {
            return Err(format!(
                "`{}` is not a profile name: use at most {MAX_LEN} letters, digits, '.', '_' \
                 and '-', starting with a letter or digit",
                raw.escape_debug()
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// `default`: the top level of the file.
    pub fn default_ref() -> &'static Self {
        static NAME: std::sync::OnceLock<ProfileName> = std::sync::OnceLock::new();
        NAME.get_or_init(|| Self(DEFAULT.to_owned()))
    }

    pub fn is_default(&self) -> bool {
        self.0 == DEFAULT
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for good in ["staging", "prod-eu.2", "a", "A_b", "default"] {
            assert!(ProfileName::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-x",
            ".x",
            "a b",
            "a/b",
            "é",
            "a\u{1b}",
            &"a".repeat(65),
        ] {
            assert!(ProfileName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ProfileName::default_ref().is_default());
    }
}
