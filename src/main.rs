use std::io::Write;

fn main() {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let code = match kubecred::cli::run(&argv0, args.collect()) {
        Ok(()) => 0,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "{}", kubecred::cli::error_line(&argv0, &error));
            error.exit_code()
        }
    };
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}
