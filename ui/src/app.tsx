// Which page the route shows; the pages reachable from an e-mail or the installer need no session.
import { useEffect, useState } from 'preact/hooks';
import { pb, signedIn } from './pb';
import { useRoute } from './router';
import { Installer } from './pages/installer';
import { Confirm, isConfirmAction } from './pages/confirm';
import { SignIn } from './pages/sign-in';
import { Shell } from './shell';

/** Re-renders when the session changes (sign-in, sign-out, refresh, a 401). */
function useSignedIn(): boolean {
  const [value, setValue] = useState(signedIn);
  useEffect(() => {
    const stop = pb.authStore.onChange(() => setValue(signedIn()));
    // A change before this effect ran (a 401 answering the first requests, which may come back before the first
    // paint's effects under load) was not heard: read the session as it is now.
    setValue(signedIn());
    return stop;
  }, []);
  return value;
}

export function App() {
  const route = useRoute();
  const isSignedIn = useSignedIn();
  const [first, second, third] = route;
  if (first === 'pbinstall' && second) return <Installer token={second} />;
  if (first === 'auth' && isConfirmAction(second) && third) return <Confirm action={second} token={third} />;
  if (!isSignedIn) return <SignIn />;
  return <Shell route={route} />;
}
