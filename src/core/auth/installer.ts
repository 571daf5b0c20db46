// The first-run installer: a short-lived link that allows one thing, creating the first superuser.
import { ApiError, type ErrorData } from '../errors.js';
import type { RecordJson } from '../records/index.js';
import { secret, text, throwIfInvalid } from './form.js';
import type { SuperuserService } from './superusers.js';
import type { TokenService } from './tokens.js';

export class Installer {
  /** Set while a superuser is being created, so two uses of one link cannot both succeed. */
  private busy = false;

  constructor(
    private readonly tokens: TokenService,
    private readonly superusers: SuperuserService,
  ) {}

  /** The dashboard link that creates the first superuser, or undefined when there is one already. */
  async link(appUrl: string): Promise<string | undefined> {
    if ((await this.superusers.count()) > 0) return undefined;
    const token = await this.tokens.issueStatic(this.superusers.collection, 'install');
    return `${appUrl.replace(/\/+$/, '')}/_/#/pbinstall/${token}`;
  }

  /** Creates the first superuser from `{email, password, passwordConfirm}` when the installer token is good. */
  async createFirstSuperuser(token: string, body: Record<string, unknown>): Promise<RecordJson> {
    if (!token || !(await this.tokens.verifyStatic(token, this.superusers.collection, 'install'))) {
      throw ApiError.unauthorized('The installer link is invalid or has expired.');
    }
    const taken = () =>
      ApiError.badRequest('A superuser already exists: sign in with it, or run "satchel superuser upsert".');
    if (this.busy) throw taken();
    // Taken before the first await, so two uses of one link cannot both get past the count.
    this.busy = true;
    try {
      if ((await this.superusers.count()) > 0) throw taken();
      const data: ErrorData = {};
      const password = secret(body, 'password', data);
      const confirm = secret(body, 'passwordConfirm', data);
      throwIfInvalid(data);
      return await this.superusers.create(text(body, 'email'), password, confirm);
    } finally {
      this.busy = false;
    }
  }
}
