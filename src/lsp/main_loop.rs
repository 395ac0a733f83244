//! The handshake and the message loop.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{InitializeParams, InitializeResult, ServerInfo, Url};
use serde::de::DeserializeOwned;

use super::capabilities::server_capabilities;
use super::handlers::{self, HandlerError};
use super::server::Server;

/// Serves one client over `connection` until it sends `exit` or hangs up.
pub fn serve(connection: Connection) -> Result<(), String> {
    let Some((id, params)) = wait_for_initialize(&connection) else {
        return Ok(());
    };
    let roots = workspace_roots(&params);
    let result = InitializeResult {
        capabilities: server_capabilities(),
        server_info: Some(ServerInfo {
            name: "zonelint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    send(&connection, Message::Response(Response::new_ok(id, result)));

    let sender = connection.sender.clone();
    let mut server = Server::new(
        Box::new(move |message| {
            let _ = sender.send(message);
        }),
        roots,
    );
    let mut shutting_down = false;
    while let Ok(message) = connection.receiver.recv() {
        match message {
            Message::Request(request) => {
                let response = if shutting_down {
                    Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )
                } else if request.method == req::Shutdown::METHOD {
                    shutting_down = true;
                    Response::new_ok(request.id, ())
                } else {
                    server.refresh();
                    dispatch(&server, request)
                };
                send(&connection, Message::Response(response));
            }
            Message::Notification(note) => {
                if note.method == notif::Exit::METHOD {
                    break;
                }
                on_notification(&mut server, note);
            }
            // Answers to our own requests (capability registration): nothing to do.
            Message::Response(_) => {}
        }
        // Rebuild once the burst of edits is over: nothing else is waiting.
        if server.stale && connection.receiver.is_empty() {
            server.refresh();
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) {
    let _ = connection.sender.send(message);
}

/// Answers everything before `initialize` as the protocol asks; `None` when the client left.
fn wait_for_initialize(
    connection: &Connection,
) -> Option<(lsp_server::RequestId, InitializeParams)> {
    while let Ok(message) = connection.receiver.recv() {
        match message {
            Message::Request(request) if request.method == req::Initialize::METHOD => {
                match serde_json::from_value::<InitializeParams>(request.params) {
                    Ok(params) => return Some((request.id, params)),
                    Err(err) => send(
                        connection,
                        Message::Response(Response::new_err(
                            request.id,
                            ErrorCode::InvalidParams as i32,
                            format!("invalid initialize parameters: {err}"),
                        )),
                    ),
                }
            }
            Message::Request(request) => send(
                connection,
                Message::Response(Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    format!("`{}` before `initialize`", request.method),
                )),
            ),
            Message::Notification(note) if note.method == notif::Exit::METHOD => return None,
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    None
}

#[allow(deprecated)] // root_uri and root_path: older clients send only those
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut uris: Vec<Url> = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| f.uri.clone())
        .collect();
    if uris.is_empty()
        && let Some(uri) = &params.root_uri
    {
        uris.push(uri.clone());
    }
    let mut roots: Vec<PathBuf> = uris.iter().filter_map(|u| u.to_file_path().ok()).collect();
    if roots.is_empty()
        && let Some(path) = &params.root_path
    {
        roots.push(PathBuf::from(path));
    }
    roots
}

fn on_notification(server: &mut Server, note: Notification) {
    match note.method.as_str() {
        notif::DidOpenTextDocument::METHOD => {
            if let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(note) {
                let doc = p.text_document;
                server.open(doc.uri, doc.version, doc.text);
            }
        }
        notif::DidChangeTextDocument::METHOD => {
            if let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(note)
                // Full sync: the last change holds the whole text.
                && let Some(change) = p.content_changes.into_iter().last()
            {
                server.change(&p.text_document.uri, p.text_document.version, change.text);
            }
        }
        notif::DidSaveTextDocument::METHOD => {
            if let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(note) {
                server.disk_changed(&p.text_document.uri);
            }
        }
        notif::DidCloseTextDocument::METHOD => {
            if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(note) {
                server.close(&p.text_document.uri);
            }
        }
        notif::DidChangeWatchedFiles::METHOD => {
            if let Some(p) = params::<lsp_types::DidChangeWatchedFilesParams>(note) {
                for change in &p.changes {
                    server.disk_changed(&change.uri);
                }
                // A file may have appeared or gone: find the model files again.
                server.rediscover();
            }
        }
        notif::DidChangeWorkspaceFolders::METHOD => {
            if let Some(p) = params::<lsp_types::DidChangeWorkspaceFoldersParams>(note) {
                let removed: Vec<PathBuf> = p
                    .event
                    .removed
                    .iter()
                    .filter_map(|f| f.uri.to_file_path().ok())
                    .collect();
                let mut roots: Vec<PathBuf> = server
                    .roots()
                    .iter()
                    .filter(|r| !removed.contains(r))
                    .cloned()
                    .collect();
                roots.extend(
                    p.event
                        .added
                        .iter()
                        .filter_map(|f| f.uri.to_file_path().ok()),
                );
                server.set_roots(roots);
            }
        }
        // `initialized`, `$/cancelRequest`, `$/setTrace` and unknown notifications: nothing to do.
        _ => {}
    }
}

fn params<P: DeserializeOwned>(note: Notification) -> Option<P> {
    match serde_json::from_value(note.params) {
        Ok(p) => Some(p),
        Err(err) => {
            eprintln!(
                "zonelint lsp: ignored `{}` with invalid parameters: {err}",
                note.method
            );
            None
        }
    }
}

/// Routes a request to its handler. Bad parameters get InvalidParams, unknown methods
/// MethodNotFound, and a handler that panics InternalError: the server keeps running.
fn dispatch(server: &Server, request: Request) -> Response {
    let id = request.id.clone();
    let outcome = catch_unwind(AssertUnwindSafe(|| route(server, request)));
    match outcome {
        Ok(response) => response,
        Err(_) => Response::new_err(
            id,
            ErrorCode::InternalError as i32,
            "zonelint hit an internal error answering this request".into(),
        ),
    }
}

fn route(server: &Server, request: Request) -> Response {
    let method = request.method.clone();
    macro_rules! on {
        ($($kind:ty => $handler:path),* $(,)?) => {
            match method.as_str() {
                $(<$kind>::METHOD => handle::<$kind>(server, request, $handler),)*
                _ => Response::new_err(
                    request.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("zonelint does not handle `{method}`"),
                ),
            }
        };
    }
    on! {
        req::HoverRequest => handlers::hover::hover,
        req::GotoDefinition => handlers::definition::definition,
        req::References => handlers::references::references,
        req::PrepareRenameRequest => handlers::rename::prepare_rename,
        req::Rename => handlers::rename::rename,
        req::Completion => handlers::completion::completion,
        req::DocumentSymbolRequest => handlers::document_symbols::document_symbols,
        req::WorkspaceSymbolRequest => handlers::workspace_symbols::workspace_symbols,
        req::Formatting => handlers::formatting::formatting,
        req::CodeActionRequest => handlers::code_action::code_actions,
        req::SemanticTokensFullRequest => handlers::semantic_tokens::semantic_tokens_full,
    }
}

fn handle<R: req::Request>(
    server: &Server,
    request: Request,
    handler: fn(&Server, R::Params) -> Result<R::Result, HandlerError>,
) -> Response {
    let params = match serde_json::from_value::<R::Params>(request.params) {
        Ok(p) => p,
        Err(err) => {
            return Response::new_err(
                request.id,
                ErrorCode::InvalidParams as i32,
                format!("invalid parameters for `{}`: {err}", R::METHOD),
            );
        }
    };
    match handler(server, params) {
        Ok(result) => Response::new_ok(request.id, result),
        Err(err) => Response::new_err(request.id, err.code as i32, err.message),
    }
}
