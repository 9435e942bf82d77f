//! Builds the demo help center and serves it on http://127.0.0.1:8000/ until Ctrl-C.
//!
//! A plain preview for a fresh checkout: `cargo run --release --example preview [SITE] [PORT]`.
//! It serves a private copy of the output from a temporary folder, only on loopback,
//! and only files inside that folder.

use std::path::{Component, Path, PathBuf};

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8000);

    let result = helpsite::build::build(&helpsite::build::BuildOptions::new(&root));
    for diag in result.diagnostics.clone().sorted() {
        eprintln!("{diag}\n");
    }
    if !result.succeeded() {
        eprintln!("error: the site has errors; nothing to preview");
        return std::process::ExitCode::from(1);
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let public = dir.path().join("public");
    if let Err(err) = helpsite::output::write_site(&result.files, &public) {
        eprintln!("error: {err}");
        return std::process::ExitCode::from(1);
    }
    let server = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(server) => server,
        Err(err) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {err} (pass another port as the second argument)");
            return std::process::ExitCode::from(2);
        }
    };
    println!(
        "serving {} pages on http://127.0.0.1:{port}/ (Ctrl-C to stop)",
        result.stats.pages
    );
    let base_path = helpsite::build::load_config(&helpsite::build::BuildOptions::new(&root))
        .map(|c| c.base_path())
        .unwrap_or_else(|_| "/".into());
    for request in server.incoming_requests() {
        let response = match file_for(&public, &base_path, request.url()) {
            Some(path) => match std::fs::read(&path) {
                Ok(bytes) => tiny_http::Response::from_data(bytes)
                    .with_header(content_type(&path))
                    .with_status_code(200),
                Err(_) => not_found(&public),
            },
            None => not_found(&public),
        };
        let _ = request.respond(response);
    }
    std::process::ExitCode::SUCCESS
}

/// The file a URL names inside `public`, or None for anything that would leave it.
fn file_for(public: &Path, base_path: &str, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next()?;
    let path = path
        .strip_prefix(base_path)
        .or_else(|| path.strip_prefix('/'))?;
    let decoded = percent_decode(path)?;
    let rel = Path::new(&decoded);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = public.join(rel);
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()?;
    (!decoded.contains(['\0', '\\'])).then(|| decoded.into_owned())
}

fn not_found(public: &Path) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let body = std::fs::read(public.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    tiny_http::Response::from_data(body)
        .with_header(content_type(Path::new("404.html")))
        .with_status_code(404)
}

fn content_type(path: &Path) -> tiny_http::Header {
    let kind = match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    tiny_http::Header::from_bytes("Content-Type", kind).expect("static header")
}
