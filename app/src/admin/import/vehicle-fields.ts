import {
  type Checked,
  type Customer,
  checkMobile,
  checkStoreCode,
  checkText,
  checkVin,
  nameLimits,
  quoted,
} from '@fleetline/platform';
import { isValidDeviceId } from '@fleetline/proto';

/**
 * One vehicle as people give it, a spreadsheet row or the options of `vehicles add`: every
 * field text, checked field by field without the database. What a field is called is the
 * caller's (a column header, an option); problems name the field.
 */

export const vehicleFields = [
  'vin',
  'plate',
  'make',
  'model',
  'year',
  'device_id',
  'store',
  'owner_name',
  'owner_mobile',
  'owner_kind',
] as const;
export type VehicleField = (typeof vehicleFields)[number];

/** Field texts as given; absent and blank are the same. */
export type RawVehicle = Partial<Record<VehicleField, string>>;

export interface FieldProblem {
  readonly field: VehicleField;
  readonly reason: string;
}

export type OwnerInput = Pick<Customer, 'kind' | 'name'> & { readonly mobile?: string };

/** A vehicle whose every field is valid on its own (the store is still only a code). */
export interface CheckedVehicle {
  readonly vin: string;
  readonly plate?: string;
  readonly make?: string;
  readonly model?: string;
  readonly year?: number;
  readonly deviceId?: string;
  readonly storeCode: string;
  readonly owner?: OwnerInput;
}

/** Model years: the 17-character VIN exists since 1981; makers sell next year's models. */
export const FIRST_VIN_YEAR = 1981;

// Spreadsheets from Chinese dealers say 个人/公司 (or 企业, 单位) rather than person/company.
const ownerKinds: Readonly<Record<string, Customer['kind']>> = {
  person: 'person',
  individual: 'person',
  个人: 'person',
  company: 'company',
  公司: 'company',
  企业: 'company',
  单位: 'company',
};

const deviceRule =
  'use 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, as the device was registered';

class FieldChecks {
  readonly problems: FieldProblem[] = [];
  constructor(private readonly raw: RawVehicle) {}

  /** The field's trimmed text; undefined when blank. */
  text(field: VehicleField): string | undefined {
    const t = this.raw[field]?.trim();
    return t === undefined || t === '' ? undefined : t;
  }

  /** The checked value; undefined (and a problem noted) when the check fails. */
  take<T>(field: VehicleField, result: Checked<T, string>): T | undefined {
    if (result.ok) return result.value;
    this.problems.push({ field, reason: result.reason });
    return undefined;
  }

  /** Optional free text within `maxLength`. */
  optionalText(field: VehicleField, label: string, maxLength: number): string | undefined {
    const t = this.text(field);
    return t === undefined ? undefined : this.take(field, checkText(label, t, { maxLength }));
  }

  problem(field: VehicleField, reason: string): undefined {
    this.problems.push({ field, reason });
    return undefined;
  }
}

function checkYear(c: FieldChecks, nowYear: number): number | undefined {
  const t = c.text('year');
  if (t === undefined) return undefined;
  const year = /^\d{4}$/.test(t) ? Number(t) : Number.NaN;
  if (!(year >= FIRST_VIN_YEAR && year <= nowYear + 1)) {
    return c.problem(
      'year',
      `year ${quoted(t)} is not a model year from ${FIRST_VIN_YEAR} to ${nowYear + 1}`,
    );
  }
  return year;
}

function checkDevice(c: FieldChecks): string | undefined {
  const t = c.text('device_id');
  if (t === undefined) return undefined;
  return isValidDeviceId(t)
    ? t
    : c.problem('device_id', `device id ${quoted(t)} is not valid: ${deviceRule}`);
}

function checkOwner(c: FieldChecks): OwnerInput | undefined {
  const [nameText, mobileText, kindText] = [
    c.text('owner_name'),
    c.text('owner_mobile'),
    c.text('owner_kind'),
  ];
  if (nameText === undefined && mobileText === undefined) {
    if (kindText !== undefined)
      c.problem('owner_kind', 'owner kind is given but no owner: give the owner’s name too');
    return undefined;
  }
  const kind = kindText === undefined ? 'person' : ownerKinds[kindText.toLowerCase()];
  if (kind === undefined)
    c.problem(
      'owner_kind',
      `owner kind ${quoted(kindText ?? '')} is not person or company (个人 or 公司)`,
    );
  const name =
    nameText === undefined
      ? c.problem('owner_name', 'the owner’s mobile is given but not their name: give the name too')
      : c.take('owner_name', checkText('owner name', nameText, { maxLength: nameLimits.person }));
  const mobile =
    mobileText === undefined ? undefined : c.take('owner_mobile', checkMobile(mobileText));
  if (
    kind === undefined ||
    name === undefined ||
    (mobileText !== undefined && mobile === undefined)
  )
    return undefined;
  return { kind, name, ...(mobile === undefined ? {} : { mobile }) };
}

/** The fields of a vehicle that are valid, also when others are not. */
export type ValidFields = Partial<CheckedVehicle>;

/**
 * Checks every field of one vehicle (all of them, so one pass reports every problem). The
 * vehicle is there only when there is no problem; `fields` has each field that is valid.
 */
export function checkVehicleFields(
  raw: RawVehicle,
  nowYear: number,
): { vehicle?: CheckedVehicle; fields: ValidFields; problems: FieldProblem[] } {
  const c = new FieldChecks(raw);
  const vinText = c.text('vin');
  const vin =
    vinText === undefined
      ? c.problem('vin', 'the VIN is missing')
      : c.take('vin', checkVin(vinText));
  // Plates are written in capitals; 粤b d0001 is 粤B D0001.
  const plate = c.optionalText('plate', 'plate', nameLimits.plate)?.toUpperCase();
  const make = c.optionalText('make', 'make', nameLimits.make);
  const model = c.optionalText('model', 'model', nameLimits.model);
  const year = checkYear(c, nowYear);
  const deviceId = checkDevice(c);
  const storeText = c.text('store');
  const storeCode =
    storeText === undefined
      ? c.problem('store', 'the store is missing: give the code of the vehicle’s home store')
      : c.take('store', checkStoreCode(storeText));
  const owner = checkOwner(c);
  const fields: ValidFields = {
    ...(vin === undefined ? {} : { vin }),
    ...(storeCode === undefined ? {} : { storeCode }),
    ...(plate === undefined ? {} : { plate }),
    ...(make === undefined ? {} : { make }),
    ...(model === undefined ? {} : { model }),
    ...(year === undefined ? {} : { year }),
    ...(deviceId === undefined ? {} : { deviceId }),
    ...(owner === undefined ? {} : { owner }),
  };
  if (c.problems.length > 0 || vin === undefined || storeCode === undefined) {
    return { fields, problems: c.problems };
  }
  return { vehicle: { ...fields, vin, storeCode }, fields, problems: [] };
}
