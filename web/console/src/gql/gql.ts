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
    "\n  query AccountPage {\n    viewer {\n      account {\n        id email name twoFactorEnabled createdAt\n        sessions { id current device createdAt lastSeenAt expiresAt }\n      }\n    }\n  }\n": typeof types.AccountPageDocument,
    "\n  mutation UpdateAccount($name: String) {\n    updateAccount(name: $name) { id name }\n  }\n": typeof types.UpdateAccountDocument,
    "\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": typeof types.SignOutEverywhereDocument,
    "\n  mutation StartTwoFactor {\n    startTwoFactor { secret otpauthUri }\n  }\n": typeof types.StartTwoFactorDocument,
    "\n  mutation ConfirmTwoFactor($code: String!) {\n    confirmTwoFactor(code: $code)\n  }\n": typeof types.ConfirmTwoFactorDocument,
    "\n  mutation DisableTwoFactor($password: String!) {\n    disableTwoFactor(password: $password)\n  }\n": typeof types.DisableTwoFactorDocument,
    "\n  query ApiKeyList($first: Int!, $after: String) {\n    viewer {\n      organization {\n        apiKeys(first: $first, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }\n        }\n      }\n    }\n  }\n": typeof types.ApiKeyListDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query HeatmapPages($siteId: ID!, $from: DateTime) {\n    heatmapPages(siteId: $siteId, from: $from, first: 100) { url pageViews clicks }\n    site(id: $siteId) { id recordingEnabled heatmapsEnabled }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.HeatmapPagesDocument,
    "\n  query Heatmap($siteId: ID!, $url: String!, $device: HeatmapDevice!, $kind: HeatmapKind!, $from: DateTime, $segmentId: ID) {\n    heatmap(siteId: $siteId, url: $url, device: $device, kind: $kind, from: $from, segmentId: $segmentId) {\n      url pageViews clicks documentWidth documentHeight referenceWidth binSize averageFold\n      sample { recordings complete }\n      points { x y count }\n      elements { selector clicks share }\n      scroll { depth share }\n    }\n  }\n": typeof types.HeatmapDocument,
    "\n  query HeatmapSnapshot($siteId: ID!, $url: String!, $device: HeatmapDevice!) {\n    heatmapSnapshot(siteId: $siteId, url: $url, device: $device) { recordingId timestamp event }\n  }\n": typeof types.HeatmapSnapshotDocument,
    "\n  query InviteLink($token: String!) {\n    invite(token: $token) { organizationName role email expiresAt setup }\n  }\n": typeof types.InviteLinkDocument,
    "\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) { account { id } organization { id name } }\n  }\n": typeof types.AcceptInviteDocument,
    "\n  query InviteWhoAmI {\n    viewer { account { email } }\n  }\n": typeof types.InviteWhoAmIDocument,
    "\n  mutation JoinOrganization($token: String!) {\n    joinOrganization(token: $token) { id name role }\n  }\n": typeof types.JoinOrganizationDocument,
    "\n  query PlayerRecording($id: ID!) {\n    recording(id: $id) {\n      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl\n      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user\n      responses {\n        id surveyId createdAt isComplete\n        recording { id }\n        answers { questionId value sentiment { label } }\n      }\n    }\n  }\n": typeof types.PlayerRecordingDocument,
    "\n  query PlayerEvents($id: ID!, $after: String) {\n    recording(id: $id) {\n      id\n      events(first: 1000, after: $after) { events endCursor hasNextPage }\n    }\n  }\n": typeof types.PlayerEventsDocument,
    "\n  query PlayerUser($siteId: ID!, $userId: String!) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: 10) {\n        totalCount\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PlayerUserDocument,
    "\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id createdAt action apiKeyId accountId siteId subjectHash counts } }\n    }\n    viewer { organization { members { account { id email } } } }\n  }\n": typeof types.AuditLogDocument,
    "\n  mutation LookupPersonalData($input: PersonalDataInput!) {\n    lookupPersonalData(input: $input)\n  }\n": typeof types.LookupPersonalDataDocument,
    "\n  mutation DeletePersonalData($input: PersonalDataInput!) {\n    deletePersonalData(input: $input)\n  }\n": typeof types.DeletePersonalDataDocument,
    "\n  mutation PurgeUrls($siteId: ID!, $pattern: String!) {\n    purgeUrls(siteId: $siteId, pattern: $pattern)\n  }\n": typeof types.PurgeUrlsDocument,
    "\n  mutation PurgeTimeRange($siteId: ID!, $from: DateTime!, $to: DateTime!, $kinds: [PurgeKind!]!) {\n    purgeTimeRange(siteId: $siteId, from: $from, to: $to, kinds: $kinds)\n  }\n": typeof types.PurgeTimeRangeDocument,
    "\n  query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id sessionId startedAt durationMs pageViews clicks rageClicks uTurns\n          device browser os country entryUrl user\n        }\n      }\n    }\n  }\n": typeof types.RecordingListDocument,
    "\n  query RecordingSegments($siteId: ID!) {\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.RecordingSegmentsDocument,
    "\n  query Results($id: ID!, $siteId: ID!, $filter: ResponseFilterInput) {\n    survey(id: $id) {\n      id siteId name kind status sentimentEnabled createdAt\n      questions { id key type prompt options }\n      summary(filter: $filter) {\n        responses complete\n        sentiment { positive neutral negative unscored }\n        tags { tag count }\n        questions {\n          question { id key type prompt }\n          answered skipped other average textAnswers\n          choices { choice count }\n          distribution { value count }\n          nps { score promoters passives detractors }\n          sentiment { positive neutral negative unscored }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.ResultsDocument,
    "\n  query NpsTrend(\n    $id: ID!\n    $f0: ResponseFilterInput\n    $f1: ResponseFilterInput\n    $f2: ResponseFilterInput\n    $f3: ResponseFilterInput\n    $f4: ResponseFilterInput\n    $f5: ResponseFilterInput\n    $f6: ResponseFilterInput\n    $f7: ResponseFilterInput\n  ) {\n    survey(id: $id) {\n      b0: summary(filter: $f0) { ...TrendSlice }\n      b1: summary(filter: $f1) { ...TrendSlice }\n      b2: summary(filter: $f2) { ...TrendSlice }\n      b3: summary(filter: $f3) { ...TrendSlice }\n      b4: summary(filter: $f4) { ...TrendSlice }\n      b5: summary(filter: $f5) { ...TrendSlice }\n      b6: summary(filter: $f6) { ...TrendSlice }\n      b7: summary(filter: $f7) { ...TrendSlice }\n    }\n  }\n": typeof types.NpsTrendDocument,
    "\n  fragment TrendSlice on SurveySummary {\n    questions { question { id } nps { promoters passives detractors } }\n  }\n": typeof types.TrendSliceFragmentDoc,
    "\n  query ResponsesPage($surveyId: ID!, $filter: ResponseFilterInput, $first: Int!, $after: String) {\n    responses(surveyId: $surveyId, filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt isComplete visitorId userId userAttributes device browser os country pageUrl hiddenFields tags\n          answers { questionId value other comment sentiment { label score } }\n          recording { id }\n        }\n      }\n    }\n  }\n": typeof types.ResponsesPageDocument,
    "\n  query SegmentContext($siteId: ID!) {\n    userAttributes(siteId: $siteId) { name type }\n  }\n": typeof types.SegmentContextDocument,
    "\n  query SegmentLoad($id: ID!) {\n    segment(id: $id) { id siteId name rule createdAt updatedAt }\n  }\n": typeof types.SegmentLoadDocument,
    "\n  query SegmentPreview($siteId: ID!, $rule: JSON!) {\n    users(siteId: $siteId, rule: $rule, first: 10) {\n      totalCount\n      edges { node { userId lastSeen } }\n    }\n  }\n": typeof types.SegmentPreviewDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) { id name rule updatedAt }\n  }\n": typeof types.UpdateSegmentDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n": typeof types.DeleteSegmentDocument,
    "\n  query SegmentList($siteId: ID!, $first: Int!, $after: String) {\n    segments(siteId: $siteId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name updatedAt preview { matchingUsers } } }\n    }\n  }\n": typeof types.SegmentListDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { account { id } organization { id } }\n  }\n": typeof types.SignInDocument,
    "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt lastDataAt }\n      }\n    }\n  }\n": typeof types.SiteListDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n": typeof types.CreateSiteDocument,
    "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    lastDataAt\n    snippet\n  }\n": typeof types.SiteFieldsFragmentDoc,
    "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n": typeof types.SiteSettingsDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n": typeof types.UpdateSiteDocument,
    "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n": typeof types.RotateIdentitySecretDocument,
    "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n": typeof types.AcceptDpaDocument,
    "\n  query SurveyEdit($id: ID!) {\n    survey(id: $id) {\n      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt\n      targeting {\n        urlRules { kind value exclude }\n        devices samplingPercent startsAt endsAt frequency segmentId\n      }\n      questions {\n        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle\n        logic { operator value values number goTo }\n      }\n    }\n  }\n": typeof types.SurveyEditDocument,
    "\n  query BuilderSite($siteId: ID!) {\n    site(id: $siteId) {\n      id name identifyEnabled\n      theme { primary background text position font }\n    }\n    segments(siteId: $siteId, first: 100) {\n      edges { node { id name } }\n    }\n  }\n": typeof types.BuilderSiteDocument,
    "\n  mutation CreateSurvey($input: CreateSurveyInput!) {\n    createSurvey(input: $input) { id name }\n  }\n": typeof types.CreateSurveyDocument,
    "\n  mutation UpdateSurvey($id: ID!, $input: UpdateSurveyInput!) {\n    updateSurvey(id: $id, input: $input) {\n      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt\n      targeting {\n        urlRules { kind value exclude }\n        devices samplingPercent startsAt endsAt frequency segmentId\n      }\n      questions {\n        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle\n        logic { operator value values number goTo }\n      }\n    }\n  }\n": typeof types.UpdateSurveyDocument,
    "\n  mutation BuilderSetStatus($id: ID!, $status: SurveyStatus!) {\n    setSurveyStatus(id: $id, status: $status) { id status updatedAt }\n  }\n": typeof types.BuilderSetStatusDocument,
    "\n  mutation SetSurveySentiment($id: ID!, $enabled: Boolean!) {\n    setSurveySentiment(id: $id, enabled: $enabled) { id sentimentEnabled sentimentEnabledAt }\n  }\n": typeof types.SetSurveySentimentDocument,
    "\n  mutation RotateSurveyLink($id: ID!) {\n    rotateSurveyLink(id: $id) { id linkUrl }\n  }\n": typeof types.RotateSurveyLinkDocument,
    "\n  query SurveyList($siteId: ID!, $kind: SurveyKind!, $status: SurveyStatus, $first: Int!, $after: String) {\n    surveys(siteId: $siteId, kind: $kind, status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id name kind status distribution createdAt updatedAt\n          questions { id }\n          responseCount completeCount\n        }\n      }\n    }\n  }\n": typeof types.SurveyListDocument,
    "\n  mutation SetSurveyStatus($id: ID!, $status: SurveyStatus!) {\n    setSurveyStatus(id: $id, status: $status) { id status updatedAt }\n  }\n": typeof types.SetSurveyStatusDocument,
    "\n  mutation DuplicateSurvey($id: ID!) {\n    duplicateSurvey(id: $id) { id name }\n  }\n": typeof types.DuplicateSurveyDocument,
    "\n  query TeamPage($admin: Boolean!) {\n    viewer {\n      account { id }\n      organization {\n        members { account { id email name twoFactorEnabled } role disabled createdAt lastSignInAt }\n        invites @include(if: $admin) { id email role expiresAt createdAt }\n      }\n    }\n  }\n": typeof types.TeamPageDocument,
    "\n  mutation UpdateMember($accountId: ID!, $input: UpdateMemberInput!) {\n    updateMember(accountId: $accountId, input: $input) { role disabled }\n  }\n": typeof types.UpdateMemberDocument,
    "\n  mutation RemoveMember($accountId: ID!) {\n    removeMember(accountId: $accountId)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation CreateInvite($input: CreateInviteInput!) {\n    createInvite(input: $input) { url invite { id email role expiresAt } }\n  }\n": typeof types.CreateInviteDocument,
    "\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id)\n  }\n": typeof types.RevokeInviteDocument,
    "\n  query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions device country\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.UserDetailDocument,
    "\n  query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: { userId: $userId }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id startedAt durationMs pageViews clicks rageClicks device browser os country entryUrl } }\n    }\n  }\n": typeof types.UserRecordingsDocument,
    "\n  query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {\n    users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          userId firstSeen lastSeen sessions device country\n          attributes { name type value stringValue numberValue booleanValue dateValue }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.UserListDocument,
    "\n  query SurveyNames($siteId: ID!) {\n    surveys(siteId: $siteId, first: 100) { edges { node { id name } } }\n    polls(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": typeof types.SurveyNamesDocument,
    "\n  query ShellAccount {\n    viewer {\n      account { id email name }\n      organizations { id name role }\n    }\n  }\n": typeof types.ShellAccountDocument,
    "\n  mutation SwitchOrganization($id: ID!) {\n    switchOrganization(organizationId: $id) { id name role }\n  }\n": typeof types.SwitchOrganizationDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query AccountPage {\n    viewer {\n      account {\n        id email name twoFactorEnabled createdAt\n        sessions { id current device createdAt lastSeenAt expiresAt }\n      }\n    }\n  }\n": types.AccountPageDocument,
    "\n  mutation UpdateAccount($name: String) {\n    updateAccount(name: $name) { id name }\n  }\n": types.UpdateAccountDocument,
    "\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": types.RevokeSessionDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": types.SignOutEverywhereDocument,
    "\n  mutation StartTwoFactor {\n    startTwoFactor { secret otpauthUri }\n  }\n": types.StartTwoFactorDocument,
    "\n  mutation ConfirmTwoFactor($code: String!) {\n    confirmTwoFactor(code: $code)\n  }\n": types.ConfirmTwoFactorDocument,
    "\n  mutation DisableTwoFactor($password: String!) {\n    disableTwoFactor(password: $password)\n  }\n": types.DisableTwoFactorDocument,
    "\n  query ApiKeyList($first: Int!, $after: String) {\n    viewer {\n      organization {\n        apiKeys(first: $first, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }\n        }\n      }\n    }\n  }\n": types.ApiKeyListDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query HeatmapPages($siteId: ID!, $from: DateTime) {\n    heatmapPages(siteId: $siteId, from: $from, first: 100) { url pageViews clicks }\n    site(id: $siteId) { id recordingEnabled heatmapsEnabled }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.HeatmapPagesDocument,
    "\n  query Heatmap($siteId: ID!, $url: String!, $device: HeatmapDevice!, $kind: HeatmapKind!, $from: DateTime, $segmentId: ID) {\n    heatmap(siteId: $siteId, url: $url, device: $device, kind: $kind, from: $from, segmentId: $segmentId) {\n      url pageViews clicks documentWidth documentHeight referenceWidth binSize averageFold\n      sample { recordings complete }\n      points { x y count }\n      elements { selector clicks share }\n      scroll { depth share }\n    }\n  }\n": types.HeatmapDocument,
    "\n  query HeatmapSnapshot($siteId: ID!, $url: String!, $device: HeatmapDevice!) {\n    heatmapSnapshot(siteId: $siteId, url: $url, device: $device) { recordingId timestamp event }\n  }\n": types.HeatmapSnapshotDocument,
    "\n  query InviteLink($token: String!) {\n    invite(token: $token) { organizationName role email expiresAt setup }\n  }\n": types.InviteLinkDocument,
    "\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) { account { id } organization { id name } }\n  }\n": types.AcceptInviteDocument,
    "\n  query InviteWhoAmI {\n    viewer { account { email } }\n  }\n": types.InviteWhoAmIDocument,
    "\n  mutation JoinOrganization($token: String!) {\n    joinOrganization(token: $token) { id name role }\n  }\n": types.JoinOrganizationDocument,
    "\n  query PlayerRecording($id: ID!) {\n    recording(id: $id) {\n      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl\n      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user\n      responses {\n        id surveyId createdAt isComplete\n        recording { id }\n        answers { questionId value sentiment { label } }\n      }\n    }\n  }\n": types.PlayerRecordingDocument,
    "\n  query PlayerEvents($id: ID!, $after: String) {\n    recording(id: $id) {\n      id\n      events(first: 1000, after: $after) { events endCursor hasNextPage }\n    }\n  }\n": types.PlayerEventsDocument,
    "\n  query PlayerUser($siteId: ID!, $userId: String!) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: 10) {\n        totalCount\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": types.PlayerUserDocument,
    "\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id createdAt action apiKeyId accountId siteId subjectHash counts } }\n    }\n    viewer { organization { members { account { id email } } } }\n  }\n": types.AuditLogDocument,
    "\n  mutation LookupPersonalData($input: PersonalDataInput!) {\n    lookupPersonalData(input: $input)\n  }\n": types.LookupPersonalDataDocument,
    "\n  mutation DeletePersonalData($input: PersonalDataInput!) {\n    deletePersonalData(input: $input)\n  }\n": types.DeletePersonalDataDocument,
    "\n  mutation PurgeUrls($siteId: ID!, $pattern: String!) {\n    purgeUrls(siteId: $siteId, pattern: $pattern)\n  }\n": types.PurgeUrlsDocument,
    "\n  mutation PurgeTimeRange($siteId: ID!, $from: DateTime!, $to: DateTime!, $kinds: [PurgeKind!]!) {\n    purgeTimeRange(siteId: $siteId, from: $from, to: $to, kinds: $kinds)\n  }\n": types.PurgeTimeRangeDocument,
    "\n  query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id sessionId startedAt durationMs pageViews clicks rageClicks uTurns\n          device browser os country entryUrl user\n        }\n      }\n    }\n  }\n": types.RecordingListDocument,
    "\n  query RecordingSegments($siteId: ID!) {\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.RecordingSegmentsDocument,
    "\n  query Results($id: ID!, $siteId: ID!, $filter: ResponseFilterInput) {\n    survey(id: $id) {\n      id siteId name kind status sentimentEnabled createdAt\n      questions { id key type prompt options }\n      summary(filter: $filter) {\n        responses complete\n        sentiment { positive neutral negative unscored }\n        tags { tag count }\n        questions {\n          question { id key type prompt }\n          answered skipped other average textAnswers\n          choices { choice count }\n          distribution { value count }\n          nps { score promoters passives detractors }\n          sentiment { positive neutral negative unscored }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.ResultsDocument,
    "\n  query NpsTrend(\n    $id: ID!\n    $f0: ResponseFilterInput\n    $f1: ResponseFilterInput\n    $f2: ResponseFilterInput\n    $f3: ResponseFilterInput\n    $f4: ResponseFilterInput\n    $f5: ResponseFilterInput\n    $f6: ResponseFilterInput\n    $f7: ResponseFilterInput\n  ) {\n    survey(id: $id) {\n      b0: summary(filter: $f0) { ...TrendSlice }\n      b1: summary(filter: $f1) { ...TrendSlice }\n      b2: summary(filter: $f2) { ...TrendSlice }\n      b3: summary(filter: $f3) { ...TrendSlice }\n      b4: summary(filter: $f4) { ...TrendSlice }\n      b5: summary(filter: $f5) { ...TrendSlice }\n      b6: summary(filter: $f6) { ...TrendSlice }\n      b7: summary(filter: $f7) { ...TrendSlice }\n    }\n  }\n": types.NpsTrendDocument,
    "\n  fragment TrendSlice on SurveySummary {\n    questions { question { id } nps { promoters passives detractors } }\n  }\n": types.TrendSliceFragmentDoc,
    "\n  query ResponsesPage($surveyId: ID!, $filter: ResponseFilterInput, $first: Int!, $after: String) {\n    responses(surveyId: $surveyId, filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt isComplete visitorId userId userAttributes device browser os country pageUrl hiddenFields tags\n          answers { questionId value other comment sentiment { label score } }\n          recording { id }\n        }\n      }\n    }\n  }\n": types.ResponsesPageDocument,
    "\n  query SegmentContext($siteId: ID!) {\n    userAttributes(siteId: $siteId) { name type }\n  }\n": types.SegmentContextDocument,
    "\n  query SegmentLoad($id: ID!) {\n    segment(id: $id) { id siteId name rule createdAt updatedAt }\n  }\n": types.SegmentLoadDocument,
    "\n  query SegmentPreview($siteId: ID!, $rule: JSON!) {\n    users(siteId: $siteId, rule: $rule, first: 10) {\n      totalCount\n      edges { node { userId lastSeen } }\n    }\n  }\n": types.SegmentPreviewDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name }\n  }\n": types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) { id name rule updatedAt }\n  }\n": types.UpdateSegmentDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n": types.DeleteSegmentDocument,
    "\n  query SegmentList($siteId: ID!, $first: Int!, $after: String) {\n    segments(siteId: $siteId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name updatedAt preview { matchingUsers } } }\n    }\n  }\n": types.SegmentListDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { account { id } organization { id } }\n  }\n": types.SignInDocument,
    "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt lastDataAt }\n      }\n    }\n  }\n": types.SiteListDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n": types.CreateSiteDocument,
    "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    lastDataAt\n    snippet\n  }\n": types.SiteFieldsFragmentDoc,
    "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n": types.SiteSettingsDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) { ...SiteFields }\n  }\n": types.UpdateSiteDocument,
    "\n  mutation RotateIdentitySecret($siteId: ID!) {\n    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }\n  }\n": types.RotateIdentitySecretDocument,
    "\n  mutation AcceptDpa {\n    acceptDataProcessingAgreement { id dpaAcceptedAt }\n  }\n": types.AcceptDpaDocument,
    "\n  query SurveyEdit($id: ID!) {\n    survey(id: $id) {\n      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt\n      targeting {\n        urlRules { kind value exclude }\n        devices samplingPercent startsAt endsAt frequency segmentId\n      }\n      questions {\n        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle\n        logic { operator value values number goTo }\n      }\n    }\n  }\n": types.SurveyEditDocument,
    "\n  query BuilderSite($siteId: ID!) {\n    site(id: $siteId) {\n      id name identifyEnabled\n      theme { primary background text position font }\n    }\n    segments(siteId: $siteId, first: 100) {\n      edges { node { id name } }\n    }\n  }\n": types.BuilderSiteDocument,
    "\n  mutation CreateSurvey($input: CreateSurveyInput!) {\n    createSurvey(input: $input) { id name }\n  }\n": types.CreateSurveyDocument,
    "\n  mutation UpdateSurvey($id: ID!, $input: UpdateSurveyInput!) {\n    updateSurvey(id: $id, input: $input) {\n      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt\n      targeting {\n        urlRules { kind value exclude }\n        devices samplingPercent startsAt endsAt frequency segmentId\n      }\n      questions {\n        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle\n        logic { operator value values number goTo }\n      }\n    }\n  }\n": types.UpdateSurveyDocument,
    "\n  mutation BuilderSetStatus($id: ID!, $status: SurveyStatus!) {\n    setSurveyStatus(id: $id, status: $status) { id status updatedAt }\n  }\n": types.BuilderSetStatusDocument,
    "\n  mutation SetSurveySentiment($id: ID!, $enabled: Boolean!) {\n    setSurveySentiment(id: $id, enabled: $enabled) { id sentimentEnabled sentimentEnabledAt }\n  }\n": types.SetSurveySentimentDocument,
    "\n  mutation RotateSurveyLink($id: ID!) {\n    rotateSurveyLink(id: $id) { id linkUrl }\n  }\n": types.RotateSurveyLinkDocument,
    "\n  query SurveyList($siteId: ID!, $kind: SurveyKind!, $status: SurveyStatus, $first: Int!, $after: String) {\n    surveys(siteId: $siteId, kind: $kind, status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id name kind status distribution createdAt updatedAt\n          questions { id }\n          responseCount completeCount\n        }\n      }\n    }\n  }\n": types.SurveyListDocument,
    "\n  mutation SetSurveyStatus($id: ID!, $status: SurveyStatus!) {\n    setSurveyStatus(id: $id, status: $status) { id status updatedAt }\n  }\n": types.SetSurveyStatusDocument,
    "\n  mutation DuplicateSurvey($id: ID!) {\n    duplicateSurvey(id: $id) { id name }\n  }\n": types.DuplicateSurveyDocument,
    "\n  query TeamPage($admin: Boolean!) {\n    viewer {\n      account { id }\n      organization {\n        members { account { id email name twoFactorEnabled } role disabled createdAt lastSignInAt }\n        invites @include(if: $admin) { id email role expiresAt createdAt }\n      }\n    }\n  }\n": types.TeamPageDocument,
    "\n  mutation UpdateMember($accountId: ID!, $input: UpdateMemberInput!) {\n    updateMember(accountId: $accountId, input: $input) { role disabled }\n  }\n": types.UpdateMemberDocument,
    "\n  mutation RemoveMember($accountId: ID!) {\n    removeMember(accountId: $accountId)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation CreateInvite($input: CreateInviteInput!) {\n    createInvite(input: $input) { url invite { id email role expiresAt } }\n  }\n": types.CreateInviteDocument,
    "\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id)\n  }\n": types.RevokeInviteDocument,
    "\n  query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    user(siteId: $siteId, userId: $userId) {\n      userId firstSeen lastSeen sessions device country\n      attributes { name type value stringValue numberValue booleanValue dateValue }\n      responses(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id surveyId createdAt isComplete\n            recording { id }\n            answers { questionId value sentiment { label } }\n          }\n        }\n      }\n    }\n  }\n": types.UserDetailDocument,
    "\n  query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {\n    recordings(siteId: $siteId, filter: { userId: $userId }, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id startedAt durationMs pageViews clicks rageClicks device browser os country entryUrl } }\n    }\n  }\n": types.UserRecordingsDocument,
    "\n  query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {\n    users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          userId firstSeen lastSeen sessions device country\n          attributes { name type value stringValue numberValue booleanValue dateValue }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.UserListDocument,
    "\n  query SurveyNames($siteId: ID!) {\n    surveys(siteId: $siteId, first: 100) { edges { node { id name } } }\n    polls(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n": types.SurveyNamesDocument,
    "\n  query ShellAccount {\n    viewer {\n      account { id email name }\n      organizations { id name role }\n    }\n  }\n": types.ShellAccountDocument,
    "\n  mutation SwitchOrganization($id: ID!) {\n    switchOrganization(organizationId: $id) { id name role }\n  }\n": types.SwitchOrganizationDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountPage {\n    viewer {\n      account {\n        id email name twoFactorEnabled createdAt\n        sessions { id current device createdAt lastSeenAt expiresAt }\n      }\n    }\n  }\n"): typeof import('./graphql').AccountPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAccount($name: String) {\n    updateAccount(name: $name) { id name }\n  }\n"): typeof import('./graphql').UpdateAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next)\n  }\n"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"): typeof import('./graphql').RevokeSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"): typeof import('./graphql').SignOutEverywhereDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTwoFactor {\n    startTwoFactor { secret otpauthUri }\n  }\n"): typeof import('./graphql').StartTwoFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTwoFactor($code: String!) {\n    confirmTwoFactor(code: $code)\n  }\n"): typeof import('./graphql').ConfirmTwoFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTwoFactor($password: String!) {\n    disableTwoFactor(password: $password)\n  }\n"): typeof import('./graphql').DisableTwoFactorDocument;
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
export function graphql(source: "\n  query HeatmapPages($siteId: ID!, $from: DateTime) {\n    heatmapPages(siteId: $siteId, from: $from, first: 100) { url pageViews clicks }\n    site(id: $siteId) { id recordingEnabled heatmapsEnabled }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').HeatmapPagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Heatmap($siteId: ID!, $url: String!, $device: HeatmapDevice!, $kind: HeatmapKind!, $from: DateTime, $segmentId: ID) {\n    heatmap(siteId: $siteId, url: $url, device: $device, kind: $kind, from: $from, segmentId: $segmentId) {\n      url pageViews clicks documentWidth documentHeight referenceWidth binSize averageFold\n      sample { recordings complete }\n      points { x y count }\n      elements { selector clicks share }\n      scroll { depth share }\n    }\n  }\n"): typeof import('./graphql').HeatmapDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HeatmapSnapshot($siteId: ID!, $url: String!, $device: HeatmapDevice!) {\n    heatmapSnapshot(siteId: $siteId, url: $url, device: $device) { recordingId timestamp event }\n  }\n"): typeof import('./graphql').HeatmapSnapshotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InviteLink($token: String!) {\n    invite(token: $token) { organizationName role email expiresAt setup }\n  }\n"): typeof import('./graphql').InviteLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) { account { id } organization { id name } }\n  }\n"): typeof import('./graphql').AcceptInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InviteWhoAmI {\n    viewer { account { email } }\n  }\n"): typeof import('./graphql').InviteWhoAmIDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinOrganization($token: String!) {\n    joinOrganization(token: $token) { id name role }\n  }\n"): typeof import('./graphql').JoinOrganizationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlayerRecording($id: ID!) {\n    recording(id: $id) {\n      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl\n      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user\n      responses {\n        id surveyId createdAt isComplete\n        recording { id }\n        answers { questionId value sentiment { label } }\n      }\n    }\n  }\n"): typeof import('./graphql').PlayerRecordingDocument;
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
export function graphql(source: "\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id createdAt action apiKeyId accountId siteId subjectHash counts } }\n    }\n    viewer { organization { members { account { id email } } } }\n  }\n"): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LookupPersonalData($input: PersonalDataInput!) {\n    lookupPersonalData(input: $input)\n  }\n"): typeof import('./graphql').LookupPersonalDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletePersonalData($input: PersonalDataInput!) {\n    deletePersonalData(input: $input)\n  }\n"): typeof import('./graphql').DeletePersonalDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PurgeUrls($siteId: ID!, $pattern: String!) {\n    purgeUrls(siteId: $siteId, pattern: $pattern)\n  }\n"): typeof import('./graphql').PurgeUrlsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PurgeTimeRange($siteId: ID!, $from: DateTime!, $to: DateTime!, $kinds: [PurgeKind!]!) {\n    purgeTimeRange(siteId: $siteId, from: $from, to: $to, kinds: $kinds)\n  }\n"): typeof import('./graphql').PurgeTimeRangeDocument;
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
export function graphql(source: "\n  query Results($id: ID!, $siteId: ID!, $filter: ResponseFilterInput) {\n    survey(id: $id) {\n      id siteId name kind status sentimentEnabled createdAt\n      questions { id key type prompt options }\n      summary(filter: $filter) {\n        responses complete\n        sentiment { positive neutral negative unscored }\n        tags { tag count }\n        questions {\n          question { id key type prompt }\n          answered skipped other average textAnswers\n          choices { choice count }\n          distribution { value count }\n          nps { score promoters passives detractors }\n          sentiment { positive neutral negative unscored }\n        }\n      }\n    }\n    segments(siteId: $siteId, first: 100) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').ResultsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NpsTrend(\n    $id: ID!\n    $f0: ResponseFilterInput\n    $f1: ResponseFilterInput\n    $f2: ResponseFilterInput\n    $f3: ResponseFilterInput\n    $f4: ResponseFilterInput\n    $f5: ResponseFilterInput\n    $f6: ResponseFilterInput\n    $f7: ResponseFilterInput\n  ) {\n    survey(id: $id) {\n      b0: summary(filter: $f0) { ...TrendSlice }\n      b1: summary(filter: $f1) { ...TrendSlice }\n      b2: summary(filter: $f2) { ...TrendSlice }\n      b3: summary(filter: $f3) { ...TrendSlice }\n      b4: summary(filter: $f4) { ...TrendSlice }\n      b5: summary(filter: $f5) { ...TrendSlice }\n      b6: summary(filter: $f6) { ...TrendSlice }\n      b7: summary(filter: $f7) { ...TrendSlice }\n    }\n  }\n"): typeof import('./graphql').NpsTrendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrendSlice on SurveySummary {\n    questions { question { id } nps { promoters passives detractors } }\n  }\n"): typeof import('./graphql').TrendSliceFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResponsesPage($surveyId: ID!, $filter: ResponseFilterInput, $first: Int!, $after: String) {\n    responses(surveyId: $surveyId, filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt isComplete visitorId userId userAttributes device browser os country pageUrl hiddenFields tags\n          answers { questionId value other comment sentiment { label score } }\n          recording { id }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ResponsesPageDocument;
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
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { account { id } organization { id } }\n  }\n"): typeof import('./graphql').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteList($first: Int!, $after: String) {\n    sites(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt lastDataAt }\n      }\n    }\n  }\n"): typeof import('./graphql').SiteListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) { id name }\n  }\n"): typeof import('./graphql').CreateSiteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SiteFields on Site {\n    id\n    name\n    allowedDomains\n    identifyEnabled\n    retentionDays\n    surveyCooldownDays\n    maskInputs\n    urlAllowedParams\n    urlPatterns\n    recordingEnabled\n    recordingSamplePercent\n    maskAllText\n    requireConsent\n    identityVerification\n    hasIdentitySecret\n    theme { primary background text position font }\n    createdAt\n    updatedAt\n    lastDataAt\n    snippet\n  }\n"): typeof import('./graphql').SiteFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteSettings($id: ID!) {\n    site(id: $id) { ...SiteFields }\n  }\n"): typeof import('./graphql').SiteSettingsDocument;
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
export function graphql(source: "\n  query SurveyEdit($id: ID!) {\n    survey(id: $id) {\n      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt\n      targeting {\n        urlRules { kind value exclude }\n        devices samplingPercent startsAt endsAt frequency segmentId\n      }\n      questions {\n        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle\n        logic { operator value values number goTo }\n      }\n    }\n  }\n"): typeof import('./graphql').SurveyEditDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BuilderSite($siteId: ID!) {\n    site(id: $siteId) {\n      id name identifyEnabled\n      theme { primary background text position font }\n    }\n    segments(siteId: $siteId, first: 100) {\n      edges { node { id name } }\n    }\n  }\n"): typeof import('./graphql').BuilderSiteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSurvey($input: CreateSurveyInput!) {\n    createSurvey(input: $input) { id name }\n  }\n"): typeof import('./graphql').CreateSurveyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSurvey($id: ID!, $input: UpdateSurveyInput!) {\n    updateSurvey(id: $id, input: $input) {\n      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt\n      targeting {\n        urlRules { kind value exclude }\n        devices samplingPercent startsAt endsAt frequency segmentId\n      }\n      questions {\n        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle\n        logic { operator value values number goTo }\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateSurveyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BuilderSetStatus($id: ID!, $status: SurveyStatus!) {\n    setSurveyStatus(id: $id, status: $status) { id status updatedAt }\n  }\n"): typeof import('./graphql').BuilderSetStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetSurveySentiment($id: ID!, $enabled: Boolean!) {\n    setSurveySentiment(id: $id, enabled: $enabled) { id sentimentEnabled sentimentEnabledAt }\n  }\n"): typeof import('./graphql').SetSurveySentimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateSurveyLink($id: ID!) {\n    rotateSurveyLink(id: $id) { id linkUrl }\n  }\n"): typeof import('./graphql').RotateSurveyLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurveyList($siteId: ID!, $kind: SurveyKind!, $status: SurveyStatus, $first: Int!, $after: String) {\n    surveys(siteId: $siteId, kind: $kind, status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id name kind status distribution createdAt updatedAt\n          questions { id }\n          responseCount completeCount\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SurveyListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetSurveyStatus($id: ID!, $status: SurveyStatus!) {\n    setSurveyStatus(id: $id, status: $status) { id status updatedAt }\n  }\n"): typeof import('./graphql').SetSurveyStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DuplicateSurvey($id: ID!) {\n    duplicateSurvey(id: $id) { id name }\n  }\n"): typeof import('./graphql').DuplicateSurveyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamPage($admin: Boolean!) {\n    viewer {\n      account { id }\n      organization {\n        members { account { id email name twoFactorEnabled } role disabled createdAt lastSignInAt }\n        invites @include(if: $admin) { id email role expiresAt createdAt }\n      }\n    }\n  }\n"): typeof import('./graphql').TeamPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMember($accountId: ID!, $input: UpdateMemberInput!) {\n    updateMember(accountId: $accountId, input: $input) { role disabled }\n  }\n"): typeof import('./graphql').UpdateMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($accountId: ID!) {\n    removeMember(accountId: $accountId)\n  }\n"): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInvite($input: CreateInviteInput!) {\n    createInvite(input: $input) { url invite { id email role expiresAt } }\n  }\n"): typeof import('./graphql').CreateInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id)\n  }\n"): typeof import('./graphql').RevokeInviteDocument;
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
export function graphql(source: "\n  query ShellAccount {\n    viewer {\n      account { id email name }\n      organizations { id name role }\n    }\n  }\n"): typeof import('./graphql').ShellAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchOrganization($id: ID!) {\n    switchOrganization(organizationId: $id) { id name role }\n  }\n"): typeof import('./graphql').SwitchOrganizationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): typeof import('./graphql').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      organization {\n        id\n        name\n        plan\n        dpaAcceptedAt\n        sites(first: 100) {\n          totalCount\n          edges { node { id name } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
