//! Counters for `GET /metrics`, written in Prometheus' text format by hand (four
//! families do not need a client library).
//!
//! The `hook` label only ever holds ids of loaded hooks (an empty value for requests
//! that reached none), so a client sending random ids cannot grow the label set.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the duration histogram, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default)]
pub struct Metrics(Mutex<Counters>);

#[derive(Debug, Default)]
struct Counters {
    requests: BTreeMap<(String, u16), u64>,
    /// Per bucket of [`BUCKETS`], not cumulative; the last slot is `+Inf`.
    duration_buckets: [u64; BUCKETS.len() + 1],
    duration_sum: f64,
    duration_count: u64,
    executions: BTreeMap<String, u64>,
    execution_errors: BTreeMap<String, u64>,
}

impl Metrics {
    pub fn observe_request(&self, hook: &str, status: u16, duration: Duration) {
        let mut c = self.lock();
        *c.requests.entry((hook.to_string(), status)).or_default() += 1;
        let secs = duration.as_secs_f64();
        let slot = BUCKETS
            .iter()
            .position(|&b| secs <= b)
            .unwrap_or(BUCKETS.len());
        c.duration_buckets[slot] += 1;
        c.duration_sum += secs;
        c.duration_count += 1;
    }

    /// A command finished (or could not start); `failed` when it did not succeed.
    pub fn observe_execution(&self, hook: &str, failed: bool) {
        let mut c = self.lock();
        *c.executions.entry(hook.to_string()).or_default() += 1;
        if failed {
            *c.execution_errors.entry(hook.to_string()).or_default() += 1;
        } else {
            c.execution_errors.entry(hook.to_string()).or_default();
        }
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let c = self.lock();
        let mut out = String::new();
        out.push_str(
            "# HELP webhook_requests_total Requests answered, by hook and status.\n\
             # TYPE webhook_requests_total counter\n",
        );
        for ((hook, status), n) in &c.requests {
            let hook = escape(hook);
            let _ = writeln!(
                out,
                "webhook_requests_total{{hook=\"{hook}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str(
            "# HELP webhook_requests_duration_seconds Time from the request head to the \
             response.\n# TYPE webhook_requests_duration_seconds histogram\n",
        );
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(c.duration_buckets.iter()) {
            cumulative += n;
            let _ = writeln!(
                out,
                "webhook_requests_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "webhook_requests_duration_seconds_bucket{{le=\"+Inf\"}} {}\n\
             webhook_requests_duration_seconds_sum {}\n\
             webhook_requests_duration_seconds_count {}",
            c.duration_count, c.duration_sum, c.duration_count
        );
        family(
            &mut out,
            "webhook_hook_executions_total",
            "Commands run, by hook.",
            &c.executions,
        );
        family(
            &mut out,
            "webhook_hook_execution_errors_total",
            "Commands that failed, timed out or could not start, by hook.",
            &c.execution_errors,
        );
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counters> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn family(out: &mut String, name: &str, help: &str, values: &BTreeMap<String, u64>) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for (hook, n) in values {
        let _ = writeln!(out, "{name}{{hook=\"{}\"}} {n}", escape(hook));
    }
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_family() {
        let m = Metrics::default();
        m.observe_request("deploy", 200, Duration::from_millis(3));
        m.observe_request("deploy", 200, Duration::from_secs(20));
        m.observe_request("", 404, Duration::from_micros(10));
        m.observe_execution("deploy", false);
        m.observe_execution("a\"b", true);
        let text = m.render();
        assert!(text.contains("webhook_requests_total{hook=\"deploy\",status=\"200\"} 2\n"));
        assert!(text.contains("webhook_requests_total{hook=\"\",status=\"404\"} 1\n"));
        assert!(text.contains("webhook_requests_duration_seconds_bucket{le=\"0.005\"} 2\n"));
        assert!(text.contains("webhook_requests_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("webhook_requests_duration_seconds_count 3\n"));
        assert!(text.contains("webhook_hook_executions_total{hook=\"deploy\"} 1\n"));
        assert!(text.contains("webhook_hook_execution_errors_total{hook=\"a\\\"b\"} 1\n"));
        assert!(text.contains("webhook_hook_execution_errors_total{hook=\"deploy\"} 0\n"));
    }
}
