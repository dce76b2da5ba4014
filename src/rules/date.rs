//! Reading a Scalr `Date` header with Go's `time.Parse` and the layout webhook uses,
//! `Mon 02 Jan 2006 15:04:05 MST` (no comma, so RFC 1123 dates fail), with Go's error
//! texts.
//!
//! Known gap: a zone abbreviation counts as UTC. Go gives it the offset of webhook's
//! local time zone when that zone uses the abbreviation (a server in `America/Denver`
//! reads `MST` as UTC−7). Why: Scalr sends `UTC`, and servers usually run in UTC.
//! Tracked: docs/limitations.md#scalr-time-zones

/// The layout webhook parses the `Date` header with.
pub const LAYOUT: &str = "Mon 02 Jan 2006 15:04:05 MST";

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A parsed instant: seconds since the Unix epoch and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

/// Parses `value` with [`LAYOUT`]; the error is Go's text.
pub fn parse(value: &str) -> Result<Instant, String> {
    let mut parser = DateParser {
        original: value,
        rest: value,
    };
    parser.parse()
}

struct DateParser<'a> {
    original: &'a str,
    rest: &'a str,
}

struct Fields {
    year: i64,
    month: usize,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: u32,
}

impl DateParser<'_> {
    fn parse(&mut self) -> Result<Instant, String> {
        self.element("Mon", |p| p.name(&DAYS).map(|_| ()))?;
        self.literal(" ")?;
        let day = self.element("02", |p| p.number(true))?;
        self.literal(" ")?;
        let month = self.element("Jan", |p| p.name(&MONTHS))? + 1;
        self.literal(" ")?;
        let year = self.element("2006", DateParser::year)?;
        self.literal(" ")?;
        let hour = self.element("15", |p| p.number(false))?;
        self.range("hour", hour, 24)?;
        self.literal(":")?;
        let minute = self.element("04", |p| p.number(true))?;
        self.range("minute", minute, 60)?;
        self.literal(":")?;
        let second = self.element("05", |p| p.number(true))?;
        self.range("second", second, 60)?;
        let nanos = self.fraction()?;
        self.literal(" ")?;
        self.element("MST", DateParser::zone)?;
        if !self.rest.is_empty() {
            return Err(self.message(&format!(": extra text: {}", quote(self.rest))));
        }
        let fields = Fields {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        };
        self.instant(&fields)
    }

    fn instant(&self, f: &Fields) -> Result<Instant, String> {
        if f.day < 1 || f.day > days_in(f.month, f.year) {
            return Err(self.message(": day out of range"));
        }
        let days = days_from_civil(f.year, f.month as i64, f.day);
        let seconds = days * 86_400 + f.hour * 3600 + f.minute * 60 + f.second;
        Ok(Instant {
            seconds,
            nanos: f.nanos,
        })
    }

    /// Parses one layout element; on failure Go names the element and the rest of the
    /// value at its start.
    fn element<T>(
        &mut self,
        layout: &str,
        parse: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Result<T, String> {
        let hold = self.rest;
        parse(self).ok_or_else(|| self.cannot_parse(hold, layout))
    }

    /// Go's `skip`: a space in the layout matches any run of spaces.
    fn literal(&mut self, prefix: &str) -> Result<(), String> {
        let mut layout = prefix;
        while let Some(c) = layout.chars().next() {
            if c == ' ' {
                if self.rest.starts_with(|v: char| v != ' ') {
                    return Err(self.cannot_parse(self.rest, prefix));
                }
                layout = layout.trim_start_matches(' ');
                self.rest = self.rest.trim_start_matches(' ');
                continue;
            }
            if !self.rest.starts_with(c) {
                return Err(self.cannot_parse(self.rest, prefix));
            }
            layout = &layout[1..];
            self.rest = &self.rest[1..];
        }
        Ok(())
    }

    fn range(&self, name: &str, value: i64, limit: i64) -> Result<(), String> {
        if value >= limit {
            return Err(self.message(&format!(": {name} out of range")));
        }
        Ok(())
    }

    /// Case-insensitive match of a three-letter name; returns its index.
    fn name(&mut self, names: &[&str]) -> Option<usize> {
        let prefix = self.rest.get(..3)?;
        let index = names.iter().position(|n| n.eq_ignore_ascii_case(prefix))?;
        self.rest = &self.rest[3..];
        Some(index)
    }

    /// One or two digits; exactly two when `fixed`.
    fn number(&mut self, fixed: bool) -> Option<i64> {
        let bytes = self.rest.as_bytes();
        if !bytes.first()?.is_ascii_digit() {
            return None;
        }
        let two = bytes.get(1).is_some_and(u8::is_ascii_digit);
        if fixed && !two {
            return None;
        }
        let len = if two { 2 } else { 1 };
        let value = self.rest[..len].parse().ok()?;
        self.rest = &self.rest[len..];
        Some(value)
    }

    fn year(&mut self) -> Option<i64> {
        let digits = self.rest.get(..4)?;
        if !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        self.rest = &self.rest[4..];
        digits.parse().ok()
    }

    /// A fractional second after the seconds, which Go accepts although the layout has
    /// none.
    fn fraction(&mut self) -> Result<u32, String> {
        let bytes = self.rest.as_bytes();
        let starts =
            bytes.len() >= 2 && matches!(bytes[0], b'.' | b',') && bytes[1].is_ascii_digit();
        if !starts {
            return Ok(0);
        }
        let len = 1 + bytes[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let digits = &self.rest[1..len];
        self.rest = &self.rest[len..];
        let padded: String = digits
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        Ok(padded.parse().unwrap_or(0))
    }

    /// A zone abbreviation as Go's `parseTimeZone` accepts it.
    fn zone(&mut self) -> Option<()> {
        let value = self.rest;
        let len = zone_length(value)?;
        self.rest = &value[len..];
        Some(())
    }

    fn cannot_parse(&self, value: &str, layout: &str) -> String {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(self.original),
            quote(LAYOUT),
            quote(value),
            quote(layout)
        )
    }

    fn message(&self, text: &str) -> String {
        format!("parsing time {}{text}", quote(self.original))
    }
}

fn zone_length(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    if bytes.len() < 3 {
        return None;
    }
    if value.starts_with("UTC") {
        return Some(3);
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(offset) = value.strip_prefix("GMT") {
        return Some(3 + signed_offset(offset));
    }
    if matches!(bytes[0], b'+' | b'-') {
        return Some(signed_offset(value)).filter(|&n| n > 0);
    }
    let upper = bytes
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        3 => Some(3),
        4 if bytes[3] == b'T' || value.starts_with("WITA") => Some(4),
        5 if bytes[4] == b'T' => Some(5),
        _ => None,
    }
}

/// The length of a `+h`/`-hh` offset (at most 23 hours), or 0.
fn signed_offset(value: &str) -> usize {
    let bytes = value.as_bytes();
    if !matches!(bytes.first(), Some(b'+' | b'-')) {
        return 0;
    }
    let digits = bytes[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let hours: u64 = value[1..1 + digits].parse().unwrap_or(u64::MAX);
    if digits == 0 || hours > 23 {
        return 0;
    }
    1 + digits
}

fn days_in(month: usize, year: i64) -> i64 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `time` package's quoting: non-ASCII and control bytes as `\xNN`.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if (c as u32) < 0x20 || !c.is_ascii() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scalr_layout() {
        let t = parse("Thu 07 Sep 2017 06:30:04 UTC").unwrap();
        assert_eq!(
            t,
            Instant {
                seconds: 1_504_765_804,
                nanos: 0
            }
        );
        assert_eq!(
            parse("thu 07 sep 2017 6:30:04 XYZ").unwrap().seconds,
            1_504_765_804
        );
        assert_eq!(
            parse("Thu  07 Sep 2017 06:30:04 GMT+3").unwrap().seconds,
            1_504_765_804
        );
        assert_eq!(
            parse("Thu 07 Sep 2017 06:30:04.5 UTC").unwrap().nanos,
            500_000_000
        );
    }

    #[test]
    fn rfc_1123_dates_fail_with_go_text() {
        let err = parse("Thu, 03 Dec 2026 10:00:00 GMT").unwrap_err();
        assert_eq!(
            err,
            concat!(
                r#"parsing time "Thu, 03 Dec 2026 10:00:00 GMT" "#,
                r#"as "Mon 02 Jan 2006 15:04:05 MST": "#,
                r#"cannot parse ", 03 Dec 2026 10:00:00 GMT" as " ""#
            )
        );
    }

    #[test]
    fn other_errors_use_go_texts() {
        let prefix =
            r#"parsing time "Thu 7 Sep 2017 06:30:04 UTC" as "Mon 02 Jan 2006 15:04:05 MST""#;
        assert_eq!(
            parse("Thu 7 Sep 2017 06:30:04 UTC").unwrap_err(),
            format!(r#"{prefix}: cannot parse "7 Sep 2017 06:30:04 UTC" as "02""#)
        );
        assert_eq!(
            parse("Thu 31 Sep 2017 06:30:04 UTC").unwrap_err(),
            r#"parsing time "Thu 31 Sep 2017 06:30:04 UTC": day out of range"#
        );
        assert_eq!(
            parse("Thu 07 Sep 2017 24:30:04 UTC").unwrap_err(),
            r#"parsing time "Thu 07 Sep 2017 24:30:04 UTC": hour out of range"#
        );
        assert_eq!(
            parse("Thu 07 Sep 2017 06:30:04 UTC!").unwrap_err(),
            r#"parsing time "Thu 07 Sep 2017 06:30:04 UTC!": extra text: "!""#
        );
        assert!(parse("Thu 07 Sep 2017 06:30:04 utc").is_err());
        assert!(parse("Thu 07 Sep 2017 06:30:04").is_err());
    }

    #[test]
    fn leap_days() {
        assert!(parse("Thu 29 Feb 2024 00:00:00 UTC").is_ok());
        assert!(parse("Thu 29 Feb 2023 00:00:00 UTC").is_err());
    }
}
