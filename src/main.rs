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
    /// Record today's findings in `.fullscan-baseline.json`: later runs report only
    /// new ones (a legacy codebase's first audit).
    Baseline {
        /// Root of the Rails application.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The settings file (default: `.fullscan.toml` at the project root, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Where to write it (default: `.fullscan-baseline.json` at the root).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// Print the Rails migration that adds every missing index found; with
    /// `--write-migration`, write it into the app's migrations directory.
    Fix {
        /// Root of the Rails application.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The settings file (default: `.fullscan.toml` at the project root, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Write the migration (one per database) instead of printing it.
        #[arg(long)]
        write_migration: bool,
        /// Directory to write it to (default: the database's migrations directory,
        /// `db/migrate` for the primary one).
        #[arg(long, requires = "write_migration")]
        dir: Option<PathBuf>,
    },
    /// Print the schema fullscan uses: tables, columns, primary keys and indexes,
    /// with the file and line each comes from.
    Schema {
        /// Root of the Rails application.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
        format: InventoryFormat,
        /// Rebuild the schema from `db/migrate` even when a schema file exists.
        #[arg(long)]
        schema_from_migrations: bool,
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
    /// Root of the Rails application, then, optionally, files or directories to
    /// report on: the whole project is analyzed, only findings in those are shown.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// The settings file (default: `.fullscan.toml` at the project root, if any).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Rebuild the schema from `db/migrate` even when a schema file exists.
    #[arg(long)]
    schema_from_migrations: bool,
    /// The baseline to compare with (default: `.fullscan-baseline.json` at the
    /// project root, if any).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Ignore the baseline: report every finding.
    #[arg(long, conflicts_with = "baseline")]
    no_baseline: bool,
    /// Report only findings in files changed since this git revision (committed,
    /// staged, unstaged or untracked).
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// Output format; repeat it, each with an `--output`, to write several from one
    /// analysis (a format without an `--output` goes to standard output). Default:
    /// `pretty` on a terminal, `concise` otherwise.
    #[arg(long, value_enum)]
    format: Vec<CheckFormat>,
    /// File to write the format given at the same position to (without one, the
    /// extension decides: `.sarif`, `.json`, `.txt`).
    #[arg(long, short = 'o')]
    output: Vec<PathBuf>,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Colours in `pretty` output (`auto` follows the terminal and `NO_COLOR`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Parse every model file, without the facts kept from earlier runs (and keep
    /// none): see the README's "Cache".
    #[arg(long)]
    no_cache: bool,
    /// Print the wall time of each stage and the files read and parsed, as one JSON
    /// line on standard error (what the benchmark reads).
    #[arg(long, hide = true)]
    timings: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum InventoryFormat {
    Json,
    Table,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum CheckFormat {
    /// Diagnostics with the source line, the declaration labelled and the fix.
    Pretty,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// The versioned JSON document (see docs/json-format.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

fn main() -> ExitCode {
    install_panic_hook();
    // A panic on purpose, for the hook's own test: on the main thread, or in a
    // worker of the thread pool (`worker`), where the parsers run.
    if let Some(at) = std::env::var_os("__FULLSCAN_TEST_PANIC") {
        if at == "worker" {
            rayon::scope(|s| s.spawn(|_| panic!("a panic asked for in a worker")));
        }
        panic!("a panic asked for");
    }
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
        Command::Baseline {
            path,
            config,
            output,
        } => write_baseline(path, config, output),
        Command::Fix {
            path,
            config,
            write_migration,
            dir,
        } => fix(path, config, write_migration, dir),
        Command::Associations { path, format } => associations(path, format),
        Command::Schema {
            path,
            format,
            schema_from_migrations,
        } => {
            let mut config = fullscan::config::Config::defaults();
            config.schema_from_migrations = schema_from_migrations;
            config.skip_references = true;
            let analysis = match diagnosed(fullscan::analyze::analyze_with(&path, &config)) {
                Ok(a) => a,
                Err(code) => return code,
            };
            let out = match format {
                InventoryFormat::Json => {
                    let mut s =
                        serde_json::to_string_pretty(&fullscan::report::schema_json(&analysis))
                            .expect("the schema serialises");
                    s.push('\n');
                    s
                }
                InventoryFormat::Table => fullscan::report::schema_table(&analysis),
            };
            let code = emit(&out);
            if code != ExitCode::SUCCESS {
                return code;
            }
            finish(&analysis)
        }
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

/// A panic is a bug in fullscan: say so plainly, ask for a report, and exit 2
/// (never 1, which means findings, nor a success a CI step would trust).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        eprintln!(
            "fullscan: internal error{location}: {message}\n\
             This is a bug in fullscan {}. Please report it with the command you ran\n\
             and, if you can, a small file that reproduces it.",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(2);
    }));
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
    diagnosed(analyze(path))
}

/// An error the user must see (a config, baseline or analysis error): printed as
/// a diagnostic, then exit 2.
fn diagnosed<T, E: miette::Diagnostic + Send + Sync + 'static>(
    result: Result<T, E>,
) -> Result<T, ExitCode> {
    result.map_err(|e| {
        eprintln!("{:?}", miette::Report::new(e));
        ExitCode::from(2)
    })
}

fn check(args: CheckArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let mut formats = args.format.clone();
    // An --output without a --format at its position: the format its extension names.
    for path in &args.output[formats.len().min(args.output.len())..] {
        let name = path.to_string_lossy().to_ascii_lowercase();
        let inferred = if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
            CheckFormat::Sarif
        } else if name.ends_with(".json") {
            CheckFormat::Json
        } else if name.ends_with(".txt") || name.ends_with(".log") {
            CheckFormat::Concise
        } else {
            eprintln!(
                "fullscan: which format for --output {}? give it a --format (pretty, concise, json, sarif, github)",
                path.display()
            );
            return ExitCode::from(2);
        };
        formats.push(inferred);
    }
    if formats.is_empty() {
        formats.push(if std::io::stdout().is_terminal() {
            CheckFormat::Pretty
        } else {
            CheckFormat::Concise
        });
    }
    if formats.len() - args.output.len() > 1 {
        eprintln!(
            "fullscan: only one --format can go to standard output; give the others an --output"
        );
        return ExitCode::from(2);
    }
    let root = args.paths[0].clone();
    let config = match diagnosed(fullscan::config::Config::load(
        &root,
        args.config.as_deref(),
    )) {
        Ok(mut c) => {
            c.schema_from_migrations = args.schema_from_migrations;
            c.cache_dir = if args.no_cache {
                None
            } else {
                fullscan::cache::default_dir()
            };
            c
        }
        Err(code) => return code,
    };
    let mut only: Option<Vec<PathBuf>> = None;
    for p in &args.paths[1..] {
        match project_relative(&root, p) {
            Some(rel) => only.get_or_insert_with(Vec::new).push(rel),
            None => {
                eprintln!(
                    "fullscan: {} is not a file or directory of the project at {}",
                    p.display(),
                    root.display()
                );
                return ExitCode::from(2);
            }
        }
    }
    if let Some(rev) = &args.changed_since {
        match changed_files(&root, rev) {
            Ok(files) => only.get_or_insert_with(Vec::new).extend(files),
            Err(e) => {
                eprintln!("fullscan: --changed-since {rev}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut config = config;
    config.report_only = only.clone();
    // A progress line on a terminal, for people: never with a machine format on
    // standard output.
    let machine = formats.iter().enumerate().any(|(i, f)| {
        i >= args.output.len() && !matches!(f, CheckFormat::Pretty | CheckFormat::Concise)
    });
    let progress = (!machine && std::io::stderr().is_terminal()).then(|| Progress::start(&root));
    let analysis = fullscan::analyze::analyze_with(&root, &config);
    let analysis = match analysis {
        Ok(a) => a,
        Err(e) => {
            // The progress line is erased before the error is printed.
            drop(progress);
            return diagnosed::<Analysis, _>(Err(e)).unwrap_err();
        }
    };
    let rules_start = std::time::Instant::now();
    let all_rules = rules::enabled(&config);
    let mut findings = rules::run_configured(&analysis, &config);
    let rules_time = rules_start.elapsed();
    let report_start = std::time::Instant::now();
    let baseline_path = match (&args.baseline, args.no_baseline) {
        (_, true) => None,
        (Some(p), _) => Some(p.clone()),
        (None, false) => Some(root.join(fullscan::baseline::FILE_NAME)).filter(|p| p.is_file()),
    };
    if let Some(only) = &only {
        // A finding is about its declaration's file, and about the schema file that
        // defines its table: a staged schema change reports what it affects.
        findings.retain(|f| {
            only.iter().any(|o| {
                f.path.starts_with(o) || f.schema.as_ref().is_some_and(|s| s.path.starts_with(o))
            })
        });
    }
    // With files to report on, the baseline is compared on them alone: an entry
    // elsewhere is neither matched nor gone.
    let outcome = match baseline_path {
        None => None,
        Some(p) => match diagnosed(fullscan::baseline::Baseline::load(&p)) {
            Ok(b) => {
                let mut outcome = b.apply(&mut findings, &p);
                if let Some(only) = &only {
                    outcome.gone.retain(|e| {
                        only.iter()
                            .any(|o| std::path::Path::new(&e.path).starts_with(o))
                    });
                }
                Some(outcome)
            }
            Err(code) => return code,
        },
    };
    drop(progress);
    // On standard error whatever the format: the machine formats carry them too
    // (JSON's `summary.warnings`, SARIF's tool notifications), and a CI log shows them.
    print_warnings(&analysis);
    let human = formats.iter().enumerate().any(|(i, f)| {
        i >= args.output.len() && matches!(f, CheckFormat::Pretty | CheckFormat::Concise)
    });
    for (i, format) in formats.iter().enumerate() {
        let to_file = args.output.get(i);
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_file.is_none()
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let write = |out: &mut dyn Write| {
            render(
                *format,
                &analysis,
                &findings,
                &all_rules,
                color,
                outcome.as_ref(),
                out,
            )
        };
        let written = match to_file {
            Some(path) => write_atomically_with(path, write).map_err(|e| {
                eprintln!("fullscan: could not write {}: {e}", path.display());
            }),
            None => {
                let mut stdout = std::io::stdout().lock();
                write(&mut stdout)
                    .and_then(|_| stdout.flush())
                    .map_err(|_| ())
            }
        };
        if written.is_err() {
            return ExitCode::from(2);
        }
        if let Some(path) = to_file {
            if std::io::stderr().is_terminal() {
                eprintln!("fullscan: wrote {}", path.display());
            }
        }
    }
    if let Some(o) = outcome.as_ref().filter(|o| human && !o.gone.is_empty()) {
        eprintln!(
            "fullscan: {} baseline entr{} no longer found (fixed, or moved): run `fullscan baseline` to drop {}",
            o.gone.len(),
            if o.gone.len() == 1 { "y is" } else { "ies are" },
            if o.gone.len() == 1 { "it" } else { "them" }
        );
        for e in o.gone.iter().take(10) {
            let subject = if e.subject.is_empty() {
                String::new()
            } else {
                format!("#{}", e.subject)
            };
            eprintln!("  {} {} {}{subject}", e.rule, e.path, e.model);
        }
    }
    if args.timings {
        let mut stages = serde_json::Map::new();
        for (name, d) in analysis
            .stats
            .stages
            .iter()
            .copied()
            .chain([("rules", rules_time), ("report", report_start.elapsed())])
        {
            stages.insert(name.to_owned(), serde_json::json!(d.as_secs_f64()));
        }
        let mut rss = serde_json::Map::new();
        for (name, kb) in &analysis.stats.stage_rss_kb {
            rss.insert((*name).to_owned(), serde_json::json!(kb / 1024));
        }
        let r = &analysis.references.stats;
        eprintln!(
            "{}",
            serde_json::json!({
                "stages": stages,
                "rss_mb_after": rss,
                "total": started.elapsed().as_secs_f64(),
                "model_files_parsed": analysis.stats.files_parsed - analysis.stats.cache_hits,
                "model_files_cached": analysis.stats.cache_hits,
                "reference_files": r.files,
                "reference_files_read": r.files_read,
                "reference_files_parsed": r.files_parsed,
                "findings": findings.len(),
            })
        );
    }
    if human && std::io::stderr().is_terminal() {
        eprintln!(
            "fullscan: analyzed {} files in {:.2} s",
            analysis
                .references
                .stats
                .files_read
                .max(analysis.stats.files_parsed),
            started.elapsed().as_secs_f64()
        );
    }
    if !analysis.schema_errors.is_empty() {
        return finish(&analysis);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let fail = threshold.is_some_and(|t| {
        findings
            .iter()
            .any(|f| f.suppression.is_none() && f.severity >= t)
    });
    // The process ends here: freeing every model, association and table one at a
    // time would only cost time (4% of a pre-commit run's instructions).
    std::mem::forget(analysis);
    std::mem::forget(findings);
    if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn fix(path: PathBuf, config: Option<PathBuf>, write: bool, dir: Option<PathBuf>) -> ExitCode {
    let config = match diagnosed(fullscan::config::Config::load(&path, config.as_deref())) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let analysis = match diagnosed(fullscan::analyze::analyze_with(&path, &config)) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let mut findings = rules::run_configured(&analysis, &config);
    let baseline = path.join(fullscan::baseline::FILE_NAME);
    if baseline.is_file() {
        match diagnosed(fullscan::baseline::Baseline::load(&baseline)) {
            Ok(b) => {
                b.apply(&mut findings, &baseline);
            }
            Err(code) => return code,
        }
    }
    let plans = fullscan::migration::plans(&analysis, &findings, &utc_timestamp());
    if plans.is_empty() {
        eprintln!("fullscan: no missing index to add");
        return finish(&analysis);
    }
    if !write {
        let mut out = String::new();
        for p in &plans {
            out.push_str(&format!("# {}\n", p.directory.join(&p.file_name).display()));
            out.push_str(&p.text);
            out.push('\n');
        }
        let code = emit(&out);
        if code != ExitCode::SUCCESS {
            return code;
        }
        eprintln!("fullscan: printed only; `fullscan fix --write-migration` writes it");
        return finish(&analysis);
    }
    for p in &plans {
        let target_dir = dir.clone().unwrap_or_else(|| path.join(&p.directory));
        if let Err(e) = std::fs::create_dir_all(&target_dir) {
            eprintln!("fullscan: cannot create {}: {e}", target_dir.display());
            return ExitCode::from(2);
        }
        // Rails refuses two migrations with one class name.
        let suffix = format!(
            "_{}.rb",
            p.file_name
                .split_once('_')
                .map_or(p.file_name.as_str(), |(_, rest)| rest)
                .trim_end_matches(".rb")
        );
        let clash = std::fs::read_dir(&target_dir).ok().and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.ends_with(&suffix))
        });
        if let Some(existing) = clash {
            eprintln!(
                "fullscan: {} already holds {existing} (class {}): run or remove it first; Rails refuses two migrations of one name",
                target_dir.display(),
                p.class_name
            );
            return ExitCode::from(2);
        }
        let file = target_dir.join(&p.file_name);
        if let Err(e) = write_atomically(&file, &p.text) {
            eprintln!("fullscan: could not write {}: {e}", file.display());
            return ExitCode::from(2);
        }
        println!(
            "wrote {} ({} index{})",
            file.display(),
            p.statements.len(),
            if p.statements.len() == 1 { "" } else { "es" }
        );
    }
    finish(&analysis)
}

/// The current UTC time as a migration version, `YYYYMMDDHHMMSS`.
fn utc_timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

fn write_baseline(path: PathBuf, config: Option<PathBuf>, output: Option<PathBuf>) -> ExitCode {
    let config = match diagnosed(fullscan::config::Config::load(&path, config.as_deref())) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let analysis = match diagnosed(fullscan::analyze::analyze_with(&path, &config)) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let findings = rules::run_configured(&analysis, &config);
    let target = output.unwrap_or_else(|| path.join(fullscan::baseline::FILE_NAME));
    let previous = fullscan::baseline::Baseline::load(&target).ok();
    let baseline = fullscan::baseline::Baseline::of(&findings, previous.as_ref());
    if let Err(e) = write_atomically(&target, &baseline.to_json()) {
        eprintln!("fullscan: could not write {}: {e}", target.display());
        return ExitCode::from(2);
    }
    println!(
        "wrote {} finding{} to {}",
        baseline.findings.len(),
        if baseline.findings.len() == 1 {
            ""
        } else {
            "s"
        },
        target.display()
    );
    finish(&analysis)
}

/// `fullscan: analyzing PATH… 1.2 s` on stderr, shown only once a run has taken
/// more than a moment, and erased when it ends.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(root: &std::path::Path) -> Progress {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        let label = root.display().to_string();
        let thread = std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut shown = false;
            let mut i = 0;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(80));
                let elapsed = start.elapsed();
                if elapsed < std::time::Duration::from_millis(400) {
                    continue;
                }
                shown = true;
                eprint!(
                    "\r\x1b[K{} fullscan: analyzing {label}… {:.1} s",
                    frames[i % frames.len()],
                    elapsed.as_secs_f64()
                );
                i += 1;
            }
            if shown {
                eprint!("\r\x1b[K");
            }
        });
        Progress {
            done,
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A path given on the command line, relative to the project root: as given from
/// the current directory, else from the root.
fn project_relative(root: &std::path::Path, p: &std::path::Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    for candidate in [p.to_path_buf(), root.join(p)] {
        if let Ok(full) = candidate.canonicalize() {
            if let Ok(rel) = full.strip_prefix(&root) {
                return Some(rel.to_path_buf());
            }
        }
    }
    None
}

/// The files changed since `rev` (committed since, staged, unstaged, untracked),
/// relative to the project root.
fn changed_files(root: &std::path::Path, rev: &str) -> Result<Vec<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let diff = git(&["diff", "--name-only", "--relative", rev, "--"])?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard"])?;
    for line in diff.lines().chain(untracked.lines()) {
        if !line.is_empty() {
            files.push(PathBuf::from(line));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn render(
    format: CheckFormat,
    analysis: &Analysis,
    findings: &[rules::Finding],
    all_rules: &[rules::Rule],
    color: bool,
    baseline: Option<&fullscan::baseline::Outcome>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // The machine formats are written as they are built: a report of many
    // findings is never held whole.
    let text = match format {
        CheckFormat::Json => {
            let extra = baseline
                .map(|b| ("baseline", serde_json::json!(b)))
                .into_iter()
                .collect();
            return fullscan::report::write_findings_json(out, analysis, findings, extra);
        }
        CheckFormat::Sarif => {
            return fullscan::output::write_sarif(out, findings, all_rules, &analysis.warnings)
        }
        CheckFormat::Github => fullscan::output::github(findings),
        CheckFormat::Concise => {
            let mut s = fullscan::output::concise(findings);
            s.push_str(&fullscan::output::summary_line(analysis, findings));
            s
        }
        CheckFormat::Pretty => fullscan::report::findings_pretty(analysis, findings, color),
    };
    out.write_all(text.as_bytes())
}

/// Writes a file so that it is never seen half-written: a temporary file beside
/// it, then a rename over it.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    write_atomically_with(path, |w| w.write_all(text.as_bytes()))
}

/// [`write_atomically`], the content written by `write`.
fn write_atomically_with(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`) is written in place:
    // renaming over it would replace it.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
        return write(&mut file);
    }
    // A symbolic link keeps pointing where it did: the file it names is replaced.
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.fullscan-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|file| {
            let mut file = std::io::BufWriter::new(file);
            write(&mut file)?;
            // On the disk before the rename: a crash never leaves the new name
            // on an empty file.
            file.into_inner().map_err(|e| e.into_error())?.sync_all()
        })
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
    // At a terminal, a warning about a line shows it (miette); in a log, one line
    // of text each, to grep.
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for w in &a.warnings {
        if terminal {
            if let Some(text) = fullscan::report::warning_pretty(a, w, color) {
                eprint!("{text}");
                continue;
            }
        }
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
