import { defineCanSourceType } from '../source-type.js';

/** A `candump -L` log replayed as the bus, once or in a loop: see candump-replay-source.ts. */
export const candumpSourceType = defineCanSourceType({
  type: 'candump',
  settings: (T) => ({
    file: T.String({ minLength: 1 }),
    realtime: T.Optional(T.Boolean()),
    loop: T.Optional(T.Boolean()),
  }),
  files: ['file'],
  transmits: false,
  restartsAtEnd: (c) => c.loop === true,
  async load(c) {
    const { CandumpReplaySource } = await import('../candump-replay-source.js');
    // A replayed log stands in for a live bus: frames are stamped with the time they are
    // replayed at.
    return new CandumpReplaySource({
      path: c.file,
      pace: c.realtime ? 'realtime' : 'fast',
      time: 'now',
    });
  },
});
