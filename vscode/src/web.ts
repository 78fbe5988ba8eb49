// Entry of the web worker extension host (vscode.dev, github.dev, code-server's browser host).
import type * as vscode from "vscode";
import { activateWith } from "./extension";

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return activateWith(context, "web");
}

export function deactivate(): void {}
