//! `kopai doctor`: checks the whole path a user depends on, in the order things break (config,
//! token, network, TLS, the server, the clock, ingest), one line each with what to do about a
//! failure. A check whose prerequisite failed is not run: its failure would say nothing new.

mod ingest;
mod network;
mod server;

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::command_error::Result;
use crate::commands::token_age::{age_in_days, days_ago, expiry_warning, is_expired};
use crate::commands::Context;
use crate::config::{absolute, Settings};
use crate::error::{Exit, LOGIN_HINT};
use crate::output::write_json;
use crate::term::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Pass,
    Fail,
    Skip,
}

#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

impl Check {
    fn pass(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Pass,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    fn skip(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Skip,
            detail: detail.into(),
            fix: None,
        }
    }

    fn passed(&self) -> bool {
        self.status != Status::Fail
    }
}

/// The checks so far; printed as they come (unless for JSON), so a slow one shows where it is.
struct Checks {
    json: bool,
    done: Vec<Check>,
}

impl Checks {
    /// Records `check`, and says whether it passed.
    fn add(&mut self, check: Check) -> bool {
        if !self.json {
            print_line(&check);
        }
        let passed = check.passed();
        self.done.push(check);
        passed
    }
}

pub async fn run(ctx: &Context, args: &DoctorArgs) -> Result<Exit> {
    ctx.skip_age_reminder();
    let mut checks = Checks {
        json: args.json,
        done: Vec::new(),
    };
    if let Some(settings) = config(ctx, &mut checks) {
        token(&settings, &mut checks);
        if network::check(ctx, &settings, &mut checks).is_some() {
            let api = server::check(ctx, &settings, &mut checks).await;
            ingest::check(ctx, api.as_ref(), &mut checks).await;
        }
    }
    let ok = checks.done.iter().all(Check::passed);
    if args.json {
        let report = serde_json::json!({"ok": ok, "checks": checks.done});
        write_json(&mut std::io::stdout().lock(), &report)?;
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}

/// `✓ name  detail`, and for a failure `; fix: …`. Always these marks: kopai's tables and
/// waterfalls are Unicode too, and `--json` is there for anything that cannot show them.
fn print_line(check: &Check) {
    let mark = match check.status {
        Status::Pass => "✓",
        Status::Fail => "✗",
        Status::Skip => "-",
    };
    let detail = sanitize(&check.detail);
    match &check.fix {
        Some(fix) => outln!("{mark} {:<15} {detail}; fix: {}", check.name, sanitize(fix)),
        None => outln!("{mark} {:<15} {detail}", check.name),
    }
}

fn config(ctx: &Context, checks: &mut Checks) -> Option<Settings> {
    match ctx.settings() {
        Ok(settings) => {
            let file = match &settings.config {
                Some(config) => absolute(&config.path).display().to_string(),
                None => "no config file (flags, environment and defaults)".into(),
            };
            let profile = &settings.profile;
            let profile = if profile.name.is_default() {
                String::new()
            } else {
                format!(", profile {} ({})", profile.name, profile.source.describe())
            };
            checks.add(Check::pass("config", format!("{file}{profile}")));
            Some(settings)
        }
        Err(error) => {
            checks.add(Check::fail(
                "config",
                error.to_string(),
                "correct the file (or set KOPAI_CONFIG to another), or run `kopai login`",
            ));
            None
        }
    }
}

fn token(settings: &Settings, checks: &mut Checks) {
    let Some((token, source)) = &settings.token else {
        checks.add(Check::fail("token", "none found", LOGIN_HINT));
        return;
    };
    let mut detail = format!("{}... from {}", token.raw_prefix(), source.describe());
    let secrets = [token.expose().to_owned()];
    let age = settings
        .saved_at()
        .map(|saved| age_in_days(saved, &secrets));
    match age {
        Some(Ok(days)) => {
            detail.push_str(&format!(", saved {}", days_ago(days)));
            match expiry_warning(days, &settings.login_command()) {
                Some(warning) if is_expired(days) => {
                    checks.add(Check::fail("token", detail, warning));
                    return;
                }
                Some(warning) => detail.push_str(&format!(" ({warning})")),
                None => {}
            }
        }
        Some(Err(warning)) => detail.push_str(&format!(" ({warning})")),
        None => {}
    }
    checks.add(Check::pass("token", detail));
}
