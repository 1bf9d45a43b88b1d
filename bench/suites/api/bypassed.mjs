// The API's vehicle route on the same server parts as buildApi's, with the access checks
// bypassed: the reference the access-control cost is measured against. Every caller is an
// organisation admin, and the route's vehicle is looked up without checking anything.

import { Registry } from '@fleetline/platform';
import { RequestAccess } from '../../../cloud/dist/access/request-access.js';
import { errorReplies } from '../../../cloud/dist/api/error-replies.js';
import { createHttpServer } from '../../../cloud/dist/api/http-server.js';
import { listRoutes } from '../../../cloud/dist/api/route-list.js';
import { securityHeaders } from '../../../cloud/dist/api/security-headers.js';
import { defaultApiLimits } from '../../../cloud/dist/api/server.js';
import { strictInput } from '../../../cloud/dist/api/strict-input.js';
import { vehicleRoutes } from '../../../cloud/dist/api/vehicle-routes.js';

export async function bypassedApi({ telemetryDb, records, logger }) {
  const app = createHttpServer(defaultApiLimits, logger);
  listRoutes(app);
  strictInput(app);
  errorReplies(app, new Registry());
  securityHeaders(app, []);
  const orgs = await records.listOrganisations();
  const caller = {
    kind: 'token',
    orgId: orgs[0].id,
    grants: orgs.map((o) => ({ role: 'org_admin', orgId: o.id })),
    by: 'bench',
    actor: 'bench',
  };
  app.decorateRequest('access', undefined);
  app.addHook('onRequest', async (request) => {
    request.access = new RequestAccess(caller, records, async () => caller);
  });
  app.addHook('preHandler', async (request) => {
    const { deviceId } = request.params ?? {};
    if (deviceId) request.access.vehicle = await records.getVehicleByDevice(deviceId);
  });
  await app.register(vehicleRoutes(telemetryDb));
  return app;
}
