/**
 * Values shaped like API keys that providers publish on purpose: client-side
 * publishable keys, public identifiers, payment and object ids. They grant
 * nothing a visitor of the web page does not already have, so no rule
 * reports them. Provider rules keep these formats out of their own patterns
 * (and say so beside the rule); a rule whose pattern is broad enough to take
 * one (a generic `…_key = "…"` rule) can drop it with `isPublicKey(value)` or
 * list `PUBLIC_KEYS` as `allow` entries.
 *
 * Each entry says whose format it is and why it is public (provider docs).
 */
export interface PublicKeyFormat {
  readonly provider: string;
  readonly why: string;
  readonly pattern: RegExp;
}

export const PUBLIC_KEY_FORMATS: readonly PublicKeyFormat[] = [
  { provider: 'Stripe, Clerk, Paystack, Checkout.com', why: 'publishable keys (pk_live_/pk_test_/pk_sbox_) are meant for browsers and apps', pattern: /^pk_(?:live|test|sbox)_[A-Za-z0-9+/=_-]{8,200}$/ },
  { provider: 'Stripe', why: 'object ids (PaymentIntent, SetupIntent, Customer, Charge, Price…) and client secrets of intents are handed to the browser', pattern: /^(?:pi|seti|pm|cus|ch|py|in|ii|sub|si|price|prod|evt|txn|re|po|src|tok|card|ba|acct|cs_(?:live|test)|plink|promo)_[A-Za-z0-9]{8,80}(?:_secret_[A-Za-z0-9]{8,80})?$/ },
  { provider: 'Mapbox', why: 'public tokens (pk.) are embedded in map pages; secret ones start with sk.', pattern: /^pk\.eyJ[A-Za-z0-9_-]{10,300}\.[A-Za-z0-9_-]{10,100}$/ },
  { provider: 'Supabase', why: 'publishable keys (sb_publishable_) ship in client apps', pattern: /^sb_publishable_[A-Za-z0-9_-]{8,100}$/ },
  { provider: 'PostHog', why: 'project API keys (phc_) are write-only and embedded in web pages', pattern: /^phc_[A-Za-z0-9]{20,80}$/ },
  { provider: 'Langfuse', why: 'public keys (pk-lf-) pair with a secret key (sk-lf-) that is the credential', pattern: /^pk-lf-[0-9a-f-]{36}$/ },
  { provider: 'PubNub', why: 'publish (pub-c-) and subscribe (sub-c-) keys are used by clients; the secret key is sec-c-', pattern: /^(?:pub|sub)-c-[0-9a-f-]{36}$/ },
  { provider: 'Square', why: 'application ids (sq0idp-/sandbox-sq0idb-) identify the app in the Web Payments SDK', pattern: /^(?:sandbox-)?sq0id[pb]-[A-Za-z0-9_-]{22,43}$/ },
  { provider: 'Flutterwave', why: 'public keys (FLWPUBK-) are used by the inline checkout', pattern: /^FLWPUBK(?:_TEST)?-[A-Za-z0-9]{32}-X$/ },
  { provider: 'Razorpay', why: 'key ids (rzp_live_/rzp_test_) are passed to Checkout in the browser; the key secret is the credential', pattern: /^rzp_(?:live|test)_[A-Za-z0-9]{14}$/ },
  { provider: 'Lob', why: 'publishable keys (live_pub_/test_pub_) are for address autocompletion in browsers', pattern: /^(?:live|test)_pub_[a-f0-9]{31}$/ },
  { provider: 'Xendit', why: 'public keys (xnd_public_) tokenize cards in the browser', pattern: /^xnd_public_(?:development|production)_[A-Za-z0-9]{20,100}$/ },
  { provider: 'Midtrans', why: 'client keys (Mid-client-/SB-Mid-client-) are used by Snap in the browser', pattern: /^(?:SB-)?Mid-client-[A-Za-z0-9_-]{16}$/ },
  { provider: 'Mercado Pago', why: 'public keys (APP_USR-/TEST- followed by a UUID) are used by the browser SDK', pattern: /^(?:APP_USR|TEST)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ },
  { provider: 'Sentry', why: 'DSNs only allow sending events and are embedded in client code', pattern: /^https?:\/\/[a-f0-9]{32}@[a-z0-9.-]+\/\d+$/ },
  { provider: 'Google', why: 'OAuth client ids (….apps.googleusercontent.com) are public identifiers', pattern: /^\d{6,20}-[a-z0-9]{32}\.apps\.googleusercontent\.com$/ },
  { provider: 'Amazon', why: 'Login with Amazon client ids (amzn1.application-oa2-client.) are public identifiers', pattern: /^amzn1\.application-oa2-client\.[a-f0-9]{32}$/ },
];

/** Every public format, for rules' `allow` lists. */
export const PUBLIC_KEYS: readonly RegExp[] = PUBLIC_KEY_FORMATS.map((f) => f.pattern);

/** The value is a documented public key or identifier, not a secret. */
export function isPublicKey(value: string): boolean {
  return PUBLIC_KEYS.some((p) => p.test(value));
}
