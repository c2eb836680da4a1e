// Lint Cypher texts with Neo4j's own linter (@neo4j-cypher/language-support, the engine of the Neo4j VS Code
// extension and of Neo4j's web editors). Run by cellmap_kg/queries/lint.py from the cache directory where
// package.json's dependencies were installed.
//
// stdin (JSON):
//   {"dbSchema": DbSchema,            // labels, relationshipTypes, propertyKeys, graphSchema, defaultLanguage
//    "consoleCommands": false,         // true to accept Browser commands such as ":param x => 1;"
//    "queries": [{"name": "...", "cypher": "...", "parameters": {"name": value}}]}
// stdout (JSON):
//   {"linter": "<version>", "functions": <built-in functions checked>,
//    "results": [{"name": "...", "diagnostics": [{"severity": "error"|"warning"|"information"|"hint",
//                 "line", "column", "endLine", "endColumn", "message"}]}]}
// Positions are 0-based (Language Server Protocol), relative to the linted text.
//
// Functions: Neo4j's linter only checks function names against a list it is given. The package ships the
// built-in functions of a Neo4j 5 server (testData.mockSchema, from SHOW FUNCTIONS); those with isBuiltIn are
// passed, so a misspelt function is an error. Procedures are given as an empty list: query files may not CALL
// procedures, which differ between backends.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function builtinFunctions() {
  const registry = {};
  for (const [version, functions] of Object.entries(testData?.mockSchema?.functions ?? {})) {
    registry[version] = Object.fromEntries(
      Object.entries(functions).filter(([, fn]) => fn.isBuiltIn),
    );
  }
  return registry;
}

function linterVersion() {
  const pkg = new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url);
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

const request = JSON.parse(readFileSync(0, 'utf8'));
const functions = builtinFunctions();
const procedures = Object.fromEntries(Object.keys(functions).map((version) => [version, {}]));
const results = request.queries.map(({ name, cypher, parameters }) => {
  const dbSchema = { ...request.dbSchema, parameters: parameters ?? {}, functions, procedures };
  const { diagnostics } = lintCypherQuery(cypher, dbSchema, {
    consoleCommandsEnabled: Boolean(request.consoleCommands),
  });
  return {
    name,
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITY[d.severity] ?? 'error',
      line: d.range.start.line,
      column: d.range.start.character,
      endLine: d.range.end.line,
      endColumn: d.range.end.character,
      message: d.message,
    })),
  };
});
const builtins = Object.keys(functions['CYPHER 5'] ?? {}).length;
process.stdout.write(JSON.stringify({ linter: linterVersion(), functions: builtins, results }));
