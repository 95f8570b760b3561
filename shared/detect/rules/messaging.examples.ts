/** Hand-written examples for messaging rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');
const uuid = (seed: string): string => {
  const h = fake('', CHARS.hex, 32, seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export const MESSAGING_EXAMPLES: Record<string, Examples> = {
  'slack-webhook-url': {
    tp: [tp(j('url: "https://hooks.', 'slack.com/services/'), j('T', fake('', CHARS.upper + CHARS.digits, 8, 's1'), '/B', fake('', CHARS.upper + CHARS.digits, 8, 's2'), '/', fake('', CHARS.b62, 24, 's3')), '"')],
    fp: [j('url: "https://hooks.', 'slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"')],
  },
  'discord-webhook-url': {
    tp: [tp(j('https://discord.com/api/', 'webhooks/123456789012345678/'), fake('', CHARS.b64url, 68, 'dw'), '\n')],
    fp: ['https://discord.com/api/webhooks/{id}/{token}'],
  },
  'telegram-bot-token': {
    tp: [tp('TELEGRAM_BOT_TOKEN=', j('5', fake('', CHARS.digits, 8, 'tg1'), ':AA', fake('', CHARS.b64url, 33, 'tg2')), '\n')],
    fp: ['time = "12:30:AA"; ratio = 123456789:AAbc'],
  },
  'mailchimp-api-key': {
    tp: [tp('MAILCHIMP_KEY=', j(fake('', CHARS.hex, 32, 'mc'), '-us', '14'), '\n')],
    fp: ['region = "us14"; id = "0123-us1"'],
  },
  'teams-webhook-url': {
    tp: [
      (() => {
        const before = j('https://contoso.webhook.office.com/webhookb2/', uuid('t1'), '@', uuid('t2'), '/IncomingWebhook/');
        return tp(before, j(fake('', CHARS.hex, 32, 't3'), '/', uuid('t4')), '');
      })(),
    ],
    fp: ['https://contoso.webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>'],
  },
  'twitter-bearer-token': {
    tp: [tp('TWITTER_BEARER_TOKEN=', j('A'.repeat(22), fake('', CHARS.b62, 40, 'tw1'), '%3D', fake('', CHARS.b62, 50, 'tw2')), '\n')],
    fp: [`padding = "${'A'.repeat(60)}"`],
  },
  'google-chat-webhook': {
    tp: [tp(j('https://chat.googleapis.com/v1/spaces/AAAA', fake('', CHARS.b62, 7, 'gc1'), '/messages?key=AI', 'za', fake('', CHARS.b64url, 35, 'gc2'), '&token='), fake('', CHARS.b64url, 43, 'gc3') + '%3D', '')],
    fp: ['https://chat.googleapis.com/v1/spaces/AAAA/messages?key=KEY&token=TOKEN'],
  },
  'dingtalk-webhook': {
    tp: [tp('https://oapi.dingtalk.com/robot/send?access_token=', fake('', CHARS.hex, 64, 'ding'), '')],
    fp: ['https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}'],
  },
  'feishu-webhook': {
    tp: [tp('webhook: https://open.feishu.cn/open-apis/bot/v2/hook/', uuid('feishu'), '\n', 'alert.yml')],
    fp: ['webhook: https://open.feishu.cn/open-apis/bot/v2/hook/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n'],
  },
  'wecom-webhook': {
    tp: [tp('url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=', uuid('wecom'), '"')],
    fp: ['url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key'],
  },
};
