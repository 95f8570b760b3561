/**
 * Credentials in commands and statements: SQL DDL, database clients, curl,
 * docker, sshpass and friends, as written in scripts, CI files, READMEs and
 * Dockerfiles; and the same commands with no secret in them.
 */
import { benignCase, type EvalCase, secretCase } from './evalCase';
import { Rand, WORDS } from './rand';
import { hostName, password, userName } from './values';

type Form = (r: Rand, user: string, pw: string, host: string) => [string, string];

/** `[before, after]` around the password; the category and what it is. */
const SECRET_FORMS: { cat: string; why: string; forms: Form[]; forbid?: string }[] = [
  {
    cat: 'sql',
    why: 'password in SQL DDL',
    forbid: "'\";",
    forms: [
      (_r, u) => [`CREATE USER ${u} WITH PASSWORD '`, `';`],
      (_r, u) => [`CREATE USER '${u}'@'%' IDENTIFIED BY '`, `';`],
      (_r, u) => [`ALTER USER ${u} IDENTIFIED BY "`, `";`],
      (_r, u) => [`ALTER ROLE ${u} WITH LOGIN PASSWORD '`, `' VALID UNTIL 'infinity';`],
      (_r, u) => [`create role ${u} login password '`, `';`],
      (_r, u) => [`GRANT ALL PRIVILEGES ON *.* TO '${u}'@'localhost' IDENTIFIED BY '`, `';`],
      (_r, u) => [`CREATE LOGIN ${u} WITH PASSWORD = '`, `', CHECK_POLICY = OFF;`],
      (_r, u) => [`ALTER LOGIN [${u}] WITH PASSWORD = N'`, `';`],
      (_r, u) => [`SET PASSWORD FOR '${u}'@'%' = PASSWORD('`, `');`],
      (_r, u) => [`ALTER USER ${u} IDENTIFIED BY `, ` ACCOUNT UNLOCK;`],
      (_r, u) => [`CREATE USER ${u} IDENTIFIED WITH mysql_native_password BY '`, `';`],
    ],
  },
  {
    cat: 'curl',
    why: 'password in a curl user option',
    forbid: '"\':@',
    forms: [
      (_r, u, _p, h) => [`curl -u ${u}:`, ` https://${h}/api/v1/status`],
      (_r, u, _p, h) => [`curl --user "${u}:`, `" -X POST https://${h}/deploy`],
      (_r, u, _p, h) => [`curl -s -u '${u}:`, `' https://${h}/`],
      (_r, u, _p, h) => [`curl -fsSL --user=${u}:`, ` https://${h}/artifact.tgz -o a.tgz`],
      (_r, u, _p, h) => [`  - curl -k -u ${u}:`, ` "https://${h}/job/build?token=x"`],
    ],
  },
  {
    cat: 'db-client',
    why: 'password on a database client command line',
    forbid: '"\'$;&|',
    forms: [
      (_r, u, _p, h) => [`mysql -h ${h} -u ${u} -p`, ` app_db < schema.sql`],
      (_r, u) => [`mysqldump -u${u} -p'`, `' --all-databases > backup.sql`],
      (_r, u, _p, h) => [`mysql --user=${u} --password=`, ` --host=${h}`],
      (_r, u, _p, h) => [`mysqladmin -u ${u} --password="`, `" -h ${h} status`],
      (_r, u, _p, h) => [`PGPASSWORD=`, ` psql -h ${h} -U ${u} -d app`],
      (_r, _u, _p, h) => [`redis-cli -h ${h} -a `, ` ping`],
      (_r, u, _p, h) => [`mongosh "mongodb://${h}:27017" -u ${u} -p `, ` --authenticationDatabase admin`],
      (_r, u, _p, h) => [`sqlcmd -S ${h} -U ${u} -P "`, `" -Q "SELECT 1"`],
      (_r, u, _p, h) => [`mongo --host ${h} --username ${u} --password `, ``],
    ],
  },
  {
    cat: 'docker',
    why: 'password in docker login',
    forbid: '"\'$',
    forms: [
      (_r, u, _p, h) => [`docker login -u ${u} -p `, ` ${h}`],
      (_r, u, _p, h) => [`docker login ${h} --username ${u} --password `, ``],
      (_r, u, _p, h) => [`docker login --username=${u} --password="`, `" ${h}`],
      (_r, u) => [`RUN docker login -u ${u} -p '`, `' registry.gitlab.com`],
    ],
  },
  {
    cat: 'ssh',
    why: 'password in sshpass / remote login commands',
    forbid: '"\'$;:@/%\\',
    forms: [
      (_r, u, _p, h) => [`sshpass -p '`, `' ssh -o StrictHostKeyChecking=no ${u}@${h}`],
      (_r, u, _p, h) => [`sshpass -p `, ` scp build.tar.gz ${u}@${h}:/srv/`],
      (_r, u, _p, h) => [`sshpass -p"`, `" rsync -az dist/ ${u}@${h}:/var/www`],
      (_r, u, _p, h) => [`smbclient //${h}/share -U ${u}%`, ``],
      (_r, u, _p, h) => [`ldapsearch -x -H ldap://${h} -D "cn=${u},dc=corp" -w `, ` -b "dc=corp"`],
      (_r, u, _p, h) => [`net use \\\\${h}\\share /user:${u} `, ``],
      (_r, u, _p, h) => [`wget --user=${u} --password=`, ` https://${h}/file.zip`],
      (_r, u) => [`htpasswd -b -c /etc/nginx/.htpasswd ${u} `, ``],
      (_r, u) => [`rabbitmqctl add_user ${u} `, ``],
      (_r, u, _p, h) => [`git clone https://${u}:`, `@${h}/team/repo.git`],
      (_r, u, _p, h) => [`psql "postgresql://${u}:`, `@${h}:5432/app"`],
      (_r, _u, _p, h) => [`openssl pkcs12 -export -in cert.pem -inkey key.pem -out ${h}.p12 -passout pass:`, ``],
      (_r, _u, _p, h) => [`keytool -importcert -keystore ${h}.jks -storepass `, ` -file ca.crt`],
    ],
  },
  {
    cat: 'tools',
    why: 'password passed to a deployment or admin tool',
    forbid: '"\'$;:@/%\\',
    forms: [
      (_r, u) => [`az login --service-principal -u http://${u} -p `, ` --tenant corp.onmicrosoft.com`],
      (_r, u) => [`sqlplus -s ${u}/`, `@//db.internal:1521/ORCL @deploy.sql`],
      (r) => [`zip -r -P `, ` ${r.pick(WORDS)}-backup.zip data/`],
      (_r, u, _p, h) => [`psexec \\\\${h} -u CORP\\${u} -p `, ` cmd /c hostname`],
      (r) => [`ssh-keygen -t ed25519 -N "`, `" -f ~/.ssh/${r.pick(WORDS)}`],
      (r) => [`docker run -d -e ${r.pick(['MYSQL_ROOT_PASSWORD', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD'])}=`, ` ${r.pick(['mysql:8', 'postgres:16', 'redis:7'])}`],
      (r) => [`kubectl create secret generic ${r.pick(WORDS)} --from-literal=password=`, ``],
      (r) => [`helm upgrade --install ${r.pick(WORDS)} ./chart --set auth.password=`, ` --wait`],
      () => [`twine upload -u __token__ -p `, ` dist/*`],
    ],
  },
];

export function commandCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const group = r.pick(SECRET_FORMS);
    const form = r.pick(group.forms);
    const user = userName(r);
    const host = hostName(r);
    // Unquoted on a shell line, a password cannot hold shell metacharacters (it would not run).
    const quoted = /["']$/.test(form(r, user, 'x', host)[0]);
    const pw = password(r, (group.forbid ?? '') + '{}%' + (quoted ? '' : '<>|&;()[]$*?!#~^,=:`\\'));
    const [before, after] = form(r, user, pw, host);
    const where = r.pick(['', '', '# deploy\n', 'script:\n  - ', '$ ', 'RUN ', '```sh\n']);
    const tail = where === '```sh\n' ? '\n```' : '';
    const path = where === 'script:\n  - ' ? '.gitlab-ci.yml' : where === '```sh\n' ? 'README.md' : where === 'RUN ' ? 'Dockerfile' : r.pick([undefined, 'deploy.sh', 'setup.sql', 'notes.txt']);
    const finalPath = group.cat === 'sql' && !where ? r.pick(['init.sql', 'migrate.sql', undefined]) : path;
    out.push(secretCase(`command:${group.cat}`, group.why, where + before, pw, after + tail, finalPath));
  }
  return out;
}

/** The same commands, with the password prompted for, read from a variable or a file, or a placeholder. */
export function commandLookAlikes(r: Rand, n: number): EvalCase[] {
  const forms: ((u: string, h: string) => [string, string])[] = [
    (u) => [`CREATE USER ${u} WITH PASSWORD :'${r.pick(['pw', 'password'])}';`, 'psql variable, not a literal'],
    (u) => [`ALTER USER ${u} IDENTIFIED BY ?;`, 'bind parameter'],
    (u) => [`cursor.execute("CREATE USER %s IDENTIFIED BY %s", (${JSON.stringify(u)}, pw))`, 'parameterised statement'],
    (u) => [`CREATE USER ${u} WITH PASSWORD '${r.pick(['<password>', '${DB_PASSWORD}', 'changeme', '********', 'password'])}';`, 'placeholder in a DDL sample'],
    (u) => [`ALTER ROLE ${u} WITH PASSWORD NULL;`, 'password removed'],
    (_u, h) => [`curl -u "$${r.pick(['USER', 'API_USER'])}:$${r.pick(['PASS', 'API_TOKEN'])}" https://${h}/`, 'credentials from the environment'],
    (u, h) => [`curl -u ${u} https://${h}/ # prompts for the password`, 'curl prompts for the password'],
    (_u, h) => [`curl -u ${r.pick(['test:test', 'user:pass', 'username:token', 'username:password', 'admin:admin', 'foo:bar', 'USER:TOKEN'])} https://${h}/`, 'documentation test credentials'],
    (u, h) => [`mysql -h ${h} -u ${u} -p app_db`, 'mysql prompts for the password'],
    (u) => [`mysql -u ${u} -p"$MYSQL_PASSWORD" app`, 'password from the environment'],
    (u, h) => [`echo "$REGISTRY_TOKEN" | docker login -u ${u} --password-stdin ${h}`, 'password on stdin'],
    (u, h) => [`docker login -u ${u} -p $${r.pick(['CI_REGISTRY_PASSWORD', 'DOCKER_PASS'])} ${h}`, 'password from CI variables'],
    (u, h) => [`sshpass -f ~/.ssh/${r.pick(WORDS)}.pass ssh ${u}@${h}`, 'sshpass reading a file'],
    (u, h) => [`sshpass -e ssh ${u}@${h} uptime`, 'sshpass reading SSHPASS'],
    (u, h) => [`psql -h ${h} -U ${u} -W app`, 'psql prompts (-W)'],
    (_u, h) => [`redis-cli -h ${h} -a "$REDIS_PASSWORD" ping`, 'password from the environment'],
    (u, h) => [`git clone https://${h}/${u}/repo.git`, 'no credentials in the URL'],
    (u, h) => [`ssh -i ~/.ssh/id_ed25519 ${u}@${h}`, 'key file, no password'],
    (u) => [`mysqldump -u ${u} --password="\${DB_PASS}" --all-databases`, 'template variable'],
    () => [`openssl genrsa -aes256 -passout pass:$${r.pick(['KEY_PASS', 'PASSPHRASE'])} -out key.pem 4096`, 'passphrase from the environment'],
  ];
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const [text, why] = r.pick(forms)(userName(r), hostName(r));
    out.push(benignCase('command-lookalike', 'look-alike', why, text, r.pick([undefined, 'deploy.sh', 'README.md'])));
  }
  return out;
}
