/** Hand-written examples for credentials in commands (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const pw = (seed: string): string => fake('', CHARS.b62, 12, seed) + '#7';

export const COMMAND_EXAMPLES: Record<string, Examples> = {
  'sql-password': {
    tp: [
      tp("CREATE USER app WITH PASSWORD '", pw('sql1'), "';", 'init.sql'),
      tp("ALTER USER scott IDENTIFIED BY ", pw('sql2'), ' ACCOUNT UNLOCK;'),
      tp("GRANT ALL ON *.* TO 'app'@'%' IDENTIFIED BY '", pw('sql3'), "';"),
      tp("CREATE LOGIN svc WITH PASSWORD = N'", pw('sql4'), "', CHECK_POLICY = OFF;"),
      tp("SET PASSWORD FOR 'app'@'%' = PASSWORD('", pw('sql5'), "');"),
      tp('alter role reporter with login password "', pw('sql6'), '";'),
    ],
    fp: [
      "CREATE USER app WITH PASSWORD :'pw';",
      'ALTER USER app IDENTIFIED BY ?;',
      "CREATE USER app WITH PASSWORD '<password>';",
      'ALTER ROLE app WITH PASSWORD NULL;',
      'ALTER TABLE users ADD COLUMN password VARCHAR(255) NOT NULL;',
      'cursor.execute("CREATE USER %s IDENTIFIED BY %s", (name, pw))',
      // Stored hashes, not passwords (SHOW GRANTS output, pg_dumpall).
      "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*0E1F2A3B4C5D6E7F8091A2B3C4D5E6F708192A3B';",
      "ALTER ROLE app WITH PASSWORD 'md50e1f2a3b4c5d6e7f8091a2b3c4d5e6f7';",
    ],
  },
  'curl-basic-auth': {
    tp: [
      tp('curl -u admin:', pw('curl'), ' https://api.acme-corp.io/v1/items'),
      tp('curl -s --user "deploy:', pw('curl2'), '" -X POST https://ci.acme-corp.io/job'),
      tp("curl --user='ci:", pw('curl3'), "' https://repo.internal/upload", 'deploy.sh'),
    ],
    fp: [
      'curl -u "$USER:$PASS" https://api.acme-corp.io',
      'curl -u admin:<password> https://api.acme-corp.io',
      'curl -u test:test https://localhost:8080/',
      'curl -u username:token https://api.github.com/user',
      'curl -u admin https://api.acme-corp.io/ # asks for the password',
    ],
  },
  'mysql-cli-password': {
    tp: [tp('mysql -u root -p', pw('mysql'), ' -h db.internal app < dump.sql'), tp("mysqldump -uapp -p'", pw('mysql2'), "' --all-databases > all.sql"), tp('mysql --user=app --password=', pw('mysql3'), ' app')],
    fp: ['mysql -u root -p -h db.internal app', 'mysql -u root -p"$MYSQL_PWD" app', 'mysql -h db -P 3306 -u app -p app'],
  },
  'redis-cli-password': {
    tp: [tp('redis-cli -h cache.internal -a ', pw('redis'), ' ping')],
    fp: ['redis-cli -h cache.internal -p 6379 ping', 'redis-cli -a "$REDIS_PASSWORD" ping'],
  },
  'mongo-cli-password': {
    tp: [tp('mongosh "mongodb://db:27017" -u admin -p ', pw('mongo'), ' --authenticationDatabase admin')],
    fp: ['mongosh "mongodb://db:27017" -u admin -p --authenticationDatabase admin', 'mongo --port 27017 -p $MONGO_PASS'],
  },
  'sqlcmd-password': {
    tp: [tp('sqlcmd -S db.internal -U sa -P "', pw('sqlcmd'), '" -Q "SELECT 1"')],
    fp: ['sqlcmd -S db.internal -U sa -P "$(SA_PASSWORD)" -Q "SELECT 1"', 'sqlcmd -S db.internal -E -Q "SELECT 1"'],
  },
  'influx-cli-password': {
    tp: [tp('influx -username admin -password ', pw('influx'), ' -execute "SHOW DATABASES"')],
    fp: ["influx -username admin -password '' -execute 'SHOW DATABASES'"],
  },
  'docker-login-password': {
    tp: [tp('docker login -u ci -p ', pw('dl'), ' registry.acme-corp.io'), tp('podman login quay.io --username bot --password=', pw('dl2'), '')],
    fp: ['echo "$TOKEN" | docker login -u ci --password-stdin registry.acme-corp.io', 'docker login -u ci -p $REGISTRY_PASSWORD registry.acme-corp.io'],
  },
  'sshpass-password': {
    tp: [tp("sshpass -p '", pw('sshpass'), "' ssh deploy@host uptime"), tp('sshpass -p', pw('sshpass2'), ' scp a.tgz deploy@host:/srv')],
    fp: ['sshpass -p "$SSH_PASSWORD" ssh deploy@host', 'sshpass -f ~/.pw ssh host', 'sshpass -e ssh host'],
  },
  'smb-user-password': {
    tp: [tp('smbclient //files.internal/share -U backup%', pw('smb'), '')],
    fp: ['smbclient //files.internal/share -U backup', 'smbclient //files.internal/share -U backup%$SMB_PASS'],
  },
  'net-use-password': {
    tp: [tp('net use \\\\files\\share /user:CORP\\svc ', pw('netuse'), ''), tp('net use Z: \\\\files\\share ', pw('netuse2'), ' /user:svc')],
    fp: ['net use Z: \\\\files\\share /user:svc *', 'net use Z: \\\\files\\share /user:svc %SVC_PASSWORD%'],
  },
  'ldap-bind-password': {
    tp: [tp('ldapsearch -x -H ldap://dir -D "cn=admin,dc=corp" -w ', pw('ldap'), ' -b "dc=corp"')],
    fp: ['ldapsearch -x -H ldap://dir -D "cn=admin,dc=corp" -W -b "dc=corp"', 'ldapsearch -x -D "cn=admin" -w "$LDAP_PW" -b "dc=corp"'],
  },
  'wget-password': {
    tp: [tp('wget --user=ci --password=', pw('wget'), ' https://repo.internal/a.zip')],
    fp: ['wget --user=ci --ask-password https://repo.internal/a.zip', 'wget --user=ci --password="$PW" https://repo.internal/a.zip'],
  },
  'htpasswd-batch-password': {
    tp: [tp('htpasswd -b -c /etc/nginx/.htpasswd admin ', pw('htp'), '')],
    fp: ['htpasswd -c /etc/nginx/.htpasswd admin', 'htpasswd -b /etc/nginx/.htpasswd admin "$ADMIN_PW"'],
  },
  'rabbitmq-user-password': {
    tp: [tp('rabbitmqctl add_user app ', pw('rmq'), '')],
    fp: ['rabbitmqctl add_user app "$RABBIT_PASSWORD"', 'rabbitmqctl list_users'],
  },
  'openssl-pass-argument': {
    tp: [tp('openssl pkcs12 -export -in c.pem -inkey k.pem -out c.p12 -passout pass:', pw('ossl'), '')],
    fp: ['openssl genrsa -aes256 -passout pass:$KEY_PASS -out key.pem 4096', 'openssl rsa -in key.pem -passin env:KEY_PASS'],
  },
  'keytool-store-password': {
    tp: [tp('keytool -importcert -keystore app.jks -storepass ', pw('kt'), ' -file ca.crt')],
    fp: ['keytool -importcert -keystore app.jks -storepass:env STORE_PASS -file ca.crt', 'keytool -list -keystore app.jks -storepass "$STOREPASS"'],
  },
  'azure-cli-password': {
    tp: [tp('az login --service-principal -u http://ci-app -p ', pw('az'), ' --tenant corp.onmicrosoft.com')],
    fp: ['az login --service-principal -u http://ci-app -p "$AZURE_CLIENT_SECRET" --tenant t', 'az login --use-device-code'],
  },
  'twine-upload-password': {
    tp: [tp('twine upload -u __token__ -p ', pw('tw'), ' dist/*')],
    fp: ['twine upload -u __token__ -p "$PYPI_TOKEN" dist/*'],
  },
  'archive-password': {
    tp: [tp('zip -r -P ', pw('zip'), ' backup.zip data/'), tp('7z a -p', pw('7z'), ' -mhe=on backup.7z data/')],
    fp: ['zip -r -e backup.zip data/', '7z a -p backup.7z data/', 'zip -P "$ZIP_PASS" backup.zip data/'],
  },
  'psexec-password': {
    tp: [tp('psexec \\\\build01 -u CORP\\svc -p ', pw('psx'), ' cmd /c ipconfig')],
    fp: ['psexec \\\\build01 -u CORP\\svc cmd /c ipconfig'],
  },
  'ssh-keygen-passphrase': {
    tp: [tp('ssh-keygen -t ed25519 -N "', pw('skg'), '" -f ~/.ssh/deploy')],
    fp: ['ssh-keygen -t ed25519 -N "" -f ~/.ssh/deploy', 'ssh-keygen -t ed25519 -N "$KEY_PASSPHRASE" -f k'],
  },
  'openssl-enc-key': {
    tp: [tp('openssl enc -aes-256-cbc -salt -in db.sql -out db.sql.enc -k ', pw('enc'), '')],
    fp: ['openssl enc -aes-256-cbc -in db.sql -out db.sql.enc -kfile /run/secrets/k', 'openssl enc -aes-256-cbc -in a -out b -k $ENC_KEY'],
  },
  'oracle-cli-password': {
    tp: [tp('sqlplus -s app_owner/', pw('ora'), '@//db.internal:1521/ORCL @migrate.sql'), tp('expdp system/', pw('ora2'), ' schemas=HR directory=DUMP dumpfile=hr.dmp')],
    fp: ['sqlplus -s app_owner/$ORACLE_PASSWORD@//db:1521/ORCL', 'sqlplus / as sysdba', 'sqlplus scott/tiger@orcl'],
  },
  'cli-password-flag': {
    tp: [
      tp('./migrate --db-host db.internal --password=', pw('flag'), ' --yes'),
      tp('vault-agent --client-secret ', pw('flag2'), ' --role web'),
      tp('java -Dspring.datasource.password=', pw('flag3'), ' -jar app.jar'),
      tp('mvn deploy -Drepo.password=', pw('flag4'), ' -DskipTests'),
    ],
    fp: ['./migrate --password=$DB_PASSWORD', './migrate --password <password>', 'parser.add_argument("--password", help="db password")', 'tool --token-type bearer', './run --password-file /run/secrets/pw', 'java -Dspring.datasource.password=${DB_PASSWORD} -jar app.jar'],
  },
};
