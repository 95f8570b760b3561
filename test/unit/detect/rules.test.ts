/**
 * Walks every rule's examples: each true positive is found by that rule
 * with the exact secret span; each false positive is not reported by it.
 */
import * as assert from 'node:assert/strict';
import { scanText } from '../../../shared/detect/engine';
import { RULES } from '../../../shared/detect/rules';
import { examplesFor } from '../../../shared/detect/rules/allExamples';

describe('detect: rule examples', () => {
  it('has at least 150 rules with unique ids, keywords and a secret group', () => {
    assert.ok(RULES.length >= 150, `only ${RULES.length} rules`);
    const ids = new Set<string>();
    for (const r of RULES) {
      assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
      ids.add(r.id);
      assert.ok(r.keywords.length > 0, `${r.id} has no keywords`);
      for (const k of r.keywords) assert.equal(k, k.toLowerCase(), `${r.id}: keyword '${k}' not lower-case`);
      assert.ok(/^[a-z0-9-]+$/.test(r.id), `${r.id}: id must be kebab-case`);
      assert.ok(r.envVar && /^[A-Z][A-Z0-9_]*$/.test(r.envVar), `${r.id}: bad envVar`);
    }
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      const ex = examplesFor(rule);
      it('has true-positive and false-positive examples', () => {
        assert.ok(ex.tp.length > 0, `${rule.id} has no true-positive example`);
        assert.ok(ex.fp.length > 0, `${rule.id} has no false-positive example`);
      });
      ex.tp.forEach((t, i) => {
        it(`finds tp #${i + 1} with the exact span`, () => {
          const found = scanText(t.text, { path: t.path });
          const mine = found.filter((f) => f.ruleId === rule.id);
          assert.ok(
            mine.length > 0,
            `${rule.id} tp #${i + 1} not found; got ${JSON.stringify(found.map((f) => [f.ruleId, f.start, f.end]))} (want ${t.start}..${t.end})`,
          );
          assert.deepEqual(mine.map((f) => [f.start, f.end]), [[t.start, t.end]], `${rule.id} tp #${i + 1} span`);
          for (const f of found) {
            const secret = t.text.slice(f.start, f.end);
            assert.ok(!f.masked.includes(secret), `${rule.id}: masked value contains the secret`);
          }
        });
      });
      ex.fp.forEach((f, i) => {
        it(`ignores fp #${i + 1}`, () => {
          const { text, path } = typeof f === 'string' ? { text: f, path: undefined } : f;
          const found = scanText(text, { path }).filter((x) => x.ruleId === rule.id);
          assert.deepEqual(found.map((x) => [x.ruleId, x.start, x.end, x.masked]), [], `${rule.id} fp #${i + 1} reported`);
        });
      });
    });
  }
});

describe('detect: shipped rule sources stay packageable', () => {
  it('no rule file holds a literal BEGIN…END key pair (vsce refuses bundles that do)', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const dir = path.resolve(__dirname, '../../../../shared/detect/rules');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.includes('xample'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.ok(!/-----BEGIN[^\n]*-----END/.test(text), `${f} has a BEGIN…END pair on one line`);
    }
  });
});

describe('detect: public keys and identifiers are not secrets', () => {
  // Fabricated in each provider's documented public format, built at run time.
  const { CHARS, fake } = require('../../../shared/detect/rules/examples') as typeof import('../../../shared/detect/rules/examples');
  const { isPublicKey } = require('../../../shared/detect/rules/publicKeys') as typeof import('../../../shared/detect/rules/publicKeys');
  const j = (...parts: string[]): string => parts.join('');
  const uuid = (seed: string): string => {
    const h = fake('', CHARS.hex, 32, seed);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const cases: [string, string, string][] = [
    ['Stripe publishable key', j('pk', '_live_', fake('', CHARS.b62, 99, 'pub1')), "const stripe = Stripe('VALUE');"],
    ['Stripe test publishable key in .env', j('pk', '_test_', fake('', CHARS.b62, 99, 'pub2')), 'STRIPE_PUBLISHABLE_KEY=VALUE\n'],
    ['Stripe publishable key under a neutral name', j('pk', '_live_', fake('', CHARS.b62, 99, 'pub3')), 'stripe_key = "VALUE"'],
    ['Stripe PaymentIntent id', j('pi', '_', fake('', CHARS.b62, 24, 'pub4')), 'paymentIntent: "VALUE"'],
    ['Stripe PaymentIntent client secret', j('pi', '_', fake('', CHARS.b62, 24, 'pub5'), '_secret_', fake('', CHARS.b62, 25, 'pub6')), 'const clientSecret = "VALUE";'],
    ['Stripe customer id', j('cus', '_', fake('', CHARS.b62, 14, 'pub7')), 'stripe.customers.retrieve("VALUE")'],
    ['Supabase publishable key', j('sb', '_publishable_', fake('', CHARS.b64url, 31, 'pub8')), 'NEXT_PUBLIC_SUPABASE_KEY=VALUE\n'],
    ['PostHog project key', j('phc', '_', fake('', CHARS.b62, 43, 'pub9')), "posthog.init('VALUE', { api_host: 'https://eu.posthog.com' })"],
    ['Langfuse public key', j('pk', '-lf-', uuid('pub10')), 'LANGFUSE_PUBLIC_KEY=VALUE\n'],
    ['PubNub publish key', j('pub', '-c-', uuid('pub11')), "new PubNub({ publishKey: 'VALUE' })"],
    ['PubNub subscribe key', j('sub', '-c-', uuid('pub12')), "new PubNub({ subscribeKey: 'VALUE' })"],
    ['Square application id', j('sq0', 'idp-', fake('', CHARS.b64url, 22, 'pub13')), "payments('VALUE', locationId)"],
    ['Flutterwave public key', j('FLWPUBK', '-', fake('', CHARS.hex, 32, 'pub14'), '-X'), "public_key: 'VALUE'"],
    ['Razorpay key id', j('rzp', '_live_', fake('', CHARS.b62, 14, 'pub15')), 'const options = { key: "VALUE", amount: 5000 };'],
    ['Sentry DSN', j('https://', fake('', CHARS.hex, 32, 'pub16'), '@o450000.ingest.sentry.io/5400000'), 'Sentry.init({ dsn: "VALUE" });'],
    ['Google OAuth client id', j(fake('', CHARS.digits, 12, 'pub17'), '-', fake('', CHARS.lower + CHARS.digits, 32, 'pub18'), '.apps.googleusercontent.com'), 'GOOGLE_CLIENT_ID=VALUE\n'],
    ['Xendit public key', j('xnd', '_public_production_', fake('', CHARS.b62, 60, 'pub19')), "Xendit.setPublishableKey('VALUE')"],
    ['Mercado Pago public key', j('APP', '_USR-', uuid('pub20')), "new MercadoPago('VALUE')"],
  ];
  for (const [what, value, template] of cases) {
    it(`${what}: no rule reports it`, () => {
      assert.ok(isPublicKey(value), `${what}: not in the public formats`);
      const found = scanText(template.replace('VALUE', value), { path: 'app.ts' });
      assert.deepEqual(found.map((f) => f.ruleId), []);
    });
  }
});
