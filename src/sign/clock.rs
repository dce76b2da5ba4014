//! The time values signatures carry: Scalr's `Date` header in webhook's Go layout, and
//! the Unix timestamps of Slack, Stripe and Standard Webhooks.

use std::time::{SystemTime, UNIX_EPOCH};

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since the Unix epoch now (0 for a clock set before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `seconds` after the epoch in webhook's Scalr layout `Mon 02 Jan 2006 15:04:05 MST`,
/// in UTC (`Thu 07 Sep 2017 06:30:04 UTC`).
pub fn go_scalr_date(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = (days + 4).rem_euclid(7) as usize;
    format!(
        "{} {day:02} {} {year} {:02}:{:02}:{:02} UTC",
        DAYS[weekday],
        MONTHS[month - 1],
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`): year, month 1–12, day 1–31.
fn civil_from_days(days: i64) -> (i64, usize, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month as usize, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date;

    #[test]
    fn formats_webhooks_own_test_date() {
        // The Date of webhook's scalr-signature unit test.
        assert_eq!(go_scalr_date(1_504_765_804), "Thu 07 Sep 2017 06:30:04 UTC");
        assert_eq!(go_scalr_date(0), "Thu 01 Jan 1970 00:00:00 UTC");
        assert_eq!(go_scalr_date(951_782_400), "Tue 29 Feb 2000 00:00:00 UTC");
        assert_eq!(go_scalr_date(4_102_444_799), "Thu 31 Dec 2099 23:59:59 UTC");
    }

    #[test]
    fn the_engine_reads_back_what_is_written() {
        for seconds in [0, 86_399, 1_504_765_804, 1_700_000_000, 4_102_444_799] {
            let parsed = date::parse(&go_scalr_date(seconds)).unwrap();
            assert_eq!(parsed.seconds, seconds as i64);
        }
    }
}
