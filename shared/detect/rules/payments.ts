/** Payment providers and commerce platforms. Examples: payments.examples.ts. */
import { alnum, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a } = ruleMakers('payments');

// Publishable keys (Stripe/Paystack/Checkout.com pk_…), Stripe object and PaymentIntent ids, Square application
// ids, Flutterwave FLWPUBK-, Xendit and Midtrans client keys are public by design: none of these rules takes
// them, and publicKeys.ts lists their formats for every other rule.
export const PAYMENT_RULES: Rule[] = [
  p('stripe-secret-key', 'Stripe secret key', 'api-key', 'STRIPE_SECRET_KEY', ['sk_live_', 'sk_test_'], '[A-Za-z0-9]{24,99}'),
  p('stripe-restricted-key', 'Stripe restricted key', 'api-key', 'STRIPE_RESTRICTED_KEY', ['rk_live_', 'rk_test_'], '[A-Za-z0-9]{24,99}'),
  p('stripe-webhook-secret', 'Stripe webhook signing secret', 'secret-key', 'STRIPE_WEBHOOK_SECRET', ['whsec_'], '[A-Za-z0-9+/]{32,64}'),
  p('square-access-token', 'Square access token', 'token', 'SQUARE_ACCESS_TOKEN', ['sq0atp-', 'EAAA'], '[A-Za-z0-9_-]{22,60}', { entropy: 3.8 }),
  p('square-oauth-secret', 'Square application secret', 'client-secret', 'SQUARE_APPLICATION_SECRET', ['sq0csp-'], '[A-Za-z0-9_-]{43}'),
  p('braintree-access-token', 'PayPal Braintree access token', 'token', 'BRAINTREE_ACCESS_TOKEN', ['access_token$production$', 'access_token$sandbox$'], `[a-z0-9]{16}\\$${hex(32)}`),
  a('braintree-private-key', 'Braintree private key', 'api-key', 'BRAINTREE_PRIVATE_KEY', ['braintree'], hex(32)),
  a('paypal-client-secret', 'PayPal REST client secret', 'client-secret', 'PAYPAL_CLIENT_SECRET', ['paypal'], '[A-Za-z0-9_-]{80}', { entropy: 4 }),
  a('adyen-api-key', 'Adyen API key', 'api-key', 'ADYEN_API_KEY', ['adyen'], 'AQE[A-Za-z0-9+/=_.-]{80,300}', { entropy: 4 }),
  a('adyen-hmac-key', 'Adyen HMAC key', 'secret-key', 'ADYEN_HMAC_KEY', ['adyen_hmac', 'hmac_key', 'hmackey'], '[A-F0-9]{64}'),
  // Razorpay key ids (rzp_live_/rzp_test_) go to Checkout in the browser: public (publicKeys.ts). The key secret is the credential.
  a('razorpay-secret', 'Razorpay key secret', 'secret-key', 'RAZORPAY_KEY_SECRET', ['razorpay'], alnum(24), { entropy: 3.8 }),
  p('shopify-access-token', 'Shopify access token', 'token', 'SHOPIFY_ACCESS_TOKEN', ['shpat_'], hex(32)),
  p('shopify-custom-app-token', 'Shopify custom app access token', 'token', 'SHOPIFY_ACCESS_TOKEN', ['shpca_'], hex(32)),
  p('shopify-private-app-token', 'Shopify private app access token', 'token', 'SHOPIFY_ACCESS_TOKEN', ['shppa_'], hex(32)),
  p('shopify-shared-secret', 'Shopify shared secret', 'secret-key', 'SHOPIFY_SHARED_SECRET', ['shpss_'], hex(32)),
  p('flutterwave-secret-key', 'Flutterwave secret key', 'api-key', 'FLW_SECRET_KEY', ['FLWSECK_TEST-', 'FLWSECK-'], `${hex(32)}-X`),
  p('flutterwave-encryption-key', 'Flutterwave encryption key', 'secret-key', 'FLW_ENCRYPTION_KEY', ['FLWSECK_TEST', 'FLWSECK'], hex(12), { keywords: ['flwseck'] }),
  a('plaid-secret', 'Plaid secret', 'secret-key', 'PLAID_SECRET', ['plaid'], '[a-f0-9]{30}'),
  p('plaid-access-token', 'Plaid access token', 'token', 'PLAID_ACCESS_TOKEN', ['access-sandbox-', 'access-development-', 'access-production-'], UUID),
  a('gocardless-token', 'GoCardless access token', 'token', 'GOCARDLESS_ACCESS_TOKEN', ['gocardless'], '(?:live|sandbox)_[A-Za-z0-9_=-]{40}'),
  a('mollie-api-key', 'Mollie API key', 'api-key', 'MOLLIE_API_KEY', ['mollie'], '(?:live|test)_[A-Za-z0-9]{30}'),
  a('paystack-secret-key', 'Paystack secret key', 'api-key', 'PAYSTACK_SECRET_KEY', ['paystack'], `sk_(?:live|test)_${hex(40)}`, { priority: 5 }),
  a('checkout-secret-key', 'Checkout.com secret key', 'api-key', 'CKO_SECRET_KEY', ['checkout', 'cko_'], `sk_(?:sbox_)?[a-z0-9]{26}|sk_(?:test_)?${UUID}`, { priority: 5 }),
  a('coinbase-commerce-key', 'Coinbase Commerce API key', 'api-key', 'COINBASE_COMMERCE_API_KEY', ['coinbase'], UUID),
  a('lemonsqueezy-api-key', 'Lemon Squeezy API key', 'api-key', 'LEMONSQUEEZY_API_KEY', ['lemonsqueezy', 'lemon_squeezy'], 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9\\.[A-Za-z0-9_-]{100,1000}\\.[A-Za-z0-9_-]{100,1000}', { priority: 5 }),
  p('xendit-secret-key', 'Xendit secret API key', 'api-key', 'XENDIT_SECRET_KEY', ['xnd_development_', 'xnd_production_'], '[A-Za-z0-9]{40,80}', { entropy: 4 }),
  p('midtrans-server-key', 'Midtrans server key', 'api-key', 'MIDTRANS_SERVER_KEY', ['Mid-server-'], '[A-Za-z0-9_-]{24}', { entropy: 3.8, loose: true }),
  p('mercadopago-access-token', 'Mercado Pago access token', 'token', 'MERCADOPAGO_ACCESS_TOKEN', ['APP_USR-'], `[0-9]{16}-[0-9]{6}-${hex(32)}-[0-9]{6,10}`, { entropy: 3.5 }),
  p('paddle-api-key', 'Paddle API key', 'api-key', 'PADDLE_API_KEY', ['pdl_live_apikey_', 'pdl_sdbx_apikey_'], '[A-Za-z0-9_]{40,90}', { entropy: 4 }),
  p('klarna-api-key', 'Klarna API key', 'api-key', 'KLARNA_API_KEY', ['klarna_live_api_', 'klarna_test_api_'], '[A-Za-z0-9_-]{40,200}', { entropy: 4 }),
  p('cashfree-secret-key', 'Cashfree secret key', 'api-key', 'CASHFREE_SECRET_KEY', ['cfsk_ma_prod_', 'cfsk_ma_test_'], '[A-Za-z0-9_]{40,60}', { entropy: 3.8 }),
  p('aftership-api-key', 'AfterShip API key', 'api-key', 'AFTERSHIP_API_KEY', ['asat_'], hex(32)),
  a('recurly-api-key', 'Recurly private API key', 'api-key', 'RECURLY_API_KEY', ['recurly'], hex(32)),
  a('chargebee-api-key', 'Chargebee API key', 'api-key', 'CHARGEBEE_API_KEY', ['chargebee'], '(?:live|test)_[A-Za-z0-9]{20,40}', { entropy: 3.8 }),
  a('authorizenet-transaction-key', 'Authorize.net transaction key', 'secret-key', 'AUTHORIZENET_TRANSACTION_KEY',
    ['authorizenet', 'authorize_net'], alnum(16), { entropy: 3.5 }),
  a('wise-api-token', 'Wise (TransferWise) API token', 'token', 'WISE_API_TOKEN', ['transferwise', 'wise_api'], UUID),
  a('dwolla-api-secret', 'Dwolla API secret', 'secret-key', 'DWOLLA_SECRET', ['dwolla'], alnum(50), { entropy: 4 }),
  a('instamojo-auth-token', 'Instamojo auth token', 'token', 'INSTAMOJO_AUTH_TOKEN', ['instamojo'], hex(32)),
  a('iyzico-secret-key', 'iyzico secret key', 'secret-key', 'IYZICO_SECRET_KEY', ['iyzico', 'iyzipay'], '(?:sandbox-)?[A-Za-z0-9]{32}', { entropy: 3.8 }),
  a('wechat-pay-api-key', 'WeChat Pay API key', 'secret-key', 'WECHATPAY_API_KEY', ['wechatpay', 'wechat_pay', 'mch_key'], alnum(32), { entropy: 3.8 }),
  a('alipay-private-key', 'Alipay app private key', 'private-key', 'ALIPAY_PRIVATE_KEY',
    ['alipay', 'app_private_key'], 'MII[A-Za-z0-9+/]{600,4000}={0,2}', { entropy: 5 }),
  a('nowpayments-api-key', 'NOWPayments API key', 'api-key', 'NOWPAYMENTS_API_KEY', ['nowpayments'], '[A-Z0-9]{7}-[A-Z0-9]{7}-[A-Z0-9]{7}-[A-Z0-9]{7}', { entropy: 3.5 }),
  a('shipstation-api-secret', 'ShipStation API key or secret', 'secret-key', 'SHIPSTATION_API_SECRET', ['shipstation'], hex(32)),
  a('taxjar-api-token', 'TaxJar API token', 'token', 'TAXJAR_API_KEY', ['taxjar'], hex(32)),
  a('coinbase-api-secret', 'Coinbase API secret', 'secret-key', 'COINBASE_API_SECRET', ['coinbase_api_secret', 'coinbase_secret'], alnum(32), { entropy: 3.8 }),
];
