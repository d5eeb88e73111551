//! What the two sheet targets share: read a sheet in one format and, when it reads, score it
//! under the national rules and render it as JSON and as an explained table.

use std::sync::LazyLock;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::sheet::{self, Format};

static POLICY: LazyLock<Option<Policy>> = LazyLock::new(|| {
    Library::embedded().resolve("national/2020", &mut Sources::new()).ok().map(|c| c.policy)
});

fn score(text: &str, format: Format) {
    if let Ok(s) = sheet::load(text, format)
        && let Some(p) = POLICY.as_ref()
    {
        let score = jixiao::evaluate(p, &s);
        let view = jixiao::report::View {
            policy: p,
            sheet: &s,
            score: &score,
            sheet_name: "fuzz",
            lang: jixiao::words::Lang::En,
            text: None,
        };
        let _ = jixiao::report::json::sheet(&view);
        let _ = jixiao::report::table::render(&view, true);
    }
}

/// The input whole, and for JSON each of its lines as well (JSON Lines are read a line at a time).
pub fn run(data: &[u8], format: Format) {
    if let Ok(text) = std::str::from_utf8(data) {
        score(text, format);
        if format == Format::Json && text.contains('\n') {
            text.lines().for_each(|line| score(line, format));
        }
    }
}
