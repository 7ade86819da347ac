import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { ALNUM } from '../../src/rules/alphabets.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = '.env') =>
  engine.scan({ path, text, source: 'file' }).map((f) => ({ ruleId: f.ruleId, secret: secretOf(f), line: f.line, column: f.column }));

describe('connection strings', () => {
  const gen = seededGen(testSeed());
  const password = (): string => gen.chars(ALNUM, 20);

  it.each([
    ['postgres://', 'postgres-connection-string'],
    ['postgresql://', 'postgres-connection-string'],
    ['postgresql+asyncpg://', 'postgres-connection-string'],
    ['jdbc:postgresql://', 'postgres-connection-string'],
    ['mysql://', 'mysql-connection-string'],
    ['mariadb://', 'mysql-connection-string'],
    ['mongodb://', 'mongodb-connection-string'],
    ['mongodb+srv://', 'mongodb-connection-string'],
    ['redis://', 'redis-connection-string'],
    ['rediss://', 'redis-connection-string'],
    ['amqp://', 'amqp-connection-string'],
    ['amqps://', 'amqp-connection-string'],
    ['https://', 'url-basic-auth'],
    ['http://', 'url-basic-auth'],
    ['POSTGRES://', 'postgres-connection-string'],
  ])('reports only the password of %s URLs, at its column', (scheme, ruleId) => {
    const pw = password();
    const prefix = `DATABASE_URL="${scheme}app_user:`;
    const found = scan(`# services\n${prefix}${pw}@db.internal:5432/app"\n`);
    expect(found.map((f) => f.ruleId)).toEqual([ruleId]);
    expect(found[0]?.secret === pw).toBe(true);
    expect(found[0]).toMatchObject({ line: 2, column: prefix.length + 1 });
  });

  it('reports a password with an empty user name, as Redis writes it', () => {
    const pw = password();
    const found = scan(`REDIS_URL=redis://:${pw}@cache:6379/0\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['redis-connection-string']);
    expect(found[0]?.secret === pw).toBe(true);
  });

  it('reports the first host of a MongoDB seed list', () => {
    const pw = password();
    const found = scan(`uri: mongodb://reader:${pw}@mongo-0.db,mongo-1.db:27017/app?replicaSet=rs0\n`, 'values.yaml');
    expect(found.map((f) => f.secret === pw)).toEqual([true]);
  });

  it('reports a credential in a lockfile URL', () => {
    const pw = password();
    const lock = `{\n  "packages": {\n    "node_modules/left-pad": {\n      "version": "1.3.0",\n      "resolved": "https://ci-bot:${pw}@registry.corp-tools.io/left-pad/-/left-pad-1.3.0.tgz",\n      "integrity": "sha512-${gen.chars(ALNUM, 86)}=="\n    }\n  }\n}\n`;
    const found = scan(lock, 'package-lock.json');
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['url-basic-auth', 5]]);
    expect(found[0]?.secret === pw).toBe(true);
  });

  it('reports nothing where the password is a substitution, a placeholder, a mask or absent', () => {
    const texts = [
      'DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app',
      'DATABASE_URL=postgres://app:$DB_PASSWORD@db:5432/app',
      'DATABASE_URL=postgres://app:<password>@db:5432/app',
      'DATABASE_URL=postgres://app:password@db:5432/app',
      'DATABASE_URL=postgres://app:***@db:5432/app',
      'DATABASE_URL=postgres://app:@db:5432/app',
      'DATABASE_URL=postgres://app@db:5432/app',
      'DATABASE_URL=postgres://db:5432/app',
      'DATABASE_URL=postgresql://app:%(password)s@db/app',
      'url = f"postgresql://{user}:{password}@{host}/{db}"',
      'MONGO_URI=mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/',
      'API=http://localhost:3000/api',
      'see https://example.com:8443/path?redirect=user@example.com',
      'git clone https://github.com/org/repo.git',
      'mailto:someone@example.com',
    ];
    for (const text of texts) expect(scan(text), text).toEqual([]);
  });

  it('treats hosts reserved for documentation (RFC 2606) as examples', () => {
    for (const host of ['example.com', 'db.example.org', 'registry.example.net:8443', 'cache.prod.example', 'host.invalid']) {
      const text = `url = "https://deploy:${password()}@${host}/path"`;
      expect(scan(text), text).toEqual([]);
    }
    // A look-alike is a real host.
    const pw = password();
    expect(scan(`url = "https://deploy:${pw}@example.com.attacker.io/x"`).map((f) => f.secret === pw)).toEqual([true]);
  });

  it('treats user = password as a local default, not a leak', () => {
    expect(scan('DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev')).toEqual([]);
    expect(scan('AMQP_URL=amqp://guest:guest@localhost:5672/')).toEqual([]);
  });

  it('leaves a provider token used as the password to its own rule', () => {
    const gitlab = BUILTIN_RULES.find((r) => r.id === 'gitlab-pat') as Rule;
    const token = gitlab.samples.secret(gen);
    const found = scan(`git remote add origin https://oauth2:${token}@gitlab.com/group/project.git\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['gitlab-pat']);
    expect(found[0]?.secret === token).toBe(true);
  });

  it('stays linear on long runs of schemes and half-written URLs', () => {
    expect(scan('http://a:'.repeat(50_000))).toEqual([]);
    expect(scan('postgres://u:p'.repeat(50_000))).toEqual([]);
    expect(scan(`mongodb://${'u'.repeat(200_000)}:`)).toEqual([]);
  });
});
