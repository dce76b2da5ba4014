//! The `hookctl` binary: wires real stdio into [`hookctl::cli::run`].

use std::process::ExitCode;

/// Deeply nested trigger rules are walked recursively; a large stack keeps a hostile
/// file from overflowing it (the parser itself stops at a fixed depth).
const STACK_SIZE: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || hookctl::cli::run(args))
        .expect("spawning the main thread");
    match worker.join() {
        Ok(code) => ExitCode::from(code as u8),
        Err(_) => ExitCode::from(2),
    }
}
