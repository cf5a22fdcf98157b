use clap::{Parser, Subcommand, ValueEnum};
use fullscan::analyze::{analyze, Analysis};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Finds the ActiveRecord associations, scopes and validations whose queries make the
/// database scan a whole table.
#[derive(Parser)]
#[command(name = "fullscan", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Number of worker threads (default: one per core).
    #[arg(long, global = true)]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Print every association with its resolved table, keys and serving index.
    Associations {
        /// Root of the Rails application.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
        format: InventoryFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum InventoryFormat {
    Json,
    Table,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
        {
            eprintln!("fullscan: could not set up {n} threads: {e}");
            return ExitCode::from(2);
        }
    }
    let command = cli.command.unwrap_or(Command::Associations {
        path: PathBuf::from("."),
        format: InventoryFormat::Table,
    });
    match command {
        Command::Associations { path, format } => {
            let analysis = match analyze(&path) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("{:?}", miette::Report::new(e));
                    return ExitCode::from(2);
                }
            };
            let out = match format {
                InventoryFormat::Json => {
                    let mut s =
                        serde_json::to_string_pretty(&fullscan::report::inventory_json(&analysis))
                            .expect("the inventory serialises");
                    s.push('\n');
                    s
                }
                InventoryFormat::Table => {
                    print_warnings(&analysis);
                    fullscan::report::inventory_table(&analysis)
                }
            };
            if std::io::stdout().write_all(out.as_bytes()).is_err() {
                return ExitCode::from(2);
            }
            finish(&analysis)
        }
    }
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
