//! rust-app: a binary with no crates, linked against glibc (gnu target).
use std::env;

fn main() {
    let who = env::var("USER").unwrap_or_else(|_| "nobody in particular".to_string());
    let sum: u64 = (1..=100).sum();
    println!("hello from rust-app: 1+..+100 = {sum}, user {who}");
}
