import type { InputFactory, ReadingInput } from './agent.js';
import { canInput } from './can-input.js';

/** Builds the inputs the config asks for. */
export const buildInputs: InputFactory = async (config, ctx) => {
  const inputs: ReadingInput[] = [];
  if (config.can) inputs.push(await canInput(config, ctx));
  return inputs;
};
