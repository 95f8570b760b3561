/**
 * Plain benign text: code, config, data and prose with nothing secret in
 * it, the bulk of what a detector reads. Assignments, calls, loops, config
 * keys, log lines, ids, hashes in lockfiles, URLs, SQL, Markdown.
 */
import { benignCase, type EvalCase } from './evalCase';
import { ALPHA, capital, identifier, Rand, WORDS } from './rand';
import { hostName, userName } from './values';

const w = (r: Rand): string => r.pick(WORDS);
const id = (r: Rand, n = 2): string => identifier(r, Array.from({ length: n }, () => w(r)));

const FORMS: ((r: Rand) => [string, string | undefined])[] = [
  (r) => [`const ${id(r)} = ${r.int(0, 5000)};`, 'a.js'],
  (r) => [`${id(r)} = "${w(r)} ${w(r)} ${w(r)}"`, 'a.py'],
  (r) => [`function ${id(r)}(${id(r)}, ${id(r)}) {\n  return ${id(r)}.map((x) => x.${w(r)});\n}`, 'util.js'],
  (r) => [`def ${identifier(r, [w(r), w(r)], 'snake')}(self, ${w(r)}):\n    return self.${w(r)}.get(${w(r)})`, 'svc.py'],
  (r) => [`for (int i = 0; i < ${id(r)}.size(); i++) { ${id(r)}.add(i); }`, 'Loop.java'],
  (r) => [`server:\n  host: ${hostName(r)}\n  port: ${r.int(1000, 9999)}\n  timeout: ${r.int(1, 60)}s`, 'config.yml'],
  (r) => [`[${w(r)}]\nenabled = true\nretries = ${r.int(1, 9)}\nurl = https://${hostName(r)}/${w(r)}`, 'app.ini'],
  (r) => [`${identifier(r, [w(r), w(r)], 'upper')}=${r.pick(['true', 'false', String(r.int(1, 9999)), w(r), 'https://' + hostName(r)])}`, '.env'],
  (r) => [`"${w(r)}": { "version": "${r.int(0, 9)}.${r.int(0, 30)}.${r.int(0, 9)}", "integrity": "sha512-${r.str(ALPHA.b64, 86)}==" }`, 'package-lock.json'],
  (r) => [`  "id": "${[8, 4, 4, 4, 12].map((k) => r.str(ALPHA.hex, k)).join('-')}",\n  "name": "${w(r)}"`, 'data.json'],
  (r) => [`commit ${r.str(ALPHA.hex, 40)}\nAuthor: ${capital(w(r))} <${w(r)}@${w(r)}.org>`, undefined],
  (r) => [`2024-05-0${r.int(1, 9)}T10:${r.int(10, 59)}:00Z INFO ${w(r)} request_id=${r.str(ALPHA.hex, 16)} status=${r.pick([200, 404, 500])} duration=${r.int(1, 900)}ms`, 'app.log'],
  (r) => [`SELECT ${w(r)}, ${w(r)} FROM ${w(r)}s WHERE ${w(r)}_id = $1 ORDER BY created_at DESC LIMIT ${r.int(1, 100)};`, 'q.sql'],
  (r) => [`## ${capital(w(r))} ${w(r)}\n\nRun \`npm run ${w(r)}\` to build the ${w(r)} and ${w(r)} modules.`, 'README.md'],
  (r) => [`import { ${capital(w(r))}${capital(w(r))} } from './${w(r)}/${w(r)}';`, 'index.ts'],
  (r) => [`<div class="${w(r)}-${w(r)}" data-id="${r.int(1, 99999)}">${capital(w(r))}</div>`, 'page.html'],
  (r) => [`.${w(r)}-${w(r)} { color: #${r.str(ALPHA.hex, 6)}; margin: ${r.int(0, 32)}px; }`, 'style.css'],
  (r) => [`docker run -d --name ${w(r)} -p ${r.int(1000, 9999)}:80 ${w(r)}/${w(r)}:${r.int(1, 9)}.${r.int(0, 9)}`, 'run.sh'],
  (r) => [`git checkout -b feature/${w(r)}-${w(r)} && git push -u origin HEAD`, undefined],
  (r) => [`if err != nil {\n\treturn fmt.Errorf("${w(r)} ${w(r)}: %w", err)\n}`, 'main.go'],
  (r) => [`image: ${w(r)}/${w(r)}@sha256:${r.str(ALPHA.hex, 64)}`, 'deploy.yaml'],
  (r) => [`user = User(name="${capital(w(r))}", email="${userName(r)}@example.org", role="${r.pick(['admin', 'viewer', 'editor'])}")`, 'seed.py'],
  (r) => [`ssh ${userName(r)}@${hostName(r)} 'sudo systemctl restart ${w(r)}'`, 'ops.sh'],
  (r) => [`curl -s https://${hostName(r)}/api/${w(r)}?page=${r.int(1, 9)} | jq '.items[].${w(r)}'`, undefined],
  (r) => [`mysql -h ${hostName(r)} -u ${userName(r)} ${w(r)}_db < ${w(r)}.sql`, 'load.sh'],
  (r) => [`The ${w(r)} service reads its ${w(r)} settings from \`${w(r)}.yaml\` at start-up and reloads them on SIGHUP.`, 'docs.md'],
  (r) => [`const ${id(r)} = ${JSON.stringify(r.str(ALPHA.b62, r.int(6, 10)))}; // short id`, 'ids.ts'],
  (r) => [`public ${capital(w(r))}${capital(w(r))} get${capital(w(r))}() { return this.${w(r)}; }`, 'Model.java'],
  (r) => [`<dependency>\n  <groupId>org.${w(r)}</groupId>\n  <artifactId>${w(r)}-${w(r)}</artifactId>\n  <version>${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}</version>\n</dependency>`, 'pom.xml'],
  (r) => [`resource "aws_s3_bucket" "${w(r)}" {\n  bucket = "${w(r)}-${w(r)}-${r.int(100, 999)}"\n  tags = { Team = "${w(r)}" }\n}`, 'main.tf'],
  (r) => [`let ${w(r)}_map: HashMap<String, u32> = HashMap::new();`, 'lib.rs'],
  (r) => [`${w(r)}.on('${w(r)}', async (${w(r)}) => { await ${w(r)}.${w(r)}(${w(r)}); });`, 'events.js'],
  (r) => [`<img src="data:image/png;base64,${r.str(ALPHA.b64, 120)}" alt="${w(r)}">`, 'icon.html'],
  (r) => [`ENV NODE_ENV=production PORT=${r.int(3000, 9000)}\nRUN npm ci --omit=dev`, 'Dockerfile'],
  (r) => [`session = boto3.Session(profile_name="${w(r)}", region_name="${r.pick(['us-east-1', 'eu-west-1'])}")`, 'aws.py'],
  (r) => [`@app.route("/${w(r)}/<int:${w(r)}_id>", methods=["GET"])`, 'routes.py'],
  (r) => [`- name: ${capital(w(r))} ${w(r)}\n  uses: actions/checkout@v4\n  with:\n    fetch-depth: 0`, '.github/workflows/ci.yml'],
  (r) => [`${capital(w(r))} ${w(r)} ${w(r)} the ${w(r)} and ${w(r)} it to the ${w(r)} before ${w(r)}.`, undefined],
  // Random-looking values that are not secrets: ids, digests, fingerprints, build hashes.
  (r) => [`${r.pick(['commit_sha', 'buildId', 'BUILD_HASH', 'etag', 'request_id', 'traceId', 'checksum', 'digest', 'fingerprint', 'cache_buster', 'image_digest', 'revision', 'objectId', 'correlation_id'])} = "${r.pick([r.str(ALPHA.hex, 40), r.str(ALPHA.hex, 32), r.str(ALPHA.hex, 64), [8, 4, 4, 4, 12].map((k) => r.str(ALPHA.hex, k)).join('-'), r.str(ALPHA.b62, 24)])}"`, 'build.py'],
  (r) => [`<script src="/static/js/main.${r.str(ALPHA.hex, 8)}.chunk.js" integrity="sha384-${r.str(ALPHA.b64, 64)}" crossorigin="anonymous"></script>`, 'index.html'],
  (r) => [`${w(r)}.example.org/${w(r)} h1:${r.str(ALPHA.b64, 43)}=`, 'go.sum'],
  (r) => [`oid sha256:${r.str(ALPHA.hex, 64)}\nsize ${r.int(1000, 99999999)}`, undefined],
  (r) => [`${hostName(r)} ssh-ed25519 SHA256:${r.str(ALPHA.b64, 43)}`, 'known_hosts'],
  (r) => [`"resolved": "https://registry.npmjs.org/${w(r)}/-/${w(r)}-${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.tgz",`, 'package-lock.json'],
  (r) => [`arn:aws:iam::${r.str(ALPHA.digits, 12)}:role/${capital(w(r))}${capital(w(r))}Role`, undefined],
  (r) => [`if (!password) { throw new Error("${capital(w(r))} ${w(r)} required"); }\nuser.passwordHash = await bcrypt.hash(password, ${r.int(10, 14)});`, 'auth.js'],
  (r) => [`const { password, ...${w(r)} } = req.body;`, 'handler.js'],
  (r) => [`password: { type: String, required: true, minlength: ${r.int(8, 12)} },`, 'user.model.js'],
  (r) => [`<input type="password" name="password" id="${w(r)}-password" autocomplete="current-password">`, 'login.html'],
  (r) => [`token = generate_token(${r.int(16, 64)})\nsession["csrf_token"] = token`, 'session.py'],
  () => [`def check_password(self, raw_password):\n    return check_password(raw_password, self.password)`, 'models.py'],
  (r) => [`  ${r.pick(['sessionId', 'session_id', 'nonce', 'state', 'codeChallenge', 'salt'])}: crypto.randomBytes(${r.int(16, 32)}).toString("hex"),`, 'oauth.js'],
  (r) => [`const KEY_${r.pick(['UP', 'DOWN', 'ENTER', 'ESCAPE', 'TAB'])} = ${r.int(9, 40)};`, 'keys.js'],
  (r) => [`"${identifier(r, [w(r), 'token'], 'snake')}_kind": "${capital(w(r))}${capital(w(r))}",`, 'grammar.json'],
  (r) => [`ga('create', 'UA-${r.str(ALPHA.digits, 8)}-${r.int(1, 9)}', 'auto');`, 'analytics.js'],
  (r) => [`"${r.pick(['sha', 'tree_sha', 'node_id'])}": "${r.str(ALPHA.hex, 40)}",`, 'event.json'],
  (r) => [`key = "${w(r)}:${w(r)}:${r.int(1, 99999)}"  # cache key`, 'cache.py'],
  (r) => [`${r.pick(['apiVersion', 'api_version'])}: "${r.int(2019, 2025)}-${r.int(10, 12)}-${r.int(10, 28)}"`, 'client.yaml'],
  (r) => [`background: url("data:image/svg+xml;base64,${r.str(ALPHA.b64, 160)}");`, 'app.css'],
  (r) => [`uuid = "${[8, 4, 4, 4, 12].map((k) => r.str(ALPHA.hex, k)).join('-')}"\nname = "${w(r)}"`, 'Project.toml'],
];

export function plainCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const [text, path] = r.pick(FORMS)(r);
    out.push(benignCase('plain', 'plain', 'ordinary code, config or prose', text, path));
  }
  return out;
}
