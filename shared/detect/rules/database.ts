/** Database connection strings with passwords. Examples: database.examples.ts. */
import { alnum, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a, r } = ruleMakers('database');

/** A free-form password value: no quotes, brackets or template marks, and not a plain identifier (`snowflake_pwd`). */
const PASSWORD_VALUE = '[^\\s"\'`$,;()\\[\\]{}<>\\\\]{8,128}';
const notIdentifier = (s: string): boolean => !/^[A-Za-z]+(?:[_.-][A-Za-z]+)+$/.test(s);

/** `scheme://user:password@host`: the password is group 1. */
function uri(id: string, title: string, envVar: string, schemes: string[], keywords: string[]): Rule {
  const re = new RegExp(
    `(?<![A-Za-z0-9+.-])(?:${schemes.join('|')})://[^\\s:@/"'\`<>]{0,128}:([^\\s:@/"'\`<>]{1,256})@[A-Za-z0-9_.-]{1,253}`,
  );
  return r(id, title, 'connection-string', envVar, keywords, re, { priority: 2, validators: [notTemplated] });
}

/** A password in a URI that is a template (`:${DB_PASS}@`, `:%s@`, `:password@`) is not a leak. */
function notTemplated(secret: string, m?: RegExpExecArray): boolean {
  if (secret.length < 4) return false; // `user:pw@localhost` development defaults, `a:b@` in docs
  if (m && /@(?:[\w-]+\.)*example\.(?:com|org|net)\b|@example\b/i.test(m[0])) return false; // RFC 2606 documentation hosts
  return !/^(?:%s|%v|\{\}|\?|\*+|password|passwd|pass|pwd|secret|user|username|root|test|\$.*)$/i.test(secret) && !/[{}]/.test(secret);
}

export const DATABASE_RULES: Rule[] = [
  uri('postgres-connection-string', 'PostgreSQL connection string with password', 'DATABASE_URL', ['postgres(?:ql)?', 'postgresql\\+[a-z0-9]{2,20}', 'cockroachdb', 'timescaledb'], ['postgres', 'cockroachdb', 'timescaledb']),
  uri('mysql-connection-string', 'MySQL connection string with password', 'DATABASE_URL', ['mysql', 'mysqlx', 'mysql\\+[a-z0-9]{2,20}', 'mariadb'], ['mysql', 'mariadb']),
  uri('mongodb-connection-string', 'MongoDB connection string with password', 'MONGODB_URI', ['mongodb(?:\\+srv)?'], ['mongodb']),
  uri('redis-connection-string', 'Redis connection string with password', 'REDIS_URL', ['rediss?', 'valkey'], ['redis', 'valkey']),
  uri('amqp-connection-string', 'AMQP (RabbitMQ) connection string with password', 'AMQP_URL', ['amqps?'], ['amqp']),
  uri('mssql-connection-string', 'SQL Server connection URL with password', 'DATABASE_URL', ['mssql', 'sqlserver'], ['mssql', 'sqlserver']),
  uri('clickhouse-connection-string', 'ClickHouse connection string with password', 'CLICKHOUSE_URL', ['clickhouse(?:\\+[a-z]{2,10})?'], ['clickhouse']),
  uri('neo4j-connection-string', 'Neo4j connection string with password', 'NEO4J_URI', ['neo4j(?:\\+s|\\+ssc)?', 'bolt(?:\\+s)?'], ['neo4j', 'bolt']),
  uri('ldap-bind-url', 'LDAP URL with bind password', 'LDAP_URL', ['ldaps?'], ['ldap']),
  uri('ftp-url-password', 'FTP/SFTP URL with password', 'FTP_URL', ['s?ftp', 'ftps'], ['ftp']),
  uri('broker-url-password', 'Message broker URL with password', 'BROKER_URL', ['kafka', 'nats', 'mqtts?', 'stomp', 'sqs'], ['kafka', 'nats', 'mqtt', 'stomp']),
  r('jdbc-connection-string', 'JDBC connection string with password', 'connection-string', 'JDBC_URL', ['jdbc:'],
    /jdbc:[a-z0-9:]{2,30}[^\s"'`<>]{0,300}?[?&;:](?:password|pwd)=([^&;\s"'`<>]{1,128})/i, { priority: 3, validators: [notTemplated] }),
  r('ado-connection-string', 'SQL Server / ADO.NET connection string with password', 'connection-string', 'CONNECTION_STRING', ['password=', 'pwd='],
    /(?:Server|Data Source|Host|Address|Initial Catalog|Database|User ID|UID|User)\s{0,2}=[^;\n"'`]{1,200};[^\n"'`]{0,400}?(?:Password|Pwd)\s{0,2}=\s{0,2}([^;"'`\n]{1,128})/i, {
      priority: 2, validators: [notTemplated],
    }),
  // ---- database services' API keys and tokens ----
  a('mongodb-atlas-private-key', 'MongoDB Atlas API private key', 'api-key', 'MONGODB_ATLAS_PRIVATE_KEY',
    ['atlas_private', 'atlas_api_private'], UUID),
  p('mongodb-atlas-service-account-secret', 'MongoDB Atlas service account secret', 'client-secret', 'MONGODB_ATLAS_CLIENT_SECRET', ['mdb_sa_sk_'], '[A-Za-z0-9_-]{40}', { entropy: 4 }),
  p('astra-db-token', 'DataStax Astra DB application token', 'token', 'ASTRA_DB_APPLICATION_TOKEN', ['AstraCS:'], `[A-Za-z]{24}:${hex(64)}`),
  p('xata-api-key', 'Xata API key', 'api-key', 'XATA_API_KEY', ['xau_'], '[A-Za-z0-9]{32,40}', { entropy: 4 }),
  a('fauna-secret', 'Fauna secret', 'secret-key', 'FAUNA_SECRET', ['fauna'], 'fn[A-Za-z0-9_-]{38}', { entropy: 4 }),
  p('clickhouse-cloud-api-secret', 'ClickHouse Cloud API secret', 'secret-key', 'CLICKHOUSE_API_SECRET', ['4b1d'], alnum(38), { entropy: 3.8 }),
  a('influxdb-token', 'InfluxDB API token', 'token', 'INFLUX_TOKEN', ['influx'], '[A-Za-z0-9_-]{86}==', { entropy: 4.5 }),
  a('snowflake-password', 'Snowflake password', 'password', 'SNOWFLAKE_PASSWORD', ['snowflake_pass', 'snowflake_pwd'], PASSWORD_VALUE, {
    entropy: 2.5, validators: [notIdentifier],
  }),
  a('hasura-admin-secret', 'Hasura admin secret', 'secret-key', 'HASURA_GRAPHQL_ADMIN_SECRET', ['hasura_graphql_admin_secret', 'hasura_admin_secret'], PASSWORD_VALUE, {
    entropy: 3, validators: [notIdentifier],
  }),
  a('turso-auth-token', 'Turso database auth token', 'token', 'TURSO_AUTH_TOKEN', ['turso', 'libsql_auth_token'], 'eyJ[A-Za-z0-9_-]{10,500}\\.eyJ[A-Za-z0-9_-]{10,2000}\\.[A-Za-z0-9_-]{20,500}', { priority: 1 }),
  p('cockroachdb-cloud-api-key', 'CockroachDB Cloud API key', 'api-key', 'COCKROACH_API_KEY', ['CCDB1_'], '[A-Za-z0-9_-]{22,80}', { entropy: 4 }),
  a('aiven-api-token', 'Aiven API token', 'token', 'AIVEN_TOKEN', ['aiven'], '[A-Za-z0-9+/=]{372}', { entropy: 4.5 }),
  a('redis-cloud-api-key', 'Redis Cloud API secret key', 'api-key', 'REDIS_CLOUD_API_SECRET', ['rediscloud', 'redis_cloud'], alnum(50), { entropy: 4 }),
];
