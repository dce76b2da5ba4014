//! The server's log: lifecycle lines, one line per request, and with `--verbose` and
//! `--debug` the lines webhook itself writes.
//!
//! Text lines look like webhook's (`[hookctl] 2026/12/03 16:09:05 <message>`, local
//! time), so tools that read webhook's log keep working; `--log-format json` writes one
//! object per line instead. The destination (stderr or `--logfile`) is chosen by the
//! CLI and handed in; this module never opens files or picks a stream itself.
//!
//! Nothing secret is logged: the per-request line holds no header or body, mismatch
//! reasons come from the engine's trace (which masks signatures and credential-like
//! values), and the engine's own lines are webhook's texts.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where and how much the server logs.
pub struct Logger {
    format: LogFormat,
    /// webhook's `-verbose`: the engine's lines and start-up details.
    verbose: bool,
    /// webhook's `-debug`: request and response dumps.
    debug: bool,
    sink: Sink,
}

enum Sink {
    /// A file or descriptor written without a lock: each line is one `write`, which
    /// the kernel keeps whole (the log file is opened for appending).
    File(std::fs::File),
    Locked(Mutex<Box<dyn Write + Send>>),
}

/// What the per-request line says.
#[derive(Debug, Clone, Default)]
pub struct RequestLine {
    pub request_id: String,
    pub status: u16,
    pub response_size: usize,
    pub duration: Duration,
    pub host: String,
    pub method: String,
    /// The target as sent, query included.
    pub uri: String,
    pub remote_addr: String,
    pub hook_id: Option<String>,
    /// Whether the trigger rule let the command run, for requests that reached a hook.
    pub matched: Option<bool>,
    /// Why the hook did not fire (the first failing trigger-rule node) or failed.
    pub reason: Option<String>,
}

impl Logger {
    pub fn new(format: LogFormat, verbose: bool, debug: bool, sink: Box<dyn Write + Send>) -> Self {
        Logger {
            format,
            verbose: verbose || debug,
            debug,
            sink: Sink::Locked(Mutex::new(sink)),
        }
    }

    /// A logger writing to `file` (stderr's descriptor, or a log file opened to
    /// append) without taking a lock per line.
    pub fn to_file(format: LogFormat, verbose: bool, debug: bool, file: std::fs::File) -> Self {
        Logger {
            format,
            verbose: verbose || debug,
            debug,
            sink: Sink::File(file),
        }
    }

    /// A logger that drops everything (tests).
    pub fn discard() -> Logger {
        Logger::new(LogFormat::Text, false, false, Box::new(std::io::sink()))
    }

    pub fn is_verbose(&self) -> bool {
        self.verbose
    }

    pub fn is_debug(&self) -> bool {
        self.debug
    }

    /// A lifecycle event: listening, reloads, shutdown.
    pub fn info(&self, message: &str) {
        self.event("info", None, message);
    }

    pub fn warn(&self, message: &str) {
        self.event("warn", None, message);
    }

    pub fn error(&self, message: &str) {
        self.event("error", None, message);
    }

    /// A line webhook writes with `-verbose`; `request_id` adds webhook's `[rid] `.
    pub fn verbose(&self, request_id: Option<&str>, message: &str) {
        if self.verbose {
            self.event("debug", request_id, message);
        }
    }

    /// `-debug` dump lines, written without any prefix, as webhook does.
    pub fn dump(&self, lines: &[String]) {
        if !self.debug || lines.is_empty() {
            return;
        }
        match self.format {
            LogFormat::Text => {
                let mut text = lines.join("\n");
                text.push('\n');
                self.write(text.as_bytes());
            }
            LogFormat::Json => {
                for line in lines {
                    self.event("debug", None, line);
                }
            }
        }
    }

    /// The one line logged for every request.
    pub fn request(&self, line: &RequestLine) {
        let text = match self.format {
            LogFormat::Text => format!("{}{}\n", prefix(), request_text(line)),
            LogFormat::Json => {
                let object = json!({
                    "timestamp": rfc3339_now(),
                    "level": "info",
                    "request_id": line.request_id,
                    "status": line.status,
                    "response_size": line.response_size,
                    "duration_ms": (line.duration.as_secs_f64() * 1e6).round() / 1e3,
                    "method": line.method,
                    "path": line.uri,
                    "host": line.host,
                    "hook_id": line.hook_id,
                    "remote_addr": line.remote_addr,
                    "matched": line.matched,
                    "reason": line.reason,
                });
                format!("{object}\n")
            }
        };
        self.write(text.as_bytes());
    }

    fn event(&self, level: &str, request_id: Option<&str>, message: &str) {
        let text = match self.format {
            LogFormat::Text => {
                let rid = request_id.map_or(String::new(), |r| format!("[{r}] "));
                let level = match level {
                    "warn" => "warning: ",
                    "error" => "error: ",
                    _ => "",
                };
                format!("{}{rid}{level}{message}\n", prefix())
            }
            LogFormat::Json => {
                let object = json!({
                    "timestamp": rfc3339_now(),
                    "level": level,
                    "request_id": request_id,
                    "message": message,
                });
                format!("{object}\n")
            }
        };
        self.write(text.as_bytes());
    }

    fn write(&self, bytes: &[u8]) {
        // A log that cannot be written must not stop the server.
        match &self.sink {
            Sink::File(file) => {
                let _ = (&*file).write_all(bytes);
            }
            Sink::Locked(sink) => {
                let mut sink = sink
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let _ = sink.write_all(bytes);
                let _ = sink.flush();
            }
        }
    }
}

/// webhook's summary line, then the hook and what it did.
fn request_text(line: &RequestLine) -> String {
    let mut text = format!(
        "[{}] {:03} | {} | {} | {} | {} {}",
        line.request_id,
        line.status,
        iec_bytes(line.response_size as u64),
        go_duration(line.duration),
        line.host,
        line.method,
        line.uri
    );
    if let Some(hook) = &line.hook_id {
        let what = match (line.matched, &line.reason) {
            (Some(true), None) => "fired".to_string(),
            (Some(true), Some(reason)) => format!("fired, {reason}"),
            (_, Some(reason)) => format!("not fired: {reason}"),
            (_, None) => "not fired".to_string(),
        };
        text.push_str(&format!(" | hook {hook} {what}"));
    } else if let Some(reason) = &line.reason {
        text.push_str(&format!(" | {reason}"));
    }
    text
}

/// `[hookctl] YYYY/MM/DD HH:MM:SS `, in local time like Go's `log` package.
fn prefix() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as libc::time_t;
    // SAFETY: localtime_r only writes into the `tm` we own.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&now, &mut tm);
        tm
    };
    format!(
        "[hookctl] {:04}/{:02}/{:02} {:02}:{:02}:{:02} ",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// The current UTC time as RFC 3339 with milliseconds.
pub fn rfc3339_now() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's method).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A size as go-humanize's `IBytes` writes it (`62 B`, `2.9 KiB`, `15 MiB`).
pub fn iec_bytes(size: u64) -> String {
    if size < 10 {
        return format!("{size} B");
    }
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let e = ((size as f64).ln() / 1024f64.ln()).floor() as usize;
    let e = e.min(UNITS.len() - 1);
    let value = (size as f64 / 1024f64.powi(e as i32) * 10.0 + 0.5).floor() / 10.0;
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[e])
    } else {
        format!("{value:.0} {}", UNITS[e])
    }
}

/// A duration as Go's `time.Duration.String` writes it (`130.693µs`, `28.487417ms`,
/// `1.5s`, `2m0s`).
pub fn go_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".into();
    }
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return format!("{}µs", decimal(nanos, 3));
    }
    if nanos < 1_000_000_000 {
        return format!("{}ms", decimal(nanos, 6));
    }
    let total_secs = nanos / 1_000_000_000;
    let frac = nanos % 1_000_000_000;
    let (h, m, s) = (total_secs / 3600, total_secs / 60 % 60, total_secs % 60);
    let secs = decimal(s * 1_000_000_000 + frac, 9);
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// `value / 10^digits` with the fraction's trailing zeros removed.
fn decimal(value: u128, digits: u32) -> String {
    let scale = 10u128.pow(digits);
    let whole = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = digits as usize);
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_go_humanize() {
        assert_eq!(iec_bytes(0), "0 B");
        assert_eq!(iec_bytes(62), "62 B");
        assert_eq!(iec_bytes(1023), "1023 B");
        assert_eq!(iec_bytes(2969), "2.9 KiB");
        assert_eq!(iec_bytes(15_000), "15 KiB");
        assert_eq!(iec_bytes(10 << 20), "10 MiB");
    }

    #[test]
    fn durations_like_go() {
        assert_eq!(go_duration(Duration::from_nanos(130_693)), "130.693µs");
        assert_eq!(go_duration(Duration::from_nanos(28_487_417)), "28.487417ms");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(go_duration(Duration::from_secs(120)), "2m0s");
        assert_eq!(go_duration(Duration::from_nanos(999)), "999ns");
        assert_eq!(go_duration(Duration::from_secs(3723)), "1h2m3s");
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_790), (2026, 12, 3));
    }

    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn request_lines_in_both_formats() {
        let line = RequestLine {
            request_id: "abc123".into(),
            status: 200,
            response_size: 62,
            duration: Duration::from_micros(1500),
            host: "localhost:9000".into(),
            method: "POST".into(),
            uri: "/hooks/x?a=1".into(),
            remote_addr: "127.0.0.1:5000".into(),
            hook_id: Some("x".into()),
            matched: Some(false),
            reason: Some("match value on header X-Event: got `ping`".into()),
        };
        let out = Shared::default();
        Logger::new(LogFormat::Text, false, false, Box::new(out.clone())).request(&line);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.starts_with("[hookctl] "));
        assert!(text.ends_with(
            "[abc123] 200 | 62 B | 1.5ms | localhost:9000 | POST /hooks/x?a=1 \
             | hook x not fired: match value on header X-Event: got `ping`\n"
        ));

        let out = Shared::default();
        Logger::new(LogFormat::Json, false, false, Box::new(out.clone())).request(&line);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let value: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        for key in [
            "timestamp",
            "level",
            "request_id",
            "status",
            "response_size",
            "duration_ms",
            "method",
            "path",
            "hook_id",
            "remote_addr",
            "matched",
            "reason",
        ] {
            assert!(value.get(key).is_some(), "{key} missing");
        }
        assert_eq!(value["duration_ms"], 1.5);
    }
}
