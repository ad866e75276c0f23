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
    "\n  query PlayerRecording($id: ID!) {\n    recording(id: $id) {\n      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl\n      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user\n    }\n  }\n": typeof types.PlayerRecordingDocument,
    "\n  query PlayerEvents($id: ID!, $after: String) {\n    recording(id: $id) {\n      id\n      events(first: 1000, after: $after) { events endCursor hasNextPage }\n    }\n  }\n": typeof types.PlayerEventsDocument,
    "\n  query PlayerUser($siteId: ID!, $userId: String!) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: 10) {\n        totalCount\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PlayerUserDocument,
    "\n  query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id sessionId startedAt durationMs pageViews clicks rageClicks uTurns\n          device browser os country entryUrl user\n        }\n      }\n    }\n  }\n": typeof types.RecordingListDocument,
    "\n  query RecordingSegments($siteId: ID!) {\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.RecordingSegmentsDocument,
    "\n  query SegmentContext($siteId: ID!) {\n    userAttributes(siteId: $siteId) { name type }\n  }\n": typeof types.SegmentContextDocument,
    "\n  query SegmentLoad($id: ID!) {\n    segment(id: $id) { id siteId name rule createdAt updatedAt }\n  }\n": typeof types.SegmentLoadDocument,
    "\n  query SegmentPreview($siteId: ID!, $rule: JSON!) {\n    users(siteId: $siteId, rule: $rule, first: 10) {\n      totalCount\n      edges { node { userId lastSeen } }\n    }\n  }\n": typeof types.SegmentPreviewDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) { id name rule updatedAt }\n  }\n": typeof types.UpdateSegmentDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n": typeof types.DeleteSegmentDocument,
    "\n  query SegmentList($siteId: ID!, $first: Int!, $after: String) {\n    segments(siteId: $siteId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name updatedAt preview { matchingUsers } } }\n    }\n  }\n": typeof types.SegmentListDocument,
    "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt }\n      }\n    }\n  }\n": typeof types.SiteListDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n": typeof types.CreateSiteDocument,
    "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    snippet\n  }\n": typeof types.SiteFieldsFragmentDoc,
    "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n": typeof types.SiteSettingsDocument,
    "\n  query SiteActivity($id: ID!) {\n    recordings(siteId: $id, first: 1) { totalCount edges { node { id startedAt } } }\n  }\n": typeof types.SiteActivityDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n": typeof types.UpdateSiteDocument,
    "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n": typeof types.RotateIdentitySecretDocument,
    "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n": typeof types.AcceptDpaDocument,
    "\n  query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions device country\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.UserDetailDocument,
    "\n  query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: { userId: $userId }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id startedAt durationMs pageViews clicks rageClicks device browser os country entryUrl } }\n    }\n  }\n": typeof types.UserRecordingsDocument,
    "\n  query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {\n    users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          userId firstSeen lastSeen sessions device country\n          attributes { name type value stringValue numberValue booleanValue dateValue }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.UserListDocument,
    "\n  query SurveyNames($siteId: ID!) {\n    surveys(siteId: $siteId, first: 100) { edges { node { id name } } }\n    polls(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.SurveyNamesDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query ApiKeyList($first: Int!, $after: String) {\n    viewer {\n      organization {\n        apiKeys(first: $first, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }\n        }\n      }\n    }\n  }\n": types.ApiKeyListDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query PlayerRecording($id: ID!) {\n    recording(id: $id) {\n      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl\n      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user\n    }\n  }\n": types.PlayerRecordingDocument,
    "\n  query PlayerEvents($id: ID!, $after: String) {\n    recording(id: $id) {\n      id\n      events(first: 1000, after: $after) { events endCursor hasNextPage }\n    }\n  }\n": types.PlayerEventsDocument,
    "\n  query PlayerUser($siteId: ID!, $userId: String!) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: 10) {\n        totalCount\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": types.PlayerUserDocument,
    "\n  query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id sessionId startedAt durationMs pageViews clicks rageClicks uTurns\n          device browser os country entryUrl user\n        }\n      }\n    }\n  }\n": types.RecordingListDocument,
    "\n  query RecordingSegments($siteId: ID!) {\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.RecordingSegmentsDocument,
    "\n  query SegmentContext($siteId: ID!) {\n    userAttributes(siteId: $siteId) { name type }\n  }\n": types.SegmentContextDocument,
    "\n  query SegmentLoad($id: ID!) {\n    segment(id: $id) { id siteId name rule createdAt updatedAt }\n  }\n": types.SegmentLoadDocument,
    "\n  query SegmentPreview($siteId: ID!, $rule: JSON!) {\n    users(siteId: $siteId, rule: $rule, first: 10) {\n      totalCount\n      edges { node { userId lastSeen } }\n    }\n  }\n": types.SegmentPreviewDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name }\n  }\n": types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) { id name rule updatedAt }\n  }\n": types.UpdateSegmentDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n": types.DeleteSegmentDocument,
    "\n  query SegmentList($siteId: ID!, $first: Int!, $after: String) {\n    segments(siteId: $siteId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name updatedAt preview { matchingUsers } } }\n    }\n  }\n": types.SegmentListDocument,
    "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt }\n      }\n    }\n  }\n": types.SiteListDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n": types.CreateSiteDocument,
    "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    snippet\n  }\n": types.SiteFieldsFragmentDoc,
    "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n": types.SiteSettingsDocument,
    "\n  query SiteActivity($id: ID!) {\n    recordings(siteId: $id, first: 1) { totalCount edges { node { id startedAt } } }\n  }\n": types.SiteActivityDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n": types.UpdateSiteDocument,
    "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n": types.RotateIdentitySecretDocument,
    "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n": types.AcceptDpaDocument,
    "\n  query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions device country\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": types.UserDetailDocument,
    "\n  query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: { userId: $userId }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id startedAt durationMs pageViews clicks rageClicks device browser os country entryUrl } }\n    }\n  }\n": types.UserRecordingsDocument,
    "\n  query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {\n    users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          userId firstSeen lastSeen sessions device country\n          attributes { name type value stringValue numberValue booleanValue dateValue }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.UserListDocument,
    "\n  query SurveyNames($siteId: ID!) {\n    surveys(siteId: $siteId, first: 100) { edges { node { id name } } }\n    polls(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.SurveyNamesDocument,
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
export function graphql(source: "\n  query PlayerRecording($id: ID!) {\n    recording(id: $id) {\n      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl\n      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user\n    }\n  }\n"): typeof import('./graphql').PlayerRecordingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlayerEvents($id: ID!, $after: String) {\n    recording(id: $id) {\n      id\n      events(first: 1000, after: $after) { events endCursor hasNextPage }\n    }\n  }\n"): typeof import('./graphql').PlayerEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlayerUser($siteId: ID!, $userId: String!) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: 10) {\n        totalCount\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PlayerUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id sessionId startedAt durationMs pageViews clicks rageClicks uTurns\n          device browser os country entryUrl user\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RecordingListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecordingSegments($siteId: ID!) {\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').RecordingSegmentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentContext($siteId: ID!) {\n    userAttributes(siteId: $siteId) { name type }\n  }\n"): typeof import('./graphql').SegmentContextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentLoad($id: ID!) {\n    segment(id: $id) { id siteId name rule createdAt updatedAt }\n  }\n"): typeof import('./graphql').SegmentLoadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentPreview($siteId: ID!, $rule: JSON!) {\n    users(siteId: $siteId, rule: $rule, first: 10) {\n      totalCount\n      edges { node { userId lastSeen } }\n    }\n  }\n"): typeof import('./graphql').SegmentPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name }\n  }\n"): typeof import('./graphql').CreateSegmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) { id name rule updatedAt }\n  }\n"): typeof import('./graphql').UpdateSegmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n"): typeof import('./graphql').DeleteSegmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentList($siteId: ID!, $first: Int!, $after: String) {\n    segments(siteId: $siteId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name updatedAt preview { matchingUsers } } }\n    }\n  }\n"): typeof import('./graphql').SegmentListDocument;
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
export function graphql(source: "\n  query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions device country\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').UserDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: { userId: $userId }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id startedAt durationMs pageViews clicks rageClicks device browser os country entryUrl } }\n    }\n  }\n"): typeof import('./graphql').UserRecordingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {\n    users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          userId firstSeen lastSeen sessions device country\n          attributes { name type value stringValue numberValue booleanValue dateValue }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').UserListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurveyNames($siteId: ID!) {\n    surveys(siteId: $siteId, first: 100) { edges { node { id name } } }\n    polls(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').SurveyNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
