import { Navigate } from 'react-router';
import { useMe } from '../../auth/AuthContext';
import { homeFor } from '../../auth/roles';

export function HomeRedirect() {
  const me = useMe();
  return <Navigate to={homeFor(me.role)} replace />;
}
