//! zonelint's types to LSP's: diagnostics, symbol kinds. Positions are converted through
//! [`super::line_index`], in UTF-16 code units.

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, SymbolKind,
    Url,
};

use super::analysis::Analysis;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::ElementKind;

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

pub fn diagnostic(analysis: &Analysis, d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: analysis.location(label.file, label.span),
            message: if label.message.is_empty() {
                "related".into()
            } else {
                label.message.clone()
            },
        })
        .collect();
    let url = d.finding.as_ref().and_then(|f| f.url.as_deref());
    lsp_types::Diagnostic {
        range: analysis.range(d.primary.file, d.primary.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.clone())),
        code_description: url
            .and_then(|u| Url::parse(u).ok())
            .map(|href| CodeDescription { href }),
        source: Some("zonelint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn symbol_kind(kind: ElementKind) -> SymbolKind {
    match kind {
        ElementKind::System => SymbolKind::PACKAGE,
        ElementKind::Site => SymbolKind::NAMESPACE,
        ElementKind::Zone => SymbolKind::MODULE,
        ElementKind::Conduit => SymbolKind::INTERFACE,
        ElementKind::Flow => SymbolKind::EVENT,
        ElementKind::Component => SymbolKind::OBJECT,
        ElementKind::Product => SymbolKind::CLASS,
        ElementKind::Organization => SymbolKind::STRUCT,
        ElementKind::Role => SymbolKind::CONSTRUCTOR,
        ElementKind::Compensation => SymbolKind::CONSTANT,
        ElementKind::Evidence => SymbolKind::FILE,
    }
}
