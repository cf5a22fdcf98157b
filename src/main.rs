use clap::{Args, Parser, Subcommand, ValueEnum};
use fullscan::analyze::{analyze, Analysis};
use fullscan::rules::{self, Severity};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Finds the ActiveRecord associations, scopes and validations whose queries make the
/// database scan a whole table.
#[derive(Parser)]
#[command(name = "fullscan", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Number of worker threads (default: one per core).
    #[arg(long, global = true)]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the rules and report findings (the default command).
    Check(CheckArgs),
    /// Print every association with its resolved table, keys and serving index.
    Associations {
        /// Root of the Rails application.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
        format: InventoryFormat,
    },
    /// List the rules.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. unindexed-foreign-key.
        rule: String,
    },
}

#[derive(Args, Clone)]
struct CheckArgs {
    /// Root of the Rails application.
    #[arg(default_value = ".")]
    path: PathBuf,
    #[arg(long, value_enum, default_value_t = CheckFormat::Pretty)]
    format: CheckFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum InventoryFormat {
    Json,
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Pretty,
    Json,
}

fn main() -> ExitCode {
    let cli = parse_cli();
    if let Some(n) = cli.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
        {
            eprintln!("fullscan: could not set up {n} threads: {e}");
            return ExitCode::from(2);
        }
    }
    match cli.command {
        Command::Check(args) => check(args),
        Command::Associations { path, format } => associations(path, format),
        Command::Rules => {
            let mut out = String::new();
            for r in rules::all() {
                out.push_str(&format!(
                    "{:<26} {:<8} {}\n",
                    r.meta.id,
                    r.meta.severity.as_str(),
                    r.meta.summary
                ));
            }
            emit(&out)
        }
        Command::Explain { rule } => match rules::all().into_iter().find(|r| r.meta.id == rule) {
            Some(r) => emit(&format!(
                "# {}\n\n{}\n\n{}",
                r.meta.id, r.meta.summary, r.meta.doc
            )),
            None => {
                eprintln!("fullscan: unknown rule `{rule}`; `fullscan rules` lists them");
                ExitCode::from(2)
            }
        },
    }
}

/// `fullscan [OPTIONS] [PATH]` is `fullscan check [OPTIONS] [PATH]`: when the
/// arguments name no subcommand, parse them again as `check`'s.
fn parse_cli() -> Cli {
    use clap::error::ErrorKind;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::InvalidSubcommand
                    | ErrorKind::MissingSubcommand
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                    | ErrorKind::UnknownArgument
            ) =>
        {
            let mut with_check = args.clone();
            with_check.insert(1.min(args.len()), "check".into());
            match Cli::try_parse_from(&with_check) {
                Ok(cli) => cli,
                Err(e2) if e.kind() == ErrorKind::InvalidSubcommand => e2.exit(),
                Err(_) => e.exit(),
            }
        }
        Err(e) => e.exit(),
    }
}

fn emit(s: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(s.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn run_analysis(path: &std::path::Path) -> Result<Analysis, ExitCode> {
    analyze(path).map_err(|e| {
        eprintln!("{:?}", miette::Report::new(e));
        ExitCode::from(2)
    })
}

fn check(args: CheckArgs) -> ExitCode {
    let analysis = match run_analysis(&args.path) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let findings = rules::run(&analysis, &rules::all());
    let out = match args.format {
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&fullscan::report::findings_json(
                &analysis, &findings,
            ))
            .expect("findings serialise");
            s.push('\n');
            s
        }
        CheckFormat::Pretty => {
            print_warnings(&analysis);
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            fullscan::report::findings_pretty(&analysis, &findings, color)
        }
    };
    let code = emit(&out);
    if code != ExitCode::SUCCESS {
        return code;
    }
    if !analysis.schema_errors.is_empty() {
        return finish(&analysis);
    }
    if findings.iter().any(|f| f.severity >= Severity::Warning) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn associations(path: PathBuf, format: InventoryFormat) -> ExitCode {
    let analysis = match run_analysis(&path) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let out = match format {
        InventoryFormat::Json => {
            let mut s = serde_json::to_string_pretty(&fullscan::report::inventory_json(&analysis))
                .expect("the inventory serialises");
            s.push('\n');
            s
        }
        InventoryFormat::Table => {
            print_warnings(&analysis);
            fullscan::report::inventory_table(&analysis)
        }
    };
    let code = emit(&out);
    if code != ExitCode::SUCCESS {
        return code;
    }
    finish(&analysis)
}

fn print_warnings(a: &Analysis) {
    for w in &a.warnings {
        match (&w.path, w.line) {
            (Some(p), Some(l)) => eprintln!("warning: {}:{l}: {}", p.display(), w.message),
            (Some(p), None) => eprintln!("warning: {}: {}", p.display(), w.message),
            _ => eprintln!("warning: {}", w.message),
        }
    }
}

/// Schema files that could not be read are errors: report them and exit 2.
fn finish(a: &Analysis) -> ExitCode {
    if a.schema_errors.is_empty() {
        return ExitCode::SUCCESS;
    }
    for e in &a.schema_errors {
        eprintln!("{:?}", miette::Report::new(e.clone()));
    }
    ExitCode::from(2)
}
