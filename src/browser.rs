//! Starting the user's browser on a URL: `$BROWSER`, else the platform's opener. Programs are
//! started directly with the URL as one argument, never through a shell, so nothing in the URL
//! (which carries names from the server) is ever interpreted.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// Opens `url`, or says why no browser could start.
pub fn open(url: &str) -> Result<(), String> {
    match std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        Some(browser) => from_browser_var(&browser, url),
        None => platform_opener(url),
    }
}

/// `$BROWSER` as most tools read it: commands separated by `:` (`;` on Windows), tried in
/// turn; each is a program and its arguments split on whitespace, `%s` standing for the URL
/// (appended when absent). An entry that names an existing file whole is that program, spaces
/// and all. The browser shares the terminal, so a text-mode browser works, and is waited for.
fn from_browser_var(browser: &OsStr, url: &str) -> Result<(), String> {
    let browser = browser.to_string_lossy();
    let separator = if cfg!(windows) { ';' } else { ':' };
    let mut reasons = Vec::new();
    for entry in browser.split(separator).filter(|e| !e.trim().is_empty()) {
        let (program, mut args, placed): (&str, Vec<String>, bool) = if Path::new(entry).is_file() {
            (entry, Vec::new(), false)
        } else {
            let mut words = entry.split_whitespace();
            let Some(program) = words.next() else {
                continue;
            };
            let args = words.map(|w| w.replace("%s", url)).collect();
            (program, args, entry.contains("%s"))
        };
        if !placed {
            args.push(url.to_owned());
        }
        match Command::new(program).args(&args).status() {
            Ok(status) if status.success() => return Ok(()),
            Ok(status) => reasons.push(format!("$BROWSER `{program}` exited with {status}")),
            Err(e) => reasons.push(format!("$BROWSER `{program}`: {e}")),
        }
    }
    if reasons.is_empty() {
        reasons.push("$BROWSER names no program".into());
    }
    Err(reasons.join("; "))
}

/// The desktop's own way to open a URL; it hands the URL to the browser and returns.
fn platform_opener(url: &str) -> Result<(), String> {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        // Not `cmd /c start`: cmd would read `&` in the URL as a command separator.
        ("rundll32", &["url.dll,FileProtocolHandler"])
    } else {
        ("xdg-open", &[])
    };
    let status = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("`{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program}` exited with {status}"))
    }
}
