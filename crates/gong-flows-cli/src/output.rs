//! Plain-text tables and JSON on stdout.

use crate::exit::CliError;
use serde::Serialize;
use std::io::Write as _;

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::usage(format!("cannot encode the output: {e}")))?;
    print_text(&format!("{text}\n"));
    Ok(())
}

/// Prints text on stdout. A closed pipe (`gong-flows … | head`) is not an
/// error worth a panic.
pub fn print_text(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
