//! `kopai doctor`: check the whole path, config to ingest.

use clap::Args;

pub const HELP: &str = "\
Checks, one line each (✓ pass, ✗ fail with what to do, - skipped): the config file and
profile; the token (present, age, not expired); the API URL (not the OTLP port by mistake),
DNS, TCP, TLS (the certificate's issuer and expiry), HTTP; the token accepted; what the
server supports; clock skew against the server's Date; ingest: a test span (service
kopai-doctor, attribute kopai.doctor.test=true) sent to the OTLP endpoint and looked for
through the API until --timeout, with the delay (skipped without an ingest token).

Exit codes: 0 every check passed (or was skipped), 1 any failed.

Examples:
  kopai doctor
  kopai doctor --json                 One JSON object: {\"ok\": …, \"checks\": […]}
  kopai doctor --timeout 1m           Wait longer for the test span";

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// One JSON object with every check
    #[arg(long)]
    pub json: bool,
}
