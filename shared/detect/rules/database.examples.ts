/** Hand-written examples for connection-string rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const pw = (seed: string): string => fake('', CHARS.b62, 14, seed) + '9z';

function uriExamples(scheme: string, seed: string, rest = '@db.internal:5432/app'): Examples {
  return {
    tp: [tp(`DATABASE_URL="${scheme}://app_user:`, pw(seed), `${rest}"`), tp(`url: ${scheme}://svc:`, pw(seed + 'b'), `${rest}\n`, 'config.yml')],
    fp: [
      `DATABASE_URL="${scheme}://app_user:\${DB_PASSWORD}${rest}"`,
      `url = "${scheme}://user:password${rest}"`,
      `url = "${scheme}://db.internal:5432/app"`,
      `fmt = "${scheme}://%s:%s@%s/%s"`,
    ],
  };
}

export const DATABASE_EXAMPLES: Record<string, Examples> = {
  'postgres-connection-string': uriExamples('postgresql', 'pg'),
  'mysql-connection-string': uriExamples('mysql', 'my', '@mysql.internal:3306/shop'),
  'mongodb-connection-string': uriExamples('mongodb+srv', 'mongo', '@cluster0.ab1cd.mongodb.net/app?retryWrites=true'),
  'redis-connection-string': {
    tp: [tp('REDIS_URL=redis://:', pw('redis'), '@cache.internal:6379/0\n')],
    fp: ['REDIS_URL=redis://cache.internal:6379/0', 'REDIS_URL=redis://:${REDIS_PASSWORD}@cache:6379'],
  },
  'amqp-connection-string': uriExamples('amqps', 'amqp', '@mq.internal:5671/vhost'),
  'mssql-connection-string': uriExamples('sqlserver', 'mssql', '@sql.internal:1433'),
  'clickhouse-connection-string': uriExamples('clickhouse', 'ch', '@ch.internal:9000/default'),
  'neo4j-connection-string': uriExamples('neo4j+s', 'neo', '@graph.internal:7687'),
  'ldap-bind-url': uriExamples('ldaps', 'ldap', '@ldap.internal:636'),
  'ftp-url-password': uriExamples('sftp', 'ftp', '@files.internal:22'),
  'broker-url-password': uriExamples('mqtts', 'mqtt', '@broker.internal:8883'),
  'jdbc-connection-string': {
    tp: [
      tp('spring.datasource.url=jdbc:mysql://db.internal:3306/app?user=app&password=', pw('jdbc'), '&useSSL=true\n', 'application.properties'),
      tp('url = "jdbc:sqlserver://sql.internal:1433;databaseName=app;user=sa;password=', pw('jdbc2'), ';encrypt=true"'),
    ],
    fp: ['url = "jdbc:postgresql://db.internal:5432/app?user=app&password=${DB_PASSWORD}"', 'url = "jdbc:h2:mem:test"'],
  },
  'ado-connection-string': {
    tp: [tp('"Default": "Server=tcp:sql.internal,1433;Initial Catalog=app;User ID=app;Password=', pw('ado'), ';Encrypt=True;"', 'appsettings.json')],
    fp: ['"Default": "Server=sql.internal;Database=app;Trusted_Connection=True;"', '"Default": "Server=sql;Database=app;User Id=sa;Password={0};"'],
  },
  'snowflake-password': {
    tp: [tp('SNOWFLAKE_PASSWORD=', 'Wq7#' + 'vLm2-Rt9z', '\n', '.env')],
    fp: ["const NAMES = ['snowflake_password', 'snowflake_pwd', 'snowflake_pass'];", 'snowflake_password: ${{ secrets.SNOWFLAKE_PASSWORD }}'],
  },
};
