// The Vite plugin that registers the dashboard's GraphQL operations at build time.
//
// Each operation in web/src is written as graphql`query Name ... { ... }` (see src/api.ts).
// The plugin checks the text is one parseable, named operation, with no ${} and no escape
// (so that the text sent is the text hashed), and replaces it with
// ({ query, name, sha256 }), sha256 being the hex SHA-256 of the text, as automatic
// persisted queries hash it. It writes every operation of the build to
// dist/persisted-operations.json, in the format of Apollo's persisted query manifests,
// which the server embeds and registers (server/persisted.go): in the default mode the
// dashboard's first request of each operation is its hash alone, and in allow-list mode
// these are the operations that may run.

import { createHash } from 'node:crypto';
import { Kind, parse } from 'graphql';
import type { Plugin } from 'vite';

/** The manifest's file in dist/; server/persisted.go and web.go read it by this name. */
export const manifestFile = 'persisted-operations.json';

interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

// The tag alone: not a path or a property that ends in graphql (`${origin}/graphql`).
const tagged = /(?<![\w$./])graphql`([^`]*)`/g;

/** The operation of a tagged text; throws, naming the file, when it is not one operation. */
function operationOf(text: string, file: string): ManifestOperation {
  if (text.includes('${') || text.includes('\\')) {
    throw new Error(`${file}: a graphql\`\` operation may hold no \${} and no backslash, so that the text sent is the text hashed`);
  }
  const doc = parse(text);
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || !ops[0].name) {
    throw new Error(`${file}: a graphql\`\` text must hold exactly one named operation (and its fragments)`);
  }
  return {
    id: createHash('sha256').update(text, 'utf8').digest('hex'),
    name: ops[0].name.value,
    type: ops[0].operation,
    body: text,
  };
}

/** Registers the graphql`` operations of web/src and writes dist/persisted-operations.json. */
export function persistedOperations(): Plugin {
  const operations = new Map<string, ManifestOperation>();
  return {
    name: 'cobuild-persisted-operations',
    // Before TypeScript is compiled away: the texts are read as they were written.
    enforce: 'pre',
    buildStart() {
      operations.clear();
    },
    transform(code, id) {
      if (id.includes('/node_modules/') || !/\/src\/.*\.tsx?$/.test(id) || !code.includes('graphql`')) return null;
      const out = code.replace(tagged, (_, text: string) => {
        const op = operationOf(text, id);
        const known = [...operations.values()].find((o) => o.name === op.name && o.id !== op.id);
        if (known) throw new Error(`${id}: two different operations are named ${op.name}`);
        operations.set(op.id, op);
        return `({ query: ${JSON.stringify(op.body)}, name: ${JSON.stringify(op.name)}, sha256: ${JSON.stringify(op.id)} })`;
      });
      return { code: out, map: null };
    },
    generateBundle() {
      const list = [...operations.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: list };
      this.emitFile({ type: 'asset', fileName: manifestFile, source: JSON.stringify(manifest, null, 2) + '\n' });
    },
  };
}
