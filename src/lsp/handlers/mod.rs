//! One file per LSP feature. Each handler takes the server state and the request's parameters
//! and returns its result or a [`HandlerError`].

pub mod code_action;
pub mod completion;
pub mod definition;
pub mod document_symbols;
pub mod formatting;
pub mod hover;
pub mod references;
pub mod rename;
pub mod semantic_tokens;
pub mod workspace_symbols;

use lsp_server::ErrorCode;
use lsp_types::{TextDocumentPositionParams, Url};

use super::server::Server;
use crate::diagnostics::FileId;

pub struct HandlerError {
    pub code: ErrorCode,
    pub message: String,
}

impl HandlerError {
    pub fn invalid_params(message: impl Into<String>) -> HandlerError {
        HandlerError {
            code: ErrorCode::InvalidParams,
            message: message.into(),
        }
    }
    pub fn failed(message: impl Into<String>) -> HandlerError {
        HandlerError {
            code: ErrorCode::RequestFailed,
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, HandlerError>;

/// The file a URI names in the current analysis.
pub fn file_of(server: &Server, uri: &Url) -> Option<FileId> {
    server.analysis.file(uri)
}

/// The file and byte offset of a text position; `None` for a file outside the model.
pub fn file_offset(server: &Server, at: &TextDocumentPositionParams) -> Option<(FileId, usize)> {
    let file = file_of(server, &at.text_document.uri)?;
    Some((file, server.analysis.offset(file, at.position)))
}
