//! YAML 1.1 scalar resolution and webhook's conversions of scalars into field values.
//!
//! webhook parses hook files with `gopkg.in/yaml.v2` (YAML 1.1), converts the result to
//! JSON with `ghodss/yaml`, and decodes that JSON into Go structs. Plain scalars such as
//! `yes`, `0755` or `1e+3` are therefore not strings for webhook, and a number given for a
//! string field is converted to text (floats at float32 precision). This module
//! reproduces those readings so hookctl sees the same values webhook does.

use super::node::Scalar;

/// What yaml.v2 makes of one scalar.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

impl Resolved {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "a boolean",
            Resolved::Int(_) => "an integer",
            Resolved::Float(_) => "a number",
            Resolved::Str(_) => "a string",
        }
    }

    /// The text webhook puts in a string field for this value, as ghodss/yaml converts it.
    pub fn to_webhook_string(&self) -> String {
        match self {
            Resolved::Null => String::new(),
            Resolved::Bool(b) => b.to_string(),
            Resolved::Int(i) => i.to_string(),
            Resolved::Float(f) => format_float32_g(*f),
            Resolved::Str(s) => s.clone(),
        }
    }
}

/// Resolves a scalar the way yaml.v2 does: quoted scalars and `!!str` are strings,
/// plain ones may be null, booleans (YAML 1.1 words), integers or floats.
pub fn resolve(scalar: &Scalar) -> Resolved {
    match scalar.tag.as_deref() {
        Some("!!str") | Some("tag:yaml.org,2002:str") => {
            return Resolved::Str(scalar.text.clone());
        }
        _ => {}
    }
    if !scalar.plain {
        return Resolved::Str(scalar.text.clone());
    }
    resolve_plain(&scalar.text)
}

fn resolve_plain(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Resolved::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Resolved::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Resolved::Str(text.to_string());
    }
    // yaml.v2 hands a scalar starting with `.` straight to Go's ParseFloat.
    if first == b'.' {
        let finite = go_float_digits(text)
            .and_then(|digits| digits.parse::<f64>().ok())
            .filter(|f| f.is_finite());
        return finite.map_or_else(|| Resolved::Str(text.to_string()), Resolved::Float);
    }
    resolve_number(text)
}

/// yaml.v2: remove underscores, try Go's `ParseInt(s, 0, 64)`, then `ParseUint`, then a
/// float if the text looks like one (Go's ParseFloat refuses out-of-range values, which
/// then stay text), then a `0b` binary literal.
fn resolve_number(text: &str) -> Resolved {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Resolved::Int(i);
    }
    if is_yaml_style_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            if f.is_finite() {
                return Resolved::Float(f);
            }
        }
    }
    Resolved::Str(text.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)` (or `ParseUint`): sign, then `0x`, `0o`, `0b` or a
/// leading `0` for octal, within the 64-bit range.
fn parse_go_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()? as i128;
    let value = if neg { -magnitude } else { magnitude };
    let fits_int64 = value >= i64::MIN as i128 && value <= i64::MAX as i128;
    (fits_int64 || (!neg && value <= u64::MAX as i128)).then_some(value)
}

/// The float pattern of the yaml.v2 in webhook 2.8.0 (Debian):
/// `^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$`. The exponent needs a sign and a dot needs
/// digits after it, so webhook keeps `1e3`, `2.5e2` and `5.` as text (observed with the
/// 2.8.0 binary; later yaml.v2 releases relaxed the pattern).
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    i += count_digits(&b[i..]);
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac = count_digits(&b[i..]);
        if frac == 0 {
            return false;
        }
        i += frac;
    } else if i == int_start {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        if !matches!(b.get(i + 1), Some(b'-' | b'+')) {
            return false;
        }
        let exp = count_digits(&b[i + 2..]);
        if exp == 0 {
            return false;
        }
        i += 2 + exp;
    }
    i == b.len()
}

fn count_digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// The text Go's ParseFloat reads from a scalar starting with `.`, with underscores
/// (allowed only between digits) removed: `.5`, `.5e3`, `.5E-3`, `.5_0`.
fn go_float_digits(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let underscores_ok = b.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || (i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    });
    let digits: String = s.chars().filter(|&c| c != '_').collect();
    let d = digits.as_bytes();
    let frac = count_digits(&d[1..]);
    let mut i = 1 + frac;
    if frac == 0 || !underscores_ok {
        return None;
    }
    if matches!(d.get(i), Some(b'e' | b'E')) {
        i += 1 + usize::from(matches!(d.get(i + 1), Some(b'-' | b'+')));
        let exp = count_digits(&d[i.min(d.len())..]);
        if exp == 0 {
            return None;
        }
        i += exp;
    }
    (i == d.len()).then_some(digits)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest decimal that round-trips as
/// a float32, in exponent form when the decimal exponent is below -4 or at least 6
/// (hence `1e+06`, but `123456`).
pub fn format_float32_g(f: f64) -> String {
    let f = f as f32;
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` of an f32 gives the shortest round-tripping digits: `d.ddde±x`.
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    // Go: with the shortest precision the exponent threshold is fixed at 6.
    if !(-4..6).contains(&exp) {
        return format_exponent(sign, &digits, exp);
    }
    format_fixed(sign, &digits, exp)
}

fn format_exponent(sign: &str, digits: &str, exp: i32) -> String {
    let (head, tail) = digits.split_at(1);
    let dot = if tail.is_empty() {
        String::new()
    } else {
        format!(".{tail}")
    };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{head}{dot}e{esign}{:02}", exp.abs())
}

fn format_fixed(sign: &str, digits: &str, exp: i32) -> String {
    let point = exp + 1;
    if point <= 0 {
        let zeros = "0".repeat((-point) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = point as usize;
    if digits.len() <= point {
        let zeros = "0".repeat(point - digits.len());
        return format!("{sign}{digits}{zeros}");
    }
    format!("{sign}{}.{}", &digits[..point], &digits[point..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Resolved {
        resolve(&Scalar {
            text: text.into(),
            plain: true,
            tag: None,
        })
    }

    #[test]
    fn yaml11_booleans_and_nulls() {
        assert_eq!(plain("y"), Resolved::Bool(true));
        assert_eq!(plain("on"), Resolved::Bool(true));
        assert_eq!(plain("Off"), Resolved::Bool(false));
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain("yEs"), Resolved::Str("yEs".into()));
    }

    #[test]
    fn yaml11_numbers() {
        assert_eq!(plain("0755"), Resolved::Int(493));
        assert_eq!(plain("1_000"), Resolved::Int(1000));
        assert_eq!(plain("0x1F"), Resolved::Int(31));
        assert_eq!(plain("08"), Resolved::Float(8.0));
        assert_eq!(plain("1e+3"), Resolved::Float(1000.0));
        assert_eq!(plain("1:20"), Resolved::Str("1:20".into()));
        assert_eq!(plain("1.10"), Resolved::Float(1.1));
        assert_eq!(
            plain("refs/heads/main"),
            Resolved::Str("refs/heads/main".into())
        );
    }

    #[test]
    fn floats_follow_the_yaml_v2_of_webhook_2_8_0() {
        // Each pair was observed as the id webhook 2.8.0 (Debian) loads from `id: <text>`.
        let observed = [
            ("1e3", "1e3"),
            ("2.5e2", "2.5e2"),
            ("1.5e3", "1.5e3"),
            ("5.", "5."),
            ("1E+3", "1000"),
            ("1.5e-3", "0.0015"),
            ("1_0.5", "10.5"),
            ("+.5", "0.5"),
            ("-.5e-1", "-0.05"),
            ("-.5e3", "-.5e3"),
            ("1e+400", "1e+400"),
            ("0.1e+40", "+Inf"),
            (".5e3", "500"),
            (".5_0", "0.5"),
            ("._5", "._5"),
            (".5e400", ".5e400"),
            (".1e-400", "0"),
            ("6.02e23", "6.02e23"),
            ("09.5", "9.5"),
        ];
        for (text, want) in observed {
            assert_eq!(plain(text).to_webhook_string(), want, "{text}");
        }
    }

    #[test]
    fn strings_of_numbers_follow_go_formatfloat_32() {
        assert_eq!(plain("1.0").to_webhook_string(), "1");
        assert_eq!(plain("0.1").to_webhook_string(), "0.1");
        assert_eq!(plain("3.14159265358979").to_webhook_string(), "3.1415927");
        assert_eq!(plain("1e+3").to_webhook_string(), "1000");
        assert_eq!(plain("1e+6").to_webhook_string(), "1e+06");
        assert_eq!(plain("123456.0").to_webhook_string(), "123456");
        assert_eq!(plain("0.00001").to_webhook_string(), "1e-05");
        assert_eq!(plain("0.0001").to_webhook_string(), "0.0001");
        assert_eq!(plain("1.10").to_webhook_string(), "1.1");
        assert_eq!(plain("0755").to_webhook_string(), "493");
        assert_eq!(plain("yes").to_webhook_string(), "true");
    }
}
