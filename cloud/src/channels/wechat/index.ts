export { FakeWeChatServer, type FakeWeChatServerOptions } from './fake/fake-wechat-server.js';
export {
  type QrCodeResult,
  WeChatClient,
  type WeChatClientOptions,
} from './wechat-client.js';
export type { QrCodeOptions } from './wechat-requests.js';
export {
  WeChatTemplateChannel,
  type WeChatTemplateChannelOptions,
} from './wechat-template-channel.js';
