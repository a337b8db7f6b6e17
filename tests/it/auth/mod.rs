//! Logging in and out, and finding out which token is in use.

mod git_ignore;
mod login;
mod whoami;
