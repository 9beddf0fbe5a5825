// Dependency rules (issue #12 part 8), checked by `npm run check:deps`. The map they protect is
// docs/architecture.md: spaces never import each other, domain/ holds rules without I/O, no cycles.
//
// dependency-cruiser reads TypeScript through @swc/core: it needs TypeScript's compiler API for
// .ts files otherwise, which TypeScript 7 (our compiler) no longer has.

/** The portal areas: each is reached through its own routes and shares nothing with the others. */
const SPACES = ['assure', 'entreprise', 'gestion', 'affiliation', 'public-site', 'dev'];
const SPACE = `^src/(${SPACES.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle (type imports count: they tie the files together for the reader and the compiler all the same). ' +
        'Break it by moving what both sides need into its own module (e.g. src/context.ts for AppContext).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-cross-space',
      severity: 'error',
      comment:
        'A space imports another space. What two spaces share (a request lifecycle, notifications, documents, validation) ' +
        'gets its own module outside the spaces, which both call. src/auth/ (login machinery) is shared, not a space.',
      from: { path: SPACE },
      to: { path: SPACE, pathNot: '^src/$1/' },
    },
    {
      name: 'shared-code-not-into-spaces',
      severity: 'error',
      comment:
        'Code outside the spaces (jobs, middleware, auth, domain, stores) reaches into a space. Only src/app.ts ' +
        "mounts each space's routes.ts; what the others need from a space moves to a module of its own.",
      from: { path: '^src/', pathNot: [SPACE, '^src/app\\.ts$'] },
      to: { path: SPACE },
    },
    {
      name: 'app-mounts-routes-only',
      severity: 'error',
      comment: 'src/app.ts knows a space by its routes.ts only.',
      from: { path: '^src/app\\.ts$' },
      to: { path: SPACE, pathNot: `${SPACE}routes\\.ts$` },
    },
    {
      name: 'domain-without-io',
      severity: 'error',
      comment:
        'src/domain/ holds rules without I/O: no database (src/db.ts, knex, better-sqlite3, pg), no Express, no config. ' +
        'Reads and writes go to a store (src/stores/) that the rule is handed to, or that calls the rule.',
      from: { path: '^src/domain/' },
      to: {
        path: ['^src/(db|config)\\.ts$', '(^|/)node_modules/(@types/)?(knex|better-sqlite3|pg|pg-[^/]+|express|express-serve-static-core)/'],
      },
    },
    {
      name: 'domain-without-spaces',
      severity: 'error',
      comment: 'src/domain/ is below every space: a rule that imports a space belongs in that space, or the space code belongs in domain/.',
      from: { path: '^src/domain/' },
      to: { path: [SPACE, '^src/(app|server|jobs)\\.ts$', '^src/middleware/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file or package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Packages are seen (domain-without-io needs them) but not walked into.
    exclude: { path: '^(dist|data|public/vendor)/' },
    parser: 'swc',
    // node_modules is a link in a git worktree: name packages by their place in the project.
    preserveSymlinks: true,
    // Keep type-only imports in the graph: a type import is a dependency of the reader's mind too,
    // and the AppContext cycle of issue #12 part 1 was made of them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
