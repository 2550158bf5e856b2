/**
 * A small Disposable base: register children with `_register`, dispose them all once.
 * (After vscode-extension-samples custom-editor-sample `dispose.ts`.)
 */
import * as vscode from 'vscode';

export abstract class Disposable {
  private _disposed = false;
  protected _disposables: vscode.Disposable[] = [];

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    while (this._disposables.length) this._disposables.pop()?.dispose();
  }

  protected get isDisposed(): boolean { return this._disposed; }

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this._disposed) d.dispose(); else this._disposables.push(d);
    return d;
  }
}
