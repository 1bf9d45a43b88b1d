import { defineCanSourceType } from '../source-type.js';

/** SLCAN (Lawicel ASCII) over a serial port or USB adapter: see slcan-source.ts. */
export const slcanSourceType = defineCanSourceType({
  type: 'slcan',
  settings: (T) => ({
    path: T.String({ minLength: 1 }),
    baudRate: T.Optional(T.Integer({ minimum: 1200 })),
    bitrate: T.Optional(
      T.Union([10e3, 20e3, 50e3, 100e3, 125e3, 250e3, 500e3, 800e3, 1e6].map((b) => T.Literal(b))),
    ),
    listenOnly: T.Optional(T.Boolean()),
    timestamps: T.Optional(T.Boolean()),
  }),
  files: ['path'],
  transmits: true,
  async load(c) {
    const { SlcanSource } = await import('../slcan-source.js');
    return new SlcanSource({
      path: c.path,
      ...(c.baudRate === undefined ? {} : { baudRate: c.baudRate }),
      ...(c.bitrate === undefined ? {} : { bitrate: c.bitrate }),
      ...(c.listenOnly === undefined ? {} : { listenOnly: c.listenOnly }),
      ...(c.timestamps === undefined ? {} : { timestamps: c.timestamps }),
    });
  },
});
