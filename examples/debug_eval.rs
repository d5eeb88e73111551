fn main() {
    let rules = std::env::args().nth(1).expect("rules");
    let sheet_path = std::env::args().nth(2).expect("sheet");
    let text = std::fs::read_to_string(&rules).expect("read");
    let mut sources = jixiao::diagnostic::Sources::new();
    let id = sources.add(rules.clone(), text.clone());
    let file = jixiao::syntax::parse(&text).expect("parse");
    let checked = jixiao::check::check_file(&file, id, &sources).expect("check");
    let st = std::fs::read_to_string(&sheet_path).expect("read sheet");
    let sheet = jixiao::sheet::load(&st, jixiao::sheet::Format::Toml).expect("sheet");
    let score = jixiao::eval::evaluate(&checked.policy, &sheet);
    for s in &score.indicators {
        let ind = &sheet.indicators[s.position];
        println!(
            "{} | w={} {:?} dir={:?} m={:?} c={:?} t={:?} a={:?} score={:?} claimed={:?} flags={:?} notes={:?} err={:?}",
            ind.name,
            s.weight,
            s.weight_source,
            s.direction,
            s.method.map(|m| &checked.policy.methods[m].name),
            s.clause,
            s.target,
            s.actual,
            s.score,
            s.claimed,
            s.flags.iter().map(|f| &checked.policy.flags[f.flag].name).collect::<Vec<_>>(),
            s.notes,
            s.error
        );
    }
    println!("budget {:?}", score.budget);
    for g in &score.groups {
        println!(
            "group {:?} {:?} {:?} w={} s={} c={:?} flags={:?}",
            checked.policy.scheme.nodes[g.level1].label,
            g.level2.map(|n| &checked.policy.scheme.nodes[n].label),
            g.unmatched,
            g.weight,
            g.score,
            g.claimed,
            g.flags.iter().map(|f| &checked.policy.flags[f.flag].name).collect::<Vec<_>>()
        );
    }
    println!(
        "sum={} total={} grade={:?} claimed={:?} complete={} flags={:?}",
        score.sum, score.total, score.grade, score.claimed_total, score.complete, score.flags
    );
}
