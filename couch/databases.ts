/** The register's fixed databases (facility databases are `facility-<id>`, see common/roles.ts). */
export const USERS_DB = '_users';
export const REFERENCE_DB = 'reference';
export const AUDIT_DB = 'audit';
/** Server-only: the installation's settings and ended logins. */
export const SETTINGS_DB = 'register-settings';
