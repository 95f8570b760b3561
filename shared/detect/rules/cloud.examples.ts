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
};
