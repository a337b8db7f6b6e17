//! `kopai login`, `logout`, `whoami` and `profiles`: the token, where it is kept, and whether
//! it works.

pub mod login;
pub mod logout;
pub mod profiles;
mod token_input;
pub mod whoami;
