// Lint APL/APLA documents and data sources with Amazon's apl-suggester, offline.
// Usage: node lint.js FILE.json...   Prints one JSON object: {file: [{path, errorMessage, level}]}.
// Run by tests/test_apl_lint.py. Three things apl-suggester does not return are added here,
// so nothing it notices goes unseen:
//  - lines it only logs (console.warn "No mixin for component : X"), as level LOG;
//  - component types it silently skips (an unknown type is not reported), as level TYPE;
//  - an exception from the validator itself, as level CRASH.
'use strict';
const fs = require('fs');
const logged = [];
for (const name of ['log', 'warn', 'error', 'info']) {
  console[name] = (...args) => logged.push(args.map(String).join(' '));
}
const { StaticAplTemplateValidator } = require('apl-suggester');
const { PrimitiveComponentJsonSchemaUtil } = require('apl-suggester/dist/src/util/PrimitiveComponentJsonSchemaUtil');

function componentTypes(node, out) {
  if (Array.isArray(node)) {
    node.forEach((child) => componentTypes(child, out));
  } else if (node && typeof node === 'object') {
    for (const key of ['item', 'items', 'firstItem', 'lastItem']) {
      const children = node[key];
      for (const child of [].concat(children || [])) {
        if (child && typeof child === 'object' && typeof child.type === 'string') {
          out.add(child.type);
        }
      }
    }
    Object.values(node).forEach((value) => componentTypes(value, out));
  }
  return out;
}

function unknownTypes(doc) {
  const known = new Set(PrimitiveComponentJsonSchemaUtil.getPrimitiveComponentTypes(doc.version));
  Object.keys(doc.layouts || {}).forEach((name) => known.add(name));
  return [...componentTypes(doc.mainTemplate, new Set())]
    .concat([...componentTypes(doc.layouts || {}, new Set())])
    .filter((type, index, all) => all.indexOf(type) === index && !known.has(type))
    .map((type) => ({ path: '', errorMessage: `unknown component type: ${type}`, level: 'TYPE' }));
}

async function lint(file) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const validator = new StaticAplTemplateValidator();
  const isDocument = json.type === 'APL' || json.type === 'APLA';
  const start = logged.length;
  let findings;
  try {
    findings = isDocument ? await validator.validate(json) : await validator.validateDataSources(json);
  } catch (error) {
    findings = [{ path: '', errorMessage: `${error.name}: ${error.message}`, level: 'CRASH' }];
  }
  if (json.type === 'APL') {
    findings = findings.concat(unknownTypes(json));
  }
  for (const line of logged.slice(start)) {
    findings.push({ path: '', errorMessage: line, level: 'LOG' });
  }
  return findings;
}

(async () => {
  const out = {};
  for (const file of process.argv.slice(2)) {
    out[file] = await lint(file);
  }
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + '\n');
  process.exit(2);
});
