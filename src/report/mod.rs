//! Renderers: one per output format, over the library's own types.

pub mod bom;
pub mod compare;
pub mod design;
pub mod diff;
pub mod html;
pub mod lint;
pub mod markdown;
pub mod profiles;
pub mod quorum;
pub mod rules;
pub mod schemas;
pub mod size;
pub mod stream;
pub mod whatif;
pub mod workloads;

use anstyle::{AnsiColor, Style};

/// Colour choices for human output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Paint {
    pub enabled: bool,
}

impl Paint {
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
    pub fn color(&self, c: AnsiColor, text: &str) -> String {
        self.paint(Style::new().bold().fg_color(Some(c.into())), text)
    }
}

/// A table as every command draws one: condensed UTF-8 borders, columns
/// that wrap to fit, at most `width` wide when the terminal's is known.
pub(crate) fn table(header: Vec<&str>, width: Option<u16>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(header);
    if let Some(w) = width {
        t.set_width(w);
    }
    t
}
