import { Suspense } from 'react';
import { AuthProvider } from './auth/context.tsx';
import { Layout } from './components/Layout.tsx';
import { Empty, Spinner } from './components/States.tsx';
import LoginPage from './pages/login/LoginPage.tsx';
import { normalise, routeOf } from './routes.ts';

/**
 * Picks the page from the path. Navigation is by plain links: each page is a
 * real URL the server answers with this app, so reload and bookmarks work.
 */
export function App() {
  const path = normalise(location.pathname);
  if (path === '/login/') return <LoginPage />;
  if (path === '/') {
    location.replace('/overview/');
    return <Spinner />;
  }
  const route = routeOf(path);
  void route?.load(); // in parallel with the /api/auth/me round trip, not after it
  const Page = route?.page;
  return (
    <AuthProvider>
      <Layout path={path}>
        <Suspense fallback={<Spinner />}>{Page ? <Page /> : <Empty>404</Empty>}</Suspense>
      </Layout>
    </AuthProvider>
  );
}
