export type { FakeSmsRecord } from './fake/fake-status-pull.js';
export {
  type FakeTencentSmsOptions,
  FakeTencentSmsServer,
} from './fake/fake-tencent-sms-server.js';
export {
  type InDoubtSend,
  type InDoubtSendStore,
  MemoryInDoubtSendStore,
} from './in-doubt-sends.js';
export { smsApiVersion, smsProductionUrl } from './sms-wire.js';
export { tc3Authorization, tc3Sign } from './tc3-signing.js';
export { TencentSmsAlertChannel, type TencentSmsChannelOptions } from './tencent-sms-channel.js';
