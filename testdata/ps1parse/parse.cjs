// Parses PowerShell scripts with tree-sitter-powershell (WebAssembly, through
// web-tree-sitter) and prints, per file, whether the parse has errors and
// every command with its elements, as JSON. Used by enicfg's Go tests
// (render/windows_scripts_test.go); install with
//   npm ci --ignore-scripts --prefix testdata/ps1parse
'use strict';
const fs = require('fs');
const { Parser, Language } = require('web-tree-sitter');

function commands(node, out) {
  if (node.type === 'command') {
    const name = node.childForFieldName('command_name');
    const elems = [];
    const list = node.childForFieldName('command_elements');
    if (list) {
      for (const c of list.namedChildren) {
        if (c.type === 'command_argument_sep') continue;
        elems.push({ type: c.type, text: c.text });
      }
    }
    out.push({ line: node.startPosition.row + 1, name: name ? name.text : '', elements: elems });
  }
  for (const c of node.namedChildren) commands(c, out);
}

function problems(node, out) {
  if (node.type === 'ERROR' || node.isMissing) {
    out.push({ line: node.startPosition.row + 1, text: node.text.slice(0, 80), missing: node.isMissing });
  }
  for (const c of node.children) problems(c, out);
}

(async () => {
  await Parser.init();
  const lang = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(lang);
  const result = [];
  for (const file of process.argv.slice(2)) {
    const tree = parser.parse(fs.readFileSync(file, 'utf8'));
    const cmds = [];
    const errs = [];
    commands(tree.rootNode, cmds);
    problems(tree.rootNode, errs);
    result.push({ file, hasError: tree.rootNode.hasError, errors: errs, commands: cmds });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
})().catch((e) => { console.error(e); process.exit(2); });
