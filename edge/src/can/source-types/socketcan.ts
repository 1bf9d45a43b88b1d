import { defineCanSourceType } from '../source-type.js';

/** A Linux SocketCAN interface, through can-utils: see socketcan-source.ts. */
export const socketcanSourceType = defineCanSourceType({
  type: 'socketcan',
  settings: (T) => ({
    // A Linux interface name: at most 15 characters (IFNAMSIZ 16, with its NUL).
    interface: T.String({ pattern: '^[A-Za-z0-9_.-]{1,15}$' }),
  }),
  files: [],
  transmits: true,
  async load(c) {
    const { SocketCanSource } = await import('../socketcan-source.js');
    return new SocketCanSource({ iface: c.interface });
  },
});
