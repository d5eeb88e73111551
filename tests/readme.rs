//! The README's language tour is a real policy: it must parse and check without errors.

mod common;

#[test]
fn the_language_tour_checks() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let tour = readme.split("## A short tour of the language").nth(1).expect("a tour section");
    let code = tour.split("```").nth(1).expect("a code block in the tour");
    let (diags, sources) = common::check_text("README.md", code);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    assert!(errors.is_empty(), "{}", common::render_both(&errors, &sources));
    let policy = {
        let file = jixiao::syntax::parse(code).expect("the tour parses");
        let mut sources = jixiao::diagnostic::Sources::new();
        let id = sources.add("README.md", code);
        jixiao::check::check_file(&file, id, &sources).expect("the tour checks").policy
    };
    assert_eq!(policy.scheme.total, rust_decimal::Decimal::from(100));
    assert_eq!(policy.grades.len(), 4);
}
