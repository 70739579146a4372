//! Inline SVG charts: no script, no external file, readable in print. Colours come from
//! the stylesheet (classes), so the charts follow the light and dark themes.

use crate::markdown::escape;

/// One bar: a label, its value, a second value drawn as a tick (p90), a CSS class.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The label on the left.
    pub label: String,
    /// The bar's length (e.g. the median).
    pub value: f64,
    /// A tick drawn across the bar (e.g. the p90), if any.
    pub tick: Option<f64>,
    /// The value written at the end of the bar.
    pub text: String,
    /// The CSS class of the bar (`sev1`, …).
    pub class: String,
}

/// A horizontal bar chart; `title` is read out by screen readers (the data table next to
/// it carries the same figures).
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let row = 30.0;
    let (label_w, chart_w, text_w) = (150.0, 340.0, 200.0);
    let width = label_w + chart_w + text_w;
    let height = row * bars.len() as f64 + 10.0;
    let max = bars
        .iter()
        .map(|b| b.tick.unwrap_or(0.0).max(b.value))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut svg = format!(
        "<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let w = (b.value / max * chart_w).max(1.0);
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 19.0,
            escape(&b.label)
        ));
        svg.push_str(&format!(
            "<rect class=\"bar {}\" x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"20\" rx=\"3\"/>",
            escape(&b.class),
            y + 4.0
        ));
        if let Some(t) = b.tick {
            let x = label_w + t / max * chart_w;
            svg.push_str(&format!(
                "<line class=\"tick\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
                y + 1.0,
                y + 27.0
            ));
        }
        svg.push_str(&format!(
            "<text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w + chart_w + 8.0,
            y + 19.0,
            escape(&b.text)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A vertical column chart of counts (incidents per quarter).
pub fn columns(title: &str, columns: &[(String, usize)]) -> String {
    let (col, gap, top, bottom, chart_h) = (48.0, 14.0, 20.0, 24.0, 150.0);
    let width = (col + gap) * columns.len().max(1) as f64 + gap;
    let height = top + chart_h + bottom;
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    for (i, (label, n)) in columns.iter().enumerate() {
        let x = gap + (col + gap) * i as f64;
        let h = (*n as f64 / max * chart_h).max(1.0);
        let y = top + chart_h - h;
        svg.push_str(&format!(
            "<rect class=\"bar count\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{col}\" height=\"{h:.1}\" rx=\"3\"/>\
             <text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>\
             <text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + col / 2.0,
            y - 5.0,
            x + col / 2.0,
            height - 6.0,
            escape(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let svg = bars(
            "<x>",
            &[Bar {
                label: "<script>".into(),
                value: 1.0,
                tick: Some(2.0),
                text: "1m".into(),
                class: "sev1".into(),
            }],
        );
        assert!(!svg.contains("<script>") && !svg.contains("\"<x>\""));
        assert!(columns("q", &[("2026-Q1".into(), 3)]).contains(">3<"));
    }
}
