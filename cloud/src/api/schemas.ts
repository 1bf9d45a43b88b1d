import { Type } from '@fastify/type-provider-typebox';

/** Every error answer of the API: `{ statusCode, error, message, code? }`. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  code: Type.Optional(Type.String()),
});

/** A 400 answer's body. */
export const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message });
