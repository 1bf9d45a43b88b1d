import { type Customer, type Role, withVinCheckDigit } from '@fleetline/platform';

/**
 * The demo organisation's data, made deterministically from each simulated device's index:
 * the same device gets the same VIN, plate and owner in every installation, so screenshots,
 * docs and tests agree. Pure; demo.ts writes it.
 */

export const DEMO_ORG_NAME = 'Demo Motors';
export const DEMO_GROUP_NAME = 'Demo Leasing fleet';
export const demoStores = [
  { code: 'north', name: 'Demo Motors North' },
  { code: 'south', name: 'Demo Motors South' },
] as const;
export type DemoStoreCode = (typeof demoStores)[number]['code'];

// Makes and models a Chinese 4S group sells; WMI and VDS shaped like theirs (the VINs are
// made up, but valid: check digit and all).
const cars = [
  { make: 'Toyota', model: 'Camry', wmi: 'LVG', vds: 'BF4EK' },
  { make: 'Honda', model: 'Accord', wmi: 'LHG', vds: 'CV163' },
  { make: 'Volkswagen', model: 'Passat', wmi: 'LSV', vds: 'AC23A' },
  { make: 'BYD', model: 'Han EV', wmi: 'LGX', vds: 'C74C4' },
  { make: 'Buick', model: 'GL8', wmi: 'LSG', vds: 'UL83L' },
] as const;

// ISO 3779 model-year codes (position 10) of 2019 to 2023.
const yearCodes = ['K', 'L', 'M', 'N', 'P'] as const;

export type DemoOwner = Pick<Customer, 'kind' | 'name'> & { readonly mobile: string };

/** Private owners. The mobiles are made up: the demo's alerts go to the console only. */
export const demoOwners: readonly DemoOwner[] = ['张伟', '王芳', '李娜', '刘洋', '陈静'].map(
  (name, i) => ({ kind: 'person', name, mobile: `+861390000000${i + 1}` }),
);
export const demoLeasingCompany: DemoOwner = {
  kind: 'company',
  name: 'Demo Leasing Co.',
  mobile: '+8613900000099',
};

export interface DemoVehicle {
  readonly vin: string;
  readonly plate: string;
  readonly make: string;
  readonly model: string;
  readonly year: number;
  readonly deviceId: string;
  readonly store: DemoStoreCode;
  readonly owner: DemoOwner;
  /** In the leasing company's fleet (the vehicle group). */
  readonly leased: boolean;
}

/** The demo vehicle of the simulated device at `index` (0-based). */
export function demoVehicle(deviceId: string, index: number): DemoVehicle {
  const car = cars[index % cars.length] as (typeof cars)[number];
  const yearIndex = index % yearCodes.length;
  const serial = String(100_001 + index).padStart(6, '0');
  const vin = withVinCheckDigit(`${car.wmi}${car.vds}0${yearCodes[yearIndex]}D${serial}`);
  // Every third vehicle is leased: a few for the fleet manager, most for the dealer.
  const leased = index % 3 === 2;
  return {
    vin,
    // Shenzhen plates (粤B); D: a new-energy plate's letter, and a number from the index.
    plate: `粤B D${String(index + 1).padStart(4, '0')}`,
    make: car.make,
    model: car.model,
    year: 2019 + yearIndex,
    deviceId,
    store: demoStores[index % demoStores.length]?.code ?? 'north',
    owner: leased ? demoLeasingCompany : (demoOwners[index % demoOwners.length] as DemoOwner),
    leased,
  };
}

/** A demo person: one per role, each showing what that role sees. */
export interface DemoUserSpec {
  readonly username: string;
  readonly name: string;
  readonly role: Role;
  /** Granted per store in these; organisation-wide when absent (and not `group`). */
  readonly stores?: readonly DemoStoreCode[];
  /** Granted over the leasing company's vehicle group. */
  readonly group?: true;
}

export const demoUsers: readonly DemoUserSpec[] = [
  { username: 'demo.admin', name: 'Demo Admin', role: 'org_admin' },
  {
    username: 'demo.manager',
    name: 'Demo Store Manager',
    role: 'store_manager',
    stores: ['north', 'south'],
  },
  {
    username: 'demo.advisor',
    name: 'Demo Service Advisor',
    role: 'service_advisor',
    stores: ['north'],
  },
  { username: 'demo.insurance', name: 'Demo Insurance Clerk', role: 'insurance_clerk' },
  { username: 'demo.fleet', name: 'Demo Fleet Manager', role: 'fleet_manager', group: true },
  { username: 'demo.viewer', name: 'Demo Viewer', role: 'viewer' },
];
