import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { isPlaceholder } from '../scan/placeholder.js';
import { ALNUM } from './alphabets.js';

/*
 * URLs that carry a password in their userinfo (`scheme://user:password@host`). The secret is the
 * password alone: the user name and host locate the account, and reporting only the password keeps
 * fingerprints stable when the same password moves to another host.
 */

/** Longest user name and password the patterns accept. */
const MAX_USER = 128;
const MAX_PASSWORD = 128;
/** User name: anything up to the colon, but not a template, an elision or a path. */
const USER = String.raw`(?<user>[^\s:@/'"\x60<>{}\\]{0,${MAX_USER}})`;
/**
 * Password: up to the first `@` (a literal `@` in a password must be percent-encoded), never a
 * quote, angle bracket or whitespace. `(?!\k<user>@)` drops `postgres:postgres@`-style defaults,
 * where the password is the user name.
 */
const PASSWORD = String.raw`(?!\k<user>@)(?<secret>[^\s@/'"\x60<>\\]{1,${MAX_PASSWORD}})`;

/**
 * Where the `@` can be, counted from the end of a keyword: the rest of the scheme and `://` (at most
 * `ql+` and a 16-character driver, as in `postgresql+psycopg2://`: 22), then user, colon and password.
 * Most `http` in code starts a URL with no userinfo, and nine in ten of those have no `@` this close
 * (measured on the benchmark corpus), so the gate spares the pattern nearly all of its attempts.
 */
const AT_WITHIN = 22 + MAX_USER + 1 + MAX_PASSWORD;
/**
 * The host must follow: a name, an IPv4/IPv6 literal or the first of a MongoDB host list. Hosts under
 * the names RFC 2606 reserves for documentation and tests (example.com/.net/.org, .example, .invalid,
 * .test) serve no account, so a password for them is an example; so do the stand-ins documentation
 * and tests write in their place (`pypi.company.com`, `mydomain.org`, `foo.com`, `dummy.faketld`,
 * `www.bogus.net`). A port that is a word (`@proxyhost:port`) marks a template to fill in.
 */
const DOC_DOMAIN = String.raw`(?:example|foo|bar|baz|(?:your|my)?(?:company|domain|server|host|site|website))\.(?:com|net|org)`;
const RESERVED_TLD = String.raw`[A-Za-z0-9-]{1,63}\.(?:example|invalid|test)`;
const STAND_IN_LABEL = String.raw`(?:dummy|fake|bogus)[A-Za-z0-9-]{0,58}(?![A-Za-z0-9-])`;
const HOST = String.raw`@(?=[A-Za-z0-9\[_])(?!(?:[A-Za-z0-9-]{1,63}\.){0,8}(?:(?:${DOC_DOMAIN}|${RESERVED_TLD})(?![A-Za-z0-9.-])|${STAND_IN_LABEL}))(?![A-Za-z0-9.-]{1,253}:[A-Za-z])`;

/** Passwords that documentation writes in place of a real one. */
const PLACEHOLDER_PASSWORDS = new Set([
  'pass', 'passwd', 'password', 'pwd', 'secret', 'changeme', 'change_me', 'example', 'xxx', 'xxxx',
  'user', 'username', 'admin', 'root', 'guest', 'test', 'mypassword', 'yourpassword', 'pw', 'p', 'x',
  // The words programmers' examples reach for (`jschmoe:xyzzy@…`).
  'xyzzy', 'hunter2', 'foobar', 'qwerty', 'letmein', 'topsecret', 'supersecret', 'mysecret',
  // Redis's own example password (`requirepass foobared`), J. R. "Bob" Dobbs, metasyntactic words.
  'foobared', 'dobbs', 'foo', 'bar', 'baz', 'qux',
  // GitHub's fixed password when the token is the user name (`https://<token>:x-oauth-basic@github.com`).
  'x-oauth-basic',
]);

/**
 * A password that is really a substitution: `$DB_PASS`, `%(password)s`, `:password` (a bind
 * parameter), `***` (already masked), or a documentation word.
 */
function isRealPassword(password: string): boolean {
  const decoded = percentDecoded(password);
  // Three characters guard nothing; `p%40ss` is `pass` written with a symbol, `foo%40bar` is `foo@bar`.
  if (decoded.length < 4 || decoded !== password && isPlaceholder(decoded)) return false;
  if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase()) || PLACEHOLDER_PASSWORDS.has(unLeet(decoded.toLowerCase()))) return false;
  // One character put in, left out or changed, as URL-parsing tests do (`pa%3Fsword`, `passwo^rd`).
  if (PLACEHOLDER_WORDS.some((w) => withinOneEdit(decoded.toLowerCase(), w))) return false;
  // A word for what it is: `proxyuser:proxypass`, `dbpass`, `adminsecret`, `withPwd`.
  if (/^[a-z]{1,12}(?:pass|passwd|password|pwd|secret)$/.test(password.toLowerCase())) return false;
  // A placeholder spelled apart (`s:3:c:r:e:t`).
  const bare = unLeet(decoded.toLowerCase().replace(/[^a-z0-9@$!]/g, ''));
  if (bare !== decoded.toLowerCase() && PLACEHOLDER_PASSWORDS.has(bare)) return false;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(password)) return false;
  if (/^%\(?[A-Za-z_]+\)?s?$/.test(password) || /^%[A-Za-z_]+%$/.test(password)) return false;
  if (/^:[A-Za-z_]+$/.test(password)) return false;
  if (/^(.)\1*$/.test(password)) return false;
  return true;
}

/** Placeholder passwords long enough that one edit cannot make a chosen password of them. */
const PLACEHOLDER_WORDS = ['password', 'passwd', 'secret', 'changeme'];

/** Whether `a` becomes `b` by inserting, deleting or replacing at most one character. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tail = (x: string, y: string): boolean => x.slice(i + (x.length >= y.length ? 1 : 0)) === y.slice(i + (y.length >= x.length ? 1 : 0));
  return i === Math.min(a.length, b.length) || tail(a, b);
}

/**
 * `anonymous` is the conventional public login (RFC 1635): whatever follows it is no secret. Oracle's
 * demo schema `scott` / `tiger` fills database tutorials and SQLAlchemy's docstrings (`tiger^5HHH` too);
 * a password made of its own user name (`oplog_reader:oplog_reader_password`) was written by a reader.
 */
function isRealLogin(user: string, password: string): boolean {
  const u = user.toLowerCase();
  const p = password.toLowerCase();
  if (u === 'anonymous') return false;
  if (u === 'scott' && p.startsWith('tiger')) return false;
  return !(u.length >= 3 && p.startsWith(u) && /^[_.-]?(?:pass|passwd|password|pwd|secret)$/.test(p.slice(u.length)));
}

/** A password as the server receives it; a malformed escape is taken literally, as most clients do. */
function percentDecoded(password: string): string {
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}

/** `p@ssw0rd` -> `password`: the symbols people put in place of letters. */
function unLeet(password: string): string {
  return password.replace(/[@4]/g, 'a').replace(/0/g, 'o').replace(/[$5]/g, 's').replace(/3/g, 'e').replace(/[1!]/g, 'i');
}

interface Scheme {
  id: string;
  title: string;
  provider: string;
  keywords: string[];
  /** Regex source of the scheme, without `://`. */
  scheme: string;
  /** Schemes written in samples. */
  samples: string[];
  hosts: string[];
  severity: Severity;
  text: string;
  url: string;
}

function passwordOf(gen: SampleGen): string {
  // Unreserved URL characters only, so the sample needs no percent-encoding.
  return gen.chars(`${ALNUM}-_~`, gen.int(16, 32));
}

function urlRule(s: Scheme): Rule {
  const build = (gen: SampleGen, password: string): string =>
    `${gen.pick(s.samples)}://${gen.pick(['app', 'svc_user', 'deploy', 'reader'])}:${password}@${gen.pick(s.hosts)}`;
  return {
    id: s.id,
    title: s.title,
    provider: s.provider,
    severity: s.severity,
    keywords: s.keywords,
    // The lookbehind keeps `xpostgres://` and similar from matching mid-word; schemes are case-insensitive.
    pattern: new RegExp(`(?<![A-Za-z0-9+.-])(?:${s.scheme})://${USER}:${PASSWORD}${HOST}`, 'i'),
    valueRun: { chars: '@', min: 1, within: AT_WITHIN },
    validate: isRealPassword,
    acceptMatch: ({ groups }) => isRealLogin(groups['user'] ?? '', groups['secret'] ?? ''),
    userChosen: true,
    remediation: { text: s.text, url: s.url },
    samples: {
      secret: passwordOf,
      wrap: false,
      positives: (gen) => {
        const out: Array<{ text: string; secret: string }> = [];
        for (const template of [
          (u: string) => `DATABASE_URL=${u}\n`,
          (u: string) => `{\n  "connection": "${u}"\n}\n`,
          (u: string) => `services:\n  app:\n    environment:\n      - BROKER_URL=${u}\n`,
          (u: string) => `engine = create_engine('${u}')\n`,
          (u: string) => `See <${u}> for the data.\n`,
        ]) {
          const secret = passwordOf(gen);
          out.push({ text: template(build(gen, secret)), secret });
        }
        return out;
      },
      negatives: (gen) => {
        const scheme = gen.pick(s.samples);
        const host = gen.pick(s.hosts);
        return [
          `${scheme}://app:\${DB_PASSWORD}@${host}`,
          `${scheme}://app:$DB_PASSWORD@${host}`,
          `${scheme}://app:<password>@${host}`,
          `${scheme}://app:password@${host}`,
          `${scheme}://app:***@${host}`,
          `${scheme}://app:@${host}`,
          `${scheme}://app@${host}`,
          `${scheme}://${host}`,
          `${scheme}://app:app@${host}`,
          `${scheme}://app:%(password)s@${host}`,
          // Three characters, and placeholders behind percent-encoding.
          `${scheme}://app:abc@${host}`,
          `${scheme}://app:foo%40bar@${host}`,
          `${scheme}://app:p%40ss@${host}`,
          `${scheme}://anonymous:${passwordOf(gen)}@${host}`,
          `${scheme}://localhost:8080/path?next=a@b`,
          // Documentation hosts (RFC 2606).
          `${scheme}://app:${passwordOf(gen)}@example.com/app`,
          `${scheme}://app:${passwordOf(gen)}@db.staging.example:5432/app`,
          // Documentation's stand-ins: a company or domain in general, a port still to fill in, example words.
          `${scheme}://app:${passwordOf(gen)}@pypi.company.com/simple`,
          `${scheme}://app:${passwordOf(gen)}@db.yourdomain.org/app`,
          `${scheme}://proxyuser:${passwordOf(gen)}@proxyhost:port`,
          `${scheme}://proxyuser:proxypass@10.0.0.1:3128`,
          `${scheme}://jschmoe:xyzzy@www.bogus.net:8000/foo/bar`,
          `${scheme}://scott:tiger@${host}`,
          `${scheme}://isabel:s:3:c:r:e:t@${host}`,
          `${scheme}://user:withPwd@${host}`,
          `${scheme}://my-user:t0ps3cr3t@${host}`,
          `${scheme}://alice:foobared@awesome.redis.server:6380`,
          `${scheme}://bob:dobbs@foo.bar:5678`,
          `${scheme}://foo:b%3Dar@${host}`,
          `${scheme}://scott:tiger^5HHH@${host}`,
          `${scheme}://oplog_reader:oplog_reader_password@${host}`,
          `${scheme}://svc:${passwordOf(gen)}@dummy.faketld/`,
          `${scheme}://svc:${passwordOf(gen)}@api.staging.test/v1`,
          `${scheme}://svc:${passwordOf(gen)}@foo.com/`,
          `${scheme}://user:pa%3Fsword@${host}`,
          `${scheme}://user:passwo^rd@${host}`,
        ];
      },
    },
  };
}

const SCHEMES: Scheme[] = [
  {
    id: 'postgres-connection-string',
    title: 'PostgreSQL connection string with password',
    provider: 'PostgreSQL',
    keywords: ['postgres'],
    // SQLAlchemy adds a driver: postgresql+psycopg2://
    scheme: String.raw`postgres(?:ql)?(?:\+[a-z0-9]{1,16})?`,
    samples: ['postgres', 'postgresql', 'postgresql+psycopg2', 'jdbc:postgresql'],
    hosts: ['db.internal:5432/app', 'localhost/app?sslmode=disable', '10.0.3.7:5432/orders'],
    severity: 'critical',
    text: 'Change the role password (ALTER ROLE ... PASSWORD) and read the connection string from a secret store.',
    url: 'https://www.postgresql.org/docs/current/sql-alterrole.html',
  },
  {
    id: 'mysql-connection-string',
    title: 'MySQL / MariaDB connection string with password',
    provider: 'MySQL',
    keywords: ['mysql', 'mariadb'],
    scheme: String.raw`(?:mysql|mariadb)(?:x)?(?:\+[a-z0-9]{1,16})?`,
    samples: ['mysql', 'mariadb', 'mysql+pymysql', 'jdbc:mysql'],
    hosts: ['db.internal:3306/shop', 'localhost/app', '[::1]:3306/app'],
    severity: 'critical',
    text: 'Change the account password (ALTER USER ... IDENTIFIED BY) and read the connection string from a secret store.',
    url: 'https://dev.mysql.com/doc/refman/8.4/en/alter-user.html',
  },
  {
    id: 'mongodb-connection-string',
    title: 'MongoDB connection string with password',
    provider: 'MongoDB',
    keywords: ['mongodb'],
    scheme: String.raw`mongodb(?:\+srv)?`,
    samples: ['mongodb', 'mongodb+srv'],
    hosts: ['cluster0.ab1cd.mongodb.net/?retryWrites=true', 'mongo-0.mongo,mongo-1.mongo:27017/app?replicaSet=rs0', 'localhost:27017'],
    severity: 'critical',
    text: 'Change the database user password (Atlas: Database Access; self-hosted: db.changeUserPassword) and read the URI from a secret store.',
    url: 'https://www.mongodb.com/docs/manual/reference/method/db.changeUserPassword/',
  },
  {
    id: 'redis-connection-string',
    title: 'Redis connection string with password',
    provider: 'Redis',
    keywords: ['redis'],
    scheme: 'rediss?',
    samples: ['redis', 'rediss'],
    hosts: ['cache.internal:6379/0', 'localhost:6379', 'redis-12345.c1.us-east-1.ec2.redns.redis-cloud.com:12345'],
    severity: 'high',
    text: 'Rotate the password (ACL SETUSER, or requirepass) and read the URL from a secret store.',
    url: 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/',
  },
  {
    id: 'amqp-connection-string',
    title: 'AMQP (RabbitMQ) connection string with password',
    provider: 'RabbitMQ',
    keywords: ['amqp'],
    scheme: 'amqps?',
    samples: ['amqp', 'amqps'],
    hosts: ['rabbit.internal:5672/%2f', 'localhost', 'b-1234.mq.eu-west-1.amazonaws.com:5671'],
    severity: 'high',
    text: 'Change the user password (rabbitmqctl change_password) and read the URL from a secret store.',
    url: 'https://www.rabbitmq.com/docs/passwords',
  },
  {
    id: 'sqlserver-connection-string',
    title: 'SQL Server connection URL with password',
    provider: 'Microsoft SQL Server',
    keywords: ['sqlserver', 'mssql'],
    // Go's go-mssqldb and Node's mssql URLs; SQLAlchemy writes `mssql+pyodbc://`.
    scheme: String.raw`(?:sqlserver|mssql)(?:\+[a-z0-9]{1,16})?`,
    samples: ['sqlserver', 'mssql', 'mssql+pyodbc'],
    hosts: ['sql.internal:1433?database=orders', 'localhost/SQLEXPRESS?database=app', 'app-db.database.windows.net:1433'],
    severity: 'critical',
    text: 'Change the login password (ALTER LOGIN ... WITH PASSWORD) and read the connection string from a secret store.',
    url: 'https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-login-transact-sql',
  },
  {
    id: 'ldap-connection-string',
    title: 'LDAP URL with bind password',
    provider: 'LDAP',
    keywords: ['ldap'],
    scheme: 'ldaps?',
    samples: ['ldap', 'ldaps'],
    hosts: ['ldap.corp.internal:389/dc=corp,dc=internal', 'dc01.ad.internal:636', '10.0.4.12'],
    severity: 'high',
    text: 'Change the bind account password in the directory and read it from a secret store.',
    url: 'https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html',
  },
  {
    id: 'url-basic-auth',
    title: 'URL with an embedded password (HTTP basic auth)',
    provider: 'URL credentials',
    keywords: ['http', 'ftp', 'sftp', 'smtp'],
    scheme: 'https?|s?ftps?|smtps?',
    samples: ['https', 'http', 'ftp', 'smtps'],
    hosts: ['nexus.corp-tools.io/repository/npm/', 'files.buildhost.dev/releases', 'smtp.mailrelay.net:465'],
    severity: 'high',
    text: 'Change the password of that account or token, and pass credentials through a credential helper or secret instead of the URL.',
    url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
  },
];

/** Key-value connection strings whose password passes `isRealPassword`; for their samples. */
const kvPassword = (gen: SampleGen): string => gen.chars(`${ALNUM}!#%*+-_~`, gen.int(12, 24));
const adoPassword = (gen: SampleGen): string => `${kvPassword(gen)}@${gen.chars(ALNUM, 4)}/${gen.chars(ALNUM, 3)}`;
const KV_VALUE = String.raw`(?<secret>[^\s;&@"'<>/]{1,128})(?![^\s;&@"'<>/])`;

/**
 * ADO.NET (SQL Server, Azure SQL) connection strings: `Server=...;User ID=...;Password=...;`. Keys are
 * case-insensitive, `Data Source` and `Pwd` are synonyms, and spaces may surround the `=`.
 */
const adoConnectionString: Rule = {
  id: 'sqlserver-ado-connection-string',
  title: 'SQL Server (ADO.NET) connection string with password',
  provider: 'Microsoft SQL Server',
  severity: 'critical',
  keywords: ['server', 'data source'],
  // `server` is a common word; as an ADO.NET key it is followed by `=` at once.
  valueRun: { chars: '=', min: 1, within: 2 },
  // ADO.NET ends a value only at `;` (or the string's quote): `@` and `/` are password characters here.
  pattern: new RegExp(String.raw`(?:server|data source)[ \t]{0,2}=[^"'\r\n]{1,400}?;[ \t]{0,2}(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}(?<secret>[^\s;"'<>]{1,128})(?![^\s;"'<>])`, 'i'),
  validate: isRealPassword,
  userChosen: true,
  remediation: {
    text: 'Change the login password (ALTER LOGIN ... WITH PASSWORD), or move to Entra ID / integrated authentication, and keep the connection string in a secret store.',
    url: 'https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-login-transact-sql',
  },
  samples: {
    secret: kvPassword,
    wrap: false,
    positives: (gen) => {
      const a = adoPassword(gen);
      const b = kvPassword(gen);
      const c = kvPassword(gen);
      return [
        { text: `options.UseSqlServer("Server=tcp:orders.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=${a};Encrypt=True;");\n`, secret: a },
        { text: `<add name="Db" connectionString="Data Source=SQL01\\PROD;Initial Catalog=Shop;User Id=shop;Pwd=${b}" />\n`, secret: b },
        { text: `  "Default": "server = db01; database = app; uid = app; password = ${c}"\n`, secret: c },
      ];
    },
    negatives: () => [
      'Server=localhost;Database=app;Trusted_Connection=True;',
      'Server=db;User ID=sa;Password=${SA_PASSWORD};',
      'Data Source=db;User ID=sa;Password=<password>;',
      'Server=db;User ID=sa;Password=;',
      'Server=db;User ID=sa;Password=password;',
      'Server=db;User ID=sa;Password=%DB_PASSWORD%;',
    ],
  },
};

/**
 * JDBC URLs that carry a password outside the userinfo: as a driver property (`;password=` in SQL
 * Server, Hive, DB2 and Snowflake URLs) or in Oracle's thin syntax (`jdbc:oracle:thin:user/password@host`).
 * `user:password@` userinfo is the PostgreSQL and MySQL rules' own, and a query string's `&password=`
 * the generic assignment rule's.
 */
const jdbcConnectionString: Rule = {
  id: 'jdbc-connection-string',
  title: 'JDBC URL with password',
  provider: 'JDBC',
  severity: 'critical',
  keywords: ['jdbc:'],
  // The password's `=` (or Oracle's `@` after it) comes within the subprotocol (20), the URL before it
  // (300) and `;password=`; without that gate the lazy scan reads those 300 characters at every `jdbc:`.
  valueRun: { chars: '=@', min: 1, within: 20 + 1 + 300 + 10 },
  pattern: new RegExp(
    String.raw`jdbc:(?:oracle:thin:[A-Za-z0-9_$#]{1,30}/(?=[^\s@"'<>/]{1,128}@)|[a-z0-9]{2,20}:[^\s"'<>]{0,300}?[;:]password=)` + KV_VALUE,
    'i',
  ),
  validate: isRealPassword,
  userChosen: true,
  remediation: {
    text: "Change the database account's password and pass it to the driver from a secret store, not in the URL.",
    url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
  },
  samples: {
    secret: kvPassword,
    wrap: false,
    positives: (gen) => {
      const a = kvPassword(gen);
      const b = kvPassword(gen);
      const c = kvPassword(gen);
      return [
        { text: `spring.datasource.url=jdbc:sqlserver://sql01:1433;databaseName=orders;user=app;password=${a};encrypt=true\n`, secret: a },
        { text: `url = "jdbc:oracle:thin:scott/${b}@db01.internal:1521/ORCL"\n`, secret: b },
        { text: `<jdbc-url>jdbc:hive2://hive.internal:10000/default;user=etl;password=${c}</jdbc-url>\n`, secret: c },
      ];
    },
    negatives: () => [
      'jdbc:postgresql://localhost:5432/app',
      'jdbc:sqlserver://sql01:1433;databaseName=orders;integratedSecurity=true',
      'jdbc:mysql://db/app?user=app&password=${DB_PASSWORD}',
      'jdbc:sqlserver://sql01;user=sa;password=${DB_PASSWORD}',
      'jdbc:oracle:thin:@db01:1521/ORCL',
      'jdbc:sqlserver://sql01;user=sa;password=password',
    ],
  },
};

export const connectionStringRules: Rule[] = [...SCHEMES.map(urlRule), adoConnectionString, jdbcConnectionString];
