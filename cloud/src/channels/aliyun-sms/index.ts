export {
  ALIYUN_SMS_URL,
  AliyunSmsChannel,
  type AliyunSmsChannelOptions,
} from './aliyun-sms-channel.js';
export {
  type AttemptedSend,
  type AttemptedSends,
  InMemoryAttemptedSends,
} from './attempted-sends.js';
export { type FakeAliyunSmsOptions, FakeAliyunSmsServer } from './fake/fake-aliyun-sms-server.js';
export {
  type FakeSmsRecord,
  type NumberLimits,
  verificationCodeLimits,
} from './fake/fake-send-log.js';
export type { FakeTemplate } from './fake/fake-send-sms.js';
