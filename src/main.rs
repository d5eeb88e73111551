//! The `jixiao` command line: a thin shell over the library's [`jixiao::cli`].

fn main() -> std::process::ExitCode {
    let terminal = jixiao::cli::Terminal::detect();
    jixiao::cli::run_on(
        std::env::args_os(),
        Box::new(std::io::stdin()),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
        terminal,
    )
    .into()
}
