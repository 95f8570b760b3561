/** Workspace edits that rewrite a whole small file (manifest, rules, baseline), open in the editor or not. */
import * as fs from 'node:fs';
import { CreateFile, TextDocumentEdit, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

/** The file's current text: the open editor's if open, else the disk's; undefined if it does not exist. */
export function currentText(documents: TextDocuments<TextDocument>, uri: string): string | undefined {
  const open = documents.get(uri);
  if (open) return open.getText();
  try {
    return fs.readFileSync(URI.parse(uri).fsPath, 'utf8');
  } catch {
    return undefined;
  }
}

/** Edits that make the file hold `next`: created when missing, replaced whole otherwise. */
export function replaceFileEdits(documents: TextDocuments<TextDocument>, uri: string, current: string | undefined, next: string): (TextDocumentEdit | CreateFile)[] {
  const start = { line: 0, character: 0 };
  if (current === undefined) {
    return [CreateFile.create(uri, { ignoreIfExists: true }), TextDocumentEdit.create({ uri, version: null }, [{ range: { start, end: start }, newText: next }])];
  }
  const lines = current.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  return [TextDocumentEdit.create({ uri, version: documents.get(uri)?.version ?? null }, [{ range: { start, end }, newText: next }])];
}
