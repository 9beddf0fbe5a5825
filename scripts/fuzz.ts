// npm run fuzz — the long run of the form fuzzing (test/http/form-fuzz.test.ts, which `npm test`
// runs with 2 cases per POST route): `npm run fuzz -- --runs 500 --seed 42 --only /gestion/`.
// Under TEST_PG_URL (or `npm run test:pg`'s wrapper: `tsx scripts/with-pg.ts npm run fuzz`) it
// runs on PostgreSQL. A failure prints, per route, the seed and the path that replay it.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string' },
    only: { type: 'string', default: '' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('Usage : npm run fuzz -- [--runs N] [--seed N] [--only /chemin]');
  process.exit(2);
}
const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_RUNS: String(runs), FUZZ_ONLY: values.only };
if (values.seed !== undefined) env.FUZZ_SEED = values.seed;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/http/form-fuzz.test.ts'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
