// The dashboard's entry: mounts the app and refreshes a stored session once per load.
import { render } from 'preact';
import { App } from './app';
import { pb, signedIn } from './pb';
import './styles.css';

// A kept session is checked and its token renewed; a 401 clears it (see pb.ts) and the sign-in form shows.
if (signedIn())
  pb.collection('_superusers')
    .authRefresh()
    .catch(() => undefined);

render(<App />, document.getElementById('app')!);
