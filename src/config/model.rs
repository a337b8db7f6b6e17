//! The typed config: the keys kopai knows as fields, every other key kept where it was.
//!
//! A new key of a profile is one line in `profile_keys!` below (a field, its spelling in the
//! file and who may read it); parsing, type checking and saving follow from it.
//!
//! ```json
//! {"url": "…", "token": "…", "defaultProfile": "staging",
//!  "profiles": {"staging": {"url": "…", "token": "…", "savedAt": "…"}}}
//! ```
//! The top level is the profile named `default` (the one the Node CLI reads); `profiles`
//! holds the named ones, and `defaultProfile` says which one a command uses when none is
//! asked for.

use serde_json::{Map, Value};

pub use super::profile_name::ProfileName;

/// The object of named profiles, and the name of the one used when none is asked for.
const PROFILES: &str = "profiles";
pub const DEFAULT_PROFILE: &str = "defaultProfile";

/// Declares [`Profile`]'s fields and [`KEY`], the spelling of each in the file.
macro_rules! profile_keys {
    ($($(#[$doc:meta])* $vis:vis $field:ident => $key:literal,)*) => {
        /// The settings of one profile: the top level of `.kopairc`, or one of its `profiles`.
        /// It has no `Debug`: the token is one of them.
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
    /// Where `kopai send` sends telemetry (OTLP/HTTP) when it is not derived from `url`.
    pub otlp_url => "otlp_url",
    /// The ingest token OTLP requests carry; read, saved and removed only by `TokenStore`.
    pub(super) ingest_token => "ingest_token",
}

/// What is wrong with a file that parsed as JSON.
#[derive(Debug)]
pub enum ModelError {
    /// A known key holds something other than a string.
    WrongType(&'static str),
    /// Any other problem, described.
    Malformed(String),
}

/// The whole file: the top level (the `default` profile), the named profiles in file order,
/// and which one is used when none is asked for.
#[derive(Default)]
pub struct Config {
    top: Profile,
    profiles: Vec<(ProfileName, Profile)>,
    pub default_profile: Option<ProfileName>,
}

impl Config {
    pub fn from_object(entries: Map<String, Value>) -> Result<Self, ModelError> {
        let default_profile = match entries.get(DEFAULT_PROFILE) {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => Some(
                ProfileName::parse(name)
                    .map_err(|e| ModelError::Malformed(format!("\"{DEFAULT_PROFILE}\": {e}")))?,
            ),
            Some(_) => return Err(ModelError::WrongType(DEFAULT_PROFILE)),
        };
        let profiles = match entries.get(PROFILES) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(profiles)) => profiles
                .iter()
                .map(|(name, value)| named_profile(name, value))
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(ModelError::Malformed(format!(
                    "\"{PROFILES}\" must be an object of profiles"
                )))
            }
        };
        let top = Profile::from_object(entries).map_err(ModelError::WrongType)?;
        Ok(Self {
            top,
            profiles,
            default_profile,
        })
    }

    /// The object to save: the top level as read, with every field written over it.
    pub fn to_object(&self) -> Map<String, Value> {
        let mut object = self.top.to_object();
        write_field(
            &mut object,
            DEFAULT_PROFILE,
            self.default_profile.as_ref().map(ProfileName::as_str),
        );
        if !self.profiles.is_empty() {
            let profiles = self
                .profiles
                .iter()
                .map(|(name, profile)| (name.to_string(), Value::Object(profile.to_object())))
                .collect();
            object.insert(PROFILES.to_owned(), Value::Object(profiles));
        }
        object
    }

    /// The profile called `name`; `default` is the top level.
    pub fn profile(&self, name: &ProfileName) -> Option<&Profile> {
        if name.is_default() {
            return Some(&self.top);
        }
        self.profiles
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, profile)| profile)
    }

    /// The profile called `name`, added (empty, last) if the file has none of that name.
    pub fn profile_mut(&mut self, name: &ProfileName) -> &mut Profile {
        if name.is_default() {
            return &mut self.top;
        }
        let index = match self.profiles.iter().position(|(known, _)| known == name) {
            Some(index) => index,
            None => {
                self.profiles.push((name.clone(), Profile::default()));
                self.profiles.len() - 1
            }
        };
        &mut self.profiles[index].1
    }

    /// Every profile, `default` first, then the named ones in file order.
    pub fn profiles(&self) -> impl Iterator<Item = (&ProfileName, &Profile)> {
        std::iter::once((ProfileName::default_ref(), &self.top))
            .chain(self.profiles.iter().map(|(name, profile)| (name, profile)))
    }
}

/// Where `key` of `profile` is, for messages: `"url"` or `"profiles"."staging"."url"`.
pub fn key_path(profile: &ProfileName, key: &str) -> String {
    match profile.is_default() {
        true => format!("\"{key}\""),
        false => format!("\"{PROFILES}\".\"{profile}\".\"{key}\""),
    }
}

/// One entry of `profiles`, checked: a valid name that is not `default`, and an object whose
/// known keys are strings.
fn named_profile(name: &str, value: &Value) -> Result<(ProfileName, Profile), ModelError> {
    let at = format!("\"{PROFILES}\".\"{name}\"");
    let name = ProfileName::parse(name).map_err(|e| ModelError::Malformed(format!("{at}: {e}")))?;
    if name.is_default() {
        return Err(ModelError::Malformed(format!(
            "{at}: `default` is the top level of the file; choose another name"
        )));
    }
    let Value::Object(entries) = value else {
        return Err(ModelError::Malformed(format!("{at} must be an object")));
    };
    let profile = Profile::from_object(entries.clone())
        .map_err(|key| ModelError::Malformed(format!("{at}: \"{key}\" must be a string")))?;
    Ok((name, profile))
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
    fn profiles_are_typed_and_saved_in_place() {
        let mut config = Config::from_object(object(
            r#"{"token": "kpi_t", "profiles": {"a": {"x": 1, "url": "u"}}, "z": 2}"#,
        ))
        .unwrap();
        let a = ProfileName::parse("a").unwrap();
        let b = ProfileName::parse("b").unwrap();
        assert_eq!(config.profile(&a).unwrap().url.as_deref(), Some("u"));
        config.profile_mut(&b).url = Some("v".into());
        config.default_profile = Some(b);
        let out = serde_json::to_string(&config.to_object()).unwrap();
        assert_eq!(
            out,
            r#"{"token":"kpi_t","profiles":{"a":{"x":1,"url":"u"},"b":{"url":"v"}},"z":2,"defaultProfile":"b"}"#
        );
    }

    #[test]
    fn bad_profiles_are_refused_with_where() {
        let message = |text: &str| match Config::from_object(object(text)) {
            Err(ModelError::Malformed(message)) => message,
            _ => panic!("{text} was accepted"),
        };
        assert_eq!(
            message(r#"{"profiles": []}"#),
            "\"profiles\" must be an object of profiles"
        );
        assert!(message(r#"{"profiles": {"a b": {}}}"#).starts_with("\"profiles\".\"a b\": "));
        assert!(message(r#"{"profiles": {"default": {}}}"#).contains("top level"));
        assert_eq!(
            message(r#"{"profiles": {"a": {"token": 1}}}"#),
            "\"profiles\".\"a\": \"token\" must be a string"
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
