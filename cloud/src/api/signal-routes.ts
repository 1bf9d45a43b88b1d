import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { catalogue } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';

/** `GET /api/signals`: the signal catalogue — every signal's id, VSS name, unit, meaning. */
export function signalRoutes() {
  return async (app: FastifyInstance) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/signals',
      {
        config: { access: { kind: 'signed-in' } },
        schema: {
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.Integer(),
                name: Type.String(),
                unit: Type.String(),
                description: Type.String(),
              }),
            ),
          },
        },
      },
      async () =>
        catalogue.map(({ id, name, unit, description }) => ({ id, name, unit, description })),
    );
  };
}
