//! The selectors are part of the module: Fluent Bit passes a WASM filter
//! no configuration. `CTSEL_WASM_SELECTORS` names the file to build in;
//! without it, `selectors.json` beside this file (every management event).
//! They are validated here, so that a set AWS would reject fails the build
//! with AWS's message.

use ctsel::{parse_str, validate, ParseOptions, ValidateOptions};

fn main() {
    println!("cargo:rerun-if-env-changed=CTSEL_WASM_SELECTORS");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let path =
        std::env::var("CTSEL_WASM_SELECTORS").unwrap_or_else(|_| format!("{dir}/selectors.json"));
    println!("cargo:rerun-if-changed={path}");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => fail(&format!("CTSEL_WASM_SELECTORS {path}: {e}")),
    };
    let doc = match parse_str(&path, &text, &ParseOptions::default()) {
        Ok(d) => d,
        Err(e) => fail(&format!("{path}: {e}")),
    };
    if let Err(report) = validate(&doc, &ValidateOptions::default()) {
        fail(&format!("{path}: {report}"));
    }
    let out = format!(
        "{}/selectors.json",
        std::env::var("OUT_DIR").unwrap_or_default()
    );
    if let Err(e) = std::fs::write(&out, text) {
        fail(&format!("{out}: {e}"));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("ctsel-fluent-bit: {message}");
    std::process::exit(1)
}
