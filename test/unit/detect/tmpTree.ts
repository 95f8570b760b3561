/** A throwaway folder with these files, for walk and CLI tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-detect-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}
