//! `--format short`: one line per open diagnostic, `path:line:col: severity[rule] message`, the
//! shape compilers print and editors' quickfix lists read.

use super::Context;
use crate::check::Report;

pub fn write(report: &Report, _context: &Context) -> String {
    let sources = &report.model.sources;
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| d.is_open()) {
        let (line, col) = sources.line_col(d.primary.file, d.primary.span.start);
        let message = d.message.replace(['\r', '\n'], " ");
        out.push_str(&format!(
            "{}:{line}:{col}: {}[{}] {message}\n",
            sources.get(d.primary.file).name,
            d.severity.as_str(),
            d.code
        ));
    }
    out
}
