//! README "Questions": each command there is run against a fake Kopai that answers the
//! questions' queries (each body held to the schema's rules), and its output must be exactly
//! what the README shows under it, so the README cannot drift from what the binary prints.

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::kopai_answers::schema_problem;
use crate::common::*;

const README: &str = include_str!("../../../README.md");
const START: &str = "<!-- questions: checked by tests/it/query/questions.rs -->";
const END: &str = "<!-- /questions -->";

/// One answer per question, told apart by route, grouping and output.
struct Questions;

impl Respond for Questions {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let route = request.url.path();
        if let Some(problem) = schema_problem(route, &body) {
            return ResponseTemplate::new(400).set_body_json(json!({
                "type": "about:blank", "title": "Invalid query", "status": 400, "detail": problem
            }));
        }
        let series = body["output"]["type"] == "timeSeries";
        let by = body["dimensions"][0].as_str().unwrap_or_default();
        let answer = match (route, by, series) {
            ("/signals/query/traces/aggregate", "service.name", false) => which_service(),
            ("/signals/query/traces/aggregate", "http.route", false) => how_slow(),
            ("/signals/query/traces/aggregate", "service.name", true) => since_the_deploy(),
            ("/signals/query/metrics/aggregate", "", true) => one_metric(),
            ("/signals/query/logs/aggregate", "service.name", false) => log_volume(),
            _ => return ResponseTemplate::new(500),
        };
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

fn which_service() -> Value {
    json!({"data": [
        {"service.name": "payment-service", "requests": 1840, "error_rate": 0.0734,
         "p50": 182000000, "p95": 1910000000, "p99": 3020000000_u64, "throughput": 0.51},
        {"service.name": "checkout-api", "requests": 5210, "error_rate": 0.0261,
         "p50": 61000000, "p95": 412000000, "p99": 1270000000, "throughput": 1.45},
        {"service.name": "catalog", "requests": 20480, "error_rate": 0.0004,
         "p50": 8000000, "p95": 31000000, "p99": 74000000, "throughput": 5.69}
    ]})
}

fn how_slow() -> Value {
    json!({"data": [
        {"http.route": "/checkout", "p95_duration": 1380000000, "count": 1502},
        {"http.route": "/cart", "p95_duration": 212000000, "count": 2896},
        {"http.route": "/health", "p95_duration": 2100000, "count": 812}
    ]})
}

fn since_the_deploy() -> Value {
    let rates = [0.004, 0.005, 0.003, 0.061, 0.084, 0.079];
    let rows: Vec<Value> = rates
        .iter()
        .enumerate()
        .map(|(i, rate)| {
            json!({"service.name": "checkout-api",
                "bucket_start": format!("2026-12-04T14:{:02}:00.000Z", i * 10),
                "requests": 860 + i * 7, "error_rate": rate,
                "p50": 60000000 + i * 1000000, "p95": 390000000 + i * 40000000,
                "p99": 1100000000 + i * 90000000, "throughput": 1.43 + i as f64 / 100.0})
        })
        .collect();
    json!({ "data": rows })
}

fn one_metric() -> Value {
    let values = [0.41, 0.44, 0.43, 0.71, 0.88, 0.86];
    let rows: Vec<Value> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({"bucket_start": format!("2026-12-04T14:{:02}:00.000Z", i * 10), "avg_value": v})
        })
        .collect();
    json!({ "data": rows })
}

fn log_volume() -> Value {
    json!({"data": [
        {"service.name": "payment-service", "records": 412},
        {"service.name": "checkout-api", "records": 136},
        {"service.name": "catalog", "records": 3}
    ]})
}

/// `$ kopai …` lines and the output under each, from the README's console blocks.
fn examples() -> Vec<(String, String)> {
    let section = README
        .split(START)
        .nth(1)
        .and_then(|rest| rest.split(END).next())
        .expect("README has the questions section");
    let mut examples: Vec<(String, String)> = Vec::new();
    for block in section.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        for line in block.lines() {
            match line.strip_prefix("$ ") {
                Some(command) => examples.push((command.to_owned(), String::new())),
                None => {
                    let (_, output) = examples.last_mut().expect("a command first");
                    output.push_str(line);
                    output.push('\n');
                }
            }
        }
    }
    examples
}

/// A command line as a shell splits it: words, with '…' quoting.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

#[tokio::test]
async fn the_readme_questions_print_what_the_readme_shows() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(Questions)
        .mount(&server)
        .await;
    let examples = examples();
    assert_eq!(examples.len(), 5, "the five questions");
    let mut wrong = Vec::new();
    for (command, expected) in &examples {
        let words = shell_words(command);
        assert_eq!(words[0], "kopai");
        let mut args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        // What a terminal 100 columns wide shows, in UTC.
        args.push("--table");
        let out = kopai_with(&server.uri(), &args, |cmd| {
            cmd.env("COLUMNS", "100").env("TZ", "UTC");
        });
        assert_ok(&out);
        assert_eq!(out.stderr, "", "{command}");
        if out.stdout != *expected {
            wrong.push(format!("$ {command}\n{}", out.stdout));
        }
    }
    assert!(
        wrong.is_empty(),
        "README Questions differ from what kopai prints; it prints:\n{}",
        wrong.join("\n")
    );
}
