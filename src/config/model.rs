//! The typed config: the keys kopai knows as fields, every other key kept where it was.
//!
//! A new key is one line in `profile_keys!` below (a field, its spelling in the file and who
//! may read it); parsing, type checking and saving follow from it.

use serde_json::{Map, Value};

/// Declares [`Profile`]'s fields and [`KEY`], the spelling of each in the file.
macro_rules! profile_keys {
    ($($(#[$doc:meta])* $vis:vis $field:ident => $key:literal,)*) => {
        /// The settings kopai reads from the top level of `.kopairc`. Its `Debug` (through
        /// `ConfigFile`'s) never shows a value: the token is one of them.
        #[derive(Clone, Default)]
        pub struct Profile {
            $($(#[$doc])* $vis $field: Option<String>,)*
            /// The object as read, every key in file order: unknown keys are saved from here,
            /// and a known key that was already there keeps its place.
            entries: Map<String, Value>,
        }

        /// How each field of [`Profile`] is spelled in the file, for messages about it.
        // A key is named only where a message needs it.
        #[allow(dead_code)]
        pub struct Keys {
            $(pub $field: &'static str,)*
        }

        pub const KEY: Keys = Keys { $($field: $key,)* };

        impl Profile {
            /// Takes an object as read; a known key holding anything but a string or `null`
            /// is refused with its name.
            pub fn from_object(entries: Map<String, Value>) -> Result<Self, &'static str> {
                Ok(Self {
                    $($field: string_field(&entries, $key)?,)*
                    entries,
                })
            }

            /// The object to save: what was read, with the fields written over it.
            pub fn to_object(&self) -> Map<String, Value> {
                let mut object = self.entries.clone();
                $(write_field(&mut object, $key, self.$field.as_deref());)*
                object
            }
        }
    };
}

profile_keys! {
    /// The server's URL, as `login` saved it.
    pub url => "url",
    /// The token; read, saved and removed only by `TokenStore`.
    pub(super) token => "token",
    /// When `login` saved the token (RFC 3339), so its age can be told.
    pub saved_at => "savedAt",
    /// The web UI's URL when it is not the server's.
    pub ui_url => "ui_url",
}

/// `key` as a string; absent and `null` are both `None`.
fn string_field(
    entries: &Map<String, Value>,
    key: &'static str,
) -> Result<Option<String>, &'static str> {
    match entries.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(key),
    }
}

/// Sets `key` in place (a new key goes last). `None` removes a value but leaves a `null` as
/// the user wrote it.
fn write_field(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    match value {
        Some(value) => {
            object.insert(key.to_owned(), Value::String(value.to_owned()));
        }
        None => {
            if object.get(key).is_some_and(|v| !v.is_null()) {
                object.shift_remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn fields_are_saved_in_place_and_unknown_keys_kept() {
        let mut profile = Profile::from_object(object(
            r#"{"b": 1.50, "token": "kpi_x", "ui_url": null, "a": [100000000000000000001]}"#,
        ))
        .unwrap();
        assert_eq!(profile.token.as_deref(), Some("kpi_x"));
        profile.url = Some("https://kopai.app".into());
        profile.token = None;
        let out = serde_json::to_string(&profile.to_object()).unwrap();
        assert_eq!(
            out,
            r#"{"b":1.50,"ui_url":null,"a":[100000000000000000001],"url":"https://kopai.app"}"#
        );
    }

    #[test]
    fn a_known_key_of_another_type_is_named() {
        assert_eq!(
            Profile::from_object(object(r#"{"savedAt": 5}"#)).err(),
            Some("savedAt")
        );
    }
}
