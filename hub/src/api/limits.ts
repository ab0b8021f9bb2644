/** @module Request body limits (docs/api/rest.md): a backup upload, and every other request. */
export const BACKUP_BODY_LIMIT_BYTES = 512 * 1024 * 1024;
export const BODY_LIMIT_BYTES = 1024 * 1024;
