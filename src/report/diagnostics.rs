//! Drawing diagnostics with ariadne, with byte offsets so labels land right under Chinese text.

use ariadne::{Config, IndexType, Label, Report, ReportKind};

use crate::diagnostic::{Diagnostic, Severity, Sources};
use crate::words::Lang;

/// Draw diagnostics as text (with ANSI colour when `color`).
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, lang: Lang, color: bool) -> String {
    let mut out = Vec::new();
    let cache =
        ariadne::sources(sources.iter().map(|(_, f)| (f.name.clone(), f.text.clone())).collect::<Vec<_>>());
    let mut cache = cache;
    for d in diagnostics {
        let name = sources.name(d.file).to_string();
        let len = sources.get(d.file).map_or(0, |f| f.text.len());
        let clamp = |r: std::ops::Range<usize>| r.start.min(len)..r.end.min(len).max(r.start.min(len));
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let config = Config::default().with_index_type(IndexType::Byte).with_color(color);
        let mut report = Report::build(kind, (name.clone(), clamp(d.span.range())))
            .with_config(config)
            .with_code(d.code)
            .with_message(d.message.get(lang));
        // ariadne draws only labels with a message.
        let label = d.label.clone().unwrap_or_else(|| crate::diagnostic::default_label(d.code));
        let text = label.get(lang).to_string();
        let main = Label::new((name.clone(), clamp(d.span.range()))).with_message(text);
        report = report.with_label(main);
        for l in &d.labels {
            let lname = sources.name(l.file).to_string();
            let llen = sources.get(l.file).map_or(0, |f| f.text.len());
            let r = l.span.range();
            let r = r.start.min(llen)..r.end.min(llen).max(r.start.min(llen));
            report = report.with_label(Label::new((lname, r)).with_message(l.message.get(lang)));
        }
        if let Some(h) = &d.help {
            report = report.with_help(h.get(lang));
        }
        for n in &d.notes {
            report = report.with_note(n.get(lang));
        }
        let _ = report.finish().write(&mut cache, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One line per diagnostic: `file:line:column: error[code]: message`.
pub fn render_short(diagnostics: &[Diagnostic], sources: &Sources, lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => lang.pick("error", "错误"),
            Severity::Warning => lang.pick("warning", "警告"),
        };
        out.push_str(&format!(
            "{}: {level}[{}]: {}\n",
            sources.location(d.file, d.span.start),
            d.code,
            d.message.get(lang)
        ));
    }
    out
}
