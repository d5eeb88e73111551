//! Embedding jixiao: compile a policy, read a sheet, score it, and print why each row scored
//! what it did. Run it with `cargo run --example embed`.

use jixiao::report::View;
use jixiao::{Format, Lang, Library, ScoreSheet, Sources};

fn score_seed(lang: Lang) -> Result<ScoreSheet, Box<dyn std::error::Error>> {
    let mut sources = Sources::new();
    let policy = Library::embedded().resolve("national/2020", &mut sources)?.policy;
    let text = include_str!("zhuzhou-2022-qixie.toml");
    let sheet = jixiao::sheet::load(text, Format::Toml)
        .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
    let score = jixiao::evaluate(&policy, &sheet);
    let view = View { policy: &policy, sheet: &sheet, score: &score, sheet_name: "seed", lang, text: None };
    for row in &score.indicators {
        println!("{}", view.explain(row));
    }
    println!("total {} ({})", score.total, score.grade.as_deref().unwrap_or("-"));
    Ok(score)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    score_seed(Lang::En).map(|_| ())
}

#[test]
fn the_seed_scores_as_documented() {
    let score = score_seed(Lang::Zh).expect("the bundled policy and the seed read");
    assert_eq!(score.total.to_string(), "88.80");
    assert_eq!(score.grade.as_deref(), Some("良"));
}
