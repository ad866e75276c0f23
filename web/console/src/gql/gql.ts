/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ApiKeyList($first: Int!, $after: String) {\n    viewer {\n      organization {\n        apiKeys(first: $first, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }\n        }\n      }\n    }\n  }\n": typeof types.ApiKeyListDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt }\n      }\n    }\n  }\n": typeof types.SiteListDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n": typeof types.CreateSiteDocument,
    "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    snippet\n  }\n": typeof types.SiteFieldsFragmentDoc,
    "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n": typeof types.SiteSettingsDocument,
    "\n  query SiteActivity($id: ID!) {\n    recordings(siteId: $id, first: 1) { totalCount edges { node { id startedAt } } }\n  }\n": typeof types.SiteActivityDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n": typeof types.UpdateSiteDocument,
    "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n": typeof types.RotateIdentitySecretDocument,
    "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n": typeof types.AcceptDpaDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query ApiKeyList($first: Int!, $after: String) {\n    viewer {\n      organization {\n        apiKeys(first: $first, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }\n        }\n      }\n    }\n  }\n": types.ApiKeyListDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt }\n      }\n    }\n  }\n": types.SiteListDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n": types.CreateSiteDocument,
    "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    snippet\n  }\n": types.SiteFieldsFragmentDoc,
    "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n": types.SiteSettingsDocument,
    "\n  query SiteActivity($id: ID!) {\n    recordings(siteId: $id, first: 1) { totalCount edges { node { id startedAt } } }\n  }\n": types.SiteActivityDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n": types.UpdateSiteDocument,
    "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n": types.RotateIdentitySecretDocument,
    "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n": types.AcceptDpaDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeyList($first: Int!, $after: String) {\n    viewer {\n      organization {\n        apiKeys(first: $first, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ApiKeyListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }\n  }\n"): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt }\n      }\n    }\n  }\n"): typeof import('./graphql').SiteListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n"): typeof import('./graphql').CreateSiteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    snippet\n  }\n"): typeof import('./graphql').SiteFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n"): typeof import('./graphql').SiteSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteActivity($id: ID!) {\n    recordings(siteId: $id, first: 1) { totalCount edges { node { id startedAt } } }\n  }\n"): typeof import('./graphql').SiteActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n"): typeof import('./graphql').UpdateSiteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n"): typeof import('./graphql').RotateIdentitySecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n"): typeof import('./graphql').AcceptDpaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
