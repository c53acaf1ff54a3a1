// A Docusaurus site's configuration: its presence makes the articles docusaurus.
export default {
  title: 'Ontwikkelaarsportaal',
  i18n: {defaultLocale: 'nl', locales: ['nl', 'en']},
};
