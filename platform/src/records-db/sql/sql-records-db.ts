import type { AccessBook, ApiTokenRecord, AttemptLimit, SessionRecord } from '../port/access.js';
import type { AlertQuery, RaisedAlert } from '../port/alerts.js';
import type { AuditEntry, AuditQuery } from '../port/audit.js';
import type { Customer, OrganisationKind } from '../port/model.js';
import type { RecordsDb } from '../port/records-db.js';
import type { Grant } from '../port/roles.js';
import type { NewUser } from '../port/users.js';
import type { NewVehicle, VehicleImportRow, VehicleScope } from '../port/vehicles.js';
import { SqlAccess } from './access.js';
import { SqlAlerts } from './alerts.js';
import { SqlAudit } from './audit.js';
import { SqlOrganisations } from './organisations.js';
import type { Sql } from './sql.js';
import { SqlUsers } from './users.js';
import { SqlVehicles } from './vehicles.js';

/**
 * The RecordsDb over a relational database: the books (one module per part of the port, its
 * SQL written once for both dialects) composed over one `Sql`, which the adapter makes and
 * whose failures it has already turned into the port's errors.
 */
export class SqlRecordsDb implements RecordsDb {
  private readonly organisations: SqlOrganisations;
  private readonly users: SqlUsers;
  private readonly vehicles: SqlVehicles;
  private readonly access: SqlAccess;
  private readonly alerts: SqlAlerts;
  private readonly audit: SqlAudit;

  constructor(
    readonly kind: RecordsDb['kind'],
    private readonly sql: Sql,
  ) {
    this.organisations = new SqlOrganisations(sql);
    this.users = new SqlUsers(sql);
    this.vehicles = new SqlVehicles(sql);
    this.access = new SqlAccess(sql);
    this.alerts = new SqlAlerts(sql);
    this.audit = new SqlAudit(sql);
  }

  createOrganisation(input: { name: string; kind: OrganisationKind }) {
    return this.organisations.createOrganisation(input);
  }
  getOrganisation(id: string) {
    return this.organisations.getOrganisation(id);
  }
  listOrganisations() {
    return this.organisations.listOrganisations();
  }
  setOrganisationDisabled(id: string, disabled: boolean) {
    return this.organisations.setOrganisationDisabled(id, disabled);
  }
  createStore(input: { orgId: string; name: string; code: string }) {
    return this.organisations.createStore(input);
  }
  getStore(id: string) {
    return this.organisations.getStore(id);
  }
  listStores(orgId: string) {
    return this.organisations.listStores(orgId);
  }
  setStoreDisabled(id: string, disabled: boolean) {
    return this.organisations.setStoreDisabled(id, disabled);
  }
  createCustomer(input: Omit<Customer, 'id' | 'createdMs'>) {
    return this.organisations.createCustomer(input);
  }
  getCustomer(id: string) {
    return this.organisations.getCustomer(id);
  }
  listCustomers(orgId: string) {
    return this.organisations.listCustomers(orgId);
  }
  createGroup(input: { orgId: string; name: string }) {
    return this.organisations.createGroup(input);
  }
  listGroups(orgId: string) {
    return this.organisations.listGroups(orgId);
  }
  addToGroup(groupId: string, vehicleId: string) {
    return this.organisations.addToGroup(groupId, vehicleId);
  }
  removeFromGroup(groupId: string, vehicleId: string) {
    return this.organisations.removeFromGroup(groupId, vehicleId);
  }

  createUser(input: NewUser) {
    return this.users.createUser(input);
  }
  getUser(id: string) {
    return this.users.getUser(id);
  }
  findUserByLogin(login: string) {
    return this.users.findUserByLogin(login);
  }
  listUsers(orgId: string) {
    return this.users.listUsers(orgId);
  }
  setPassword(userId: string, passwordHash: string, mustChange: boolean) {
    return this.users.setPassword(userId, passwordHash, mustChange);
  }
  setUserDisabled(id: string, disabled: boolean) {
    return this.users.setUserDisabled(id, disabled);
  }
  grantRole(userId: string, grant: Grant) {
    return this.users.grantRole(userId, grant);
  }
  revokeRole(userId: string, grant: Grant) {
    return this.users.revokeRole(userId, grant);
  }
  grantsOf(userId: string) {
    return this.users.grantsOf(userId);
  }

  createVehicle(input: NewVehicle) {
    return this.vehicles.createVehicle(input);
  }
  getVehicle(id: string) {
    return this.vehicles.getVehicle(id);
  }
  getVehicleByDevice(deviceId: string) {
    return this.vehicles.getVehicleByDevice(deviceId);
  }
  getVehicleByVin(vin: string) {
    return this.vehicles.getVehicleByVin(vin);
  }
  listVehicles(scope: VehicleScope) {
    return this.vehicles.listVehicles(scope);
  }
  bindDevice(vehicleId: string, deviceId: string | undefined) {
    return this.vehicles.bindDevice(vehicleId, deviceId);
  }
  shareVehicle(vehicleId: string, storeId: string) {
    return this.vehicles.shareVehicle(vehicleId, storeId);
  }
  unshareVehicle(vehicleId: string, storeId: string) {
    return this.vehicles.unshareVehicle(vehicleId, storeId);
  }
  setVehicleDisabled(id: string, disabled: boolean) {
    return this.vehicles.setVehicleDisabled(id, disabled);
  }
  importVehicles(orgId: string, rows: readonly VehicleImportRow[]) {
    return this.vehicles.importVehicles(orgId, rows);
  }

  createSession(session: SessionRecord) {
    return this.access.createSession(session);
  }
  getSession(idHash: string) {
    return this.access.getSession(idHash);
  }
  takeAttempt(key: string, limit: AttemptLimit, nowMs: number) {
    return this.access.takeAttempt(key, limit, nowMs);
  }
  refundAttempt(key: string, limit: AttemptLimit) {
    return this.access.refundAttempt(key, limit);
  }
  pruneAttempts(beforeMs: number) {
    return this.access.pruneAttempts(beforeMs);
  }
  sessionHolder(idHash: string) {
    return this.access.sessionHolder(idHash);
  }
  tokenHolder(hash: string) {
    return this.access.tokenHolder(hash);
  }
  touchSession(idHash: string, atMs: number) {
    return this.access.touchSession(idHash, atMs);
  }
  deleteSession(idHash: string) {
    return this.access.deleteSession(idHash);
  }
  deleteUserSessions(userId: string) {
    return this.access.deleteUserSessions(userId);
  }
  pruneSessions(idleBeforeMs: number, createdBeforeMs: number) {
    return this.access.pruneSessions(idleBeforeMs, createdBeforeMs);
  }
  createToken(token: Parameters<AccessBook['createToken']>[0]): Promise<ApiTokenRecord> {
    return this.access.createToken(token);
  }
  findToken(hash: string) {
    return this.access.findToken(hash);
  }
  listTokens(orgId: string) {
    return this.access.listTokens(orgId);
  }
  revokeToken(id: string, atMs: number) {
    return this.access.revokeToken(id, atMs);
  }

  recordAlertRaised(alert: RaisedAlert) {
    return this.alerts.recordAlertRaised(alert);
  }
  recordAlertCleared(alertId: string, clearedMs: number) {
    return this.alerts.recordAlertCleared(alertId, clearedMs);
  }
  acknowledgeAlert(alertId: string, by: string, atMs: number) {
    return this.alerts.acknowledgeAlert(alertId, by, atMs);
  }
  resolveAlert(alertId: string, by: string, atMs: number) {
    return this.alerts.resolveAlert(alertId, by, atMs);
  }
  getAlert(alertId: string) {
    return this.alerts.getAlert(alertId);
  }
  listAlerts(query: AlertQuery) {
    return this.alerts.listAlerts(query);
  }

  appendAudit(entry: Omit<AuditEntry, 'id'>) {
    return this.audit.appendAudit(entry);
  }
  listAudit(query: AuditQuery) {
    return this.audit.listAudit(query);
  }

  changeMark() {
    return this.sql.changeMark();
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
