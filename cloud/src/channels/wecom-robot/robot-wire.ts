/**
 * The WeCom (企业微信) group robot's webhook as the adapter and the fake both speak it. Pure.
 *
 * POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY, JSON:
 * `{msgtype: "markdown", markdown: {content}}` (≤ 4,096 bytes of UTF-8) or
 * `{msgtype: "text", text: {content, mentioned_list?, mentioned_mobile_list?}}` (≤ 2,048
 * bytes); only text @-mentions members, by userid or by mobile (`@all`: everyone). Answers
 * are HTTP 200 with `{errcode, errmsg}`, errcode 0 for success; at most 20 messages a minute
 * per robot. The robot gives no message id and has no query API.
 */

export const WECOM_API = 'https://qyapi.weixin.qq.com';
export const WEBHOOK_PATH = '/cgi-bin/webhook/send';

export const CONTENT_LIMIT_BYTES = { text: 2048, markdown: 4096 } as const;
export const ROBOT_MESSAGES_PER_MINUTE = 20;

export type RobotPost =
  | { readonly msgtype: 'markdown'; readonly markdown: { readonly content: string } }
  | {
      readonly msgtype: 'text';
      readonly text: {
        readonly content: string;
        readonly mentioned_list?: readonly string[];
        readonly mentioned_mobile_list?: readonly string[];
      };
    };

export interface RobotAnswer {
  readonly errcode: number;
  readonly errmsg: string;
}

export function webhookUrl(baseUrl: string, key: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}?key=${encodeURIComponent(key)}`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The post for an alert text: markdown, unless members are to be @-mentioned by mobile, which
 * only a text message can do; the markdown is then flattened to plain text (plainTextOf).
 */
export function robotPost(markdown: string, mentionMobiles: readonly string[] = []): RobotPost {
  if (mentionMobiles.length === 0) return { msgtype: 'markdown', markdown: { content: markdown } };
  return {
    msgtype: 'text',
    text: { content: plainTextOf(markdown), mentioned_mobile_list: [...mentionMobiles] },
  };
}

/**
 * The markdown the robot renders (headings, **bold**, `> ` quotes, links, `<font color>`) as
 * plain text, so a text message does not show the markup.
 */
export function plainTextOf(markdown: string): string {
  return markdown
    .replace(/<\/?font[^>]*>/g, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/^ {0,3}#{1,6} +/gm, '')
    .replace(/^ {0,3}> ?/gm, '');
}
