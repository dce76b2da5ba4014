//! Test support: hooks built from JSON text through the real hook-file loader, so the
//! engine's unit tests see exactly what `validate`, `simulate` and `serve` load.

use serde_json::Value as Json;

use crate::config::load::load_text;
use crate::config::model::{Hook, Parameter};

/// A hook from its JSON text; the hook's pointer is `/0`.
pub(crate) fn hook(text: &str) -> Hook {
    let json: Json = serde_json::from_str(text).expect("test hook JSON");
    hook_at(&json, "/0")
}

/// A hook from a JSON value, loaded as the only hook of a file. `pointer` must be `/N`:
/// the hook is placed at index N (earlier entries are `null`, which webhook loads as
/// empty hooks) so its pointers read as they would in a file.
pub(crate) fn hook_at(json: &Json, pointer: &str) -> Hook {
    let index: usize = pointer
        .trim_start_matches('/')
        .parse()
        .expect("pointer of the form /N");
    let mut list = vec![Json::Null; index];
    list.push(json.clone());
    let loaded = load_text("test.json", Json::Array(list).to_string());
    loaded
        .file
        .hooks
        .into_iter()
        .nth(index)
        .expect("the hook loads")
}

/// A parameter from its JSON text, read as a hook's first argument.
pub(crate) fn parameter(text: &str) -> Parameter {
    let json: Json = serde_json::from_str(text).expect("test parameter JSON");
    let hook = hook_at(
        &serde_json::json!({ "pass-arguments-to-command": [json] }),
        "/0",
    );
    hook.pass_arguments_to_command
        .into_iter()
        .next()
        .expect("one argument")
}
