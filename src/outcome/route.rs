//! Which handler webhook's router picks for a request target, and whether a hook
//! accepts the method.
//!
//! webhook 2.8.0 registers two routes with gorilla/mux: `/` (a health check) and
//! `/<prefix>/{id:.*}`. Before matching, mux answers `301` for a path that is not
//! clean (`//`, `/./`, `/../`). The id is taken from the *decoded* path, so `%2F` is a
//! `/` inside the id, and the query never takes part.

use crate::config::model::Hook;

/// Where the router sends a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteResult {
    /// `/`: `200 OK` with body `OK`, for any method.
    Health,
    /// The hook route, with the decoded id.
    Hook { id: String },
    /// The path is not clean: `301` to this location (query kept).
    Redirect { location: String },
    /// No route: `404 page not found`.
    NotFound,
    /// Go's server refuses the target before routing: `400 Bad Request`.
    BadRequest,
}

/// Routes a request target (path and optional `?query`, as sent) under `prefix`
/// (webhook's `-urlprefix`, default `hooks`).
pub fn route(prefix: &str, request_uri: &str) -> RouteResult {
    let (raw_path, query) = match request_uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (request_uri, None),
    };
    if request_uri.bytes().any(|c| c < 0x20 || c == 0x7f) {
        return RouteResult::BadRequest;
    }
    let raw_path = match strip_absolute_form(raw_path) {
        Some(path) => path,
        None if raw_path.starts_with('/') || raw_path == "*" => raw_path,
        None => return RouteResult::BadRequest,
    };
    let Some(path) = unescape_path(raw_path) else {
        return RouteResult::BadRequest;
    };

    let cleaned = clean_route_path(&path);
    if cleaned != path {
        let mut location = escape_path(&cleaned);
        if let Some(query) = query.filter(|q| !q.is_empty()) {
            location = format!("{location}?{query}");
        }
        return RouteResult::Redirect { location };
    }
    if path == "/" {
        return RouteResult::Health;
    }
    let base = if prefix.is_empty() {
        String::new()
    } else {
        format!("/{prefix}")
    };
    match path.strip_prefix(&format!("{base}/")) {
        // mux's `.*` does not match a newline.
        Some(id) if !id.contains('\n') => RouteResult::Hook { id: id.to_string() },
        _ => RouteResult::NotFound,
    }
}

/// The path of an absolute-form target (`http://host/path`); `None` for other forms.
fn strip_absolute_form(target: &str) -> Option<&str> {
    let (scheme, rest) = target.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    {
        return None;
    }
    Some(rest.find('/').map_or("", |i| &rest[i..]))
}

/// Go's path unescaping: `%XX` becomes the byte; `+` stays. `None` on a bad escape.
fn unescape_path(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    // Known gap: a decoded path that is not UTF-8 is read with U+FFFD, so it can only
    // reach a hook whose id contains U+FFFD. Tracked: docs/limitations.md#non-utf8-values
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// mux's `cleanPath`: Go's `path.Clean`, with a leading `/` and a trailing `/` kept.
pub fn clean_route_path(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let rooted = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let mut cleaned = clean(&rooted);
    if rooted.ends_with('/') && cleaned != "/" {
        cleaned.push('/');
    }
    cleaned
}

/// Go's `path.Clean`.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `url` path escaping, used for the `Location` of a redirect.
fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `hook` accepts `method`. The hook's `http-methods` (trimmed, upper-cased)
/// win when non-empty; otherwise webhook's `-http-methods` (spaces removed, upper-cased,
/// split on `,`); with neither, every method is accepted. The request method itself is
/// compared exactly, so `post` never matches `POST`.
pub fn is_method_allowed(hook: &Hook, method: &str, global_methods: &str) -> bool {
    if !hook.http_methods.is_empty() {
        return hook
            .http_methods
            .iter()
            .any(|m| m.value.trim().to_uppercase() == method);
    }
    if !global_methods.is_empty() {
        let cleaned = global_methods.replace(' ', "").to_uppercase();
        return cleaned.split(',').any(|m| m == method);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::hook;

    fn hook_id(id: &str) -> RouteResult {
        RouteResult::Hook { id: id.into() }
    }

    fn redirect(location: &str) -> RouteResult {
        RouteResult::Redirect {
            location: location.into(),
        }
    }

    #[test]
    fn routes_like_webhook() {
        assert_eq!(route("hooks", "/hooks/a/b"), hook_id("a/b"));
        assert_eq!(route("hooks", "/hooks/a%2Fb"), hook_id("a/b"));
        assert_eq!(route("hooks", "/hooks/a%2fb"), hook_id("a/b"));
        assert_eq!(route("hooks", "/hooks/a%252Fb"), hook_id("a%2Fb"));
        assert_eq!(route("hooks", "/hooks/sp%20ace"), hook_id("sp ace"));
        assert_eq!(route("hooks", "/hooks/a%3Fb"), hook_id("a?b"));
        assert_eq!(route("hooks", "/hooks/x?y=1"), hook_id("x"));
        assert_eq!(route("hooks", "/hooks/x/"), hook_id("x/"));
        assert_eq!(route("hooks", "/hooks/"), hook_id(""));
        assert_eq!(route("hooks", "/"), RouteResult::Health);
        assert_eq!(route("hooks", "/hooks"), RouteResult::NotFound);
        assert_eq!(route("hooks", "/HOOKS/x"), RouteResult::NotFound);
        assert_eq!(route("hooks", "/hooks/a%0Ab"), RouteResult::NotFound);
        assert_eq!(route("hooks", "http://h:9000/hooks/x"), hook_id("x"));
    }

    #[test]
    fn unclean_paths_redirect() {
        assert_eq!(route("hooks", "/hooks//any"), redirect("/hooks/any"));
        assert_eq!(
            route("hooks", "/hooks/./any?x=1"),
            redirect("/hooks/any?x=1")
        );
        assert_eq!(route("hooks", "/hooks/../x"), redirect("/x"));
        assert_eq!(route("hooks", "/hooks/x/../a/b"), redirect("/hooks/a/b"));
        assert_eq!(route("hooks", "/hooks//a%20b"), redirect("/hooks/a%20b"));
        assert_eq!(route("hooks", "/hooks/x//"), redirect("/hooks/x/"));
    }

    #[test]
    fn prefixes() {
        assert_eq!(route("", "/any"), hook_id("any"));
        assert_eq!(route("", "/hooks/any"), hook_id("hooks/any"));
        assert_eq!(route("", "/"), RouteResult::Health);
        assert_eq!(route("api/v1", "/api/v1/x"), hook_id("x"));
        assert_eq!(route("api/v1/", "/api/v1/x"), RouteResult::NotFound);
        assert_eq!(route("api/v1/", "/api/v1//x"), redirect("/api/v1/x"));
    }

    #[test]
    fn bad_targets() {
        assert_eq!(route("hooks", "/hooks/%zz"), RouteResult::BadRequest);
        assert_eq!(route("hooks", "hooks/x"), RouteResult::BadRequest);
    }

    #[test]
    fn go_path_clean() {
        assert_eq!(clean("a/../../b"), "../b");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean(""), ".");
        assert_eq!(clean("/var/tmp/"), "/var/tmp");
        assert_eq!(clean("./x"), "x");
    }

    #[test]
    fn method_rules() {
        let any = hook(r#"{"id":"x"}"#);
        assert!(is_method_allowed(&any, "OPTIONS", ""));
        assert!(is_method_allowed(&any, "GET", "get, Post"));
        assert!(!is_method_allowed(&any, "PUT", "get, Post"));
        assert!(!is_method_allowed(&any, "post", "get, Post"));
        assert!(!is_method_allowed(&any, "HEAD", "GET"));
        let own = hook(r#"{"id":"x","http-methods":[" post ","Put"]}"#);
        assert!(is_method_allowed(&own, "PUT", "get,post"));
        assert!(!is_method_allowed(&own, "GET", "get,post"));
    }
}
