// The frame around every signed-in page: header (organization, site picker), sidebar nav and
// the one <main>.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { AccountControls, OrgSwitcher, useShellAccount } from './shell-account';
import { currentSiteId, rememberSite, sitePath, useViewer } from './viewer';

interface NavItem {
  label: string;
  href: string;
  /** Paths that mark the item current. */
  match: RegExp;
}

function navItems(site: string | undefined): NavItem[] {
  const s = site ? `/sites/${encodeURIComponent(site)}` : '/sites';
  return [
    { label: 'Sites', href: '/sites', match: /^\/sites(\/[^/]+)?\/?$/ },
    { label: 'Surveys', href: site ? `${s}/surveys` : '/sites', match: /^\/sites\/[^/]+\/surveys/ },
    { label: 'Recordings', href: site ? `${s}/recordings` : '/sites', match: /^\/sites\/[^/]+\/recordings/ },
    { label: 'Heatmaps', href: site ? `${s}/heatmaps` : '/sites', match: /^\/sites\/[^/]+\/heatmaps/ },
    { label: 'Users', href: site ? `${s}/users` : '/sites', match: /^\/sites\/[^/]+\/users/ },
    { label: 'Segments', href: site ? `${s}/segments` : '/sites', match: /^\/sites\/[^/]+\/segments/ },
    { label: 'Privacy', href: '/privacy', match: /^\/privacy/ },
    { label: 'API keys', href: '/api-keys', match: /^\/api-keys/ },
    { label: 'Team', href: '/team', match: /^\/team/ },
    { label: 'Account', href: '/account', match: /^\/account/ },
  ];
}

function SitePicker({ siteId }: { siteId: string | undefined }) {
  const { sites } = useViewer();
  const { path, route } = useLocation();
  const id = useId();
  if (sites.length === 0) return null;
  return (
    <div class="site-picker">
      <label for={id}>Site</label>
      <select
        id={id}
        value={siteId ?? ''}
        onChange={(e) => {
          const next = e.currentTarget.value;
          rememberSite(next);
          // On a site's page: the same section of the other site; elsewhere stay put.
          if (path.startsWith('/sites/')) route(sitePath(path, next));
          else route(path + location.search, true);
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Shell({ children }: { children: ComponentChildren }) {
  const { sites, role } = useViewer();
  const { path } = useLocation();
  const siteId = currentSiteId(path, sites);
  const account = useShellAccount();
  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <a class="brand" href="/sites">
          Loupe
        </a>
        <OrgSwitcher data={account} />
        <span class="badge badge-neutral" title="Your role in this organization">
          {role}
        </span>
        <SitePicker siteId={siteId} />
        <AccountControls data={account} />
      </header>
      <div class="app-body">
        <nav class="app-nav" aria-label="Console">
          <ul>
            {navItems(siteId).map((item) => {
              const current = item.match.test(path);
              return (
                <li key={item.label}>
                  <a href={item.href} aria-current={current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" tabIndex={-1} class="app-main">
          {children}
        </main>
      </div>
    </div>
  );
}

/** Frame of the pages seen without a session (sign in, setup, invite). */
export function PublicShell({ children }: { children: ComponentChildren }) {
  return (
    <div class="public">
      <header class="public-header">
        <span class="brand">Loupe</span>
      </header>
      <main id="main" class="public-main">
        {children}
      </main>
    </div>
  );
}
