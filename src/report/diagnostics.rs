//! Drawing diagnostics with ariadne, with byte offsets so labels land right under Chinese text.
//!
//! A label in another file than the diagnostic (an inherited declaration, say) is drawn as a
//! note of its own beneath it: each drawing stays within one file.

use ariadne::{Config, IndexType, Label, Report, ReportKind};

use crate::diagnostic::{Diagnostic, FileId, Severity, Sources};
use crate::words::Lang;

/// A byte range within `file`, its ends moved onto character boundaries.
fn clamp(sources: &Sources, file: FileId, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let text = sources.get(file).map_or("", |f| f.text.as_str());
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(range.start);
    let end = fix(range.end).max(start);
    start..end
}

/// Draw diagnostics as text (with ANSI colour when `color`).
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, lang: Lang, color: bool) -> String {
    let mut out = Vec::new();
    let mut cache =
        ariadne::sources(sources.iter().map(|(_, f)| (f.name.clone(), f.text.clone())).collect::<Vec<_>>());
    let config = Config::default().with_index_type(IndexType::Byte).with_color(color);
    for d in diagnostics {
        let name = sources.name(d.file).to_string();
        let span = clamp(sources, d.file, d.span.range());
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let mut report = Report::build(kind, (name.clone(), span.clone()))
            .with_config(config)
            .with_code(d.code)
            .with_message(d.message.get(lang));
        // ariadne draws only labels with a message.
        let label = d.label.clone().unwrap_or_else(|| crate::diagnostic::default_label(d.code));
        report = report.with_label(Label::new((name.clone(), span)).with_message(label.get(lang)));
        let mut elsewhere = Vec::new();
        for l in &d.labels {
            if l.file == d.file {
                let r = clamp(sources, l.file, l.span.range());
                report = report.with_label(Label::new((name.clone(), r)).with_message(l.message.get(lang)));
            } else {
                elsewhere.push(l);
            }
        }
        if let Some(h) = &d.help {
            report = report.with_help(h.get(lang));
        }
        for n in &d.notes {
            report = report.with_note(n.get(lang));
        }
        let _ = report.finish().write(&mut cache, &mut out);
        for l in elsewhere {
            let lname = sources.name(l.file).to_string();
            let r = clamp(sources, l.file, l.span.range());
            // ariadne colours custom kinds regardless of the config, so draw an advice and
            // rename it.
            let note = Report::build(ReportKind::Advice, (lname.clone(), r.clone()))
                .with_config(config)
                .with_message(l.message.get(lang))
                .with_label(Label::new((lname, r)).with_message(l.message.get(lang)))
                .finish();
            let mut buf = Vec::new();
            let _ = note.write(&mut cache, &mut buf);
            let text = String::from_utf8_lossy(&buf).replacen("Advice:", lang.pick("Note:", "说明:"), 1);
            out.extend_from_slice(text.as_bytes());
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    match lang {
        Lang::En => text,
        Lang::Zh => headings_in_chinese(&text),
    }
}

/// ariadne writes its headings in English; Chinese output gets Chinese ones.
fn headings_in_chinese(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut l = line.to_string();
            for (en, zh) in [("] Error:", "] 错误:"), ("] Warning:", "] 警告:")] {
                if let Some(i) = l.find(en) {
                    l.replace_range(i..i + en.len(), zh);
                    break;
                }
            }
            // `│ Help: …` and `│ Note: …` (the word may carry colour codes before its colon).
            for (en, zh) in [("Help", "帮助"), ("Note", "说明")] {
                let gutter_end = l.find(|c: char| c.is_alphanumeric() || c == '\u{1b}').unwrap_or(0);
                let head = &l[..gutter_end];
                if head.chars().all(|c| c == ' ' || c == '│' || c == '┆' || c == '·')
                    && l[gutter_end..].contains(en)
                {
                    let rest = &l[gutter_end..];
                    if let Some(i) = rest.find(en) {
                        let after = &rest[i + en.len()..];
                        if i < 8 && (after.starts_with(':') || after.starts_with('\u{1b}')) {
                            l = format!("{head}{}{zh}{after}", &rest[..i]);
                        }
                    }
                }
            }
            l
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
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
