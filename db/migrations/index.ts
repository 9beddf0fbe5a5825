// Every migration, in order. Listed by hand (not read from the folder) so they load the same way
// from the TypeScript sources (tsx) and from the compiled dist/ folder.
// Migrations are never edited once merged: add a new timestamped file and list it here.
import * as m20261122090000 from './20261122090000_initial_schema.js';

export const migrations = [{ name: '20261122090000_initial_schema', up: m20261122090000.up, down: m20261122090000.down }];
