// Who is using the console (role, organization, its sites), loaded once for the shell and read
// by every page with useViewer(). Pages call reload() after they change the organization's
// sites or settings.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useMemo } from 'preact/hooks';
import { graphql } from './gql';
import type { Role, ViewerQuery as ViewerData } from './gql/graphql';
import { useQuery } from './hooks';

export const ViewerQuery = graphql(`
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
          edges { node { id name } }
        }
      }
    }
  }
`);

export type Organization = ViewerData['viewer']['organization'];
export interface SiteRef {
  id: string;
  name: string;
}

export interface ViewerState {
  role: Role;
  organization: Organization;
  sites: SiteRef[];
  /** WRITE or ADMIN: may change surveys, segments, tags. */
  canWrite: boolean;
  /** ADMIN: may change sites, keys, the team, privacy. */
  isAdmin: boolean;
  reload: () => void;
}

const Ctx = createContext<ViewerState | null>(null);

export function useViewer(): ViewerState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useViewer outside ViewerProvider');
  return v;
}

/** Loads the viewer; renders `loading(…)` / `failed(…)` until it has one. */
export function ViewerProvider({
  children,
  loading,
  failed,
}: {
  children: ComponentChildren;
  loading: ComponentChildren;
  failed: (error: unknown, retry: () => void) => ComponentChildren;
}) {
  const q = useQuery(ViewerQuery, {});
  const value = useMemo<ViewerState | null>(() => {
    const v = q.data?.viewer;
    if (!v) return null;
    return {
      role: v.role,
      organization: v.organization,
      sites: v.organization.sites.edges.map((e) => e.node),
      canWrite: v.role !== 'READ',
      isAdmin: v.role === 'ADMIN',
      reload: q.reload,
    };
  }, [q.data, q.reload]);
  if (!value) return <>{q.error ? failed(q.error, q.reload) : loading}</>;
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

const LAST_SITE = 'loupe.site';

/** The site the viewer works on: the one in the URL, else the last picked, else the first. */
export function currentSiteId(path: string, sites: SiteRef[]): string | undefined {
  const m = /^\/sites\/([^/]+)/.exec(path);
  if (m) return decodeURIComponent(m[1]!);
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_SITE);
  } catch {
    /* storage disabled */
  }
  if (last && sites.some((s) => s.id === last)) return last;
  return sites[0]?.id;
}

export function rememberSite(id: string): void {
  try {
    localStorage.setItem(LAST_SITE, id);
  } catch {
    /* storage disabled */
  }
}

/** The same section for another site: /sites/1/surveys/9/edit → /sites/2/surveys. */
export function sitePath(path: string, siteId: string): string {
  const m = /^\/sites\/[^/]+(\/[^/]+)?/.exec(path);
  const section = m?.[1] ?? '';
  return `/sites/${encodeURIComponent(siteId)}${section}`;
}
