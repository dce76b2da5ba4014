//! The process exit codes and what each means.

/// How a hookctl run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// The run finished and found nothing at or above the failure level.
    Success = 0,
    /// The run finished and the input has problems (errors, denied warnings, or an
    /// expectation that did not hold).
    Failure = 1,
    /// hookctl could not do the job: usage, I/O or internal error.
    Error = 2,
}
