//! The command line: parse arguments, call the library, print, return the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{build, BuildOptions, BuildOutput};
use crate::diag::Diagnostics;
use crate::output;
use crate::scaffold;

/// Exit codes: 0 ok, 1 content errors, 2 usage errors.
const EXIT_CONTENT: u8 = 1;
const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "helpsite",
    version,
    about = "Build a help center from Markdown: articles, contact channels, search."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(BuildArgs),
    /// Check everything a build would, without writing anything.
    Check(SiteArgs),
    /// Create a starter help center in DIR (the current folder by default).
    Init(InitArgs),
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
    /// Include articles marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    quiet: bool,
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

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let site_args = match &cli.command {
        Command::Build(args) => Some(&args.site),
        Command::Check(args) => Some(args),
        Command::Serve(args) => Some(&args.site),
        Command::Init(_) => None,
    };
    if let Some(url) = site_args.and_then(|a| a.base_url.as_deref()) {
        if let Err(message) = crate::config::check_base_url(url) {
            eprintln!("error: --base-url: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    match cli.command {
        Command::Build(args) => run_build(&args),
        Command::Check(args) => run_check(&args),
        Command::Init(args) => run_init(&args),
        Command::Serve(args) => run_serve(&args),
    }
}

fn options(args: &SiteArgs) -> BuildOptions {
    let mut options = BuildOptions::new(&args.root);
    options.config_file = args.config.clone();
    options.base_url = args.base_url.clone();
    options.include_drafts = args.drafts;
    options
}

fn run_build(args: &BuildArgs) -> ExitCode {
    let result = build(&options(&args.site));
    if !report(&result.diagnostics, args.site.quiet) {
        return summary_failed(&result.diagnostics, "; nothing was written");
    }
    let output_dir = match &args.output {
        Some(dir) => dir.clone(),
        None => args
            .site
            .root
            .join(result.output_dir.clone().unwrap_or_else(|| "public".into())),
    };
    if let Err(err) = output::check_target(&output_dir, &args.site.root, args.force) {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    if let Err(err) = output::write_site(&result.files, &output_dir) {
        eprintln!("error: {err}");
        eprintln!("The previous output, if any, is unchanged.");
        return ExitCode::from(if err.is_refusal() {
            EXIT_USAGE
        } else {
            EXIT_CONTENT
        });
    }
    if !args.site.quiet {
        println!("{}", success_line(&result, Some(&output_dir)));
    }
    ExitCode::SUCCESS
}

fn run_check(args: &SiteArgs) -> ExitCode {
    let mut options = options(args);
    options.report_translations = true;
    let result = build(&options);
    if !report(&result.diagnostics, args.quiet) {
        return summary_failed(&result.diagnostics, "");
    }
    if !args.quiet {
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

/// Prints every diagnostic, sorted; returns false when any is an error.
fn report(diagnostics: &Diagnostics, quiet: bool) -> bool {
    let ok = !diagnostics.has_errors();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for diag in diagnostics.clone().sorted() {
        if quiet && !diag.is_error() {
            continue;
        }
        let _ = writeln!(err, "{diag}\n");
    }
    ok
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
        None => format!("checked {what}: no errors ({time})"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
