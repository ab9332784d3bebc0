import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useAuth } from '../auth/auth-context.tsx';
import { Loading } from './states.tsx';

const NAV = [
  ['/keys', 'Keys'],
  ['/teams', 'Teams'],
  ['/users', 'Users'],
  ['/policies', 'Policies'],
  ['/spend', 'Spend'],
  ['/audit', 'Audit'],
] as const;

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" />
      <path d="M8 10l4 13 4-9 4 9 4-13" />
    </svg>
  );
}

export function Layout() {
  const { signOut } = useAuth();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <div className="brand">
            <Logo />
            <span>Warden</span>
          </div>
          <nav aria-label="Main">
            <ul>
              {NAV.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to}>{label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <button type="button" className="btn btn-ghost sign-out" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
