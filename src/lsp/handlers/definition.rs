//! Go to definition: from a reference (or a definition) to the element's name; from an
//! `import "file"` to that file.

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Range, Url};

use super::{Result, file_offset};
use crate::lsp::server::Server;
use crate::lsp::syntax_at::{self, Node};
use crate::syntax;

pub fn definition(
    server: &Server,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let at = &params.text_document_position_params;
    let Some((file, offset)) = file_offset(server, at) else {
        return Ok(None);
    };
    let analysis = &server.analysis;
    if let Some((_, occurrence)) = analysis.index.at(file, offset) {
        let target = analysis.report.model.element(occurrence.element()).name_at;
        return Ok(Some(GotoDefinitionResponse::Scalar(
            analysis.location(target.file, target.span),
        )));
    }
    // `import "path"`: the imported file.
    let tree = syntax::parse(analysis.text(file));
    let found = syntax_at::at(&tree, offset);
    if let (Node::Title(title), Some("import")) = (&found.node, found.innermost_keyword()) {
        let base = analysis
            .info(file)
            .path
            .parent()
            .map(|p| p.join(&title.value));
        if let Some(target) = base.and_then(|p| std::fs::canonicalize(p).ok())
            && let Ok(uri) = Url::from_file_path(&target)
        {
            return Ok(Some(GotoDefinitionResponse::Scalar(Location::new(
                uri,
                Range::default(),
            ))));
        }
    }
    Ok(None)
}
