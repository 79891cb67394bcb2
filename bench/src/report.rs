//! The results and their Markdown table.

use std::time::Duration;

use humiao_tests::database::Engine;

use crate::Options;

#[derive(Default)]
pub struct Report {
    pub writes: Vec<WriteRow>,
    pub charts: Vec<ChartRow>,
}

/// One chart's drawing times for a city-year (see `charts.rs`).
pub struct ChartRow {
    pub slug: &'static str,
    pub svg_bytes: usize,
    pub png_bytes: usize,
    /// The data gave the empty state, so the time says little.
    pub empty: bool,
    pub svg: Vec<Duration>,
    /// Drawing the SVG and rasterising it.
    pub png: Vec<Duration>,
}

/// The target for drawing one chart.
pub const CHART_TARGET: Duration = Duration::from_millis(20);

fn median_and_max(samples: &[Duration]) -> (Duration, Duration) {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    (
        sorted.get(sorted.len() / 2).copied().unwrap_or_default(),
        sorted.last().copied().unwrap_or_default(),
    )
}

pub struct WriteRow {
    pub engine: Engine,
    pub health_rps: f64,
    pub write_rps: f64,
    pub latency: Latency,
    pub failed: usize,
    pub acknowledged: usize,
    pub stored: usize,
    pub memory_mib: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
}

impl Latency {
    pub fn of(mut samples: Vec<Duration>) -> Latency {
        samples.sort_unstable();
        let at = |q: f64| {
            samples
                .get(((samples.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        Latency {
            p50: at(0.50),
            p99: at(0.99),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn mib(m: Option<f64>) -> String {
    m.map(|m| format!("{m:.0}")).unwrap_or_else(|| "?".into())
}

impl Report {
    pub fn markdown(&self, options: &Options) -> String {
        let mut out = String::new();
        if !self.writes.is_empty() {
            out.push_str(&self.writes_table(options));
        }
        if !self.charts.is_empty() {
            out.push_str(&self.charts_table());
        }
        out
    }

    fn charts_table(&self) -> String {
        let mut out = format!(
            "\n#### Charts: drawing each chart for a city-year (2025, city scale), {} runs each\n\n",
            self.charts.first().map_or(0, |c| c.svg.len())
        );
        out.push_str("| chart | SVG median ms | SVG max ms | PNG median ms | PNG max ms | SVG KiB | PNG KiB | ≤ 20 ms |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for c in &self.charts {
            let (svg_p50, svg_max) = median_and_max(&c.svg);
            let (png_p50, png_max) = median_and_max(&c.png);
            out.push_str(&format!(
                "| {}{} | {} | {} | {} | {} | {:.0} | {:.0} | {} |\n",
                c.slug,
                if c.empty { " (empty)" } else { "" },
                ms(svg_p50),
                ms(svg_max),
                ms(png_p50),
                ms(png_max),
                c.svg_bytes as f64 / 1024.0,
                c.png_bytes as f64 / 1024.0,
                if svg_max <= CHART_TARGET && png_max <= CHART_TARGET {
                    "yes"
                } else if svg_p50 <= CHART_TARGET && png_p50 <= CHART_TARGET {
                    "median yes, max **no**"
                } else {
                    "**no**"
                },
            ));
        }
        out
    }

    fn writes_table(&self, options: &Options) -> String {
        let mut out = format!(
            "#### Writes: {} clients posting sessions for {} s (release server, {} cores)\n\n",
            options.clients,
            options.write_secs,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        out.push_str("| engine | health req/s | session writes/s | writes ÷ health | p50 ms | p99 ms | failed | acknowledged = stored | server peak RSS MiB |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for w in &self.writes {
            out.push_str(&format!(
                "| {} | {:.0} | {:.0} | {:.2} | {} | {} | {} | {} |{}|\n",
                w.engine.name(),
                w.health_rps,
                w.write_rps,
                w.write_rps / w.health_rps.max(1.0),
                ms(w.latency.p50),
                ms(w.latency.p99),
                w.failed,
                if w.acknowledged == w.stored {
                    format!("yes ({})", w.stored)
                } else {
                    format!("**no**: {} vs {}", w.acknowledged, w.stored)
                },
                mib(w.memory_mib),
            ));
        }
        out
    }
}
