export * from './access.js';
export * from './audit.js';
export * from './model.js';
export * from './organisations.js';
export * from './records-db.js';
export * from './roles.js';
export * from './users.js';
export * from './vehicles.js';
