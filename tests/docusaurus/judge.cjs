// Compiles Markdown as a Docusaurus 3 site does, with @docusaurus/mdx-loader's own
// compileToJSX (its preprocessing, then its MDX processor and remark/rehype plugins), and
// prints the tree each document compiles to, so a test can compare the structure and the
// text of an article and of its translation.
//
// Reads JSON lines {"path": "docs/a.md", "text": "..."} on stdin and writes one JSON line
// per document: {"tree": [...], "frontMatter": {...}} or {"error": "..."}.  One process
// serves a whole test session, so no document pays Node's start-up.
// Usage: node judge.cjs SITE_DIR (paths are relative to it; images must exist there).
'use strict';

const path = require('path');
const readline = require('readline');
const {DEFAULT_PARSE_FRONT_MATTER, parseMarkdownHeadingId} = require('@docusaurus/utils');
// The loader's own compile step; the package exports only the webpack loader, which needs a
// whole webpack compilation around it.
const {compileToJSX} = require('@docusaurus/mdx-loader/lib/utils');

const siteDir = path.resolve(process.argv[2] || '.');

// Docusaurus 3's defaults for `markdown` in docusaurus.config (core's configValidation) and
// for the docs plugin (admonitions on): .md is MDX, MDX 1's heading ids, admonition titles
// and comments are accepted.
const markdownConfig = {
  format: 'mdx',
  mermaid: false,
  preprocessor: undefined,
  parseFrontMatter: DEFAULT_PARSE_FRONT_MATTER,
  mdx1Compat: {comments: true, admonitions: true, headingIds: true},
  anchors: {maintainCase: false},
  remarkRehypeOptions: undefined,
};

const EXPLICIT_ID = 'dataLocpipeExplicitId';

// Runs before Docusaurus's headings plugin: a heading id the author wrote ({#faq}) is
// structure, one slugged from the heading's words changes with the words.
function markExplicitHeadingIds() {
  return async (root) => {
    const {visit} = await import('unist-util-visit');
    const {toString} = await import('mdast-util-to-string');
    visit(root, 'heading', (node) => {
      if (parseMarkdownHeadingId(toString(node)).id) {
        const data = node.data ?? (node.data = {});
        (data.hProperties ?? (data.hProperties = {}))[EXPLICIT_ID] = true;
      }
    });
  };
}

function jsxAttributes(attributes) {
  return attributes.map((attribute) => {
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      return ['{...}', attribute.value];
    }
    const {value} = attribute;
    if (value !== null && typeof value === 'object') {
      return [attribute.name, {expression: value.value}];
    }
    return [attribute.name, value];
  });
}

function elementProperties(node) {
  const properties = {...node.properties};
  if (/^h[1-6]$/.test(node.tagName) && !properties[EXPLICIT_ID]) {
    delete properties.id;
  }
  delete properties[EXPLICIT_ID];
  return Object.entries(properties).map(([name, value]) => [name, value]);
}

// The tree as the compiler built it: elements, JSX components, expressions, ESM, their
// attributes, and the text a reader sees.
function structure(node) {
  const children = (node.children ?? []).flatMap(structure);
  switch (node.type) {
    case 'text':
      return node.value.trim() ? [['text', node.value]] : [];
    case 'comment':
      return [];
    case 'element':
      return [['element', node.tagName, elementProperties(node), children]];
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement':
      return [['jsx', node.name, jsxAttributes(node.attributes), children]];
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
      return [['expression', node.value]];
    case 'mdxjsEsm':
      return [['esm', node.value]];
    default:
      return [[node.type, children]];
  }
}

function captureTree() {
  return (tree, file) => {
    file.data.locpipeTree = structure(tree);
  };
}

const options = {
  siteDir,
  staticDirs: [path.join(siteDir, 'static')],
  admonitions: true,
  markdownConfig,
  beforeDefaultRemarkPlugins: [markExplicitHeadingIds],
  remarkPlugins: [],
  rehypePlugins: [captureTree],
  beforeDefaultRehypePlugins: [],
};

async function judge({path: relative, text}) {
  const filePath = path.join(siteDir, relative);
  // As the loader does: front matter first (bad YAML fails here), then the compile.
  const {frontMatter} = await markdownConfig.parseFrontMatter({
    filePath,
    fileContent: text,
    defaultParseFrontMatter: DEFAULT_PARSE_FRONT_MATTER,
  });
  const result = await compileToJSX({
    filePath,
    fileContent: text,
    frontMatter,
    options,
    compilerName: 'client',
  });
  return {tree: result.data.locpipeTree, frontMatter};
}

async function main() {
  const lines = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of lines) {
    let answer;
    try {
      answer = await judge(JSON.parse(line));
    } catch (error) {
      answer = {error: String(error?.message ?? error)};
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
}

main();
