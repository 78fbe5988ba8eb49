// Entry of the Node extension host (VS Code desktop, remote, code-server).
import type * as vscode from "vscode";
import { activateWith } from "./extension";

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return activateWith(context, "node");
}

export function deactivate(): void {}
