//! The report's charts: a few rects, paths and texts of inline SVG, drawn
//! by hand. Each chart has a `viewBox` of a fixed width and scales to its
//! box (CSS `width: 100%`), so it reads the same on a phone and on paper.
//! Text is laid out by the browser (CJK included); its width is estimated
//! from the characters' display width, enough to size a label column and
//! to shorten a label that would not fit (the full text is its tooltip).

use maud::{html, Markup};
use unicode_width::UnicodeWidthStr;

/// Every chart's width in user units; its height follows its rows.
pub const WIDTH: f64 = 400.0;
/// The text size in user units.
const FONT: f64 = 14.0;
/// The widest a label column gets before labels are shortened.
const MAX_LABEL: f64 = 150.0;

/// The width `s` takes at `FONT`: a narrow character about 0.58 em, a
/// wide (CJK) one about 1.1 em. Generous, so nothing is cut.
pub fn text_width(s: &str) -> f64 {
    s.width() as f64 * FONT * 0.58
}

/// `s` cut with an ellipsis to fit `room`.
pub fn fit(s: &str, room: f64) -> String {
    if text_width(s) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}…");
        if text_width(&next) > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A number for an attribute: one decimal is plenty.
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// One bar: its length as a value, its label, the text printed after it.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    pub color: &'static str,
}

/// Horizontal bars, one per row, scaled to the largest value (or `max`
/// when given, e.g. 1.0 for rates).
pub fn hbars(title: &str, bars: &[Bar], max: Option<f64>) -> Markup {
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label))
        .fold(0.0, f64::max)
        .clamp(30.0, MAX_LABEL)
        + 8.0;
    let text_w = bars.iter().map(|b| text_width(&b.text)).fold(0.0, f64::max) + 10.0;
    let room = (WIDTH - label_w - text_w).max(40.0);
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let scale = max.unwrap_or(top).max(top);
    let row = 24.0;
    let height = bars.len() as f64 * row + 6.0;
    html! {
        svg.chart viewBox={"0 0 " (n(WIDTH)) " " (n(height))} role="img"
            aria-label=(title) font-size=(n(FONT)) {
            title { (title) }
            @for (i, b) in bars.iter().enumerate() {
                @let y = 3.0 + i as f64 * row;
                @let len = if scale > 0.0 { b.value / scale * room } else { 0.0 };
                g {
                    title { (b.label) ": " (b.text) }
                    text x=(n(label_w - 8.0)) y=(n(y + row / 2.0 + 4.0)) text-anchor="end" {
                        (fit(&b.label, MAX_LABEL))
                    }
                    rect x=(n(label_w)) y=(n(y + 4.0)) width=(n(len.max(0.0))) height=(n(row - 8.0))
                        fill=(b.color) rx="2" {}
                    text x=(n(label_w + len + 5.0)) y=(n(y + row / 2.0 + 4.0)) { (b.text) }
                }
            }
            line x1=(n(label_w)) x2=(n(label_w)) y1="0" y2=(n(height)) stroke="#9aa5b1" {}
        }
    }
}

/// One group of bars per row (a CSM and their rates): `values` as many
/// as `series`, `None` drawn as a dash.
pub struct Group {
    pub label: String,
    pub values: Vec<(Option<f64>, String)>,
}

/// Grouped horizontal bars, scaled to `max` or the largest value.
pub fn grouped(
    title: &str,
    series: &[(String, &'static str)],
    groups: &[Group],
    max: f64,
) -> Markup {
    let label_w = groups
        .iter()
        .map(|g| text_width(&g.label))
        .fold(0.0, f64::max)
        .clamp(30.0, MAX_LABEL)
        + 8.0;
    let text_w = text_width("100.0%") + 10.0;
    let room = (WIDTH - label_w - text_w).max(40.0);
    let top = groups
        .iter()
        .flat_map(|g| g.values.iter().filter_map(|v| v.0))
        .fold(0.0, f64::max);
    let scale = max.max(top);
    let bar = 12.0;
    let gap = 12.0;
    let per = series.len() as f64 * (bar + 2.0) + gap;
    let height = groups.len() as f64 * per + gap / 2.0;
    html! {
        svg.chart viewBox={"0 0 " (n(WIDTH)) " " (n(height))} role="img"
            aria-label=(title) font-size=(n(FONT)) {
            title { (title) }
            @for (i, g) in groups.iter().enumerate() {
                @let y0 = gap / 2.0 + i as f64 * per;
                g {
                    title { (g.label) }
                    text x=(n(label_w - 8.0)) y=(n(y0 + (per - gap) / 2.0 + 4.0)) text-anchor="end" {
                        (fit(&g.label, MAX_LABEL))
                    }
                    @for (j, (v, text)) in g.values.iter().enumerate() {
                        @let y = y0 + j as f64 * (bar + 2.0);
                        @let len = v.map_or(0.0, |v| if scale > 0.0 { v / scale * room } else { 0.0 });
                        @let (name, color) = &series[j];
                        g {
                            title { (g.label) " · " (name) ": " (text) }
                            rect x=(n(label_w)) y=(n(y)) width=(n(len.max(0.0))) height=(n(bar))
                                fill=(color) rx="2" {}
                            text x=(n(label_w + len + 5.0)) y=(n(y + bar - 2.0)) font-size="12" { (text) }
                        }
                    }
                }
            }
            line x1=(n(label_w)) x2=(n(label_w)) y1="0" y2=(n(height)) stroke="#9aa5b1" {}
        }
    }
}

/// A line chart of rates over points on the x axis: `x` labels (a
/// second line under some, e.g. the year), and per series its values
/// (`None`: a gap).
pub fn lines(
    title: &str,
    x: &[(String, Option<String>)],
    series: &[(String, &'static str, Vec<Option<f64>>)],
) -> Markup {
    let (left, right, top, bottom) = (44.0, 14.0, 10.0, 40.0);
    let height = 230.0;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let highest = series
        .iter()
        .flat_map(|s| s.2.iter().flatten().copied())
        .fold(1.0, f64::max);
    // Gridlines every 25 %, up past the highest value (an amount rate
    // passes 100 % when renewals grew).
    let ymax = (highest * 4.0).ceil() / 4.0;
    let steps = (ymax / 0.25).round() as usize;
    let px = |i: usize| {
        if x.len() <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (x.len() - 1) as f64
        }
    };
    let py = |v: f64| top + plot_h * (1.0 - v / ymax);
    let label_every = if steps > 8 { 2 } else { 1 };
    // Month names every other point when they would touch, the last one
    // always named.
    let spacing = plot_w / (x.len().max(2) - 1) as f64;
    let widest = x
        .iter()
        .map(|(l, _)| text_width(l) * 12.0 / FONT)
        .fold(0.0, f64::max);
    let x_every = if widest + 6.0 > spacing { 2 } else { 1 };
    let named = |i: usize| (x.len() - 1 - i).is_multiple_of(x_every);
    html! {
        svg.chart viewBox={"0 0 " (n(WIDTH)) " " (n(height))} role="img"
            aria-label=(title) font-size=(n(FONT)) {
            title { (title) }
            @for k in 0..=steps {
                @let v = k as f64 * 0.25;
                line x1=(n(left)) x2=(n(WIDTH - right)) y1=(n(py(v))) y2=(n(py(v)))
                    stroke=(if k == 0 { "#9aa5b1" } else { "#e4e7eb" }) {}
                @if k % label_every == 0 {
                    text x=(n(left - 6.0)) y=(n(py(v) + 4.0)) text-anchor="end" font-size="12" {
                        (format!("{:.0}%", v * 100.0))
                    }
                }
            }
            @for (i, (label, under)) in x.iter().enumerate() {
                @if named(i) {
                    text x=(n(px(i))) y=(n(height - bottom + 16.0)) text-anchor="middle" font-size="12" { (label) }
                }
                @if let Some(u) = under {
                    text x=(n(px(i))) y=(n(height - bottom + 31.0)) text-anchor="middle" font-size="12"
                        fill="#52606d" { (u) }
                }
            }
            @for (name, color, values) in series {
                path d=(path_of(values, &px, &py)) fill="none" stroke=(color) stroke-width="2.5"
                    stroke-linejoin="round" {}
                @for (i, v) in values.iter().enumerate() {
                    @if let Some(v) = v {
                        circle cx=(n(px(i))) cy=(n(py(*v))) r="3.5" fill=(color) {
                            title { (name) " " (x[i].0) ": " (format!("{:.1}%", v * 100.0)) }
                        }
                    }
                }
            }
        }
    }
}

/// The path through the points, broken where a value is missing.
fn path_of(values: &[Option<f64>], px: &dyn Fn(usize) -> f64, py: &dyn Fn(f64) -> f64) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                d.push_str(if pen_down { " L" } else { " M" });
                d.push_str(&format!("{} {}", n(px(i)), n(py(*v))));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d.trim_start().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_is_cut_to_fit_and_a_short_one_is_kept() {
        assert_eq!(fit("王芳", 100.0), "王芳");
        let cut = fit(&"很长的客户经营接口人名字".repeat(3), 100.0);
        assert!(cut.ends_with('…') && text_width(&cut) <= 100.0, "{cut}");
        assert!(text_width("王芳") > text_width("ab"));
    }

    #[test]
    fn month_names_that_would_touch_are_shown_every_other_one() {
        let x = |label: &str| -> Vec<(String, Option<String>)> {
            (0..12).map(|_| (label.to_string(), None)).collect()
        };
        let series = [("r".to_string(), "#000", vec![Some(0.5); 12])];
        let wide = lines("t", &x("10月"), &series).into_string();
        assert_eq!(wide.matches(">10月<").count(), 6);
        let narrow = lines("t", &x("D"), &series).into_string();
        assert_eq!(narrow.matches(">D<").count(), 12);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let px = |i: usize| i as f64 * 10.0;
        let py = |v: f64| v * 100.0;
        let d = path_of(&[Some(0.5), Some(1.0), None, Some(0.25)], &px, &py);
        assert_eq!(d, "M0 50 L10 100 M30 25");
        assert_eq!(path_of(&[None, None], &px, &py), "");
    }

    #[test]
    fn svg_elements_are_closed_so_html_does_not_nest_them() {
        let bars = [Bar {
            label: "a".into(),
            value: 1.0,
            text: "1".into(),
            color: "#000",
        }];
        let s = hbars("t", &bars, None).into_string();
        assert!(s.contains("</rect>") && !s.contains("<rect/>"), "{s}");
        assert_eq!(s.matches("<rect").count(), s.matches("</rect>").count());
    }
}
