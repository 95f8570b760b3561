/** Hand-written examples for cloud rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');
const b64of = (n: number, seed: string): string => Buffer.from(fake('', CHARS.b62, n, seed)).toString('base64');

const pemBody = (seed: string): string => {
  const raw = fake('', CHARS.b64, 256, seed);
  return raw.match(/.{1,64}/g)!.join('\\n');
};

export const CLOUD_EXAMPLES: Record<string, Examples> = {
  'aws-access-key-id': {
    tp: [tp('aws_access_key_id = ', j('AK', 'IA', fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 'aws1')), '\n', 'credentials')],
    fp: [
      // The AWS documentation key.
      j('aws_access_key_id = AK', 'IAIOSFODNN7', 'EXAMPLE'),
      j('arn = "arn:aws:iam::123456789012:user/AK', 'IA"'),
    ],
  },
  'aws-secret-access-key': {
    tp: [tp('aws_secret_access_key = ', fake('', CHARS.b64, 40, 'aws2'), '\n')],
    fp: [j('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'), 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}'],
  },
  'gcp-service-account-key': {
    tp: [
      tp(
        '{\n  "type": "service_account",\n  "private_key": "',
        j('-----BEGIN ', 'PRIVATE KEY-----\\n', pemBody('gcp'), '\\n-----END ', 'PRIVATE KEY-----\\n'),
        '",\n  "client_email": "svc@proj.iam.gserviceaccount.com"\n}',
        'sa.json',
      ),
    ],
    fp: [j('{ "private_key": "-----BEGIN ', 'PRIVATE KEY-----\\n...\\n-----END ', 'PRIVATE KEY-----\\n" }')],
  },
  'azure-storage-account-key': {
    tp: [tp('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=', b64of(64, 'az1'), ';EndpointSuffix=core.windows.net')],
    fp: ['DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<your-account-key>;'],
  },
  'azure-shared-access-key': {
    tp: [tp('Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=', b64of(32, 'az2'), '')],
    fp: ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${SB_KEY}'],
  },
  'azure-sas-token': {
    tp: [tp('https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=co&sp=r&se=2030-01-01T00:00:00Z&sig=', fake('', CHARS.b62, 43, 'sas') + '%3D', '"')],
    fp: ['https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&sp=r&sig=<signature>"'],
  },
  'azure-ad-client-secret': {
    tp: [tp('AZURE_CLIENT_SECRET="', j(fake('', CHARS.b62, 3, 'ad1'), '8Q~', fake('', CHARS.b62 + '_~.-', 31, 'ad2')), '"')],
    fp: ['const op = "a~b"; // Q~ appears in docs'],
  },
  'terraform-cloud-token': {
    tp: [tp('token = "', j(fake('', CHARS.b62, 14, 'tf1'), '.atlas', 'v1.', fake('', CHARS.b62, 66, 'tf2')), '"')],
    fp: ['credentials "app.terraform.io" { token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }'],
  },
  'yandex-access-token': {
    tp: [tp('iam = "', j('t1.', fake('', CHARS.b62, 40, 'yc1'), '.', fake('', CHARS.b62, 86, 'yc2')), '"')],
    fp: ['t1.start(); t2.stop();'],
  },
  'azure-access-key-connection-string': {
    tp: [
      tp('Endpoint=https://chat.service.signalr.net;AccessKey=', b64of(32, 'sigr'), ';Version=1.0;'),
      tp('endpoint=https://acs.communication.azure.com/;accesskey=', b64of(64, 'acs'), ''),
    ],
    fp: ['Endpoint=https://chat.service.signalr.net;AccessKey=${SIGNALR_KEY};Version=1.0;', 'Endpoint=https://x.service.signalr.net;AuthType=azure.msi;Version=1.0;'],
  },
  'azure-app-configuration-secret': {
    tp: [tp('Endpoint=https://cfg.azconfig.io;Id=Ab1c-l9-s0:Xy12Zw;Secret=', b64of(32, 'appcfg'), '')],
    fp: ['Endpoint=https://cfg.azconfig.io;Id=Ab1c;Secret=<secret>'],
  },
  'azure-redis-connection-password': {
    tp: [tp('cache.redis.cache.windows.net:6380,password=', b64of(32, 'redis'), ',ssl=True,abortConnect=False')],
    fp: ['cache.redis.cache.windows.net:6380,password=${REDIS_KEY},ssl=True'],
  },
  'azure-cosmosdb-key-in-context': {
    tp: [tp("const client = new CosmosClient({ endpoint: 'https://orders.documents.azure.com:443/', key: '", b64of(64, 'cosmos'), "' });")],
    fp: ["const client = new CosmosClient({ endpoint: 'https://orders.documents.azure.com:443/', key: process.env.COSMOS_KEY });"],
  },
  'azure-logic-app-signature': {
    tp: [tp('https://prod-12.westeurope.logic.azure.com:443/workflows/' + fake('', CHARS.hex, 32, 'la1') + '/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=', fake('', CHARS.b64url, 43, 'la2'), '')],
    fp: ['https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01'],
  },
  'gcs-hmac-secret': {
    tp: [tp(j('access_id = "GOO', 'G1E', fake('', CHARS.upper + CHARS.digits, 55, 'gcs1'), '"\nsecret = "'), fake('', CHARS.b64, 40, 'gcs2'), '"')],
    fp: [j('access_id = "GOO', 'G1E', fake('', CHARS.upper + CHARS.digits, 55, 'gcs3'), '"\ncommit = "', fake('', CHARS.hex, 40, 'gcs4'), '"')],
  },
  'aws-secret-access-key-near-id': {
    tp: [
      tp(j('s3 = boto3.client("s3", "AK', 'IA', fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 'awsn1'), '", "'), fake('', CHARS.b64, 40, 'awsn2'), '")'),
      tp('const secret = "', fake('', CHARS.b64, 40, 'awsn3'), j('";\nconst id = "AK', 'IA', fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 'awsn4'), '";')),
    ],
    fp: [
      j('id = "AK', 'IA', fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 'awsn5'), '"\nsha = "', fake('', CHARS.hex, 40, 'awsn6'), '"'),
      j('id = "AK', 'IA', fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 'awsn7'), '"\nsecret = process.env.AWS_SECRET_ACCESS_KEY'),
    ],
  },
  'alibaba-access-key-secret-near-id': {
    tp: [tp(j("const client = new Core({ accessKeyId: 'LT", 'AI', fake('', CHARS.b62, 20, 'ali1'), "', accessKey: '"), fake('', CHARS.b62, 30, 'ali2'), "' });")],
    fp: [j("const client = new Core({ accessKeyId: 'LT", 'AI', fake('', CHARS.b62, 20, 'ali3'), "', accessKey: process.env.ALI_SECRET });")],
  },
  'tencent-cloud-secret-key-near-id': {
    tp: [tp(j('cred = credential.Credential("AK', 'ID', fake('', CHARS.b62, 32, 'tc1'), '", "'), fake('', CHARS.b62, 32, 'tc2'), '")')],
    fp: [j('cred = credential.Credential("AK', 'ID', fake('', CHARS.b62, 32, 'tc3'), '", os.environ["TENCENTCLOUD_SECRET_KEY"])')],
  },
  'ibm-service-credentials-apikey': {
    tp: [tp('{\n  "apikey": "', fake('', CHARS.b64url, 44, 'ibm1'), '",\n  "iam_apikey_description": "Auto-generated for key crn:v1:bluemix",\n  "iam_apikey_name": "Service credentials-1"\n}', 'credentials.json')],
    fp: ['{\n  "apikey": "<apikey>",\n  "iam_apikey_description": "Auto-generated"\n}'],
  },
  'ibm-cos-hmac-secret': {
    tp: [tp('{\n  "cos_hmac_keys": {\n    "access_key_id": "' + fake('', CHARS.hex, 32, 'cos1') + '",\n    "secret_access_key": "', fake('', CHARS.hex, 48, 'cos2'), '"\n  }\n}', 'cos.json')],
    fp: ['{ "cos_hmac_keys": { "access_key_id": "...", "secret_access_key": "..." } }'],
  },
  'kubeconfig-client-key': {
    tp: [tp('users:\n- name: admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTiBDRVJU\n    client-key-data: ', Buffer.from(j('-----BEGIN ', 'RSA PRIVATE KEY-----\n', fake('', CHARS.b64, 200, 'kube'), '\n-----END RSA ', 'PRIVATE KEY-----\n')).toString('base64'), '\n', 'kubeconfig')],
    fp: ['users:\n- name: admin\n  user:\n    client-key-data: ${CLIENT_KEY_DATA}\n', 'users:\n- name: admin\n  user:\n    client-key: /etc/kubernetes/pki/admin.key\n'],
  },
  'akamai-edgegrid-client-secret': {
    tp: [tp('[default]\nclient_secret = ', b64of(32, 'akam'), '\nhost = akab-' + fake('', CHARS.lower + CHARS.digits, 16, 'ak1') + '-' + fake('', CHARS.lower + CHARS.digits, 16, 'ak2') + '.luna.akamaiapis.net\naccess_token = akab-xxxx\n', '.edgerc')],
    fp: ['[default]\nclient_secret = ${AKAMAI_SECRET}\nhost = akab-host.luna.akamaiapis.net\n'],
  },
};
