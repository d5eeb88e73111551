fn main() {
    let path = std::env::args().nth(1).expect("path");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut sources = jixiao::diagnostic::Sources::new();
    let id = sources.add(path.clone(), text.clone());
    match jixiao::syntax::parse(&text) {
        Err(errs) => {
            for e in errs {
                let d = e.to_diagnostic(id);
                println!("{} {}: {}", sources.location(id, d.span.start), d.code, d.message.en);
            }
        }
        Ok(file) => {
            println!("{file}");
            match jixiao::check::check_file(&file, id, &sources) {
                Ok(c) => {
                    println!("OK hash={} warnings={}", c.policy.hash, c.warnings.len());
                    for d in c.warnings {
                        println!("W {} {}: {}", sources.location(id, d.span.start), d.code, d.message.en);
                    }
                }
                Err(e) => {
                    for d in e.diagnostics {
                        println!(
                            "{:?} {} {}: {} {:?}",
                            d.severity,
                            sources.location(id, d.span.start),
                            d.code,
                            d.message.en,
                            d.help.map(|h| h.en)
                        );
                    }
                }
            }
        }
    }
}
