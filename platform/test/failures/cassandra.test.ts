import cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { classifyCassandraFailure } from '../../src/failures/cassandra.js';

/** cassandra-driver's failures, each as the driver raises it, and what they mean for a caller. */

const { errors } = cassandra;
const codes = cassandra.types.responseErrorCodes;
/** The driver raises its connection errors as plain DriverErrors (typed abstract). */
const DriverError = errors.DriverError as unknown as new (message: string) => Error;
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:9042'), { code: 'ECONNREFUSED' });

describe('classifyCassandraFailure', () => {
  it.each([
    ['overloaded', codes.overloaded],
    ['isBootstrapping', codes.isBootstrapping],
    ['unavailableException', codes.unavailableException],
    ['writeTimeout', codes.writeTimeout],
    ['readTimeout', codes.readTimeout],
    ['readFailure', codes.readFailure],
    ['writeFailure', codes.writeFailure],
    ['serverError', codes.serverError],
    ['truncateError', codes.truncateError],
  ])('should retry a %s response', (name, code) => {
    const f = classifyCassandraFailure(new errors.ResponseError(code, 'node says no'));
    expect(f).toEqual({ retryable: true, code: name, reason: `${name}: node says no` });
  });

  it.each([
    ['invalid', codes.invalid],
    ['syntaxError', codes.syntaxError],
    ['configError', codes.configError],
    ['alreadyExists', codes.alreadyExists],
    ['protocolError', codes.protocolError],
    ['functionFailure', codes.functionFailure],
  ])('should not retry a %s response', (name, code) => {
    const f = classifyCassandraFailure(new errors.ResponseError(code, 'table x does not exist'));
    expect(f.retryable).toBe(false);
    expect(f.code).toBe(name);
    expect(f.reason).toBe(`${name}: table x does not exist`);
  });

  it('should not retry refused credentials or a missing permission, and name the settings', () => {
    const bad = classifyCassandraFailure(
      new errors.ResponseError(
        codes.badCredentials,
        'Provided username u and/or password are incorrect',
      ),
    );
    expect(bad.retryable).toBe(false);
    expect(bad.reason).toMatch(/CASSANDRA_USERNAME and CASSANDRA_PASSWORD/);
    const auth = classifyCassandraFailure(
      new errors.AuthenticationError('Authentication provider not set'),
    );
    expect(auth.retryable).toBe(false);
    expect(auth.reason).toMatch(/refused the credentials \(Authentication provider not set\)/);
    const denied = classifyCassandraFailure(
      new errors.ResponseError(codes.unauthorized, 'User u has no MODIFY permission'),
    );
    expect(denied).toMatchObject({ retryable: false, code: 'unauthorized' });
    expect(denied.reason).toMatch(/grant the role of CASSANDRA_USERNAME/);
  });

  it('should retry timeouts, busy connections and connections refused', () => {
    expect(
      classifyCassandraFailure(new errors.OperationTimedOutError('no answer', '10.0.0.7:9042'))
        .retryable,
    ).toBe(true);
    expect(
      classifyCassandraFailure(new errors.BusyConnectionError('10.0.0.7:9042', 2048, 1)).retryable,
    ).toBe(true);
    expect(classifyCassandraFailure(refused())).toMatchObject({
      retryable: true,
      code: 'ECONNREFUSED',
    });
    expect(classifyCassandraFailure(new DriverError('Socket was closed')).retryable).toBe(true);
  });

  it('should judge "no host available" by the failures of the hosts tried', () => {
    const down = new errors.NoHostAvailableError({
      '10.0.0.7:9042': refused(),
      '10.0.0.8:9042': refused(),
    });
    const f = classifyCassandraFailure(down);
    expect(f.retryable).toBe(true);
    expect(f.reason).toMatch(/no Cassandra node answered \(10\.0\.0\.7:9042: connect ECONNREFUSED/);
    expect(classifyCassandraFailure(new errors.NoHostAvailableError({})).retryable).toBe(true);
    // Every node refusing the credentials: waiting does not help.
    const creds = new errors.NoHostAvailableError({
      '10.0.0.7:9042': new errors.AuthenticationError('Bad credentials'),
      '10.0.0.8:9042': new errors.AuthenticationError('Bad credentials'),
    });
    expect(classifyCassandraFailure(creds)).toMatchObject({ retryable: false });
    // One node down, one refusing: the down one may come back.
    const mixed = new errors.NoHostAvailableError({
      '10.0.0.7:9042': refused(),
      '10.0.0.8:9042': new errors.AuthenticationError('Bad credentials'),
    });
    expect(classifyCassandraFailure(mixed).retryable).toBe(true);
  });

  it('should not retry a value or argument the driver refuses, nor an unknown error', () => {
    expect(classifyCassandraFailure(new TypeError("Expected Number, obtained 'x'")).retryable).toBe(
      false,
    );
    expect(classifyCassandraFailure(new errors.ArgumentError('bad')).retryable).toBe(false);
    expect(classifyCassandraFailure(new Error('something else'))).toEqual({
      retryable: false,
      reason: 'something else',
    });
  });

  it('should not retry a certificate the client does not trust, naming the CA setting', () => {
    const tls = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    const f = classifyCassandraFailure(new errors.NoHostAvailableError({ '10.0.0.7:9042': tls }));
    expect(f.retryable).toBe(false);
    expect(f.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(f.reason).toMatch(/not trusted .*set CASSANDRA_TLS_CA_FILE/);
  });
});
