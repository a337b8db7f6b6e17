//! `kopai login`, `logout` and `whoami`: the token, where it is kept, and whether it works.

pub mod login;
pub mod logout;
pub mod whoami;
