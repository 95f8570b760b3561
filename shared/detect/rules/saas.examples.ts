/** Hand-written examples for SaaS and data API rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');

export const SAAS_EXAMPLES: Record<string, Examples> = {
  'clickup-pat': {
    tp: [tp('headers = { Authorization: "', j('pk', '_', '4821930_', fake('', CHARS.upper + CHARS.digits, 32, 'cu1')), '" }')],
    fp: ['const pk_user_id = 12;', 'SELECT pk_4821930_name FROM t'],
  },
  'cloudinary-url': {
    tp: [tp('CLOUDINARY_URL=cloudinary://' + fake('', CHARS.digits, 15, 'cl1') + ':', fake('', CHARS.b64url, 27, 'cl2'), '@acme-media\n', '.env')],
    fp: ['CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>\n', 'cloudinary://123456789012345:${CLOUDINARY_SECRET}@acme'],
  },
  'zapier-webhook-url': {
    tp: [tp('const hook = "https://hooks.zapier.com/hooks/catch/' + fake('', CHARS.digits, 7, 'zp1') + '/', fake('', CHARS.lower + CHARS.digits, 7, 'zp2'), '/";')],
    fp: ['See https://hooks.zapier.com/hooks/catch/ for details', 'const hook = process.env.ZAPIER_HOOK;'],
  },
  'ifttt-webhook-key': {
    tp: [tp('curl -X POST https://maker.ifttt.com/trigger/door_open/with/key/', fake('', CHARS.b64url, 22, 'if1'), '')],
    fp: ['curl -X POST https://maker.ifttt.com/trigger/door_open/with/key/{your_key}'],
  },
  'quicknode-endpoint': {
    tp: [tp('const rpc = "https://sparkling-wild-frog.quiknode.pro/', fake('', CHARS.hex, 40, 'qn'), '/";')],
    fp: ['const rpc = "https://docs.quiknode.pro/ethereum/";', 'const rpc = process.env.QUICKNODE_URL;'],
  },
  'alchemy-endpoint': {
    tp: [tp("const provider = new JsonRpcProvider('https://eth-mainnet.g.alchemy.com/v2/", fake('', CHARS.b64url, 32, 'alc'), "');")],
    fp: ["const provider = new JsonRpcProvider('https://eth-mainnet.g.alchemy.com/v2/' + apiKey);"],
  },
};
