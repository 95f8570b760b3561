/** VS Code language ids by file name, for files the editor has not opened (Move across the workspace). */
import * as path from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.vue': 'vue', '.svelte': 'svelte', '.py': 'python', '.go': 'go', '.java': 'java', '.kt': 'kotlin', '.kts': 'kotlin',
  '.scala': 'scala', '.groovy': 'groovy', '.gradle': 'groovy', '.cs': 'csharp', '.rb': 'ruby', '.php': 'php', '.rs': 'rust',
  '.swift': 'swift', '.c': 'c', '.h': 'c', '.cpp': 'cpp', '.cc': 'cpp', '.hpp': 'cpp', '.ps1': 'powershell',
  '.sh': 'shellscript', '.bash': 'shellscript', '.zsh': 'shellscript', '.yml': 'yaml', '.yaml': 'yaml', '.json': 'json',
  '.jsonc': 'jsonc', '.properties': 'properties', '.toml': 'toml', '.ini': 'ini', '.cfg': 'ini', '.xml': 'xml', '.tf': 'terraform',
  '.env': 'dotenv',
};

export function languageIdOf(file: string): string {
  const base = path.basename(file).toLowerCase();
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'dotenv';
  if (base === 'dockerfile') return 'dockerfile';
  if (base === 'docker-compose.yml' || base === 'docker-compose.yaml' || base === 'compose.yaml') return 'dockercompose';
  return BY_EXTENSION[path.extname(base)] ?? 'plaintext';
}
