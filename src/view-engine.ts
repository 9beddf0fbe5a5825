// The EJS view engine of the portal: EJS's own parser and code generator, with the work that
// ejs.renderFile repeats on every render done once instead.
//
// On each include() EJS itself resolves the path on the file system (an existsSync per include
// per render: a page of the Espace Assuré makes about ten), copies the options, and copies every
// local twice. Here, with the view cache on (every environment but development), a template is
// compiled once and each include path is resolved once per including file. The locals are copied
// as EJS copies them, into objects without prototype (an included template assigning a local does
// not change its parent's, and nothing comes from Object.prototype).
// With the view cache off, every render reads and compiles its files again, as EJS does.
//
// The generated template functions are EJS's, unchanged (same `with (locals)` scope, same
// escaping, same error messages with the template line).
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

/** A copy without prototype, skipping the keys EJS skips. */
function copyInto(to: Locals, from: Locals | undefined): Locals {
  if (!from) return to;
  for (const key in from) {
    if (!Object.prototype.hasOwnProperty.call(from, key) || key === '__proto__' || key === 'constructor') continue;
    to[key] = from[key];
  }
  return to;
}

function nullProtoCopy(from: Locals | undefined): Locals {
  return copyInto(Object.create(null) as Locals, from);
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
  const template = new ejs.Template(text, { filename });
  // Builds the source (EJS's code generation); the function it returns is not used.
  template.compile();
  const body = (template as unknown as { source: string }).source;
  const name = JSON.stringify(filename);
  const source =
    `var __line = 1\n  , __lines = ${JSON.stringify(text)}\n  , __filename = ${name};\ntry {\n${body}} catch (e) {\n  rethrow(e, __lines, __filename, __line, escapeFn);\n}\n` +
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
      // As in EJS: the including template's data (not its locals, which its code may have
      // changed) with includeData on top.
      return run(load(target, useCache), copyInto(nullProtoCopy(data), includeData), useCache);
    };
    return template.fn.call(undefined, nullProtoCopy(data), ejs.escapeXML, include, rethrow);
  }

  const engine = (filename: string, options: object, callback: RenderCallback): void => {
    let html: string;
    try {
      const data = options as Locals;
      const useCache = Boolean(data.cache);
      html = run(load(filename, useCache), data, useCache);
    } catch (err) {
      callback(err as Error);
      return;
    }
    callback(null, html);
  };
  Object.defineProperty(engine, 'size', { get: () => cache.size });
  return engine as ViewEngine;
}
