/** Hand-written examples for generic assignment rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const pw = (seed: string): string => fake('', CHARS.b62, 10, seed) + '!4';
const tok = (seed: string): string => fake('', CHARS.b62, 32, seed);

/** Placeholders, references and look-alikes that must never be reported by any generic rule. */
export const GENERIC_NEGATIVES: (string | { text: string; path?: string })[] = [
  'password = os.environ["DB_PASSWORD"]',
  'const password = process.env.DB_PASSWORD;',
  { text: 'password = getPassword()', path: 'app.py' },
  { text: 'password: ${{ secrets.DB_PASSWORD }}', path: '.github/workflows/ci.yml' },
  { text: 'password: "{{ vault_db_password }}"', path: 'vars.yml' },
  'const passwordField = "user-password-input";',
  'password: string;',
  'password = "changeme"',
  '"password": ""',
  'label: "Enter your password"',
  'password = "<your-password>"',
  'api_key = "xxxxxxxxxxxxxxxx"',
  'token_type = "bearer"',
  'tokenUrl = "https://auth.example.org/oauth/token"',
  'secret_name = "prod/db/password"',
  { text: 'PASSWORD=${DB_PASSWORD}', path: '.env' },
  'password = "****************"',
  'passwordMinLength = 12',
  'password = password',
  'secret: "my-secret-name"',
  { text: 'DB_PASSWORD_FILE=/run/secrets/db_password', path: '.env' },
  'password = "abc123456"',
  'password = "testpass"',
  'DB_PASSWORD = "admin_admin"',
  'keystore_password = "changeit"',
  'password = "hunter2"',
  { text: '"password": "Mot de passe"', path: 'locales/fr.json' },
  'password: "Enter your password"',
  '"minipass": "^5.0.0 || ^6.0.2 || ^7.0.0"',
  'lastSignificantToken = "?InterpolationInTemplate";',
  'const tokenString = `${urlEncode(JSON.stringify(header))}.${urlEncode(JSON.stringify(payload))}`;',
  'new Set(["", "email", "number", "password", "search", "tel", "text", "url"])',
  { text: 'api_key = config.api_key', path: 'settings.py' },
  { text: 'token = request.headers.get("Authorization")', path: 'views.py' },
  'const key = "user.profile.name";',
  'secret_key_id: AKIDPLACEHOLDER',
  'auth_token: !vault |',
  { text: 'password = ENV.fetch("DB_PASSWORD")', path: 'config.rb' },
  'apiKey: apiKeyFromSettings,',
  'access_token = "REPLACE_WITH_YOUR_TOKEN"',
  'client_secret = "YOUR_CLIENT_SECRET"',
];

export const GENERIC_EXAMPLES: Record<string, Examples> = {
  'generic-password': {
    tp: [
      tp('const dbPassword = "', pw('g1'), '";', 'db.ts'),
      tp("DB_PASSWORD = '", pw('g2'), "'", 'settings.py'),
      tp('database:\n  password: ', pw('g3'), '\n', 'config.yml'),
      tp('db.password=', pw('g4'), '\n', 'application.properties'),
      tp('\tPassword: "', pw('g5'), '",', 'main.go'),
      tp("    'password' => '", pw('g6'), "',", 'config.php'),
      tp('export PGPASSWORD=', pw('g7'), '\n', 'deploy.sh'),
      tp('ENV MYSQL_ROOT_PASSWORD=', pw('g8'), '\n', 'Dockerfile'),
      tp('[database]\npassword = "', pw('g9'), '"\n', 'config.toml'),
      tp('if (password == "', pw('g10'), '") {}', 'login.c'),
      tp('char db_pass[] = "', pw('g11'), '";', 'db.c'),
      tp('NSString *userPassword = @"', pw('g12'), '";', 'Login.m'),
      tp('props.setProperty("mail.password", "', pw('g13'), '");', 'Mail.java'),
      tp('const adminPassword: string = "', pw('g14'), '";', 'seed.ts'),
      tp("my $pw = '", fake('', CHARS.b62, 8, 'g15') + '%!2', "';", 'run.pl'),
      tp('admin_password_secure = "', 'orbit cedar ' + fake('', CHARS.lower, 7, 'g16') + ' prism', '"', 'settings.py'),
      tp("smtp_pass = '", ',.:-¨@*¿?!' + fake('', CHARS.upper, 3, 'g17'), "'", 'mail.py'),
    ],
    fp: GENERIC_NEGATIVES,
  },
  'generic-secret': {
    tp: [
      tp('{\n  "client_secret": "', tok('s1'), '"\n}', 'oauth.json'),
      tp('private static final String CLIENT_SECRET = "', tok('s2'), '";', 'Auth.java'),
      tp('    :secret => "', tok('s3'), '",', 'omniauth.rb'),
      tp('JWT_SECRET=', tok('s4'), '\n', '.env'),
    ],
    fp: GENERIC_NEGATIVES,
  },
  'generic-api-key': {
    tp: [
      tp('API_KEY=', tok('k1'), '\n', '.env'),
      tp('var apiKey = @"', tok('k2'), '";', 'Client.cs'),
      tp("headers = { 'X-API-Key': '", tok('k3'), "' }", 'client.py'),
      tp('api_key = "', tok('k4'), '"\n', 'config.toml'),
    ],
    fp: GENERIC_NEGATIVES,
  },
  'generic-token': {
    tp: [
      tp('export AUTH_TOKEN=', tok('t1'), '\n', 'deploy.sh'),
      tp('const accessToken = "', tok('t2'), '";', 'api.ts'),
      tp('  bot_token: "', tok('t3'), '"\n', 'bot.yaml'),
    ],
    fp: GENERIC_NEGATIVES,
  },
  'generic-credential': {
    tp: [tp('SERVICE_CREDENTIALS = "', tok('c1'), '"', 'settings.py')],
    fp: [...GENERIC_NEGATIVES, 'credentials = "default"', 'credentials: include'],
  },
  'xml-secret': {
    tp: [
      tp('<server>\n  <id>nexus</id>\n  <password>', pw('x1'), '</password>\n</server>', 'settings.xml'),
      tp('<DbPasswordProd>', pw('x3'), '</DbPasswordProd>', 'app.config'),
    ],
    fp: ['<password>${env.NEXUS_PASSWORD}</password>', '<password></password>', '<tokenType>Bearer</tokenType>', '<secretName>prod-db</secretName>'],
  },
  'xml-key-value-secret': {
    tp: [
      tp('<add key="PaymentApiKey" value="', tok('x2'), '" />', 'web.config'),
      tp('<entry key="mail.password">', pw('x4'), '</entry>', 'props.xml'),
      tp('<key>ApiSecret</key>\n<string>', tok('x5'), '</string>', 'Info.plist'),
    ],
    fp: ['<add key="PasswordMinLength" value="12" />', '<add key="ApiKeyHeaderName" value="X-Api-Key" />', '<key>CFBundleName</key>\n<string>Acme</string>'],
  },
  'name-value-secret': {
    tp: [
      tp('env:\n  - name: DB_PASSWORD\n    value: "', pw('nv1'), '"\n', 'deployment.yaml'),
      tp('"environment": [{"name": "API_TOKEN", "value": "', tok('nv2'), '"}]', 'task-definition.json'),
    ],
    fp: [
      'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password\n',
      'env:\n  - name: LOG_LEVEL\n    value: debug\n',
      '{"name": "API_TOKEN", "value": "${API_TOKEN}"}',
    ],
  },
  'c-define-secret': {
    tp: [tp('#define DB_PASSWORD "', pw('d1'), '"\n', 'db.h'), tp('#define API_SECRET @"', tok('d2'), '"', 'Keys.h')],
    fp: ['#define PASSWORD_MAX_LEN 64', '#define PASSWORD_PROMPT "Password: "', '#define TOKEN_HEADER "X-Auth-Token"'],
  },
  'secret-comparison': {
    tp: [tp('if (password.equals("', pw('c1'), '")) {', 'Login.java'), tp('if ("', pw('c2'), '".equals(adminPassword)) {', 'Login.java'), tp('if (strcmp(pass_word, "', pw('c3'), '") == 0)', 'auth.c')],
    fp: ['if (password.equals("")) {', 'if (tokenType.equals("Bearer")) {', 'if (strcmp(passwd, "") == 0)'],
  },
  'terraform-variable-default': {
    tp: [tp('variable "db_password" {\n  type    = string\n  default = "', pw('tf1'), '"\n}', 'variables.tf')],
    fp: ['variable "db_password" {\n  type      = string\n  sensitive = true\n}', 'variable "password_length" {\n  default = "24"\n}', 'variable "region" {\n  default = "eu-west-1"\n}'],
  },
  'dockerfile-env-secret': {
    tp: [tp('FROM node:20\nENV API_TOKEN ', tok('de1'), '\n', 'Dockerfile')],
    fp: [{ text: 'ENV NODE_ENV production\nENV TOKEN_URL https://auth.internal/token\n', path: 'Dockerfile' }, { text: 'ARG DB_PASSWORD\n', path: 'Dockerfile' }],
  },
  'login-call-password': {
    tp: [
      tp('server.login("alerts@acme-corp.io", "', pw('lc1'), '")', 'mail.py'),
      tp('var cred = new NetworkCredential("svc_backup", "', pw('lc2'), '");', 'Backup.cs'),
      tp('new UsernamePasswordCredentials("deploy", "', pw('lc3'), '")', 'Client.java'),
      tp('$db = mysqli_connect("db.internal", "app", "', pw('lc4'), '", "shop");', 'db.php'),
    ],
    fp: ['server.login(user, password)', 'server.login("alerts@acme-corp.io", os.environ["SMTP_PASSWORD"])', 'new NetworkCredential("user", "password")', 'login("admin", "admin")', 'authenticate("Bearer", token)'],
  },
  'powershell-securestring': {
    tp: [tp('$cred = ConvertTo-SecureString "', pw('ps1'), '" -AsPlainText -Force', 'deploy.ps1')],
    fp: ['$cred = ConvertTo-SecureString $env:DB_PASSWORD -AsPlainText -Force', '$cred = ConvertTo-SecureString "<password>" -AsPlainText -Force'],
  },
};
