/** Cloud providers and infrastructure platforms. Examples: cloud.examples.ts. */
import { base64Of } from '../validators';
import { alnum, escapeRegex, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a, r } = ruleMakers('cloud');
const DASHES = '-'.repeat(5);
const b64 = (n: number | string): string => `[A-Za-z0-9+/]{${n}}`;

/**
 * Microsoft's identifiable keys: random base64 with a fixed signature at a
 * fixed offset (`+ASt` storage, `ACDb` Cosmos DB, `AzFu` Functions, …), as
 * Microsoft's security-utilities documents them. The signature is the keyword.
 */
function azureKey(id: string, title: string, envVar: string, before: string, signature: string, after: string): Rule {
  const format = `${before}${escapeRegex(signature)}${after}`;
  return r(id, title, 'access-key', envVar, [signature.toLowerCase()],
    new RegExp(`(?<![A-Za-z0-9+/_-])(${format})(?![A-Za-z0-9+/_=-])`), { format, priority: 3 });
}

/**
 * The secret half of a key pair, recognised by sitting within `reach`
 * characters of its key id (`LTAI…`, `AKID…`, `AKIA…`): SDK calls and config
 * blocks that name neither half. `secret` is a delimited value fragment; a
 * secret must mix upper case, lower case and digits.
 */
function nearId(id: string, title: string, envVar: string, idKeywords: string[], secret: string, notId: RegExp, reach = 320): Rule {
  return r(id, title, 'secret-key', envVar, idKeywords,
    new RegExp(`(?<![A-Za-z0-9+/=_-])(${secret})(?![A-Za-z0-9+/=_-])`), {
      multiline: true, span: { before: reach, after: reach }, entropy: 4, confidence: 'medium', priority: -1,
      validators: [(s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && !notId.test(s)],
    });
}

export const CLOUD_RULES: Rule[] = [
  p('aws-access-key-id', 'AWS access key ID', 'access-key-id', 'AWS_ACCESS_KEY_ID', ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'], '[A-Z2-7]{16}', {
    severity: 'warning',
  }),
  a('aws-secret-access-key', 'AWS secret access key', 'secret-key', 'AWS_SECRET_ACCESS_KEY',
    ['aws_secret', 'aws-secret', 'awssecret', 'secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_key'], '[A-Za-z0-9/+]{40}', {
      entropy: 4, confidence: 'high',
    }),
  a('aws-session-token', 'AWS session token', 'token', 'AWS_SESSION_TOKEN', ['aws_session_token', 'session_token', 'sessiontoken', 'security_token'],
    '[A-Za-z0-9/+]{100,1200}={0,2}', { entropy: 4.5 }),
  p('aws-mws-key', 'Amazon MWS auth token', 'token', 'AMAZON_MWS_AUTH_TOKEN', ['amzn.mws.'], UUID),
  p('aws-bedrock-api-key', 'Amazon Bedrock API key', 'api-key', 'AWS_BEARER_TOKEN_BEDROCK', ['ABSK'], '[A-Za-z0-9+/]{109,269}={0,2}', { entropy: 4.5 }),
  r('gcp-service-account-key', 'Google Cloud service account private key', 'private-key', 'GOOGLE_APPLICATION_CREDENTIALS', ['"private_key"', "'private_key'"],
    // Assembled at run time: a literal BEGIN…END pair in the bundle trips packagers' secret scanners (vsce).
    new RegExp(['["\']private_key["\']\\s{0,4}:\\s{0,4}["\'](', DASHES, 'BEGIN (?:RSA )?PRIVATE KEY', DASHES, '(?:\\\\r|\\\\n|[A-Za-z0-9+/=]){64,8192}', DASHES, 'END (?:RSA )?PRIVATE KEY', DASHES, '(?:\\\\r)?(?:\\\\n)?)["\']'].join('')), {
      priority: 5, skipPlaceholderCheck: true,
    }),
  p('gcp-api-key', 'Google API key', 'api-key', 'GOOGLE_API_KEY', ['AIza'], '[A-Za-z0-9_-]{35}', { entropy: 3.5 }),
  p('gcp-oauth-client-secret', 'Google OAuth client secret', 'client-secret', 'GOOGLE_CLIENT_SECRET', ['GOCSPX-'], '[A-Za-z0-9_-]{28}'),
  p('gcp-oauth-access-token', 'Google OAuth access token', 'token', 'GOOGLE_ACCESS_TOKEN', ['ya29.'], '[A-Za-z0-9_-]{30,1024}', { entropy: 4 }),
  r('azure-storage-account-key', 'Azure storage account key', 'access-key', 'AZURE_STORAGE_KEY', ['accountkey'],
    /[Aa]ccount[Kk]ey\s{0,2}=\s{0,2}([A-Za-z0-9+/]{86}==)/, { validators: [base64Of(64)] }),
  a('azure-storage-key-assignment', 'Azure storage account key', 'access-key', 'AZURE_STORAGE_KEY',
    ['azure_storage_key', 'azure_storage_account_key', 'storage_account_key', 'azurestoragekey', 'storagekey'], '[A-Za-z0-9+/]{86}==', {
      validators: [base64Of(64)], confidence: 'high',
    }),
  r('azure-shared-access-key', 'Azure Service Bus / Event Hubs shared access key', 'access-key', 'AZURE_SERVICEBUS_CONNECTION_STRING', ['sharedaccesskey='],
    /SharedAccessKey=([A-Za-z0-9+/]{43}=)/, { validators: [base64Of(32)] }),
  r('azure-sas-token', 'Azure shared access signature', 'token', 'AZURE_SAS_TOKEN', ['sig='],
    /sv=20\d\d-\d\d-\d\d&[^\s"'<>`]{0,400}?sig=([A-Za-z0-9%+/]{40,100}(?:%3D|=)?)/, { entropy: 4 }),
  r('azure-ad-client-secret', 'Azure AD (Entra ID) client secret', 'client-secret', 'AZURE_CLIENT_SECRET', ['q~'],
    /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/, { entropy: 3.5 }),
  a('azure-devops-pat', 'Azure DevOps personal access token', 'token', 'AZURE_DEVOPS_PAT', ['azure_devops', 'azuredevops', 'ado_pat', 'azdo', 'devops_pat', 'vsts'],
    '[a-z2-7]{52}', { entropy: 3.5 }),
  p('azure-devops-pat-v2', 'Azure DevOps personal access token', 'token', 'AZURE_DEVOPS_PAT', [], '[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{3}AZDO[A-Za-z0-9]{4}', {
    keywords: ['jqqj99'], loose: true,
  }),
  p('alibaba-access-key-id', 'Alibaba Cloud AccessKey ID', 'access-key-id', 'ALIBABA_CLOUD_ACCESS_KEY_ID', ['LTAI'], '[A-Za-z0-9]{12,20}', {
    severity: 'warning', entropy: 3,
  }),
  a('alibaba-access-key-secret', 'Alibaba Cloud AccessKey secret', 'secret-key', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    ['alibaba', 'aliyun', 'alicloud', 'access_key_secret', 'accesskeysecret', 'access-key-secret'], alnum(30), { entropy: 3.8 }),
  p('tencent-cloud-secret-id', 'Tencent Cloud SecretId', 'access-key-id', 'TENCENTCLOUD_SECRET_ID', ['AKID'], alnum(32), { severity: 'warning', entropy: 3.8 }),
  a('tencent-cloud-secret-key', 'Tencent Cloud SecretKey', 'secret-key', 'TENCENTCLOUD_SECRET_KEY', ['tencent', 'qcloud'], alnum(32), { entropy: 3.8 }),
  p('digitalocean-pat', 'DigitalOcean personal access token', 'token', 'DIGITALOCEAN_TOKEN', ['dop_v1_'], hex(64)),
  p('digitalocean-oauth-token', 'DigitalOcean OAuth access token', 'token', 'DIGITALOCEAN_ACCESS_TOKEN', ['doo_v1_'], hex(64)),
  p('digitalocean-refresh-token', 'DigitalOcean OAuth refresh token', 'token', 'DIGITALOCEAN_REFRESH_TOKEN', ['dor_v1_'], hex(64)),
  a('heroku-api-key', 'Heroku API key', 'api-key', 'HEROKU_API_KEY', ['heroku'], UUID),
  p('heroku-api-key-v2', 'Heroku API key', 'api-key', 'HEROKU_API_KEY', ['HRKU-AA'], '[0-9A-Za-z_-]{58}'),
  a('cloudflare-api-token', 'Cloudflare API token', 'token', 'CLOUDFLARE_API_TOKEN', ['cloudflare', 'cf_api_token', 'cf_token'], '[A-Za-z0-9_-]{40}', { entropy: 4 }),
  a('cloudflare-global-api-key', 'Cloudflare global API key', 'api-key', 'CLOUDFLARE_API_KEY', ['cloudflare', 'cf_api_key', 'cf_key'], hex(37)),
  p('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', 'api-key', 'CLOUDFLARE_ORIGIN_CA_KEY', ['v1.0-'], `${hex(24)}-${hex(146)}`),
  a('ibm-cloud-api-key', 'IBM Cloud API key', 'api-key', 'IBMCLOUD_API_KEY', ['ibm_cloud', 'ibmcloud', 'ibm_api', 'iam_apikey', 'ibm-cloud', 'ic_api_key'], '[A-Za-z0-9_-]{44}', { entropy: 4 }),
  a('linode-token', 'Linode (Akamai) API token', 'token', 'LINODE_TOKEN', ['linode'], hex(64)),
  a('vultr-api-key', 'Vultr API key', 'api-key', 'VULTR_API_KEY', ['vultr'], '[A-Z0-9]{36}', { entropy: 3.5 }),
  a('scaleway-secret-key', 'Scaleway secret key', 'secret-key', 'SCW_SECRET_KEY', ['scw_secret', 'scaleway'], UUID),
  a('hetzner-cloud-token', 'Hetzner Cloud API token', 'token', 'HCLOUD_TOKEN', ['hcloud', 'hetzner'], alnum(64), { entropy: 4 }),
  p('flyio-token', 'Fly.io access token', 'token', 'FLY_API_TOKEN', ['fo1_'], '[A-Za-z0-9_-]{43}'),
  p('flyio-macaroon', 'Fly.io macaroon token', 'token', 'FLY_API_TOKEN', ['fm2_', 'fm1a_', 'fm1r_'], '[A-Za-z0-9+/]{100,2048}={0,3}', { entropy: 4.5 }),
  a('vercel-token', 'Vercel access token', 'token', 'VERCEL_TOKEN', ['vercel'], alnum(24), { entropy: 3.8 }),
  a('netlify-token', 'Netlify access token', 'token', 'NETLIFY_AUTH_TOKEN', ['netlify'], '(?:nfp_[A-Za-z0-9]{36}|[A-Za-z0-9_-]{43})', { entropy: 3.8 }),
  p('doppler-token', 'Doppler token', 'token', 'DOPPLER_TOKEN', ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.'], '[A-Za-z0-9_.-]{40,60}'),
  p('vault-service-token', 'HashiCorp Vault token', 'token', 'VAULT_TOKEN', ['hvs.', 'hvb.', 'hvr.'], '[A-Za-z0-9_-]{24,200}', { entropy: 4 }),
  r('terraform-cloud-token', 'Terraform Cloud / Enterprise API token', 'token', 'TFE_TOKEN', ['.atlasv1.'],
    /(?<![A-Za-z0-9])([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/),
  p('pulumi-token', 'Pulumi access token', 'token', 'PULUMI_ACCESS_TOKEN', ['pul-'], hex(40)),
  p('planetscale-token', 'PlanetScale service token', 'token', 'PLANETSCALE_SERVICE_TOKEN', ['pscale_tkn_'], '[A-Za-z0-9_.-]{32,64}'),
  p('planetscale-password', 'PlanetScale database password', 'password', 'PLANETSCALE_PASSWORD', ['pscale_pw_'], '[A-Za-z0-9_.-]{32,64}'),
  p('planetscale-oauth-token', 'PlanetScale OAuth token', 'token', 'PLANETSCALE_OAUTH_TOKEN', ['pscale_oauth_'], '[A-Za-z0-9_.-]{32,64}'),
  p('supabase-access-token', 'Supabase access token', 'token', 'SUPABASE_ACCESS_TOKEN', ['sbp_'], hex(40)),
  p('databricks-token', 'Databricks API token', 'token', 'DATABRICKS_TOKEN', ['dapi'], `${hex(32)}(?:-\\d)?`, { entropy: 3 }),
  a('okta-api-token', 'Okta API token', 'token', 'OKTA_API_TOKEN', ['okta'], '00[A-Za-z0-9_-]{40}', { entropy: 4 }),
  p('tailscale-key', 'Tailscale auth or API key', 'api-key', 'TS_AUTHKEY', ['tskey-'], '(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,48}'),
  a('ngrok-authtoken', 'ngrok auth token', 'token', 'NGROK_AUTHTOKEN', ['ngrok'], '[A-Za-z0-9]{25,28}_[A-Za-z0-9]{20,22}', { entropy: 4 }),
  p('infracost-api-key', 'Infracost API key', 'api-key', 'INFRACOST_API_KEY', ['ico-'], alnum(32)),
  a('fastly-api-token', 'Fastly API token', 'token', 'FASTLY_API_TOKEN', ['fastly'], '[A-Za-z0-9_-]{32}', { entropy: 3.8 }),
  p('render-api-key', 'Render API key', 'api-key', 'RENDER_API_KEY', ['rnd_'], alnum(32)),
  p('yandex-api-key', 'Yandex Cloud API key', 'api-key', 'YC_API_KEY', ['AQVN'], '[A-Za-z0-9_-]{35,38}'),
  p('yandex-access-token', 'Yandex Cloud IAM token', 'token', 'YC_IAM_TOKEN', ['t1.'], '[A-Z0-9a-z_-]+[=]{0,2}\\.[A-Z0-9a-z_-]{86}[=]{0,2}', { entropy: 4 }),
  a('oracle-cloud-auth-token', 'Oracle Cloud auth token', 'token', 'OCI_AUTH_TOKEN', ['oci_auth', 'oracle_cloud', 'oci_token'], '[A-Za-z0-9+_.:;()<>[\\]{}-]{20}', { entropy: 3.5 }),
  a('openstack-password', 'OpenStack password', 'password', 'OS_PASSWORD', ['os_password'], '[^\\s"\'`$]{8,128}', { entropy: 2.5 }),
  p('firebase-cloud-messaging-key', 'Firebase Cloud Messaging server key', 'api-key', 'FCM_SERVER_KEY', ['AAAA'], '[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}', {
    keywords: ['apa91b'],
  }),
  // ---- Microsoft Azure: identifiable keys (fixed signature, see azureKey) ----
  azureKey('azure-storage-identifiable-key', 'Azure storage account key', 'AZURE_STORAGE_KEY', b64(76), '+ASt', `${b64(5)}[AQgw]==`),
  azureKey('azure-cosmosdb-identifiable-key', 'Azure Cosmos DB key', 'AZURE_COSMOS_KEY', b64(76), 'ACDb', `${b64(5)}[AQgw]==`),
  azureKey('azure-batch-identifiable-key', 'Azure Batch account key', 'AZURE_BATCH_KEY', b64(76), '+ABa', `${b64(5)}[AQgw]==`),
  azureKey('azure-ml-identifiable-key', 'Azure Machine Learning web service key', 'AZURE_ML_KEY', b64(76), '+AMC', `${b64(5)}[AQgw]==`),
  azureKey('azure-apim-identifiable-key', 'Azure API Management key', 'AZURE_APIM_KEY', b64(76), 'APIM', `${b64(5)}[AQgw]==`),
  azureKey('azure-function-identifiable-key', 'Azure Functions access key', 'AZURE_FUNCTION_KEY', '[A-Za-z0-9_-]{44}', 'AzFu', '[A-Za-z0-9_-]{5}[AQgw]=='),
  azureKey('azure-search-identifiable-key', 'Azure AI Search key', 'AZURE_SEARCH_KEY', alnum(42), 'AzSe', `[A-D]${alnum(5)}`),
  azureKey('azure-container-registry-identifiable-key', 'Azure Container Registry key', 'AZURE_ACR_PASSWORD', b64(42), '+ACR', `[A-D]${b64(5)}`),
  azureKey('azure-relay-identifiable-key', 'Azure Relay key', 'AZURE_RELAY_KEY', b64(33), '+ARm', `[A-P]${b64(5)}=`),
  azureKey('azure-event-hubs-identifiable-key', 'Azure Event Hubs key', 'AZURE_EVENTHUB_KEY', b64(33), '+AEh', `[A-P]${b64(5)}=`),
  azureKey('azure-service-bus-identifiable-key', 'Azure Service Bus key', 'AZURE_SERVICEBUS_KEY', b64(33), '+ASb', `[A-P]${b64(5)}=`),
  azureKey('azure-iot-identifiable-key', 'Azure IoT Hub / device key', 'AZURE_IOT_KEY', b64(33), 'AIoT', `[A-P]${b64(5)}=`),
  azureKey('azure-cache-redis-identifiable-key', 'Azure Cache for Redis key', 'AZURE_REDIS_KEY', b64(33), 'AzCa', `[A-P]${b64(5)}=`),
  azureKey('azure-event-grid-identifiable-key', 'Azure Event Grid key', 'AZURE_EVENTGRID_KEY', b64(33), 'AZEG', `[A-P]${b64(5)}=`),
  // ---- Microsoft Azure: keys in connection strings and URLs ----
  r('azure-access-key-connection-string', 'Azure SignalR / Web PubSub / Communication Services access key', 'access-key', 'AZURE_CONNECTION_STRING', ['accesskey='],
    /[Ee]ndpoint=[^;\s"'`]{1,200};\s{0,2}[Aa]ccess[Kk]ey=([A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=)/, { validators: [(s) => base64Of(32)(s) || base64Of(64)(s)] }),
  r('azure-app-configuration-secret', 'Azure App Configuration connection secret', 'secret-key', 'AZURE_APPCONFIG_CONNECTION_STRING', ['azconfig.io'],
    /[Ee]ndpoint=https:\/\/[A-Za-z0-9.-]{1,100}\.azconfig\.io;\s{0,2}Id=[^;\s"'`]{1,80};\s{0,2}Secret=([A-Za-z0-9+/]{43}=)/, { validators: [base64Of(32)] }),
  // The regex runs only over lines holding the host (the keyword), so it need not spell the host out.
  r('azure-redis-connection-password', 'Azure Cache for Redis password', 'password', 'AZURE_REDIS_CONNECTION_STRING', ['redis.cache.windows.net'],
    /(?<![A-Za-z])[Pp]assword=([A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/, { validators: [base64Of(32), (_s, m) => m.input.includes('.redis.cache.windows.net')] }),
  r('azure-cosmosdb-key-in-context', 'Azure Cosmos DB key', 'access-key', 'AZURE_COSMOS_KEY', ['documents.azure.com'],
    /(?<![A-Za-z0-9+/=])([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/, {
      multiline: true, span: { before: 400, after: 400 }, validators: [base64Of(64)], priority: -1,
    }),
  r('azure-logic-app-signature', 'Azure Logic Apps / Teams workflow trigger signature', 'webhook', 'AZURE_WORKFLOW_URL', ['logic.azure.com'],
    /https:\/\/[A-Za-z0-9.-]{1,100}\.logic\.azure\.com(?::443)?\/workflows\/[a-f0-9]{32}\/triggers\/[^\s"'`?]{1,100}\?[^\s"'`]{0,300}?&sig=([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/, { entropy: 4 }),
  a('azure-openai-api-key', 'Azure OpenAI API key', 'api-key', 'AZURE_OPENAI_API_KEY', ['azure_openai', 'azure-openai'], hex(32)),
  a('azure-cognitive-services-key', 'Azure AI services subscription key', 'api-key', 'AZURE_AI_KEY',
    ['cognitiveservices', 'ocp-apim-subscription', 'ocp_apim_subscription', 'azure_speech'], hex(32)),
  a('azure-search-admin-key', 'Azure AI Search admin key', 'api-key', 'AZURE_SEARCH_KEY', ['azure_search', 'search_admin_key'], '[A-F0-9]{32}'),
  // ---- Google Cloud ----
  p('gcp-oauth-refresh-token', 'Google OAuth refresh token', 'token', 'GOOGLE_REFRESH_TOKEN', ['1//0'], '[A-Za-z0-9_-]{40,400}', { entropy: 4 }),
  p('gcs-hmac-access-id', 'Google Cloud Storage HMAC access id', 'access-key-id', 'GCS_HMAC_ACCESS_ID', ['GOOG1'], '[A-Z0-9]{56}', { severity: 'warning', entropy: 3.5 }),
  nearId('gcs-hmac-secret', 'Google Cloud Storage HMAC secret', 'GCS_HMAC_SECRET', ['goog1'], b64(40), /^GOOG/),
  a('firebase-database-secret', 'Firebase Realtime Database secret', 'secret-key', 'FIREBASE_DATABASE_SECRET',
    ['firebase_secret', 'firebase_database_secret'], alnum(40), { entropy: 4 }),
  // ---- AWS, Alibaba Cloud, Tencent Cloud: the secret half next to its key id ----
  nearId('aws-secret-access-key-near-id', 'AWS secret access key', 'AWS_SECRET_ACCESS_KEY', ['akia'], b64(40), /^(?:AKIA|ASIA)/),
  nearId('alibaba-access-key-secret-near-id', 'Alibaba Cloud AccessKey secret', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', ['ltai'], alnum(30), /^LTAI/),
  nearId('tencent-cloud-secret-key-near-id', 'Tencent Cloud SecretKey', 'TENCENTCLOUD_SECRET_KEY', ['akid'], alnum(32), /^AKID/),
  p('aws-appsync-api-key', 'AWS AppSync API key', 'api-key', 'APPSYNC_API_KEY', ['da2-'], '[a-z0-9]{26}', { entropy: 3.5 }),
  // ---- IBM Cloud ----
  r('ibm-service-credentials-apikey', 'IBM Cloud service credentials API key', 'api-key', 'IBMCLOUD_API_KEY', ['iam_apikey_description', 'iam_serviceid_crn', 'iam_apikey_name'],
    /"apikey"\s{0,4}:\s{0,4}"([A-Za-z0-9_-]{44})"/, { multiline: true, span: { before: 2048, after: 2048 }, entropy: 4 }),
  r('ibm-cos-hmac-secret', 'IBM Cloud Object Storage HMAC secret key', 'secret-key', 'COS_HMAC_SECRET_ACCESS_KEY', ['cos_hmac_keys'],
    /"secret_access_key"\s{0,4}:\s{0,4}"([a-f0-9]{48})"/, { multiline: true, span: { before: 0, after: 512 } }),
  a('ibm-cos-hmac-secret-assignment', 'IBM Cloud Object Storage HMAC secret key', 'secret-key', 'COS_HMAC_SECRET_ACCESS_KEY',
    ['cos_hmac', 'cos_secret'], hex(48)),
  // ---- Other clouds ----
  a('huawei-cloud-access-key', 'Huawei Cloud access key id', 'access-key-id', 'HUAWEICLOUD_SDK_AK', ['huawei', 'hwcloud'], '[A-Z0-9]{20}', { severity: 'warning', entropy: 3.2 }),
  a('huawei-cloud-secret-key', 'Huawei Cloud secret access key', 'secret-key', 'HUAWEICLOUD_SDK_SK', ['huawei', 'hwcloud'], alnum(40), { entropy: 4 }),
  a('baidu-cloud-secret-key', 'Baidu AI Cloud secret access key', 'secret-key', 'BCE_SECRET_ACCESS_KEY', ['baidu_secret', 'bce_secret'], hex(32)),
  p('volcengine-access-key-id', 'Volcengine access key id', 'access-key-id', 'VOLCENGINE_ACCESS_KEY', ['AKLT'], '[A-Za-z0-9]{40,48}', { severity: 'warning', entropy: 4 }),
  a('volcengine-secret-key', 'Volcengine secret access key', 'secret-key', 'VOLCENGINE_SECRET_KEY', ['volcengine', 'volc_secret'], '[A-Za-z0-9+/]{40,80}={0,2}', { entropy: 4.2 }),
  p('jdcloud-access-key-id', 'JD Cloud access key id', 'access-key-id', 'JDCLOUD_ACCESS_KEY', ['JDC_'], '[A-F0-9]{28}', { severity: 'warning' }),
  a('jdcloud-secret-key', 'JD Cloud secret key', 'secret-key', 'JDCLOUD_SECRET_KEY', ['jdcloud', 'jd_cloud'], '[A-F0-9]{32}'),
  p('scaleway-access-key', 'Scaleway access key', 'access-key-id', 'SCW_ACCESS_KEY', ['SCW'], '[A-Z0-9]{17}', { severity: 'warning', entropy: 3 }),
  p('digitalocean-spaces-key-id', 'DigitalOcean Spaces access key', 'access-key-id', 'SPACES_ACCESS_KEY_ID', ['DO00'], '[A-Z0-9]{16}', { severity: 'warning', entropy: 3 }),
  a('digitalocean-spaces-secret', 'DigitalOcean Spaces secret key', 'secret-key', 'SPACES_SECRET_ACCESS_KEY',
    ['spaces_secret', 'spaces_access_secret'], b64(43), { entropy: 4 }),
  a('ovh-application-secret', 'OVHcloud application secret or consumer key', 'secret-key', 'OVH_APPLICATION_SECRET',
    ['ovh_application_secret', 'ovh_consumer_key'], alnum(32), { entropy: 3.8 }),
  p('exoscale-api-key', 'Exoscale API key', 'access-key-id', 'EXOSCALE_API_KEY', ['EXO'], hex(24), { severity: 'warning', entropy: 3.2 }),
  a('exoscale-api-secret', 'Exoscale API secret', 'secret-key', 'EXOSCALE_API_SECRET', ['exoscale'], '[A-Za-z0-9_-]{43}', { entropy: 4 }),
  p('scalingo-api-token', 'Scalingo API token', 'token', 'SCALINGO_API_TOKEN', ['tk-us-'], '[A-Za-z0-9_-]{48}', { entropy: 3.8 }),
  a('railway-token', 'Railway API token', 'token', 'RAILWAY_TOKEN', ['railway_token', 'railway_api_token'], UUID),
  p('netlify-pat', 'Netlify personal access token', 'token', 'NETLIFY_AUTH_TOKEN', ['nfp_'], alnum(36), { entropy: 3.8 }),
  // Supabase publishable keys (sb_publishable_) are public: see publicKeys.ts.
  p('supabase-secret-key', 'Supabase secret API key', 'api-key', 'SUPABASE_SECRET_KEY', ['sb_secret_'], '[A-Za-z0-9_-]{31,64}', { entropy: 3.8 }),
  p('neon-api-key', 'Neon API key', 'api-key', 'NEON_API_KEY', ['napi_'], '[a-z0-9]{64}', { entropy: 3.8 }),
  a('upstash-token', 'Upstash REST token', 'token', 'UPSTASH_REDIS_REST_TOKEN', ['upstash'], '[A-Za-z0-9_=-]{40,120}', { entropy: 4 }),
  a('vault-legacy-token', 'HashiCorp Vault token (legacy format)', 'token', 'VAULT_TOKEN', ['vault_token', 'vault-token'],
    's\\.[A-Za-z0-9]{24}', { entropy: 3.5, validators: [(s) => /[0-9]/.test(s)] }),
  a('hcp-client-secret', 'HashiCorp Cloud Platform client secret', 'client-secret', 'HCP_CLIENT_SECRET', ['hcp_client_secret'], alnum(64), { entropy: 4 }),
  p('openshift-user-token', 'OpenShift user token', 'token', 'OPENSHIFT_TOKEN', ['sha256~'], '[A-Za-z0-9_-]{43}', { entropy: 3.5 }),
  r('kubeconfig-client-key', 'Kubernetes client key in a kubeconfig', 'private-key', 'KUBECONFIG_CLIENT_KEY', ['client-key-data'],
    // Base64 of a PEM block: it always starts with the encoding of the five dashes and BEGIN.
    /client-key-data"?\s{0,4}:\s{0,4}["']?(LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,16384}={0,2})/, { skipPlaceholderCheck: true }),
  r('akamai-edgegrid-client-secret', 'Akamai EdgeGrid client secret', 'client-secret', 'AKAMAI_CLIENT_SECRET', ['akab-'],
    /client_secret\s{0,4}[=:]\s{0,4}["']?([A-Za-z0-9+/]{43}=)/, { multiline: true, span: { before: 600, after: 600 }, validators: [base64Of(32)] }),
  p('akamai-client-token', 'Akamai EdgeGrid client or access token', 'token', 'AKAMAI_CLIENT_TOKEN', ['akab-'], '[a-z0-9]{16}-[a-z0-9]{16}', { severity: 'warning', entropy: 3.5 }),
  a('cloudflare-access-client-secret', 'Cloudflare Access service token secret', 'client-secret', 'CF_ACCESS_CLIENT_SECRET',
    ['cf-access-client-secret', 'cf_access_client_secret'], hex(64)),
];
