/**
 * Credentials in commands and statements, as written in scripts, CI files,
 * READMEs, Dockerfiles and SQL migrations: SQL DDL (`CREATE USER … PASSWORD
 * '…'`, `IDENTIFIED BY`), database clients (`mysql -p…`, `redis-cli -a`,
 * `sqlcmd -P`), `curl -u user:pass`, `docker login -p`, `sshpass -p`,
 * `smbclient -U user%pass`, `ldapsearch -w`, `net use`, `wget --password`,
 * `htpasswd -b`, `rabbitmqctl add_user`, `openssl -passin pass:`,
 * `keytool -storepass`, `az login -p`, `twine upload -p`, `zip -P`,
 * `psexec -p`, `ssh-keygen -N`, `sqlplus user/password@db`, and password
 * flags of any tool. A value that is a
 * variable, a prompt, a bind parameter or a placeholder is not reported.
 * Examples: commands.examples.ts.
 */
import { explained } from '../evidence';
import { placeholderReason } from '../placeholders';
import { shannon } from '../entropy';
import { ruleMakers, type Rule } from '../rule';

const { r } = ruleMakers('auth');

/** A command-line value: double-quoted, single-quoted, or bare up to whitespace. Groups: +0, +1, +2. */
const VALUE = `(?:"([^"\\r\\n]{1,256})"|'([^'\\r\\n]{1,256})'|([^\\s"'\`|&;<>()[\\]{}]{1,256}))`;

/**
 * A literal password on a command line: not a variable (`$PW`, `%PW%`,
 * `${{ secrets.PW }}`), a substitution, a prompt flag, a bind parameter, a
 * path to a password file, a placeholder or a sample password.
 */
export function literalPassword(value: string, user?: string): boolean {
  if (value.length < 4) return false;
  if (/[\s"'`]/.test(value)) return false; // code around a quoted fragment (`', pw('x'), '`), or prose
  if (/^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value)) return false; // a URL: the next argument, not a password
  if (/^[$%?:@]|^-{1,2}[A-Za-z]/.test(value)) return false; // $VAR, %VAR%, ?, :pw, @file, the next flag
  if (/^(?:~\/|\.{0,2}\/)[\w./-]*$/.test(value)) return false; // a file path
  if (placeholderReason(value) !== undefined) return false;
  if (/^(?:null|none|stdin|prompt|ask|env|file|\*+)$/i.test(value)) return false;
  if (/^\d{1,5}$/.test(value)) return false; // a port or a count
  if (user !== undefined && value.toLowerCase() === user.toLowerCase()) return false; // `admin:admin`, `test:test`
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return false; // an environment variable's name
  return shannon(value) >= 1.5;
}

const literal = (why: string, userGroup?: number) =>
  explained((s: string, m: RegExpExecArray) => literalPassword(s, userGroup !== undefined ? m[userGroup] : undefined), 'context', why);

/** `prefix … flag VALUE` on one command line. */
function cmd(id: string, title: string, envVar: string, keywords: string[], prefix: string, flag: string, why: string, extra: { caseless?: boolean } = {}): Rule {
  // The flag is a word of its own: every prefix ends with whitespace or a word (`sshpass -p`, not `sshpass-password`).
  const re = new RegExp(`${prefix}(?:[^\\n|;&]{0,200}?[ \\t])?${flag}${VALUE}`, extra.caseless ? 'i' : '');
  return r(id, title, 'password', envVar, keywords, re, {
    anchored: true, // every keyword is the command's name, where the match starts
    secretGroup: [1, 2, 3],
    confidence: 'medium',
    validators: [literal(why)],
  });
}

/** SQL: the password in a user/role/login statement. */
const SQL_VALUE = `(?:'((?:[^'\\r\\n]|''){1,256})'|"([^"\\r\\n]{1,256})"|([^\\s;'"(),]{1,256}))`;
const SQL_QUOTED = `(?:N?'((?:[^'\\r\\n]|''){1,256})'|"([^"\\r\\n]{1,256})")`;
const SQL_PASSWORD = new RegExp(
  `\\b(?:create|alter)[ \\t]{1,4}(?:user|role|login|group)\\b[^;\\n]{0,240}?\\bpassword(?:[ \\t]{1,4}=?|[ \\t]{0,4}=)[ \\t]{0,4}${SQL_QUOTED}|` +
    `\\b(?:create|alter|grant)\\b[^;\\n]{0,240}?\\bidentified[ \\t]{1,4}(?:with[ \\t]{1,4}['"\`]?[\\w$]{1,40}['"\`]?[ \\t]{1,4})?by[ \\t]{1,4}(?:(?:password|values)[ \\t]{1,4})?${SQL_VALUE}|` +
    `\\bset[ \\t]{1,4}password(?:[ \\t]{1,4}for[ \\t]{1,4}[^;\\n=]{1,120}?)?[ \\t]{0,4}=[ \\t]{0,4}(?:password[ \\t]{0,2}\\([ \\t]{0,2})?${SQL_QUOTED}`,
  'i',
);

/** `curl -u user:pass`, `--user "user:pass"`, `--user=user:pass`. */
const CURL = new RegExp(
  `\\bcurl[ \\t](?:[^\\n|;&]{0,200}?[ \\t])?(?:-u|--user)(?:[ \\t]{1,4}|=)` +
    `(?:"([^":\\s]{1,128}):([^"\\r\\n]{1,256})"|'([^':\\s]{1,128}):([^'\\r\\n]{1,256})'|([^\\s:"'$]{1,128}):([^\\s"']{1,256}))`,
);

/** `smbclient //host/share -U user%pass`, `rpcclient -U 'user%pass'`. */
const SMB = /\b(?:smbclient|rpcclient|smbmap|mount\.cifs|winexe)[ \t][^\n|;&]{0,200}?(?:-U|--user)(?:[ \t]{1,4}|=)["']?([^\s%"']{1,128})%([^\s"']{1,256})/;

/** `net use \\host\share PASSWORD /user:NAME` or `… /user:NAME PASSWORD`. */
const NET_USE = /\bnet[ \t]{1,4}use[ \t]{1,4}(?:(?:[A-Za-z]:|\*)[ \t]{1,4})?[^\s]{1,200}(?:[ \t]{1,4}\/user:([^\s]{1,128})[ \t]{1,4}([^\s/][^\s]{0,255})|[ \t]{1,4}([^\s/][^\s]{0,255})[ \t]{1,4}\/user:)/i;

export const COMMAND_RULES: Rule[] = [
  r('sql-password', 'Password in a SQL statement', 'password', 'DB_PASSWORD', ['create user', 'alter user', 'create role', 'alter role', 'create login', 'alter login', 'create group', 'alter group', 'identified', 'set password'], SQL_PASSWORD, {
    secretGroup: [1, 2, 3, 4, 5, 6, 7],
    confidence: 'medium',
    validators: [literal('the password of a CREATE/ALTER USER, ROLE or LOGIN statement')],
  }),
  r('curl-basic-auth', 'Password in a curl command', 'password', 'CURL_PASSWORD', ['curl'], CURL, {
    anchored: true,
    secretGroup: [2, 4, 6],
    confidence: 'medium',
    validators: [
      explained((s, m) => literalPassword(s, m[1] ?? m[3] ?? m[5]) && !/^(?:\$|%)/.test(m[1] ?? m[3] ?? m[5] ?? ''), 'context', 'the password of `curl -u user:password`'),
    ],
  }),
  cmd('mysql-cli-password', 'Password in a mysql command line', 'MYSQL_PWD', ['mysql', 'mariadb'],
    '\\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb|mariadb-dump)[ \\t]', '(?:-p(?=[^\\s])|--password=)', 'the password of a mysql client (`-pVALUE`, `--password=VALUE`)'),
  cmd('redis-cli-password', 'Password in a redis-cli command', 'REDIS_PASSWORD', ['redis-cli', 'keydb-cli', 'valkey-cli'],
    '\\b(?:redis|keydb|valkey)-cli[ \\t]', '(?:-a|--pass|--user[ \\t]{1,4}[^\\s]{1,64}[ \\t]{1,4}--pass)(?:[ \\t]{1,4}|=)', 'the password of `redis-cli -a`'),
  cmd('mongo-cli-password', 'Password in a mongo or cqlsh command', 'DB_PASSWORD', ['mongo', 'cqlsh'],
    '\\b(?:mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop|cqlsh)[ \\t]', '(?:-p|--password|-password)(?:[ \\t]{1,4}|=)', 'the password of `mongo -p`'),
  cmd('sqlcmd-password', 'Password in a sqlcmd, bcp or isql command', 'DB_PASSWORD', ['sqlcmd', 'bcp', 'isql', 'osql'],
    '\\b(?:sqlcmd|bcp|isql|osql)[ \\t]', '-P[ \\t]{0,4}', 'the password of `sqlcmd -P`'),
  cmd('influx-cli-password', 'Password in an influx command', 'INFLUX_PASSWORD', ['influx'],
    '\\binflux[ \\t]', '--?password(?:[ \\t]{1,4}|=)', 'the password of `influx -password`'),
  cmd('docker-login-password', 'Password in a docker login command', 'DOCKER_PASSWORD', ['docker login', 'podman login', 'buildah login', 'helm registry login', 'oras login'],
    '\\b(?:docker|podman|buildah|oras|helm[ \\t]{1,4}registry)[ \\t]{1,4}login[ \\t]', '(?:-p|--password)(?:[ \\t]{1,4}|=)', 'the password of `docker login -p`'),
  cmd('sshpass-password', 'Password in an sshpass command', 'SSH_PASSWORD', ['sshpass'], '\\bsshpass[ \\t]', '-p[ \\t]{0,4}', 'the password of `sshpass -p`'),
  r('smb-user-password', 'Password in an SMB command (user%password)', 'password', 'SMB_PASSWORD', ['smbclient', 'rpcclient', 'smbmap', 'mount.cifs', 'winexe'], SMB, {
    anchored: true, secretGroup: 2, confidence: 'medium', validators: [literal('the password of `-U user%password`', 1)],
  }),
  r('net-use-password', 'Password in a net use command', 'password', 'SMB_PASSWORD', ['net use'], NET_USE, {
    anchored: true, secretGroup: [2, 3], confidence: 'medium', validators: [literal('the password of `net use … /user:`')],
  }),
  cmd('ldap-bind-password', 'Bind password of an LDAP command', 'LDAP_PASSWORD', ['ldapsearch', 'ldapmodify', 'ldapadd', 'ldapdelete', 'ldappasswd', 'ldapwhoami'],
    '\\bldap(?:search|modify|add|delete|passwd|whoami|compare)[ \\t]', '-w[ \\t]{1,4}', 'the bind password of `ldapsearch -w`'),
  cmd('wget-password', 'Password in a wget command', 'HTTP_PASSWORD', ['wget'], '\\bwget[ \\t]', '--(?:http-|ftp-|proxy-)?password=', 'the password of `wget --password=`'),
  cmd('htpasswd-batch-password', 'Password in an htpasswd -b command', 'HTPASSWD_PASSWORD', ['htpasswd'],
    '\\bhtpasswd[ \\t]{1,4}-[a-zA-Z]{0,4}b[a-zA-Z]{0,4}[ \\t]{1,4}(?:-[a-zA-Z][ \\t]{1,4})?[^\\s]{1,200}[ \\t]{1,4}[^\\s-][^\\s]{0,127}', '', 'the password argument of `htpasswd -b file user password`'),
  cmd('rabbitmq-user-password', 'Password in a rabbitmqctl command', 'RABBITMQ_PASSWORD', ['rabbitmqctl'],
    '\\brabbitmqctl[ \\t]{1,4}(?:add_user|change_password)[ \\t]{1,4}[^\\s]{1,128}', '', 'the password argument of `rabbitmqctl add_user`'),
  cmd('openssl-pass-argument', 'Passphrase in an openssl command', 'KEY_PASSPHRASE', ['openssl'], '\\bopenssl[ \\t]', '-(?:passin|passout|pass|password)[ \\t]{1,4}pass:', 'the passphrase of `openssl -passin pass:`'),
  cmd('keytool-store-password', 'Keystore password in a keytool or jarsigner command', 'KEYSTORE_PASSWORD', ['keytool', 'jarsigner'],
    '\\b(?:keytool|jarsigner)[ \\t]', '-(?:storepass|keypass|srcstorepass|deststorepass|srckeypass|destkeypass)[ \\t]{1,4}', 'the keystore password of `keytool -storepass`'),
  cmd('azure-cli-password', 'Password or client secret in an az login command', 'AZURE_CLIENT_SECRET', ['az login'],
    '\\baz[ \\t]{1,4}login[ \\t]', '(?:-p|--password)(?:[ \\t]{1,4}|=)', 'the password or secret of `az login -p`'),
  cmd('twine-upload-password', 'Password in a twine upload command', 'TWINE_PASSWORD', ['twine'], '\\btwine[ \\t]{1,4}upload[ \\t]', '(?:-p|--password)(?:[ \\t]{1,4}|=)', 'the password of `twine upload -p`'),
  cmd('archive-password', 'Password of a zip or 7z archive on the command line', 'ARCHIVE_PASSWORD', ['zip', 'unzip', '7z', 'rar', 'unrar'],
    '\\b(?:zip|unzip|zipcloak|7z|7za|7zz|rar|unrar)[ \\t]', '(?:-P[ \\t]{1,4}|--password[ =]|-p(?=[^\\s-]))', 'the password of `zip -P` / `7z -p`'),
  cmd('psexec-password', 'Password in a PsExec or winrs command', 'WINDOWS_PASSWORD', ['psexec', 'paexec', 'winrs'], '\\b(?:psexec|psexec64|paexec|winrs)(?:\\.exe)?[ \\t]', '(?:-p[ \\t]{1,4}|/p:|/password:)', 'the password of `psexec -p`'),
  cmd('ssh-keygen-passphrase', 'Passphrase in an ssh-keygen command', 'SSH_KEY_PASSPHRASE', ['ssh-keygen'], '\\bssh-keygen[ \\t]', '-[NP][ \\t]{1,4}', 'the passphrase of `ssh-keygen -N`'),
  cmd('openssl-enc-key', 'Password of an openssl enc command', 'ENCRYPTION_PASSWORD', ['openssl'], '\\bopenssl[ \\t]{1,4}(?:enc|aes-\\d{3}-\\w{3})[ \\t]', '-k[ \\t]{1,4}', 'the password of `openssl enc -k`'),
  r('oracle-cli-password', 'Password in an Oracle client command (user/password@db)', 'password', 'ORACLE_PASSWORD', ['sqlplus', 'sqlldr', 'expdp', 'impdp', 'rman', 'dgmgrl'],
    /\b(?:sqlplus|sqlldr|expdp|impdp|rman[ \t]{1,4}target=?|dgmgrl)(?:[ \t]{1,4}-[sSlLV]\w{0,6})*[ \t]{1,4}["']?(?:userid=)?([A-Za-z][\w$#]{0,29})\/([^\s@"'\/]{1,128})(?=@|["']?(?:\s|$))/i, {
      anchored: true, secretGroup: 2, confidence: 'medium', validators: [literal('the password of `sqlplus user/password@db`', 1)],
    }),
  r('cli-password-flag', 'Password passed as a command-line flag', 'password', 'PASSWORD', ['-password', '-passwd', '-pass', '-pwd', '-token', '-secret', '-api-key', '-apikey', '-access-key', '-passphrase', '.password', '.passwd', '.pwd', '.secret', '.token', '-dpassword', '-dsecret', '-dtoken'],
    new RegExp(
      `(?:(?<![A-Za-z0-9-])--?(?:[a-z][a-z0-9]{0,15}-){0,3}(?:password|passwd|pass|pwd|passphrase|token|secret|api-key|apikey|access-key|secret-key|client-secret)(?:=|[ \\t]{1,4})|` +
        // Java system properties: `-Ddb.password=…`, `-Dspring.datasource.password=…`.
        `(?<![A-Za-z0-9-])-D(?:[A-Za-z0-9_-]{1,40}\\.){0,5}[A-Za-z0-9_-]{0,30}(?:password|passwd|pwd|secret|token|apikey|api-key)=)${VALUE}(?=[\\s"']|$)`,
    ), {
      secretGroup: [1, 2, 3], confidence: 'low', priority: -3,
      validators: [
        explained(
          (s) => literalPassword(s) && s.length >= 6 && shannon(s) >= 2.5 && !/^[a-z]+(?:-[a-z]+)*$/.test(s) && !/^[a-z]+(?:[A-Z][a-z0-9]*)+$|^(?:[A-Z][a-z0-9]+)+$/.test(s) && !/pass(?:word|wd)|secret|token/i.test(s),
          'context',
          'the value of a `--password`-style flag',
        ),
      ],
    }),
];
