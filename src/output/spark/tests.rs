use super::*;

#[test]
fn a_sparkline_scales_to_its_own_range_and_leaves_gaps() {
    let values = [Some(0.0), Some(7.0), None, Some(3.5), Some(7.0)];
    assert_eq!(sparkline(&values, 5), "▁█ ▅█");
    assert_eq!(sparkline(&values, 11), "▁▁▁██  ▅▅██");
}

#[test]
fn a_constant_series_sits_in_the_middle() {
    assert_eq!(sparkline(&[Some(5.0), Some(5.0), Some(5.0)], 3), "▄▄▄");
    assert_eq!(sparkline(&[Some(0.0), None, Some(0.0)], 3), "▄ ▄");
}

#[test]
fn a_single_point_fills_the_width() {
    assert_eq!(sparkline(&[Some(42.0)], 4), "▄▄▄▄");
    assert_eq!(sparkline(&[Some(42.0), None, None, None], 4), "▄   ");
}

#[test]
fn all_nulls_are_all_gaps() {
    assert_eq!(sparkline(&[None, None], 4), "    ");
    assert_eq!(sparkline(&[], 4), "");
    assert_eq!(range([].into_iter()), (None, None));
}

#[test]
fn negative_values_scale_like_any_other() {
    let values = [Some(-10.0), Some(-5.0), Some(0.0)];
    assert_eq!(sparkline(&values, 3), "▁▅█");
}

#[test]
fn huge_numbers_of_opposite_sign_do_not_overflow() {
    let values = [Some(-1e308), Some(0.0), Some(1e308)];
    assert_eq!(sparkline(&values, 3), "▁▅█");
    assert_eq!(position(f64::MAX, -f64::MAX, f64::MAX), 1.0);
    let mean_of_huge = resample(&[Some(f64::MAX), Some(f64::MAX)], 1);
    assert_eq!(mean_of_huge, vec![Some(f64::MAX)]);
}

#[test]
fn long_series_are_averaged_into_the_width() {
    let values: Vec<Option<f64>> = (0..100).map(|i| Some(f64::from(i))).collect();
    let line = sparkline(&values, 10);
    assert_eq!(line.chars().count(), 10);
    assert!(line.starts_with('▁') && line.ends_with('█'), "{line}");
    let half: Vec<Option<f64>> = (0..100).map(|i| (i >= 50).then_some(1.0)).collect();
    assert_eq!(sparkline(&half, 10), "     ▄▄▄▄▄");
}

#[test]
fn values_are_shown_in_the_measures_units() {
    assert_eq!(value_text(&CellKind::Duration("d".into()), 412e6), "412 ms");
    assert_eq!(value_text(&CellKind::Ratio("r".into()), 0.031), "3.1 %");
    assert_eq!(value_text(&CellKind::PerSecond("t".into()), 12.4), "12.4/s");
    assert_eq!(value_text(&CellKind::Number("n".into()), -3.0), "-3");
}
