//! The command line: parse arguments, call the library, print, return the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::checks::external_links::ExternalOptions;
use crate::config::BaseUrl;
use crate::diag::report::Reporter;
use crate::diag::Diagnostics;
use crate::output;
use crate::output::sink::{Sink, SinkMode};
use crate::pipeline::{self, BuildOptions, BuildOutput};
use crate::scaffold;
use crate::scaffold::new_article::{new_article, NewError};

/// The version with the git commit it was built from, e.g. `0.1.0 (3aab8da1c2)`.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("HELPSITE_COMMIT"),
    ")"
);

/// Exit codes: 0 ok, 1 content errors, 2 usage errors.
const EXIT_CONTENT: u8 = 1;
const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "helpsite",
    version = VERSION,
    about = "Build a help center from Markdown: articles, contact channels, search."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(BuildArgs),
    /// Check everything a build would, without writing anything.
    Check(CheckArgs),
    /// Create a starter help center in DIR (the current folder by default).
    Init(InitArgs),
    /// Create a new article, e.g. `helpsite new account/close-account`.
    New(NewArgs),
    /// Turn another tool's help center (Jekyll, Hugo, Docusaurus, Starlight, MkDocs, Zola,
    /// a Zendesk Guide export) into a helpsite site in DEST, and print what went where.
    Import(ImportArgs),
    /// Report what readers searched for and did not find, from collected insights events.
    #[command(long_about = INSIGHTS_ABOUT)]
    Insights(InsightsArgs),
    /// Print a shell completion script: `helpsite completions bash > ...`.
    Completions(CompletionsArgs),
    /// Print the search tokens of each line of FILE as JSON (for the tokenizer parity test).
    #[command(hide = true)]
    SearchTokens { file: PathBuf },
    /// Preview the site: serve it from memory, rebuild on every change, reload the browser.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
struct SiteArgs {
    /// The site folder (holding config.toml and content/).
    #[arg(long, short = 'r', default_value = ".")]
    root: PathBuf,
    /// Use this configuration file instead of ROOT/config.toml.
    #[arg(long, short = 'c')]
    config: Option<PathBuf>,
    /// Override base_url from the configuration.
    #[arg(long, short = 'u')]
    base_url: Option<String>,
    /// `base_url`, parsed (by `run`, which reports a bad one).
    #[arg(skip)]
    parsed_base_url: Option<BaseUrl>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each stage of the build took.
    #[arg(long, short = 'v')]
    verbose: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Output folder (default: output_dir from the configuration, `public`).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Replace the output folder even if helpsite did not create it.
    #[arg(long)]
    force: bool,
    /// Make links inside the site relative, so it also opens from a folder on disk
    /// (as `relative_links = true` in the configuration).
    #[arg(long)]
    relative: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also check that external http(s) links answer (needs the network).
    #[arg(long)]
    external: bool,
    /// Seconds to wait for each external link.
    #[arg(long, default_value_t = 10, requires = "external")]
    timeout: u64,
    /// Ask about every external link again, ignoring the cache of good answers.
    #[arg(long, requires = "external")]
    no_cache: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short = 'p', default_value_t = 1111)]
    port: u16,
    /// Address to listen on. Anything but loopback lets other machines read the preview.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
    /// Poll the file system for changes instead of using native events
    /// (for network drives and containers where events do not arrive).
    #[arg(long)]
    poll: bool,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Where to create the site.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Write into a folder that is not empty (existing files are kept unless they clash).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// CATEGORY/NAME of the article, e.g. account/close-account.
    path: String,
    /// Write the article in this language (default: the site's default language).
    #[arg(long, short = 'l')]
    lang: Option<String>,
    /// The site folder (holding config.toml and content/).
    #[arg(long, short = 'r', default_value = ".")]
    root: PathBuf,
    /// Use this configuration file instead of ROOT/config.toml.
    #[arg(long, short = 'c')]
    config: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The other tool's site folder, or a Zendesk export (a JSON file or a folder of them).
    source: PathBuf,
    /// Where to write the helpsite site: a new or empty folder (nothing is ever overwritten).
    dest: PathBuf,
    /// The kind of source: jekyll, hugo, docusaurus, starlight, mkdocs, zola or zendesk
    /// (detected when left out).
    #[arg(long, value_parser = crate::import::Kind::from_name)]
    from: Option<crate::import::Kind>,
    /// Print the report and write nothing.
    #[arg(long)]
    dry_run: bool,
}

const INSIGHTS_ABOUT: &str = "\
Report what readers searched for and did not find, from collected insights events.

Reads the events that the site's `[insights] endpoint` collected, one JSON object a line
(`-` reads standard input), and prints per language: the searches that found nothing,
the searches whose results nobody opened, the request form's deflection rate (suggested
articles opened / (suggested articles opened + requests sent)) and the least helpful
articles (ranked by the lower bound of the 95% Wilson interval of their \"no\" answers).
Malformed lines are counted and listed, and never stop the report.

Exit codes: 0 the report was made, 2 a usage error or a file that cannot be read.";

#[derive(Debug, Args)]
struct InsightsArgs {
    /// Files of events, one JSON object a line; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Also write the report as one HTML page with charts to OUT.
    #[arg(long, value_name = "OUT")]
    html: Option<PathBuf>,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Rows in each list of the report.
    #[arg(long, default_value_t = crate::insights::DEFAULT_TOP, value_name = "N")]
    top: usize,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let mut cli = Cli::parse();
    let site_args = match &mut cli.command {
        Command::Build(args) => Some(&mut args.site),
        Command::Check(args) => Some(&mut args.site),
        Command::Serve(args) => Some(&mut args.site),
        Command::Init(_)
        | Command::New(_)
        | Command::Import(_)
        | Command::Insights(_)
        | Command::Completions(_)
        | Command::SearchTokens { .. } => None,
    };
    if let Some(args) = site_args {
        match args.base_url.as_deref().map(BaseUrl::parse).transpose() {
            Ok(parsed) => args.parsed_base_url = parsed,
            Err(message) => {
                eprintln!("error: --base-url: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    match cli.command {
        Command::Build(args) => run_build(&args),
        Command::Check(args) => run_check(&args),
        Command::Init(args) => run_init(&args),
        Command::Serve(args) => run_serve(&args),
        Command::SearchTokens { file } => run_search_tokens(&file),
        Command::New(args) => run_new(&args),
        Command::Import(args) => run_import(&args),
        Command::Insights(args) => run_insights(&args),
        Command::Completions(args) => {
            let mut command = Cli::command();
            clap_complete::generate(args.shell, &mut command, "helpsite", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

fn run_new(args: &NewArgs) -> ExitCode {
    let mut options = BuildOptions::new(&args.root);
    options.config_file = args.config.clone();
    let config = match crate::pipeline::load_config(&options) {
        Ok(config) => config,
        Err(diags) => {
            report_all(&diags, false);
            return ExitCode::from(EXIT_CONTENT);
        }
    };
    match new_article(&args.root, &config, &args.path, args.lang.as_deref()) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(NewError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(NewError::Site(diag)) => {
            report_all(&Diagnostics::from_iter([diag]), false);
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_import(args: &ImportArgs) -> ExitCode {
    match crate::import::import(&args.source, &args.dest, args.from, args.dry_run) {
        Ok(report) => {
            print!("{}", report.render());
            if args.dry_run {
                println!("dry run: nothing was written");
            } else {
                println!("next: cd {} && helpsite build", args.dest.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("nothing was written");
            ExitCode::from(if err.is_usage() {
                EXIT_USAGE
            } else {
                EXIT_CONTENT
            })
        }
    }
}

fn run_insights(args: &InsightsArgs) -> ExitCode {
    use crate::insights;
    let report = match insights::summarise(&args.files, args.top) {
        Ok(report) => report,
        Err(errors) => {
            for err in errors {
                eprintln!("error: {err}");
            }
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(out) = &args.html {
        if let Err(err) = std::fs::write(out, insights::html::render(&report)) {
            eprintln!("error: cannot write {}: {err}", out.display());
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let text = if args.json {
        insights::json::render(&report)
    } else {
        insights::text::render(&report)
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if report.malformed.count > 0 {
        let n = report.malformed.count;
        eprintln!("warning: {n} malformed line{} skipped", plural(n as usize));
    }
    ExitCode::SUCCESS
}

fn options(args: &SiteArgs) -> BuildOptions {
    let mut options = BuildOptions::new(&args.root);
    options.config_file = args.config.clone();
    options.base_url = args.parsed_base_url.clone();
    options.include_drafts = args.drafts;
    options.timings |= args.verbose;
    options
}

fn run_build(args: &BuildArgs) -> ExitCode {
    let mut options = options(&args.site);
    options.relative_links = args.relative;
    if !args.site.quiet {
        options.progress = crate::diag::progress::Progress::on_terminal();
    }
    let started = std::time::Instant::now();
    let output_dir = output_dir(args, &options);
    // Pages are written into a staging folder as they are rendered, so the target
    // is checked first; a refusal is still reported after the build's own problems.
    let target = output::check_target(&output_dir, &args.site.root, args.force)
        .map_err(|err| (err, true))
        .and_then(|()| output::Staging::begin(&output_dir).map_err(|err| (err, false)));
    let mode = match &target {
        Ok(staging) => SinkMode::Folder(staging),
        Err(_) => SinkMode::Discard,
    };
    let mut result = pipeline::build_into(&options, &mut Sink::new(mode));
    options.progress.finish();
    if !report(&result.diagnostics, &args.site) {
        return summary_failed(&result.diagnostics, "; nothing was written");
    }
    if let Err(err) = target.and_then(|staging| staging.finish().map_err(|err| (err, false))) {
        return write_failed(err);
    }
    // The summary's time is the whole build, writing included.
    result.stats.elapsed = started.elapsed();
    if !args.site.quiet {
        for size in &result.stats.search {
            println!("{}", search_line(size));
        }
        println!("{}", success_line(&result, Some(&output_dir)));
    }
    // The process ends here: freeing every page one by one would only delay the exit
    // (seconds at 100,000 articles); the system takes the memory back at once.
    std::mem::forget(result);
    ExitCode::SUCCESS
}

/// The output folder: `--output`, else the config's `output_dir` under the site
/// (`public` when the config cannot be read; the build then fails and says why).
fn output_dir(args: &BuildArgs, options: &BuildOptions) -> PathBuf {
    if let Some(dir) = &args.output {
        return dir.clone();
    }
    let configured = pipeline::load_config(options).map(|config| config.output_dir);
    args.site
        .root
        .join(configured.unwrap_or_else(|_| "public".into()))
}

/// Reports a refused output folder (`checked`: found before writing) or a failed write.
fn write_failed((err, checked): (output::OutputError, bool)) -> ExitCode {
    eprintln!("error: {err}");
    if checked {
        return ExitCode::from(EXIT_USAGE);
    }
    eprintln!("The previous output, if any, is unchanged.");
    ExitCode::from(if err.is_refusal() {
        EXIT_USAGE
    } else {
        EXIT_CONTENT
    })
}

fn run_check(args: &CheckArgs) -> ExitCode {
    let mut options = options(&args.site);
    options.report_translations = true;
    options.lint = true;
    if args.external {
        let cache = (!args.no_cache).then(|| args.site.root.join(".helpsite/external-links.json"));
        let mut external = ExternalOptions::new(cache);
        external.timeout = std::time::Duration::from_secs(args.timeout.max(1));
        options.external = Some(external);
    }
    // Nothing is written: each file is dropped as soon as it is made.
    let result = pipeline::build_into(&options, &mut Sink::new(SinkMode::Discard));
    if let Some((checked, from_cache)) = result.stats.external_links {
        if !args.site.quiet {
            eprintln!(
                "external links: {checked} checked, {from_cache} answered well within the last day (cached)"
            );
        }
    }
    if !report(&result.diagnostics, &args.site) {
        return summary_failed(&result.diagnostics, "");
    }
    if !args.site.quiet {
        println!("{}", success_line(&result, None));
    }
    ExitCode::SUCCESS
}

fn run_serve(args: &ServeArgs) -> ExitCode {
    let options = crate::serve::ServeOptions {
        build: options(&args.site),
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
        quiet: args.site.quiet,
    };
    match crate::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(if err.is_usage() {
                EXIT_USAGE
            } else {
                EXIT_CONTENT
            })
        }
    }
}

fn run_init(args: &InitArgs) -> ExitCode {
    match scaffold::init(&args.dir, args.force) {
        Ok(written) => {
            println!(
                "created a help center in {} ({} files)\nnext: cd {} && helpsite build",
                args.dir.display(),
                written.len(),
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            let usage = matches!(err, scaffold::InitError::NotEmpty(_));
            ExitCode::from(if usage { EXIT_USAGE } else { EXIT_CONTENT })
        }
    }
}

fn run_search_tokens(file: &Path) -> ExitCode {
    match std::fs::read_to_string(file) {
        Ok(text) => {
            let lines: Vec<Vec<String>> = text
                .lines()
                .map(crate::search::tokenize::tokenize)
                .collect();
            println!("{}", serde_json::Value::from(lines));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", file.display());
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Prints every diagnostic, sorted, with its source line; returns false when any is an error.
fn report(diagnostics: &Diagnostics, args: &SiteArgs) -> bool {
    report_all(diagnostics, args.quiet);
    !diagnostics.has_errors()
}

fn report_all(diagnostics: &Diagnostics, errors_only: bool) {
    let mut reporter = Reporter::new();
    let mut err = anstream::stderr().lock();
    for diag in diagnostics.clone().sorted() {
        if errors_only && !diag.is_error() {
            continue;
        }
        let _ = reporter.write(&mut err, &diag);
    }
    let _ = err.flush();
}

fn summary_failed(diagnostics: &Diagnostics, consequence: &str) -> ExitCode {
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    eprintln!(
        "error: failed with {errors} error{}{}{consequence}",
        plural(errors),
        if warnings > 0 {
            format!(" and {warnings} warning{}", plural(warnings))
        } else {
            String::new()
        }
    );
    ExitCode::from(EXIT_CONTENT)
}

fn success_line(result: &BuildOutput, output: Option<&Path>) -> String {
    let s = &result.stats;
    let what = format!(
        "{} page{} and {} section{} in {} language{}",
        s.pages,
        plural(s.pages),
        s.sections,
        plural(s.sections),
        s.languages,
        plural(s.languages)
    );
    let time = format!("{:.2}s", s.elapsed.as_secs_f64());
    match output {
        Some(dir) => format!(
            "built {what}: {} files in {} ({time})",
            s.files,
            dir.display()
        ),
        None => {
            let warnings = result.diagnostics.warning_count();
            let also = match warnings {
                0 => String::new(),
                n => format!(", {n} warning{}", plural(n)),
            };
            format!("checked {what}: no errors{also} ({time})")
        }
    }
}

fn search_line(size: &crate::search::IndexSize) -> String {
    use crate::search::human_bytes;
    format!(
        "search index {}: {} article{}, {} in {} files, largest shard {}",
        size.lang,
        size.documents,
        plural(size.documents),
        human_bytes(size.total_bytes),
        size.files,
        human_bytes(size.largest_shard_bytes)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
