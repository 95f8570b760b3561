/**
 * After the move, the reference stays useful: environment lookups that the
 * workspace manifest maps to a secret get a hover (metadata, never the
 * value), completion of the manifest's variable names, and a warning when the
 * secret is missing or scheduled for deletion.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CompletionItem,
  CompletionItemKind,
  CompletionParams,
  Diagnostic,
  DiagnosticSeverity,
  Hover,
  MarkupKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { isHushError } from '../shared/errors';
import { Manifest, MANIFEST_FILE, parseManifest, SecretRef } from '../shared/move/manifest';
import { findEnvReferences, lookupPrefixAt } from '../shared/move/references';
import type { SecretDescription } from '../shared/secrets/secretsManager';
import { folderOf } from './move';
import { SecretsService } from './secretsService';

type Lookup = { kind: 'found'; secret: SecretDescription } | { kind: 'missing' } | { kind: 'error'; message: string };

export class ReferenceFeatures {
  /** Secret metadata by name, dropped whenever the store changes. */
  private readonly cache = new Map<string, Promise<Lookup>>();
  /** Manifests read from disk by path, dropped when the client reports a change. */
  private readonly manifests = new Map<string, Manifest | undefined>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly secrets: SecretsService,
    private readonly workspaceFolders: () => string[],
  ) {}

  storeChanged(): void {
    this.cache.clear();
  }

  manifestsChanged(): void {
    this.manifests.clear();
  }

  /** The manifest that governs a document: `.hush.json` of its workspace folder (the open editor's text if open). */
  manifestFor(uri: string): Manifest | undefined {
    const file = URI.parse(uri);
    const folder = file.scheme === 'file' ? folderOf(file.fsPath, this.workspaceFolders()) : this.workspaceFolders()[0];
    if (!folder) return undefined;
    const manifestPath = path.join(folder, MANIFEST_FILE);
    const open = this.documents.get(URI.file(manifestPath).toString());
    if (open) return parseOrUndefined(open.getText(), manifestPath);
    if (!this.manifests.has(manifestPath)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(manifestPath, 'utf8');
      } catch {
        text = undefined;
      }
      this.manifests.set(manifestPath, text === undefined ? undefined : parseOrUndefined(text, manifestPath));
    }
    return this.manifests.get(manifestPath);
  }

  private lookup(name: string): Promise<Lookup> {
    let hit = this.cache.get(name);
    if (!hit) {
      hit = this.secrets
        .manager()
        .then((m) => m.describeSecret(name))
        .then(
          (secret): Lookup => ({ kind: 'found', secret }),
          (e: unknown): Lookup =>
            isHushError(e) && e.code === 'SecretNotFound' ? { kind: 'missing' } : { kind: 'error', message: (e as Error).message },
        );
      this.cache.set(name, hit);
    }
    return hit;
  }

  async hover(doc: TextDocument, offset: number): Promise<Hover | null> {
    const manifest = this.manifestFor(doc.uri);
    if (!manifest) return null;
    const line = lineAround(doc, offset);
    const ref = findEnvReferences(line.text)
      .map((r) => ({ ...r, start: r.start + line.start, end: r.end + line.start }))
      .find((r) => r.start <= offset && offset <= r.end && manifest.env[r.name]);
    if (!ref) return null;
    const target = manifest.env[ref.name];
    const found = await this.lookup(target.secret);
    return {
      range: { start: doc.positionAt(ref.start), end: doc.positionAt(ref.end) },
      contents: { kind: MarkupKind.Markdown, value: hoverText(ref.name, target, found) },
    };
  }

  completion(params: CompletionParams): CompletionItem[] {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc) return [];
    const lineBefore = doc.getText({ start: { line: params.position.line, character: 0 }, end: params.position });
    const typed = lookupPrefixAt(lineBefore);
    if (typed === undefined) return [];
    const manifest = this.manifestFor(doc.uri);
    if (!manifest) return [];
    return Object.entries(manifest.env)
      .filter(([name]) => name.startsWith(typed))
      .map(([name, ref]) => ({
        label: name,
        kind: CompletionItemKind.Variable,
        detail: `Hush secret ${ref.secret}${ref.stage && ref.stage !== 'CURRENT' ? ` (${ref.stage})` : ''}`,
        documentation: `Mapped in ${MANIFEST_FILE}; \`hush run\` sets it from the Secrets Manager.`,
        sortText: `0${name}`,
      }));
  }

  /** Warnings for lookups whose secret is missing or scheduled for deletion. Opens the store only if the manifest maps something here. */
  async diagnostics(doc: TextDocument): Promise<Diagnostic[]> {
    const manifest = this.manifestFor(doc.uri);
    if (!manifest || Object.keys(manifest.env).length === 0) return [];
    const refs = findEnvReferences(doc.getText()).filter((r) => manifest.env[r.name]);
    const out: Diagnostic[] = [];
    for (const r of refs) {
      const target = manifest.env[r.name];
      const found = await this.lookup(target.secret);
      let message: string | undefined;
      if (found.kind === 'missing') {
        message = `${r.name} maps to the secret ${target.secret} in ${MANIFEST_FILE}, which does not exist. Create it (Hush: Create Secret) or fix the manifest.`;
      } else if (found.kind === 'found' && found.secret.deletionDate) {
        message = `${r.name} maps to ${target.secret}, which is scheduled for deletion on ${found.secret.deletionDate.slice(0, 10)}. Restore it (Hush: Restore Secret) or the app loses it.`;
      }
      if (message) {
        out.push({
          range: { start: doc.positionAt(r.start), end: doc.positionAt(r.end) },
          severity: DiagnosticSeverity.Warning,
          source: 'hush',
          code: 'missing-secret',
          message,
        });
      }
    }
    return out;
  }
}

function parseOrUndefined(text: string, file: string): Manifest | undefined {
  try {
    return parseManifest(text, file);
  } catch {
    return undefined; // the JSON schema in the editor reports what is wrong with it
  }
}

function lineAround(doc: TextDocument, offset: number): { start: number; text: string } {
  const pos = doc.positionAt(offset);
  const start = doc.offsetAt({ line: pos.line, character: 0 });
  return { start, text: doc.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } }) };
}

function commandLink(title: string, command: string, arg: string): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([arg]))})`;
}

function hoverText(envVar: string, target: SecretRef, found: Lookup): string {
  const head = `**Hush:** \`${envVar}\` comes from the secret \`${target.secret}\`${target.stage && target.stage !== 'CURRENT' ? ` (${target.stage})` : ''}`;
  if (found.kind === 'missing') return `${head}\n\n**Warning:** there is no such secret in the store. \`hush run\` will refuse to start.`;
  if (found.kind === 'error') return `${head}\n\nThe store could not be read: ${found.message}`;
  const s = found.secret;
  const stage = target.stage ?? 'CURRENT';
  const version = target.versionId ? s.versions.find((v) => v.versionId === target.versionId) : s.versions.find((v) => v.versionStages.includes(stage));
  const lines = [head, ''];
  if (s.description) lines.push(`${s.description}`, '');
  lines.push(`Value: \`••••••••\` (never shown in a hover)`);
  if (version) lines.push(`Version: \`${version.versionId.slice(0, 8)}\` ${version.versionStages.join(', ')} · created ${version.createdAt.slice(0, 10)}`);
  lines.push(`Versions: ${s.versions.length} · key \`${s.kmsKeyAliases[0] ?? s.kmsKeyId}\``);
  if (s.rotation) lines.push(`Rotation: every ${s.rotation.intervalDays} days${s.rotation.lastRotatedAt ? `, last ${s.rotation.lastRotatedAt.slice(0, 10)}` : ', never rotated yet'}`);
  if (s.deletionDate) lines.push(`**Warning:** scheduled for deletion on ${s.deletionDate.slice(0, 10)}`);
  lines.push(
    '',
    [
      commandLink('Reveal', 'hush.secret.reveal', s.name),
      commandLink('Rotate', 'hush.secret.rotate', s.name),
      commandLink('Show in Sidebar', 'hush.secret.showInSidebar', s.name),
    ].join(' · '),
  );
  return lines.join('  \n');
}
