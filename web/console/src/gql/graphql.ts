/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AttributeType =
  | 'BOOLEAN'
  | 'DATE'
  | 'NUMBER'
  | 'STRING';

export type CreateApiKeyInput = {
  name: string;
  role: Role;
};

export type CreateSegmentInput = {
  name: string;
  rule: unknown;
  siteId: string | number;
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

/**
 * Which recordings: date range (`from` inclusive, `to` exclusive), duration in seconds,
 * device, country, a visited URL, rage clicks / U-turns, user, segment.
 */
export type RecordingFilterInput = {
  country?: string | null | undefined;
  device?: string | null | undefined;
  from?: string | null | undefined;
  hasRageClicks?: boolean | null | undefined;
  /** Sessions with (true) or without (false) a survey response linked to them. */
  hasResponse?: boolean | null | undefined;
  hasUTurns?: boolean | null | undefined;
  maxDurationSeconds?: number | null | undefined;
  minDurationSeconds?: number | null | undefined;
  /** Sessions with a response to this survey (of the same site). */
  respondedToSurvey?: string | number | null | undefined;
  rule?: unknown;
  segmentId?: string | number | null | undefined;
  to?: string | null | undefined;
  urlContains?: string | null | undefined;
  userId?: string | null | undefined;
};

export type RecordingOrder =
  | 'LONGEST'
  | 'MOST_CLICKS'
  | 'NEWEST';

export type Role =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

export type SentimentLabel =
  | 'NEGATIVE'
  | 'NEUTRAL'
  | 'POSITIVE';

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

export type UpdateSegmentInput = {
  name?: string | null | undefined;
  rule?: unknown;
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

export type PlayerRecordingQueryVariables = Exact<{
  id: string | number;
}>;


export type PlayerRecordingQuery = { recording: { id: string, siteId: string, sessionId: string, visitorId: string | null, startedAt: string, endedAt: string, durationMs: number, pageViews: number, entryUrl: string | null, exitUrl: string | null, clicks: number, rageClicks: number, uTurns: number, device: string | null, browser: string | null, os: string | null, country: string | null, viewportWidth: number | null, viewportHeight: number | null, eventCount: number, user: unknown } | null };

export type PlayerEventsQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type PlayerEventsQuery = { recording: { id: string, events: { events: Array<unknown>, endCursor: string | null, hasNextPage: boolean } } | null };

export type PlayerUserQueryVariables = Exact<{
  siteId: string | number;
  userId: string;
}>;


export type PlayerUserQuery = { user: { userId: string, firstSeen: string, lastSeen: string, sessions: number, attributes: Array<{ name: string, type: AttributeType, value: unknown, stringValue: string | null, numberValue: number | null, booleanValue: boolean | null, dateValue: string | null }>, responses: { totalCount: number, edges: Array<{ node: { id: string, surveyId: string, createdAt: string, isComplete: boolean, recording: { id: string } | null, answers: Array<{ questionId: string, value: unknown, sentiment: { label: SentimentLabel } | null }> } }> } } | null };

export type RecordingListQueryVariables = Exact<{
  siteId: string | number;
  filter?: RecordingFilterInput | null | undefined;
  orderBy?: RecordingOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type RecordingListQuery = { recordings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, sessionId: string, startedAt: string, durationMs: number, pageViews: number, clicks: number, rageClicks: number, uTurns: number, device: string | null, browser: string | null, os: string | null, country: string | null, entryUrl: string | null, user: unknown } }> } };

export type RecordingSegmentsQueryVariables = Exact<{
  siteId: string | number;
}>;


export type RecordingSegmentsQuery = { segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type SegmentContextQueryVariables = Exact<{
  siteId: string | number;
}>;


export type SegmentContextQuery = { userAttributes: Array<{ name: string, type: AttributeType }> };

export type SegmentLoadQueryVariables = Exact<{
  id: string | number;
}>;


export type SegmentLoadQuery = { segment: { id: string, siteId: string, name: string, rule: unknown, createdAt: string, updatedAt: string } | null };

export type SegmentPreviewQueryVariables = Exact<{
  siteId: string | number;
  rule: unknown;
}>;


export type SegmentPreviewQuery = { users: { totalCount: number, edges: Array<{ node: { userId: string, lastSeen: string } }> } };

export type CreateSegmentMutationVariables = Exact<{
  input: CreateSegmentInput;
}>;


export type CreateSegmentMutation = { createSegment: { id: string, name: string } };

export type UpdateSegmentMutationVariables = Exact<{
  id: string | number;
  input: UpdateSegmentInput;
}>;


export type UpdateSegmentMutation = { updateSegment: { id: string, name: string, rule: unknown, updatedAt: string } };

export type DeleteSegmentMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteSegmentMutation = { deleteSegment: string };

export type SegmentListQueryVariables = Exact<{
  siteId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type SegmentListQuery = { segments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, updatedAt: string, preview: { matchingUsers: number } } }> } };

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

export type UserDetailQueryVariables = Exact<{
  siteId: string | number;
  userId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type UserDetailQuery = { user: { userId: string, firstSeen: string, lastSeen: string, sessions: number, device: string | null, country: string | null, attributes: Array<{ name: string, type: AttributeType, value: unknown, stringValue: string | null, numberValue: number | null, booleanValue: boolean | null, dateValue: string | null }>, responses: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, surveyId: string, createdAt: string, isComplete: boolean, recording: { id: string } | null, answers: Array<{ questionId: string, value: unknown, sentiment: { label: SentimentLabel } | null }> } }> } } | null };

export type UserRecordingsQueryVariables = Exact<{
  siteId: string | number;
  userId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type UserRecordingsQuery = { recordings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, startedAt: string, durationMs: number, pageViews: number, clicks: number, rageClicks: number, device: string | null, browser: string | null, os: string | null, country: string | null, entryUrl: string | null } }> } };

export type UserListQueryVariables = Exact<{
  siteId: string | number;
  segmentId?: string | number | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type UserListQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { userId: string, firstSeen: string, lastSeen: string, sessions: number, device: string | null, country: string | null, attributes: Array<{ name: string, type: AttributeType, value: unknown, stringValue: string | null, numberValue: number | null, booleanValue: boolean | null, dateValue: string | null }> } }> }, segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type SurveyNamesQueryVariables = Exact<{
  siteId: string | number;
}>;


export type SurveyNamesQuery = { surveys: { edges: Array<{ node: { id: string, name: string } }> }, polls: { edges: Array<{ node: { id: string, name: string } }> } };

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
export const PlayerRecordingDocument = new TypedDocumentString(`
    query PlayerRecording($id: ID!) {
  recording(id: $id) {
    id
    siteId
    sessionId
    visitorId
    startedAt
    endedAt
    durationMs
    pageViews
    entryUrl
    exitUrl
    clicks
    rageClicks
    uTurns
    device
    browser
    os
    country
    viewportWidth
    viewportHeight
    eventCount
    user
  }
}
    `) as unknown as TypedDocumentString<PlayerRecordingQuery, PlayerRecordingQueryVariables>;
export const PlayerEventsDocument = new TypedDocumentString(`
    query PlayerEvents($id: ID!, $after: String) {
  recording(id: $id) {
    id
    events(first: 1000, after: $after) {
      events
      endCursor
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<PlayerEventsQuery, PlayerEventsQueryVariables>;
export const PlayerUserDocument = new TypedDocumentString(`
    query PlayerUser($siteId: ID!, $userId: String!) {
  user(siteId: $siteId, userId: $userId) {
    userId
    firstSeen
    lastSeen
    sessions
    attributes {
      name
      type
      value
      stringValue
      numberValue
      booleanValue
      dateValue
    }
    responses(first: 10) {
      totalCount
      edges {
        node {
          id
          surveyId
          createdAt
          isComplete
          recording {
            id
          }
          answers {
            questionId
            value
            sentiment {
              label
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PlayerUserQuery, PlayerUserQueryVariables>;
export const RecordingListDocument = new TypedDocumentString(`
    query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {
  recordings(
    siteId: $siteId
    filter: $filter
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        sessionId
        startedAt
        durationMs
        pageViews
        clicks
        rageClicks
        uTurns
        device
        browser
        os
        country
        entryUrl
        user
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecordingListQuery, RecordingListQueryVariables>;
export const RecordingSegmentsDocument = new TypedDocumentString(`
    query RecordingSegments($siteId: ID!) {
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecordingSegmentsQuery, RecordingSegmentsQueryVariables>;
export const SegmentContextDocument = new TypedDocumentString(`
    query SegmentContext($siteId: ID!) {
  userAttributes(siteId: $siteId) {
    name
    type
  }
}
    `) as unknown as TypedDocumentString<SegmentContextQuery, SegmentContextQueryVariables>;
export const SegmentLoadDocument = new TypedDocumentString(`
    query SegmentLoad($id: ID!) {
  segment(id: $id) {
    id
    siteId
    name
    rule
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SegmentLoadQuery, SegmentLoadQueryVariables>;
export const SegmentPreviewDocument = new TypedDocumentString(`
    query SegmentPreview($siteId: ID!, $rule: JSON!) {
  users(siteId: $siteId, rule: $rule, first: 10) {
    totalCount
    edges {
      node {
        userId
        lastSeen
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SegmentPreviewQuery, SegmentPreviewQueryVariables>;
export const CreateSegmentDocument = new TypedDocumentString(`
    mutation CreateSegment($input: CreateSegmentInput!) {
  createSegment(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSegmentMutation, CreateSegmentMutationVariables>;
export const UpdateSegmentDocument = new TypedDocumentString(`
    mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {
  updateSegment(id: $id, input: $input) {
    id
    name
    rule
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<UpdateSegmentMutation, UpdateSegmentMutationVariables>;
export const DeleteSegmentDocument = new TypedDocumentString(`
    mutation DeleteSegment($id: ID!) {
  deleteSegment(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteSegmentMutation, DeleteSegmentMutationVariables>;
export const SegmentListDocument = new TypedDocumentString(`
    query SegmentList($siteId: ID!, $first: Int!, $after: String) {
  segments(siteId: $siteId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        updatedAt
        preview {
          matchingUsers
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SegmentListQuery, SegmentListQueryVariables>;
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
export const UserDetailDocument = new TypedDocumentString(`
    query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {
  user(siteId: $siteId, userId: $userId) {
    userId
    firstSeen
    lastSeen
    sessions
    device
    country
    attributes {
      name
      type
      value
      stringValue
      numberValue
      booleanValue
      dateValue
    }
    responses(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          surveyId
          createdAt
          isComplete
          recording {
            id
          }
          answers {
            questionId
            value
            sentiment {
              label
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserDetailQuery, UserDetailQueryVariables>;
export const UserRecordingsDocument = new TypedDocumentString(`
    query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {
  recordings(
    siteId: $siteId
    filter: {userId: $userId}
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        startedAt
        durationMs
        pageViews
        clicks
        rageClicks
        device
        browser
        os
        country
        entryUrl
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserRecordingsQuery, UserRecordingsQueryVariables>;
export const UserListDocument = new TypedDocumentString(`
    query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {
  users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        userId
        firstSeen
        lastSeen
        sessions
        device
        country
        attributes {
          name
          type
          value
          stringValue
          numberValue
          booleanValue
          dateValue
        }
      }
    }
  }
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserListQuery, UserListQueryVariables>;
export const SurveyNamesDocument = new TypedDocumentString(`
    query SurveyNames($siteId: ID!) {
  surveys(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
  polls(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SurveyNamesQuery, SurveyNamesQueryVariables>;
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