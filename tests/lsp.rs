//! The language server, in-process over `lsp_server::Connection::memory()`. Each test starts a
//! server on a temporary workspace and talks to it through [`Client`]; the helpers keep each
//! test to its input and its expectation.

use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response, ResponseError};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request as req;
use lsp_types::*;
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<Notification>,
    dir: tempfile::TempDir,
}

impl Client {
    /// A server on a workspace holding `files`, initialized.
    fn start(files: &[(&str, &str)]) -> Client {
        let mut client = Client::unstarted(files);
        let root = Url::from_file_path(client.dir.path()).unwrap();
        let params = json!({
            "capabilities": {},
            "workspaceFolders": [{ "uri": root, "name": "test" }],
        });
        let result = client
            .raw_request("initialize", params)
            .expect("initialize succeeds");
        assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
        client.notify::<notif::Initialized>(InitializedParams {});
        client
    }

    fn unstarted(files: &[(&str, &str)]) -> Client {
        let dir = tempfile::tempdir().unwrap();
        // Canonical, so URIs match the server's (macOS /var -> /private/var and the like).
        let path = std::fs::canonicalize(dir.path()).unwrap();
        for (name, text) in files {
            let file = path.join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || zonelint::lsp::serve(server_side));
        Client {
            conn: client_side,
            server: Some(server),
            next_id: 0,
            pending: Vec::new(),
            dir,
        }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap().join(name)
    }

    fn uri(&self, name: &str) -> Url {
        Url::from_file_path(self.path(name)).unwrap()
    }

    fn raw_request(&mut self, method: &str, params: Value) -> Result<Value, ResponseError> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request {
            id: id.clone(),
            method: method.into(),
            params,
        };
        self.conn.sender.send(Message::Request(request)).unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(TIMEOUT)
                .expect("the server answers")
            {
                Message::Response(Response {
                    id: got,
                    result,
                    error,
                }) if got == id => {
                    return match error {
                        Some(e) => Err(e),
                        None => Ok(result.unwrap_or(Value::Null)),
                    };
                }
                Message::Notification(n) => self.pending.push(n),
                _ => {}
            }
        }
    }

    fn request<R: req::Request>(&mut self, params: R::Params) -> Result<R::Result, ResponseError> {
        let value = self.raw_request(R::METHOD, serde_json::to_value(params).unwrap())?;
        Ok(serde_json::from_value(value).expect("a well-formed result"))
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        let note = Notification::new(N::METHOD.into(), params);
        self.conn.sender.send(Message::Notification(note)).unwrap();
    }

    fn open(&self, name: &str, text: &str) {
        self.notify::<notif::DidOpenTextDocument>(DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(self.uri(name), "iacs".into(), 1, text.into()),
        });
    }

    fn change(&self, name: &str, version: i32, text: &str) {
        self.notify::<notif::DidChangeTextDocument>(DidChangeTextDocumentParams {
            text_document: VersionedTextDocumentIdentifier::new(self.uri(name), version),
            content_changes: vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: text.into(),
            }],
        });
    }

    /// The next diagnostics published for `name` that satisfy `accept`.
    fn diagnostics_until(
        &mut self,
        name: &str,
        accept: impl Fn(&[Diagnostic]) -> bool,
    ) -> Vec<Diagnostic> {
        let uri = self.uri(name);
        let mut seen = Vec::new();
        loop {
            let note = if self.pending.is_empty() {
                match self.conn.receiver.recv_timeout(TIMEOUT) {
                    Ok(Message::Notification(n)) => n,
                    Ok(_) => continue,
                    Err(_) => panic!("no acceptable diagnostics for {name}; saw {seen:#?}"),
                }
            } else {
                self.pending.remove(0)
            };
            if note.method != notif::PublishDiagnostics::METHOD {
                continue;
            }
            let params: PublishDiagnosticsParams = serde_json::from_value(note.params).unwrap();
            if params.uri == uri {
                if accept(&params.diagnostics) {
                    return params.diagnostics;
                }
                seen.push(params.diagnostics);
            }
        }
    }

    fn diagnostics(&mut self, name: &str) -> Vec<Diagnostic> {
        self.diagnostics_until(name, |_| true)
    }

    /// Position params at the first `marker` in `text` of file `name`, `nth` character into it.
    fn at(&self, name: &str, text: &str, marker: &str, nth: usize) -> TextDocumentPositionParams {
        let offset = text
            .find(marker)
            .unwrap_or_else(|| panic!("`{marker}` not in the text"))
            + nth;
        TextDocumentPositionParams::new(
            TextDocumentIdentifier::new(self.uri(name)),
            position(text, offset),
        )
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = self.raw_request("shutdown", Value::Null);
            self.notify::<notif::Exit>(());
            let _ = server.join();
        }
    }
}

/// The LSP position (UTF-16) of a byte offset.
fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..]
        .chars()
        .map(char::len_utf16)
        .sum::<usize>() as u32;
    Position::new(line, character)
}

/// The codes of the model errors. Policy findings carry a link to their rule's page
/// (`codeDescription`) and are left out: these tests are about the server, not the packs.
fn codes(diagnostics: &[Diagnostic]) -> Vec<String> {
    model_errors(diagnostics)
        .iter()
        .map(|d| match &d.code {
            Some(NumberOrString::String(s)) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn model_errors(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.code_description.is_none())
        .cloned()
        .collect()
}

fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    !model_errors(diagnostics).is_empty()
}

fn hover_text(hover: Option<Hover>) -> String {
    match hover.map(|h| h.contents) {
        Some(HoverContents::Markup(m)) => m.value,
        other => panic!("expected markdown, got {other:?}"),
    }
}

const ZONES: &str = "\
/// The cell zone.
zone control \"Cell zone\" {
  kind      = control
  sl_target = { IAC: 2, UC: 2, SI: 2, DC: 1, RDF: 3, TRE: 2, RA: 2 }
  owner     = acme

  component plc1 : embedded-device \"Filter PLC\" {
    sl_capability = [2, 2, 2, 1, 2, 1, 2]
  }
}

zone dmz { kind = dmz }

organization acme \"ACME\" { roles = [asset-owner] }
";

const CONDUITS: &str = "\
conduit dmz_to_control {
  zones = [dmz, control]
  via   = control.plc1
}
";

// ----- diagnostics -----

#[test]
fn diagnostics_for_every_file_and_cleared_when_fixed() {
    let broken = "zone other {\n  kynd = dmz\n}\n";
    let mut client = Client::start(&[
        ("zones.iacs", ZONES),
        ("conduits.iacs", CONDUITS),
        ("broken.iacs", broken),
    ]);
    // Nothing is open: the workspace is checked from disk, every file reported.
    let diagnostics = client.diagnostics_until("broken.iacs", has_errors);
    assert_eq!(codes(&diagnostics), ["unknown-attribute"]);
    let diagnostics = model_errors(&diagnostics);
    let d = &diagnostics[0];
    assert_eq!(
        d.range,
        Range::new(Position::new(1, 2), Position::new(1, 6))
    );
    assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(d.source.as_deref(), Some("zonelint"));
    assert!(d.message.contains("did you mean `kind`?"), "{}", d.message);

    // An unsaved fix in the editor clears the file.
    client.open("broken.iacs", broken);
    client.change("broken.iacs", 2, "zone other {\n  kind = dmz\n}\n");
    let cleared = client.diagnostics_until("broken.iacs", |d| !has_errors(d));
    assert!(codes(&cleared).is_empty());
}

#[test]
fn an_edit_in_one_file_reports_in_another() {
    let mut client = Client::start(&[("zones.iacs", ZONES), ("conduits.iacs", CONDUITS)]);
    client.open("zones.iacs", ZONES);
    let renamed = ZONES.replace("zone dmz {", "zone dmz2 {");
    client.change("zones.iacs", 2, &renamed);
    let diagnostics = client.diagnostics_until("conduits.iacs", has_errors);
    assert_eq!(codes(&diagnostics), ["undefined-reference"]);
    assert!(model_errors(&diagnostics)[0].message.contains("`dmz`"));
}

#[test]
fn secondary_labels_become_related_information() {
    let text = "zone a {}\nzone a {}\n";
    let mut client = Client::start(&[("dup.iacs", text)]);
    let diagnostics = client.diagnostics_until("dup.iacs", has_errors);
    assert_eq!(codes(&diagnostics), ["duplicate-id"]);
    let errors = model_errors(&diagnostics);
    let related = errors[0]
        .related_information
        .as_ref()
        .expect("related information");
    assert_eq!(related[0].location.uri, client.uri("dup.iacs"));
    assert_eq!(
        related[0].location.range,
        Range::new(Position::new(0, 5), Position::new(0, 6))
    );
    assert!(related[0].message.contains("first declared here"));
}

#[test]
fn positions_count_utf16_units_past_non_ascii_text() {
    // `ü` is 2 bytes and 1 UTF-16 unit; the emoji 4 bytes and 2 units.
    let text = "zone Füllstation \"Füllen 🚰 und mehr\" { kind = control }\nconduit c { zones = [Füllstation, nirgendwo] }\n";
    let mut client = Client::start(&[("ü.iacs", text)]);
    let diagnostics = client.diagnostics_until("ü.iacs", has_errors);
    assert_eq!(codes(&diagnostics), ["undefined-reference"]);
    let diagnostics = model_errors(&diagnostics);
    // `nirgendwo` starts at character 34 of line 1 and is 9 units long.
    assert_eq!(
        diagnostics[0].range,
        Range::new(Position::new(1, 34), Position::new(1, 43))
    );

    let title = "zone a \"🚰🚰\" { kind = bogus }\n";
    client.open("t.iacs", title);
    let diagnostics = model_errors(&client.diagnostics_until("t.iacs", has_errors));
    // "zone a " (7) + quote (1) + two emoji (4) + quote (1) + " { kind = " (10) = 23.
    assert_eq!(
        diagnostics[0].range,
        Range::new(Position::new(0, 23), Position::new(0, 28))
    );
}

#[test]
fn a_half_typed_file_still_gets_diagnostics_and_answers() {
    let mut client = Client::start(&[("zones.iacs", ZONES)]);
    let half = "zone new {\n  kind = \n  component x : \n";
    client.open("half.iacs", half);
    let diagnostics = client.diagnostics_until("half.iacs", has_errors);
    assert!(
        codes(&diagnostics)
            .iter()
            .any(|c| c == "unclosed-delimiter" || c == "syntax-error")
    );
    let at = client.at("half.iacs", half, "kind = ", 7);
    let items = client.request::<req::Completion>(CompletionParams {
        text_document_position: at,
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: None,
    });
    let labels = completion_labels(items.unwrap());
    assert!(labels.contains(&"dmz".to_string()), "{labels:?}");
    let hover = client.request::<req::HoverRequest>(HoverParams {
        text_document_position_params: client.at("half.iacs", half, "component", 2),
        work_done_progress_params: Default::default(),
    });
    assert!(hover.is_ok());
}

// ----- navigation -----

fn hover(client: &mut Client, name: &str, text: &str, marker: &str, nth: usize) -> String {
    let params = HoverParams {
        text_document_position_params: client.at(name, text, marker, nth),
        work_done_progress_params: Default::default(),
    };
    hover_text(client.request::<req::HoverRequest>(params).unwrap())
}

#[test]
fn hover_on_an_element_shows_its_card() {
    let mut client = Client::start(&[("zones.iacs", ZONES), ("conduits.iacs", CONDUITS)]);
    let card = hover(&mut client, "zones.iacs", ZONES, "control \"Cell", 2);
    assert!(card.contains("**zone** `control`"), "{card}");
    assert!(card.contains("Cell zone"), "{card}");
    assert!(card.contains("The cell zone."), "{card}");
    assert!(
        card.contains("| SL-T | 2 | 2 | 2 | 1 | 3 | 2 | 2 |"),
        "{card}"
    );
    // The computed levels: plc1's TRE 1 leaves the zone's TRE at 1.
    assert!(
        card.contains("| SL-C (weakest component) | 2 | 2 | 2 | 1 | 2 | 1 | 2 |"),
        "{card}"
    );
    assert!(card.contains("| SL-A (computed) |"), "{card}");

    // From a reference in another file, through a qualified path's last segment.
    let card = hover(&mut client, "conduits.iacs", CONDUITS, "plc1", 1);
    assert!(
        card.contains("**component** `control.plc1` : embedded-device"),
        "{card}"
    );
    assert!(card.contains("Zone: `control`"), "{card}");
    assert!(
        card.contains("| SL-C | 2 | 2 | 2 | 1 | 2 | 1 | 2 |"),
        "{card}"
    );
    assert!(card.contains("| SL-T (zone `control`) | 2 |"), "{card}");
    // The first segment names the zone.
    let card = hover(&mut client, "conduits.iacs", CONDUITS, "control.plc1", 2);
    assert!(card.contains("**zone** `control`"), "{card}");
}

#[test]
fn hover_on_an_attribute_name_and_a_keyword_shows_the_vocabulary() {
    let mut client = Client::start(&[("zones.iacs", ZONES)]);
    let doc = hover(&mut client, "zones.iacs", ZONES, "sl_target", 3);
    assert!(doc.contains("Target security level SL-T"), "{doc}");
    assert!(doc.contains("attribute of zone"), "{doc}");
    let doc = hover(&mut client, "zones.iacs", ZONES, "organization", 1);
    assert!(doc.contains("**organization**"), "{doc}");
}

#[test]
fn definition_and_references_across_files() {
    let mut client = Client::start(&[("zones.iacs", ZONES), ("conduits.iacs", CONDUITS)]);
    let at = client.at("conduits.iacs", CONDUITS, "dmz,", 1);
    let def = client
        .request::<req::GotoDefinition>(GotoDefinitionParams {
            text_document_position_params: at.clone(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap();
    let Some(GotoDefinitionResponse::Scalar(location)) = def else {
        panic!("{def:?}")
    };
    assert_eq!(location.uri, client.uri("zones.iacs"));
    assert_eq!(
        location.range,
        Range::new(Position::new(11, 5), Position::new(11, 8))
    );

    let refs = client
        .request::<req::References>(ReferenceParams {
            text_document_position: client.at("zones.iacs", ZONES, "control \"", 0),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
            context: ReferenceContext {
                include_declaration: true,
            },
        })
        .unwrap()
        .unwrap();
    // The definition, `zones = [dmz, control]` and `control.plc1`.
    assert_eq!(refs.len(), 3, "{refs:#?}");
    assert_eq!(refs[0].uri, client.uri("zones.iacs"));
    assert!(
        refs[1..]
            .iter()
            .all(|r| r.uri == client.uri("conduits.iacs"))
    );
}

#[test]
fn definition_of_an_import_opens_the_file() {
    let main = "import \"zones.iacs\"\n";
    let mut client = Client::start(&[("zones.iacs", ZONES), ("main.iacs", main)]);
    let def = client
        .request::<req::GotoDefinition>(GotoDefinitionParams {
            text_document_position_params: client.at("main.iacs", main, "zones", 1),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap();
    let Some(GotoDefinitionResponse::Scalar(location)) = def else {
        panic!("{def:?}")
    };
    assert_eq!(location.uri, client.uri("zones.iacs"));
}

// ----- rename -----

fn rename(
    client: &mut Client,
    at: TextDocumentPositionParams,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, ResponseError> {
    client.request::<req::Rename>(RenameParams {
        text_document_position: at,
        new_name: new_name.into(),
        work_done_progress_params: Default::default(),
    })
}

#[test]
fn rename_edits_the_definition_and_every_reference() {
    let mut client = Client::start(&[("zones.iacs", ZONES), ("conduits.iacs", CONDUITS)]);
    let prepared = client
        .request::<req::PrepareRenameRequest>(client.at(
            "conduits.iacs",
            CONDUITS,
            "control.plc1",
            2,
        ))
        .unwrap();
    assert_eq!(
        prepared,
        Some(PrepareRenameResponse::Range(Range::new(
            Position::new(2, 10),
            Position::new(2, 17)
        )))
    );
    let at = client.at("conduits.iacs", CONDUITS, "control.plc1", 2);
    let edit = rename(&mut client, at, "cell").unwrap().unwrap();
    let changes = edit.changes.unwrap();
    let in_zones = &changes[&client.uri("zones.iacs")];
    assert_eq!(in_zones.len(), 1);
    assert_eq!(
        in_zones[0].range,
        Range::new(Position::new(1, 5), Position::new(1, 12))
    );
    let mut in_conduits: Vec<Range> = changes[&client.uri("conduits.iacs")]
        .iter()
        .map(|e| e.range)
        .collect();
    in_conduits.sort_by_key(|r| (r.start.line, r.start.character));
    assert_eq!(
        in_conduits,
        [
            Range::new(Position::new(1, 16), Position::new(1, 23)),
            Range::new(Position::new(2, 10), Position::new(2, 17)),
        ]
    );
    assert!(changes.values().flatten().all(|e| e.new_text == "cell"));

    // The last segment of a qualified path.
    let at = client.at("zones.iacs", ZONES, "plc1", 0);
    let edit = rename(&mut client, at, "plc_filter").unwrap().unwrap();
    let changes = edit.changes.unwrap();
    assert_eq!(
        changes[&client.uri("conduits.iacs")][0].range,
        Range::new(Position::new(2, 18), Position::new(2, 22))
    );
}

#[test]
fn rename_refuses_bad_names_clashes_and_other_kinds() {
    let flows =
        "conduit c {\n  zones = [control, dmz]\n  flow f : control.plc1 -> control.plc1 {}\n}\n";
    let mut client = Client::start(&[("zones.iacs", ZONES), ("flows.iacs", flows)]);
    let at = client.at("zones.iacs", ZONES, "dmz {", 0);
    assert!(rename(&mut client, at.clone(), "two words").is_err());
    assert!(rename(&mut client, at.clone(), "9lives").is_err());
    let clash = rename(&mut client, at, "control").unwrap_err();
    assert!(
        clash.message.contains("already exists"),
        "{}",
        clash.message
    );
    let at = client.at("flows.iacs", flows, "f :", 0);
    let err = client.request::<req::PrepareRenameRequest>(at).unwrap_err();
    assert!(
        err.message.contains("a flow cannot be renamed"),
        "{}",
        err.message
    );
}

// ----- completion -----

fn completion_labels(response: Option<CompletionResponse>) -> Vec<String> {
    match response {
        Some(CompletionResponse::Array(items)) => items.into_iter().map(|i| i.label).collect(),
        other => panic!("{other:?}"),
    }
}

fn complete(client: &mut Client, text: &str) -> Vec<String> {
    let offset = text.find('|').unwrap();
    let clean = text.replace('|', "");
    client.open("edit.iacs", &clean);
    let params = CompletionParams {
        text_document_position: TextDocumentPositionParams::new(
            TextDocumentIdentifier::new(client.uri("edit.iacs")),
            position(&clean, offset),
        ),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: None,
    };
    completion_labels(client.request::<req::Completion>(params).unwrap())
}

#[test]
fn completion_offers_what_fits_the_place() {
    let mut client = Client::start(&[("zones.iacs", ZONES)]);
    let top = complete(&mut client, "|");
    assert!(
        top.contains(&"zone".into())
            && top.contains(&"import".into())
            && !top.contains(&"flow".into()),
        "{top:?}"
    );

    let in_zone = complete(&mut client, "zone z {\n  |\n}\n");
    for expected in [
        "component",
        "conduit",
        "zone",
        "suppress",
        "sl_target",
        "kind",
        "owner",
    ] {
        assert!(
            in_zone.contains(&expected.to_string()),
            "{expected} in {in_zone:?}"
        );
    }
    assert!(!in_zone.contains(&"flow".to_string()));

    let kinds = complete(&mut client, "zone z {\n  kind = |\n}\n");
    assert!(
        kinds.contains(&"dmz".into()) && kinds.contains(&"remote-access".into()),
        "{kinds:?}"
    );

    let zones = complete(&mut client, "conduit c {\n  zones = [control, |]\n}\n");
    assert!(
        zones.contains(&"dmz".into()) && zones.contains(&"control".into()),
        "{zones:?}"
    );
    assert!(
        !zones.contains(&"plc1".into()) && !zones.contains(&"acme".into()),
        "{zones:?}"
    );

    let owners = complete(&mut client, "zone z {\n  owner = a|\n}\n");
    assert_eq!(owners, ["acme"]);

    let types = complete(&mut client, "zone z {\n  component c : |\n}\n");
    assert!(types.contains(&"embedded-device".into()), "{types:?}");

    let perms = complete(
        &mut client,
        "role r {\n  permissions = { control: [view, |] }\n}\n",
    );
    assert!(perms.contains(&"configure".into()), "{perms:?}");

    let protocols = complete(&mut client, "conduit c {\n  flow f : a -> b { protocol = |");
    assert!(protocols.contains(&"opc-ua".into()), "{protocols:?}");
}

#[test]
fn completion_of_requirement_ids_in_strings() {
    let comp = "compensation x {\n  requirement = \"SR 2.8\"\n  element = control\n  reason = \"r\"\n  accepted_by = \"a\"\n  expires = 2030-01-01\n}\n";
    let mut client = Client::start(&[("zones.iacs", ZONES), ("comp.iacs", comp)]);
    let ids = complete(&mut client, "evidence e {\n  requirement = \"|\"\n}\n");
    assert!(ids.contains(&"SR 2.8".into()), "{ids:?}");
    // Every catalogue row is offered, not only ids already in use.
    assert!(ids.contains(&"SR 7.3 RE 1".into()), "{ids:?}");
    assert!(ids.contains(&"ZCR 3.3".into()), "{ids:?}");
}

#[test]
fn hover_on_a_requirement_id_shows_the_catalogue_row() {
    let comp = "compensation x {\n  requirement = \"sr 5.2 re 1\"\n  element = control\n  reason = \"r\"\n  accepted_by = \"a\"\n  expires = 2030-01-01\n}\n";
    let mut client = Client::start(&[("zones.iacs", ZONES), ("comp.iacs", comp)]);
    let card = hover(&mut client, "comp.iacs", comp, "re 1", 0);
    assert!(card.contains("SR 5.2 RE 1"), "{card}");
    assert!(card.contains("Deny by default"), "{card}");
    assert!(card.contains("selected at SL-T: 2, 3, 4"), "{card}");
}

// ----- symbols -----

#[test]
fn document_and_workspace_symbols() {
    let mut client = Client::start(&[("zones.iacs", ZONES), ("conduits.iacs", CONDUITS)]);
    let symbols = client
        .request::<req::DocumentSymbolRequest>(DocumentSymbolParams {
            text_document: TextDocumentIdentifier::new(client.uri("zones.iacs")),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap();
    let Some(DocumentSymbolResponse::Nested(symbols)) = symbols else {
        panic!()
    };
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["control", "dmz", "acme"]);
    let children = symbols[0].children.as_ref().unwrap();
    assert_eq!(children[0].name, "plc1");
    assert_eq!(children[0].kind, SymbolKind::OBJECT);

    let found = client
        .request::<req::WorkspaceSymbolRequest>(WorkspaceSymbolParams {
            query: "PLC".into(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap();
    let Some(WorkspaceSymbolResponse::Flat(found)) = found else {
        panic!()
    };
    let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["control.plc1"]);
}

// ----- formatting -----

fn format_request(client: &mut Client, name: &str) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    client.request::<req::Formatting>(DocumentFormattingParams {
        text_document: TextDocumentIdentifier::new(client.uri(name)),
        options: FormattingOptions {
            tab_size: 8,
            insert_spaces: false,
            ..Default::default()
        },
        work_done_progress_params: Default::default(),
    })
}

#[test]
fn formatting_returns_one_whole_document_edit() {
    let ugly = "zone a {\nkind=dmz // why\n    level = 3\n}\n";
    let mut client = Client::start(&[]);
    client.open("a.iacs", ugly);
    let edits = format_request(&mut client, "a.iacs").unwrap().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0].range,
        Range::new(Position::new(0, 0), Position::new(4, 0))
    );
    assert_eq!(
        edits[0].new_text,
        "zone a {\n  kind  = dmz  // why\n  level = 3\n}\n"
    );

    client.change("a.iacs", 2, &edits[0].new_text);
    assert_eq!(format_request(&mut client, "a.iacs").unwrap(), Some(vec![]));

    client.change("a.iacs", 3, "zone a {\n  kind = \n");
    let err = format_request(&mut client, "a.iacs").unwrap_err();
    assert!(err.message.contains("syntax error"), "{}", err.message);
}

// ----- code actions -----

#[test]
fn code_actions_create_a_missing_zone_or_component() {
    let text =
        "zone a {\n  kind = dmz\n  access_points = [gw1]\n}\nconduit c { zones = [a, nowhere] }\n";
    let mut client = Client::start(&[("a.iacs", text)]);
    let diagnostics =
        model_errors(&client.diagnostics_until("a.iacs", |d| model_errors(d).len() == 2));
    let actions = client
        .request::<req::CodeActionRequest>(CodeActionParams {
            text_document: TextDocumentIdentifier::new(client.uri("a.iacs")),
            range: Range::new(Position::new(0, 0), Position::new(5, 0)),
            context: CodeActionContext {
                diagnostics,
                only: None,
                trigger_kind: None,
            },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap()
        .unwrap();
    let by_title: std::collections::HashMap<String, WorkspaceEdit> = actions
        .into_iter()
        .map(|a| match a {
            CodeActionOrCommand::CodeAction(a) => (a.title, a.edit.unwrap()),
            CodeActionOrCommand::Command(c) => panic!("{c:?}"),
        })
        .collect();
    // Policy findings on this small model bring `Suppress` actions too; those are covered by
    // the unit tests in src/lsp/handlers/code_action.rs.
    let mut titles: Vec<&String> = by_title
        .keys()
        .filter(|t| t.starts_with("Create"))
        .collect();
    titles.sort();
    assert_eq!(titles, ["Create component `gw1`", "Create zone `nowhere`"]);

    let edit =
        &by_title["Create component `gw1`"].changes.as_ref().unwrap()[&client.uri("a.iacs")][0];
    assert_eq!(edit.new_text, "  component gw1 : host-device {}\n");
    assert_eq!(edit.range.start, Position::new(3, 0));
    let edit =
        &by_title["Create zone `nowhere`"].changes.as_ref().unwrap()[&client.uri("a.iacs")][0];
    assert_eq!(edit.new_text, "\nzone nowhere {}\n");
    assert_eq!(edit.range.start, Position::new(5, 0));
}

// ----- semantic tokens -----

#[test]
fn semantic_tokens_classify_by_meaning() {
    let text = "// c\nzone a \"T\" {\n  kind = dmz\n  owner = acme\n  level = 3\n}\n";
    let mut client = Client::start(&[("a.iacs", text)]);
    client.diagnostics("a.iacs");
    let tokens = client
        .request::<req::SemanticTokensFullRequest>(SemanticTokensParams {
            text_document: TextDocumentIdentifier::new(client.uri("a.iacs")),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap();
    let Some(SemanticTokensResult::Tokens(tokens)) = tokens else {
        panic!()
    };
    // Decode into (line, start, length, type index).
    let (mut line, mut start) = (0, 0);
    let decoded: Vec<(u32, u32, u32, u32)> = tokens
        .data
        .iter()
        .map(|t| {
            line += t.delta_line;
            start = if t.delta_line == 0 {
                start + t.delta_start
            } else {
                t.delta_start
            };
            (line, start, t.length, t.token_type)
        })
        .collect();
    // Legend order: keyword, variable, property, enumMember, string, number, comment, type.
    assert_eq!(
        decoded,
        [
            (0, 0, 4, 6),
            (1, 0, 4, 0),
            (1, 5, 1, 1),
            (1, 7, 3, 4),
            (2, 2, 4, 2),
            (2, 9, 3, 3),
            (3, 2, 5, 2),
            (3, 10, 4, 1),
            (4, 2, 5, 2),
            (4, 10, 1, 5),
        ]
    );
}

// ----- hostile input -----

#[test]
fn requests_before_initialize_are_refused_and_the_server_goes_on() {
    let mut client = Client::unstarted(&[]);
    let err = client
        .raw_request("textDocument/hover", json!({}))
        .unwrap_err();
    assert_eq!(err.code, lsp_server::ErrorCode::ServerNotInitialized as i32);
    let bad = client
        .raw_request("initialize", json!({ "capabilities": 7 }))
        .unwrap_err();
    assert_eq!(bad.code, lsp_server::ErrorCode::InvalidParams as i32);
    let ok = client.raw_request("initialize", json!({ "capabilities": {} }));
    assert!(ok.is_ok());
}

#[test]
fn unknown_methods_bad_params_and_wild_positions_get_answers() {
    let mut client = Client::start(&[("zones.iacs", ZONES)]);
    let err = client
        .raw_request("zonelint/selfDestruct", json!({}))
        .unwrap_err();
    assert_eq!(err.code, lsp_server::ErrorCode::MethodNotFound as i32);
    let err = client
        .raw_request("textDocument/hover", json!({ "position": "here" }))
        .unwrap_err();
    assert_eq!(err.code, lsp_server::ErrorCode::InvalidParams as i32);

    // Positions past the end of a line and of the file: answered, no crash.
    let uri = client.uri("zones.iacs");
    for position in [
        Position::new(0, 9999),
        Position::new(9999, 0),
        Position::new(u32::MAX, u32::MAX),
    ] {
        let at =
            TextDocumentPositionParams::new(TextDocumentIdentifier::new(uri.clone()), position);
        let hover = client.request::<req::HoverRequest>(HoverParams {
            text_document_position_params: at.clone(),
            work_done_progress_params: Default::default(),
        });
        assert!(hover.is_ok());
        let completion = client.request::<req::Completion>(CompletionParams {
            text_document_position: at,
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
            context: None,
        });
        assert!(completion.is_ok());
    }
    // A document the server never heard of, and a URI that is not a file.
    let nowhere = Url::parse("untitled:Untitled-1").unwrap();
    let at =
        TextDocumentPositionParams::new(TextDocumentIdentifier::new(nowhere), Position::new(0, 0));
    let hover = client.request::<req::HoverRequest>(HoverParams {
        text_document_position_params: at,
        work_done_progress_params: Default::default(),
    });
    assert_eq!(hover.unwrap(), None);
    // Notifications with garbage are ignored; the server still answers.
    client
        .conn
        .sender
        .send(Message::Notification(Notification::new(
            "textDocument/didOpen".into(),
            json!({"bogus": 1}),
        )))
        .unwrap();
    let symbols = client.request::<req::WorkspaceSymbolRequest>(WorkspaceSymbolParams {
        query: String::new(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    });
    assert!(symbols.is_ok());
}

#[test]
fn after_shutdown_requests_are_refused_and_exit_ends_the_server() {
    let mut client = Client::start(&[]);
    assert_eq!(
        client.raw_request("shutdown", Value::Null).unwrap(),
        Value::Null
    );
    let err = client
        .raw_request("textDocument/hover", json!({}))
        .unwrap_err();
    assert_eq!(err.code, lsp_server::ErrorCode::InvalidRequest as i32);
    client.notify::<notif::Exit>(());
    let server = client.server.take().unwrap();
    assert!(server.join().unwrap().is_ok());
}

#[test]
fn hostile_files_do_not_crash_the_server() {
    let deep = format!("zone a {{ x = {}{} }}", "[".repeat(500), "]".repeat(500));
    let mut client = Client::start(&[("deep.iacs", &deep), ("bytes.iacs", "zone \u{0} {")]);
    let diagnostics = client.diagnostics_until("deep.iacs", has_errors);
    assert!(codes(&diagnostics).contains(&"nesting-too-deep".to_string()));
    std::fs::write(client.path("bad.iacs"), [0xff, 0xfe, b'z']).unwrap();
    client.notify::<notif::DidChangeWatchedFiles>(DidChangeWatchedFilesParams {
        changes: vec![FileEvent::new(
            client.uri("bad.iacs"),
            FileChangeType::CREATED,
        )],
    });
    let diagnostics = client.diagnostics_until("bad.iacs", has_errors);
    assert_eq!(codes(&diagnostics), ["invalid-utf8"]);
}
