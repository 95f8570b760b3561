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
  { text: 'api_key = config.api_key', path: 'settings.py' },
  { text: 'token = request.headers.get("Authorization")', path: 'views.py' },
  'const key = "user.profile.name";',
  'if (password == "hunter2hunter2") {}',
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
      tp('<add key="PaymentApiKey" value="', tok('x2'), '" />', 'web.config'),
    ],
    fp: ['<password>${env.NEXUS_PASSWORD}</password>', '<add key="PasswordMinLength" value="12" />', '<password></password>', '<add key="ApiKeyHeaderName" value="X-Api-Key" />'],
  },
};
