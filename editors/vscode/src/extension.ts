// The zonelint extension: starts `zonelint lsp` for .iacs files. Everything else (diagnostics,
// hover, completion, formatting, code actions, semantic tokens) is the language server's.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverPath = vscode.workspace
    .getConfiguration("zonelint")
    .get<string>("serverPath", "zonelint");
  const serverOptions: ServerOptions = {
    command: serverPath,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "iacs" }],
    synchronize: {
      // Files created, changed or deleted outside the editor change the model too.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.iacs"),
    },
  };
  client = new LanguageClient("zonelint", "zonelint", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("zonelint.serverPath")) {
        await vscode.commands.executeCommand("workbench.action.reloadWindow");
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
