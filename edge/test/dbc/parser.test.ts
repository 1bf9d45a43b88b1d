import { describe, expect, it } from 'vitest';
import { parseDbc } from '../../src/dbc/parser.js';
import { dbc, fixtureNames, fixtureText, loadFixture } from './helpers.js';

describe('parseDbc on the fixture files', () => {
  it('should find all eight fixture files', () => {
    expect(fixtureNames).toEqual([
      '_toyota_2017.dbc',
      'acura_ilx_2016_nidec.dbc',
      'floating_point.dbc',
      'gm_global_a_high_voltage_management.dbc',
      'hyundai_2015_ccan.dbc',
      'multiplex_2.dbc',
      'signed.dbc',
      'tesla_can.dbc',
    ]);
  });

  it.each([
    ['_toyota_2017.dbc', 50, 310],
    ['acura_ilx_2016_nidec.dbc', 36, 69],
    ['floating_point.dbc', 2, 3],
    ['gm_global_a_high_voltage_management.dbc', 12, 125],
    ['hyundai_2015_ccan.dbc', 113, 1154],
    ['multiplex_2.dbc', 4, 19],
    ['signed.dbc', 11, 18],
    ['tesla_can.dbc', 44, 572],
  ])('should load %s with %i messages and %i signals', (name, messages, signals) => {
    const db = loadFixture(name);
    expect(db.messages).toHaveLength(messages);
    expect(db.messages.reduce((n, m) => n + m.signals.length, 0)).toBe(signals);
  });

  it('should count SG_ lines in each file the same as the parsed signals', () => {
    for (const name of fixtureNames) {
      const sgLines = fixtureText(name)
        .split(/\r?\n/)
        .filter((l) => /^\s*SG_ /.test(l)).length;
      const db = loadFixture(name);
      expect(
        db.messages.reduce((n, m) => n + m.signals.length, 0),
        name,
      ).toBe(sgLines);
    }
  });

  it('should load the overlapping PCS_HUD signals of the Toyota file and warn about them', () => {
    const db = loadFixture('_toyota_2017.dbc');
    const hud = db.messages.find((m) => m.name === 'PCS_HUD');
    expect(hud?.signals.map((s) => s.name)).toContain('SET_ME_X10');
    expect(db.warnings.map((w) => w.message)).toEqual([
      'BO_ PCS_HUD: signals PCS_DUST and SET_ME_X10 overlap',
      'BO_ PCS_HUD: signals PCS_TEMP and SET_ME_X10 overlap',
      'BO_ PCS_HUD: signals FRD_ADJ and PCS_SENSITIVITY overlap',
    ]);
  });

  it('should read a signal definition field by field', () => {
    const db = loadFixture('_toyota_2017.dbc');
    const steer = db.messages.find((m) => m.id === 37);
    expect(steer?.name).toBe('STEER_ANGLE_SENSOR');
    expect(steer?.length).toBe(8);
    expect(steer?.extended).toBe(false);
    const angle = steer?.signals[0];
    expect(angle).toMatchObject({
      name: 'STEER_ANGLE',
      startBit: 3,
      length: 12,
      byteOrder: 'big_endian',
      signed: true,
      valueType: 'integer',
      scale: 1.5,
      offset: 0,
      minimum: -500,
      maximum: 500,
      unit: 'deg',
      receivers: ['XXX'],
      muxIndicator: '',
      isMultiplexer: false,
      multiplexedBy: undefined,
    });
    expect(
      db.messages.find((m) => m.id === 36)?.signals.find((s) => s.name === 'YAW_RATE')?.comment,
    ).toBe('verify');
  });

  it('should mark bit 31 of a BO_ id as an extended frame and keep the 29-bit id', () => {
    const db = loadFixture('multiplex_2.dbc');
    const shared = db.messages.find((m) => m.name === 'Shared');
    expect(shared).toMatchObject({ id: 0x0c02fefe, extended: true, dbcId: 2349006590 });
  });

  it('should read CRLF files (the cantools fixtures) like LF files', () => {
    expect(fixtureText('signed.dbc')).toContain('\r\n');
    const lf = parseDbc(fixtureText('signed.dbc').replaceAll('\r\n', '\n'), 'signed.dbc');
    const crlf = loadFixture('signed.dbc');
    expect(crlf.messages).toEqual(lf.messages);
  });

  it('should add BO_TX_BU_ senders after the BO_ transmitter', () => {
    const db = loadFixture('acura_ilx_2016_nidec.dbc');
    expect(db.messages.find((m) => m.id === 768)?.senders).toEqual(['ADAS', 'NEO']);
  });

  it('should keep VAL_ tables on their signals and VAL_TABLE_ tables by name', () => {
    const db = loadFixture('tesla_can.dbc');
    const stw = db.messages.find((m) => m.id === 3);
    const stat = stw?.signals.find((s) => s.name === 'StW_AnglSens_Stat');
    expect([...(stat?.valueTable ?? [])]).toEqual([
      [2, 'ERR'],
      [3, 'ERR_INI'],
      [1, 'INI'],
      [0, 'OK'],
    ]);
    expect(db.valueTables.get('StW_AnglHP_Spd')?.get(16383)).toBe('SNA');
  });

  it('should warn about a VAL_ naming a signal its message does not have', () => {
    const db = loadFixture('tesla_can.dbc');
    expect(db.warnings).toEqual([
      {
        line: 783,
        message:
          'VAL_ refers to signal UI_mapSpeedLimit of BO_ UI_driverAssistRoadSign, which is not defined; ignored',
      },
    ]);
  });

  it('should read node comments and the multi-line BU_ list', () => {
    const gm = loadFixture('gm_global_a_high_voltage_management.dbc');
    expect(gm.nodes.find((n) => n.name === 'K16_BECM')?.comment).toBe(
      'Battery Energy Control Module',
    );
    const tesla = loadFixture('tesla_can.dbc');
    expect(tesla.nodes.slice(0, 3).map((n) => n.name)).toEqual(['NEO', 'MCU', 'GTW']);
  });

  it('should mark SIG_VALTYPE_ 1 signals float32 and 2 float64', () => {
    const db = loadFixture('floating_point.dbc');
    expect(db.messages.map((m) => m.signals.map((s) => [s.name, s.valueType]))).toEqual([
      [['Signal1', 'float64']],
      [
        ['Signal2', 'float32'],
        ['Signal1', 'float32'],
      ],
    ]);
  });

  it('should resolve simple multiplexing, unioning m<k> with SG_MUL_VAL_ ranges like cantools', () => {
    const db = loadFixture('multiplex_2.dbc');
    const shared = db.messages.find((m) => m.name === 'Shared')!;
    const byName = Object.fromEntries(shared.signals.map((s) => [s.name, s]));
    expect(byName.S0?.isMultiplexer).toBe(true);
    expect(byName.S0?.multiplexedBy).toBeUndefined();
    expect(byName.S1?.multiplexedBy).toEqual({
      switchName: 'S0',
      ranges: [
        { from: 1, to: 1 },
        { from: 1, to: 1 },
        { from: 3, to: 3 },
      ],
    });
    expect(byName.S2?.multiplexedBy?.ranges).toEqual([
      { from: 2, to: 2 },
      { from: 2, to: 5 },
    ]);
  });

  it('should resolve extended multiplexing from SG_MUL_VAL_ with nested switches', () => {
    const db = loadFixture('multiplex_2.dbc');
    const tree = (name: string) =>
      Object.fromEntries(
        db.messages
          .find((m) => m.name === name)!
          .signals.map((s) => [
            s.name,
            s.multiplexedBy
              ? `${s.multiplexedBy.switchName}=${s.multiplexedBy.ranges.map((r) => `${r.from}-${r.to}`)}`
              : '',
          ]),
      );
    // cantools' signal_tree for these messages (tests/test_database.py, test_multiplex_2).
    expect(tree('Extended')).toEqual({
      S0: '',
      S1: 'S0=0-0',
      S2: 'S1=0-0',
      S3: 'S1=0-0',
      S4: 'S1=2-2',
      S5: 'S0=1-1',
      S6: '',
      S7: 'S6=1-1',
      S8: 'S6=2-2',
    });
    expect(tree('ExtendedTypes')).toEqual({ S11: '', S0: 'S11=3-3', S9: 'S11=5-5', S10: 'S0=0-0' });
  });

  it('should read GenMsgCycleTime and its default, like cantools (0 means none)', () => {
    const text = dbc(
      'BO_ 1 Fast: 8 ECU',
      ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU',
      'BO_ 2 Default: 8 ECU',
      ' SG_ B : 0|8@1+ (1,0) [0|0] "" ECU',
      'BA_DEF_ BO_ "GenMsgCycleTime" INT 0 65535;',
      'BA_DEF_DEF_ "GenMsgCycleTime" 0;',
      'BA_ "GenMsgCycleTime" BO_ 1 20;',
    );
    const db = parseDbc(text, 'cycle.dbc');
    expect(db.messages.map((m) => m.cycleTimeMs)).toEqual([20, undefined]);
    expect(db.messages[0]?.attributes).toEqual({ GenMsgCycleTime: 20 });
    expect(db.attributeDefinitions.get('GenMsgCycleTime')).toMatchObject({
      objectType: 'BO_',
      valueType: 'INT',
      minimum: 0,
      maximum: 65535,
      defaultValue: 0,
    });
  });

  it('should mark messages whose VFrameFormat is a CAN FD format', () => {
    const text = dbc(
      'BO_ 2147483905 Fd: 64 ECU',
      ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU',
      'BO_ 2 Classic: 8 ECU',
      'BA_DEF_ BO_ "VFrameFormat" ENUM "StandardCAN","ExtendedCAN","reserved","J1939PG","reserved","reserved","reserved","reserved","reserved","reserved","reserved","reserved","reserved","reserved","StandardCAN_FD","ExtendedCAN_FD";',
      'BA_DEF_DEF_ "VFrameFormat" "StandardCAN";',
      'BA_ "VFrameFormat" BO_ 2147483905 15;',
    );
    const db = parseDbc(text, 'fd.dbc');
    expect(db.messages.map((m) => [m.name, m.id, m.extended, m.fd])).toEqual([
      ['Fd', 0x101, true, true],
      ['Classic', 2, false, false],
    ]);
  });

  it('should read multi-line comments with escaped quotes and keep other backslashes', () => {
    const text = dbc(
      'BO_ 100 Engine: 8 ECU',
      ' SG_ Rpm : 0|16@1+ (0.25,0) [0|16383.75] "rpm" ECU',
      'CM_ "first bus comment ";',
      'CM_ "and the second";',
      'CM_ BO_ 100 "Engine data,',
      'sent every 10 ms; says \\"hello\\" and C:\\path";',
      'CM_ SG_ 100 Rpm "crankshaft speed";',
    );
    const db = parseDbc(text, 'cm.dbc');
    expect(db.comment).toBe('first bus comment and the second');
    expect(db.messages[0]?.comment).toBe(
      'Engine data,\nsent every 10 ms; says "hello" and C:\\path',
    );
    expect(db.messages[0]?.signals[0]?.comment).toBe('crankshaft speed');
  });

  it('should skip sections it has no use for without failing', () => {
    const text = dbc(
      'BO_ 100 Engine: 8 ECU',
      ' SG_ Rpm : 0|16@1+ (1,0) [0|0] "rpm" ECU',
      'EV_ EnvTemp: 0 [-40|125] "degC" 20 1 DUMMY_NODE_VECTOR0 Vector__XXX;',
      'ENVVAR_DATA_ EnvBlob: 4;',
      'SGTYPE_ Temp : 8@1+ (1,-40) [0|0] "" 0, Vector__XXX;',
      'SIG_GROUP_ 100 Group 1 : Rpm;',
      'BA_DEF_REL_ BU_SG_REL_ "GenSigTimeoutTime" INT 0 65535;',
      'BA_REL_ "GenSigTimeoutTime" BU_SG_REL_ ECU SG_ 100 Rpm 500;',
      'BU_SG_REL_ ECU SG_ 100 Rpm;',
      'CAT_DEF_ 1 Cat 0 ;',
      'FILTER 0 ;',
      '// a line comment',
      'VAL_ EnvTemp 0 "cold" 1 "hot";',
      'CM_ EV_ EnvTemp "environment variables are skipped";',
    );
    const db = parseDbc(text, 'skip.dbc');
    expect(db.messages.map((m) => m.name)).toEqual(['Engine']);
    expect(db.warnings).toEqual([]);
  });

  it('should read `[0|0]` as no range and any other range as written', () => {
    const text = dbc(
      'BO_ 1 M: 8 ECU',
      ' SG_ None : 0|8@1+ (1,0) [0|0] "" ECU',
      ' SG_ Zeroes : 8|8@1+ (1,0) [0.0|0] "" ECU',
      ' SG_ Wide : 16|8@1+ (1,0) [-1.79769313486232E+308|1.79769313486232E+308] "" ECU',
    );
    const [none, zeroes, wide] = parseDbc(text, 'range.dbc').messages[0]!.signals;
    expect([none?.minimum, none?.maximum]).toEqual([undefined, undefined]);
    expect([zeroes?.minimum, zeroes?.maximum]).toEqual([0, 0]);
    // Past the largest double, as Python's float() reads it.
    expect([wide?.minimum, wide?.maximum]).toEqual([-Infinity, Infinity]);
  });

  it('should accept a UTF-8 byte order mark, // comments and an empty NS_ list', () => {
    const text =
      '\uFEFFVERSION "1"\nNS_ :\nBS_:\nBU_:\n// note\nBO_ 5 A: 1 Vector__XXX\n SG_ X : 0|8@1+ (1,0) [0|0] "" Vector__XXX\n';
    const db = parseDbc(text, 'bom.dbc');
    expect(db.version).toBe('1');
    expect(db.messages[0]).toMatchObject({ name: 'A', senders: [], length: 1 });
    expect(db.messages[0]?.signals[0]?.receivers).toEqual([]);
  });

  it('should drop VECTOR__INDEPENDENT_SIG_MSG like cantools', () => {
    const text = dbc(
      'BO_ 3221225472 VECTOR__INDEPENDENT_SIG_MSG: 0 Vector__XXX',
      ' SG_ Orphan : 0|8@1+ (1,0) [0|0] "" Vector__XXX',
      'BO_ 1 Kept: 1 ECU',
    );
    expect(parseDbc(text, 'x.dbc').messages.map((m) => m.name)).toEqual(['Kept']);
  });

  it('should type attribute values by their BA_DEF_ and warn about undefined attributes', () => {
    const text = dbc(
      'BO_ 1 M: 8 ECU',
      ' SG_ S : 0|8@1+ (1,0) [0|0] "" ECU',
      'BA_DEF_ SG_ "GenSigStartValue" FLOAT 0 100;',
      'BA_DEF_ "DBName" STRING ;',
      'BA_DEF_ BU_ "NodeLayer" INT 0 10;',
      'BA_ "GenSigStartValue" SG_ 1 S 2.5;',
      'BA_ "DBName" "powertrain";',
      'BA_ "NodeLayer" BU_ ECU 3;',
      'BA_ "Mystery" BO_ 1 7;',
    );
    const db = parseDbc(text, 'attr.dbc');
    expect(db.messages[0]?.signals[0]?.attributes).toEqual({ GenSigStartValue: 2.5 });
    expect(db.attributes).toEqual({ DBName: 'powertrain' });
    expect(db.nodes[0]?.attributes).toEqual({ NodeLayer: 3 });
    expect(db.messages[0]?.attributes).toEqual({ Mystery: 7 });
    expect(db.warnings.map((w) => w.message)).toEqual([
      'attribute "Mystery" has no BA_DEF_; kept as written',
    ]);
  });

  it('should warn about overlaps only between signals that can share a frame', () => {
    const text = dbc(
      'BO_ 1 M: 2 ECU',
      ' SG_ Mux M : 0|4@1+ (1,0) [0|0] "" ECU',
      ' SG_ A m0 : 8|8@1+ (1,0) [0|0] "" ECU',
      ' SG_ B m1 : 8|8@1+ (1,0) [0|0] "" ECU',
      ' SG_ C : 12|4@1+ (1,0) [0|0] "" ECU',
    );
    const db = parseDbc(text, 'overlap.dbc');
    expect(db.warnings.map((w) => w.message)).toEqual([
      'BO_ M: signals A and C overlap',
      'BO_ M: signals B and C overlap',
    ]);
  });
});
