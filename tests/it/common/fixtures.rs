//! Responses captured from the real server, in tests/fixtures (copied from shared/kopai-api).

use std::path::Path;

use serde_json::Value;

use super::read;

/// A captured response, as text.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    read(&path)
}

/// A captured response, parsed (keys in server order, numbers as written).
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

/// The `data` array of a captured page.
pub fn data(name: &str) -> Value {
    fixture_json(name)["data"].clone()
}
