// The install steps of docs/install.md as data: each edit names the snippet file (the same
// text the doc shows, checked by check-doc.mjs) and where it goes in a generated Backstage app.
// install.mjs applies them; the adoption test (run.sh) runs install.mjs on fresh apps.

/**
 * Edits, by kind:
 * - `run`: a shell snippet run in the app's root
 * - `afterImports`: the snippet goes after the file's last import
 * - `before` / `after`: the snippet goes on its own lines before / after the line holding `anchor`,
 *   indented like that line (plus `indent` spaces)
 * - `replace`: the text of snippet `from` (matched ignoring indentation) becomes the snippet
 * - `remove`: the snippet's text (matched ignoring indentation) is deleted
 * - `insertInto`: the snippet goes right after `anchor` on the same line (an array's first item)
 * - `mergeYaml`: the snippet is merged into the YAML file: maps key by key, lists appended
 * A step with `write` creates that file from the snippet.
 */
export const backendSteps = [
  { run: 'add-backend-packages.sh' },
  {
    file: 'packages/backend/src/index.ts',
    edits: [
      { remove: 'backend-remove.ts' },
      { before: 'backend.start();', snippet: 'backend-add.ts' },
    ],
  },
  { file: 'app-config.yaml', edits: [{ mergeYaml: 'app-config.yaml' }] },
  {
    write: 'examples/microapps/guest-notes/catalog-info.yaml',
    snippet: 'first-microapp.yaml',
  },
  {
    write: 'examples/microapps/guest-notes/sbom.cdx.json',
    snippet: 'first-microapp-sbom.cdx.json',
  },
];

export const frontendSteps = {
  nfs: [
    { run: 'add-app-package.sh' },
    {
      file: 'packages/app/src/App.tsx',
      edits: [
        { afterImports: 'app-nfs-import.tsx' },
        { insertInto: 'features: [', snippet: 'app-nfs-feature.tsx' },
      ],
    },
    {
      file: 'packages/app/src/modules/nav/Sidebar.tsx',
      edits: [
        { afterImports: 'nav-nfs-import.tsx' },
        {
          after: "{nav.take('page:scaffolder')}",
          snippet: 'nav-nfs-items.tsx',
        },
      ],
    },
  ],
  legacy: [
    { run: 'add-app-package-legacy.sh' },
    {
      file: 'packages/app/src/App.tsx',
      edits: [
        { afterImports: 'app-legacy-import.tsx' },
        {
          replace: 'app-legacy-scaffolder-before.tsx',
          snippet: 'app-legacy-scaffolder-after.tsx',
        },
        {
          before: '</FlatRoutes>',
          indent: 2,
          snippet: 'app-legacy-routes.tsx',
        },
      ],
    },
    {
      file: 'packages/app/src/components/catalog/EntityPage.tsx',
      edits: [
        { afterImports: 'entity-page-legacy-import.tsx' },
        {
          before: 'export const entityPage',
          snippet: 'entity-page-legacy-page.tsx',
        },
        {
          before: 'children={componentPage} />',
          snippet: 'entity-page-legacy-case.tsx',
        },
      ],
    },
    {
      file: 'packages/app/src/components/Root/Root.tsx',
      edits: [
        { afterImports: 'root-legacy-import.tsx' },
        { before: '{/* End global nav */}', snippet: 'root-legacy-items.tsx' },
      ],
    },
  ],
};

/** Every snippet file the steps use (check-doc.mjs requires each to be shown in the doc). */
export function snippetNames() {
  const names = new Set();
  const all = [...backendSteps, ...frontendSteps.nfs, ...frontendSteps.legacy];
  for (const step of all) {
    if (step.run) names.add(step.run);
    if (step.write) names.add(step.snippet);
    for (const edit of step.edits ?? []) {
      for (const key of ['remove', 'afterImports', 'mergeYaml', 'replace']) {
        if (edit[key]) names.add(edit[key]);
      }
      if (edit.snippet) names.add(edit.snippet);
    }
  }
  return [...names];
}
