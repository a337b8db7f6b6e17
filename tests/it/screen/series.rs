//! A KopaiQuery time series on a terminal: one sparkline per group and measure across the free
//! width, a missing bucket and a null as gaps.

use super::*;
use crate::query::kopai_answers::{query_server, series_answer};

#[tokio::test]
async fn sparklines_fit_80_and_120_with_gaps() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let line = "query traces -m count -m error_rate --by service.name --since 2h --every 5m";
    for columns in [80, 120] {
        let shown = screen(&server.uri(), line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        let api = visible(&shown).into_iter().find(|l| l.starts_with("api "));
        assert!(
            api.is_some_and(|l| l.contains("▃  ") || l.contains("▃   ")),
            "{shown}"
        );
        insta::assert_snapshot!(format!("sparklines_{columns}"), shown);
    }
    // The fake server answers 400 to a body the schema refuses: both were time series.
    for body in bodies(&server).await {
        assert_eq!(body["output"]["type"], "timeSeries");
    }
}

#[tokio::test]
async fn a_chart_fits_80_and_120_with_a_legend_and_local_times() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let line = "query traces -m count --by service.name --since 2h --every 5m --chart";
    for columns in [80, 120] {
        let env = [("LANG", "C.UTF-8"), ("LC_ALL", ""), ("LC_CTYPE", "")];
        let shown = screen(&server.uri(), line, columns, "Europe/Berlin", &env);
        assert_fits(&shown, columns as usize);
        assert!(shown.contains("● api   ○ db"), "{shown}");
        // Local time: the first bucket is 21:00 UTC, 22:00 in Berlin.
        assert!(shown.contains("22:00"), "{shown}");
        insta::assert_snapshot!(format!("chart_{columns}"), shown);
    }
}
