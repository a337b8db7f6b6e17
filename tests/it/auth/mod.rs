//! Logging in and out, and finding out which token is in use.

mod config_file;
mod git_ignore;
mod ingest;
mod login;
mod logout;
mod profiles;
mod token_age;
mod whoami;
mod whoami_otlp;
