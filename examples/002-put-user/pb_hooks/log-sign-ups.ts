// Seed 002: PUT /user is built in, so there is nothing to serve here. This hook only shows that the built-in
// route goes through the same record hooks as everything else: each new user is logged after it is committed.
import type { SatchelApp } from 'satchel';

export default function logSignUps(app: SatchelApp): void {
  // After-success hooks run once the write committed; what they throw is logged and never undoes the sign-up.
  app.onRecordAfterCreateSuccess('users', async (e) => {
    console.log(`[002-put-user] new user "${String(e.record.username)}" (${String(e.record.id)})`);
    await e.next();
  });
}
