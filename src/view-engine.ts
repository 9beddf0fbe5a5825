// The EJS view engine of the portal: EJS's own parser and code generator, with the work that
// ejs.renderFile repeats on every render done once instead.
//
// On each include() EJS itself resolves the path on the file system (an existsSync per include
// per render: a page of the Espace Assuré makes about ten), copies the options, and copies every
// local twice. Here, with the view cache on (every environment but development), a template is
// compiled once and each include path is resolved once per including file.
//
// EJS reads locals through `with (locals) { … }`: every name of the template, its own variables
// and EJS's `__append` included, is then looked up in the locals object first, which V8 cannot
// optimize (on a list page, a third of the rendering time). Templates are compiled here without
// `with`: the names a template can read from its locals are found in its code once, at compile
// time, and read into variables at the start of each render. So an include no longer needs its
// own copy of every local: it gets an object whose prototype is the including template's data,
// with the include's data on top (an include does not change its parent's locals, and nothing
// comes from Object.prototype, as in EJS).
// With the view cache off, every render reads and compiles its files again, as EJS does.
//
// Same escaping and same error messages with the template line as EJS. One difference: a name
// a template reads that nobody passed is `undefined` rather than a ReferenceError.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
type TemplateFn = (locals: Locals) => string;
type RenderCallback = (err: Error | null, html?: string) => void;

const BOM = /^\uFEFF/;

/** EJS's rethrow: the template line and its context in the message. */
function rethrow(err: Error & { path?: string }, str: string, filename: string, lineno: number, esc: (s: string) => string): never {
  const lines = str.split('\n');
  const start = Math.max(lineno - 3, 0);
  const end = Math.min(lines.length, lineno + 3);
  const escaped = esc(filename);
  const context = lines
    .slice(start, end)
    .map((line, i) => {
      const curr = i + start + 1;
      return (curr === lineno ? ' >> ' : '    ') + curr + '| ' + line;
    })
    .join('\n');
  err.path = escaped;
  err.message = (escaped || 'ejs') + ':' + lineno + '\n' + context + '\n\n' + err.message;
  throw err;
}

/** Copies own keys, skipping the keys EJS skips. */
function copyInto(to: Locals, from: Locals | undefined): Locals {
  if (!from) return to;
  for (const key in from) {
    if (!Object.prototype.hasOwnProperty.call(from, key) || key === '__proto__' || key === 'constructor') continue;
    to[key] = from[key];
  }
  return to;
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
);
/** The parameters of the generated function, and globals no template may shadow. */
const ENGINE_NAMES = new Set(['locals', 'escapeFn', 'include', 'rethrow', 'undefined', 'NaN', 'Infinity', 'globalThis']);

/** Index just past the string literal opening at `start` (quote ' or "). */
function skipString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The tokens after which a `/` opens a regular expression rather than dividing. */
const REGEXP_AFTER = new Set([
  ...'(,=:[!&|?{};+-*%<>~^',
  '...',
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'instanceof',
  'yield',
  'await',
]);

/** Index just past the regular expression literal opening at `start` (its flags are read as names: harmless). */
function skipRegExp(code: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < code.length && (inClass || code[i] !== '/')) {
    if (code[i] === '\\') i += 1;
    else if (code[i] === '[') inClass = true;
    else if (code[i] === ']') inClass = false;
    i += 1;
  }
  return i + 1;
}

/**
 * The names a template's code may read from its locals: every identifier of the generated code
 * outside strings, comments and property accesses, less the keywords, the functions the template
 * declares and the engine's own names. Reading a name that is not a local only gives an unused
 * `undefined` variable. Globals (`Math`, `String`…) are among the names: read from the locals when
 * a local has that name (as `with` would), from globalThis otherwise.
 */
export function localNamesOf(code: string, filename: string): string[] {
  const names = new Set<string>();
  const declaredFunctions = new Set<string>();
  // The last token that counts (comments and spaces do not): it tells a property from a name
  // and a regular expression from a division.
  let previous = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '"' || c === "'") {
      i = skipString(code, i);
      previous = '"';
    } else if (c === '`') {
      throw new Error(`${filename}: template literals are not supported in templates (use quotes and +)`);
    } else if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      i = end < 0 ? code.length : end;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (c === '/' && (previous === '' || REGEXP_AFTER.has(previous))) {
      i = skipRegExp(code, i);
      previous = '/re/';
    } else if (/[\p{L}_$]/u.test(c)) {
      const name = /^[\p{L}_$][\p{L}\p{N}_$]*/u.exec(code.slice(i, i + 200))![0];
      if (previous !== '.') names.add(name);
      if (previous === 'function') declaredFunctions.add(name);
      i += name.length;
      previous = name;
    } else if (/[0-9]/.test(c)) {
      // A number (1.5e3, 0x1F): its letters are not names.
      i += /^[0-9][\w.]*/.exec(code.slice(i, i + 50))![0].length;
      previous = '0';
    } else if (code.startsWith('...', i)) {
      i += 3;
      previous = '...';
    } else {
      if (!/\s/.test(c)) previous = c;
      i += 1;
    }
  }
  return [...names].filter(
    (n) => !RESERVED.has(n) && !ENGINE_NAMES.has(n) && !n.startsWith('__') && !declaredFunctions.has(n),
  );
}

/** EJS's include path rule for a relative path: beside the including file, `.ejs` added when there is no extension. */
function resolveInclude(name: string, fromFile: string): string {
  let includePath = path.resolve(path.dirname(fromFile), name);
  if (!path.extname(name)) includePath += '.ejs';
  if (/^[A-Za-z]+:\\|^\//.test(name) || !fs.existsSync(includePath)) {
    throw new Error(`Could not find the include file "${ejs.escapeXML(name)}"`);
  }
  return includePath;
}

interface Template {
  /** The function EJS generates: (locals, escapeFn, include, rethrow) → html. */
  fn: (locals: Locals, escapeFn: (s: unknown) => string, include: (name: string, data?: Locals) => string, rethrowFn: typeof rethrow) => string;
  filename: string;
  /** Include paths already resolved from this file (view cache only). */
  includes: Map<string, string>;
}

function compile(filename: string): Template {
  const text = fs.readFileSync(filename, 'utf8').replace(BOM, '');
  const template = new ejs.Template(text, { filename, _with: false });
  // Builds the source (EJS's code generation); the function it returns is not used.
  template.compile();
  const body = (template as unknown as { source: string }).source;
  const names = localNamesOf(body, filename);
  // `var`, not `let`: a template may declare one of these names again with `var`.
  const read = (n: string) => (n in globalThis ? `${n} = '${n}' in __locals ? __locals.${n} : globalThis.${n}` : `${n} = __locals.${n}`);
  const readLocals = names.length ? `var __locals = locals, ${names.map(read).join(', ')};\n` : '';
  const name = JSON.stringify(filename);
  const source =
    `var __line = 1\n  , __lines = ${JSON.stringify(text)}\n  , __filename = ${name};\ntry {\n${readLocals}${body}} catch (e) {\n  rethrow(e, __lines, __filename, __line, escapeFn);\n}\n` +
    `\n//# sourceURL=${name}\n`;
  const fn = new Function('locals, escapeFn, include, rethrow', source) as Template['fn'];
  return { fn, filename, includes: new Map() };
}

export interface ViewEngine {
  (filename: string, options: object, callback: RenderCallback): void;
  /** Compiled templates held (for tests). */
  readonly size: number;
}

/** An Express view engine for .ejs files (`app.engine('ejs', createViewEngine())`). */
export function createViewEngine(): ViewEngine {
  const cache = new Map<string, Template>();

  function load(filename: string, useCache: boolean): Template {
    if (!useCache) return compile(filename);
    let template = cache.get(filename);
    if (!template) {
      template = compile(filename);
      cache.set(filename, template);
    }
    return template;
  }

  function run(template: Template, data: Locals, useCache: boolean): string {
    const include = (name: string, includeData?: Locals): string => {
      let target = useCache ? template.includes.get(name) : undefined;
      if (target === undefined) {
        target = resolveInclude(name, template.filename);
        if (useCache) template.includes.set(name, target);
      }
      // As in EJS: the including template's data (not the variables its code may have changed)
      // with includeData on top.
      const includeLocals = includeData ? copyInto(Object.create(data) as Locals, includeData) : data;
      return run(load(target, useCache), includeLocals, useCache);
    };
    return template.fn.call(undefined, data, ejs.escapeXML, include, rethrow);
  }

  const engine = (filename: string, options: object, callback: RenderCallback): void => {
    let html: string;
    try {
      const data = options as Locals;
      const useCache = Boolean(data.cache);
      html = run(load(filename, useCache), copyInto(Object.create(null) as Locals, data), useCache);
    } catch (err) {
      callback(err as Error);
      return;
    }
    callback(null, html);
  };
  Object.defineProperty(engine, 'size', { get: () => cache.size });
  return engine as ViewEngine;
}
