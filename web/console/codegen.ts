// Typed GraphQL operations: every `graphql(`…`)` call under src/ is checked against
// schema.graphql (the exact output of `loupe schema`) and typed in src/gql/.
// `documentMode: 'string'` keeps graphql-js out of the bundle: a document is its query text.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown', RrwebEvent: 'unknown' },
      },
    },
  },
};

export default config;
