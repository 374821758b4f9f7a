// Docusaurus, for `make bench` only (tests/support/docusaurus.py): the smallest config that renders
// one docs page the way upstream's site (binance-spot-api-docs, built by Docusaurus) does.
// DOCS_DIR names the folder of Markdown pages; the output folder is given by `docusaurus build --out-dir`.

const docsDir = process.env.DOCS_DIR;
if (!docsDir) {
  throw new Error('DOCS_DIR must name the folder holding the Markdown pages to build');
}

/** @type {import('@docusaurus/types').Config} */
export default {
  title: 'Binance Spot API testnet',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  onBrokenLinks: 'warn',
  // `.md` files are CommonMark, not MDX: upstream's page has `<` and `{` in its text.
  markdown: {format: 'detect'},
  i18n: {defaultLocale: 'en', locales: ['en']},
  presets: [
    [
      'classic',
      {
        docs: {path: docsDir, routeBasePath: '/'},
        blog: false,
        pages: false,
      },
    ],
  ],
  themeConfig: {
    navbar: {title: 'Binance Spot API testnet'},
  },
};
