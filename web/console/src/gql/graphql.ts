/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateApiKeyInput = {
  name: string;
  role: Role;
};

export type CreateSiteInput = {
  /** Host names the site's pages are served from (`example.com`, `*.example.com`). */
  allowedDomains?: Array<string>;
  name: string;
  /** Days to keep data (1–3650, default 365). */
  retentionDays?: number | null | undefined;
};

export type Plan =
  | 'BASIC'
  | 'BUSINESS'
  | 'PLUS'
  | 'SCALE';

export type Role =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

/**
 * Colours (`#rrggbb`), position (`bottom-right`, `bottom-left`, `center`) and font of
 * the survey widget.
 */
export type SiteThemeInput = {
  background?: string | null | undefined;
  font?: string | null | undefined;
  position?: string | null | undefined;
  primary?: string | null | undefined;
  text?: string | null | undefined;
};

export type UpdateSiteInput = {
  allowedDomains?: Array<string> | null | undefined;
  /**
   * Turning the Identify API on needs plan BUSINESS or SCALE and an accepted
   * data-processing agreement.
   */
  identifyEnabled?: boolean | null | undefined;
  /**
   * Refuse identify calls without a valid `user_hash` (needs an identity secret:
   * `rotateIdentitySecret`).
   */
  identityVerification?: boolean | null | undefined;
  /** Mask every text on the page in recordings, for sites that show personal data. */
  maskAllText?: boolean | null | undefined;
  /** Mask text typed into inputs in session recordings before storage (default true). */
  maskInputs?: boolean | null | undefined;
  name?: string | null | undefined;
  /** The browser tag records sessions (default false). */
  recordingEnabled?: boolean | null | undefined;
  /** 0–100: share of visitors recorded, stable per visitor (default 100). */
  recordingSamplePercent?: number | null | undefined;
  /** The tag sends nothing before the page calls `loupe('consent', true)`. */
  requireConsent?: boolean | null | undefined;
  retentionDays?: number | null | undefined;
  /** 0–365; 0 turns the site-wide survey cool-down off. */
  surveyCooldownDays?: number | null | undefined;
  /** Replaces the widget theme; fields left out take the defaults. */
  theme?: SiteThemeInput | null | undefined;
  /**
   * Query parameters whose values are kept in stored URLs, besides `utm_*` (at most
   * 50). Every other value is replaced by `[redacted]`.
   */
  urlAllowedParams?: Array<string> | null | undefined;
  /**
   * Extra regular expressions masked in every stored URL (at most 20, ≤ 200
   * characters each), matched against the URL as stored (percent-encoded).
   */
  urlPatterns?: Array<string> | null | undefined;
};

export type ApiKeyListQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type ApiKeyListQuery = { viewer: { organization: { apiKeys: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, role: Role, clientId: string, createdAt: string, expiresAt: string, revokedAt: string | null, lastUsedAt: string | null } }> } } } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { clientId: string, clientSecret: string, apiKey: { id: string, name: string, role: Role, expiresAt: string } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type SiteListQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type SiteListQuery = { sites: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, allowedDomains: Array<string>, recordingEnabled: boolean, identifyEnabled: boolean, retentionDays: number, createdAt: string } }> } };

export type CreateSiteMutationVariables = Exact<{
  input: CreateSiteInput;
}>;


export type CreateSiteMutation = { createSite: { id: string, name: string } };

export type SiteFieldsFragment = { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } };

export type SiteSettingsQueryVariables = Exact<{
  id: string | number;
}>;


export type SiteSettingsQuery = { site: { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } | null };

export type SiteActivityQueryVariables = Exact<{
  id: string | number;
}>;


export type SiteActivityQuery = { recordings: { totalCount: number, edges: Array<{ node: { id: string, startedAt: string } }> } };

export type UpdateSiteMutationVariables = Exact<{
  id: string | number;
  input: UpdateSiteInput;
}>;


export type UpdateSiteMutation = { updateSite: { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } };

export type RotateIdentitySecretMutationVariables = Exact<{
  siteId: string | number;
}>;


export type RotateIdentitySecretMutation = { rotateIdentitySecret: { secret: string, site: { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } } };

export type AcceptDpaMutationVariables = Exact<{ [key: string]: never; }>;


export type AcceptDpaMutation = { acceptDataProcessingAgreement: { id: string, dpaAcceptedAt: string | null } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { role: Role, organization: { id: string, name: string, plan: Plan, dpaAcceptedAt: string | null, sites: { totalCount: number, edges: Array<{ node: { id: string, name: string } }> } } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SiteFieldsFragmentDoc = new TypedDocumentString(`
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  snippet
}
    `, {"fragmentName":"SiteFields"}) as unknown as TypedDocumentString<SiteFieldsFragment, unknown>;
export const ApiKeyListDocument = new TypedDocumentString(`
    query ApiKeyList($first: Int!, $after: String) {
  viewer {
    organization {
      apiKeys(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            name
            role
            clientId
            createdAt
            expiresAt
            revokedAt
            lastUsedAt
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApiKeyListQuery, ApiKeyListQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    clientId
    clientSecret
    apiKey {
      id
      name
      role
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const SiteListDocument = new TypedDocumentString(`
    query SiteList($first: Int!, $after: String) {
  sites(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        allowedDomains
        recordingEnabled
        identifyEnabled
        retentionDays
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SiteListQuery, SiteListQueryVariables>;
export const CreateSiteDocument = new TypedDocumentString(`
    mutation CreateSite($input: CreateSiteInput!) {
  createSite(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSiteMutation, CreateSiteMutationVariables>;
export const SiteSettingsDocument = new TypedDocumentString(`
    query SiteSettings($id: ID!) {
  site(id: $id) {
    ...SiteFields
  }
}
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  snippet
}`) as unknown as TypedDocumentString<SiteSettingsQuery, SiteSettingsQueryVariables>;
export const SiteActivityDocument = new TypedDocumentString(`
    query SiteActivity($id: ID!) {
  recordings(siteId: $id, first: 1) {
    totalCount
    edges {
      node {
        id
        startedAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SiteActivityQuery, SiteActivityQueryVariables>;
export const UpdateSiteDocument = new TypedDocumentString(`
    mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {
  updateSite(id: $id, input: $input) {
    ...SiteFields
  }
}
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  snippet
}`) as unknown as TypedDocumentString<UpdateSiteMutation, UpdateSiteMutationVariables>;
export const RotateIdentitySecretDocument = new TypedDocumentString(`
    mutation RotateIdentitySecret($siteId: ID!) {
  rotateIdentitySecret(siteId: $siteId) {
    secret
    site {
      ...SiteFields
    }
  }
}
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  snippet
}`) as unknown as TypedDocumentString<RotateIdentitySecretMutation, RotateIdentitySecretMutationVariables>;
export const AcceptDpaDocument = new TypedDocumentString(`
    mutation AcceptDpa {
  acceptDataProcessingAgreement {
    id
    dpaAcceptedAt
  }
}
    `) as unknown as TypedDocumentString<AcceptDpaMutation, AcceptDpaMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    role
    organization {
      id
      name
      plan
      dpaAcceptedAt
      sites(first: 100) {
        totalCount
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;