// HS256 JWTs as PocketBase makes them: signed with the record's tokenKey joined with the collection's secret.
import type * as JoseSign from 'jose/jwt/sign';
import type * as JoseVerify from 'jose/jwt/verify';
import type { JWTPayload } from 'jose';
import type { Collection } from '../collections/model.js';
import type { RecordJson, RecordService } from '../records/index.js';
import type { TokenConfig, TokenType } from './token-config.js';

/** The claims Satchel puts in its tokens (`email` and `newEmail` only in the e-mail flows' tokens). */
export interface TokenClaims extends JWTPayload {
  id: string;
  type: TokenType;
  collectionId: string;
  exp: number;
  refreshable?: boolean;
  email?: string;
  newEmail?: string;
}

/** A token that passed every check, with the record it names as stored now. */
export interface VerifiedToken {
  collection: Collection;
  record: RecordJson;
  claims: TokenClaims;
}

const encoder = new TextEncoder();

// Loaded on the first signature made or checked: a start that handles no token keeps the time and memory. Only
// jose's signing and verifying modules: its whole entry (JWE, key import and export…) took about twice as long.
let signing: Promise<typeof JoseSign> | undefined;
let verifying: Promise<typeof JoseVerify> | undefined;
const joseSign = () => (signing ??= import('jose/jwt/sign'));
const joseVerify = () => (verifying ??= import('jose/jwt/verify'));

export class TokenService {
  constructor(
    private readonly config: TokenConfig,
    private readonly records: RecordService,
  ) {}

  /** A token of `type` for `record`; extra claims ride along (e.g. `email`). */
  async issue(
    collection: Collection,
    record: RecordJson,
    type: Exclude<TokenType, 'install'>,
    extra: Pick<TokenClaims, 'refreshable' | 'email' | 'newEmail'> = {},
    /** Seconds the token lasts (default: the collection's setting for `type`). */
    durationSeconds?: number,
  ): Promise<string> {
    const claims = { id: String(record.id), type, collectionId: collection.id, ...extra };
    const duration = durationSeconds || this.config.duration(collection, type);
    return sign(claims, await this.key(collection, record, type), duration);
  }

  /**
   * The record a token of `type` speaks for, or undefined for any token that is malformed, not HS256,
   * of another type, for an unknown collection or record, signed with another key, or expired.
   * Claims are read unverified first only to find the record whose key checks the signature.
   */
  async verify(token: string, type: Exclude<TokenType, 'install'>): Promise<VerifiedToken | undefined> {
    const claims = unverifiedClaims(token);
    if (!claims || claims.type !== type || typeof claims.id !== 'string') return undefined;
    const collection = this.records.catalog.find(claims.collectionId);
    if (!collection || collection.id !== claims.collectionId || collection.type !== 'auth') return undefined;
    const record = await this.records.storedById(collection, claims.id);
    if (!record) return undefined;
    if (!(await verifySignature(token, await this.key(collection, record, type)))) return undefined;
    return { collection, record, claims };
  }

  /** A token bound to no record (the installer's): signed with the collection's secret for `type` alone. */
  async issueStatic(collection: Collection, type: 'install'): Promise<string> {
    const claims = { id: '', type, collectionId: collection.id };
    const key = encoder.encode(await this.config.secret(collection, type));
    return sign(claims, key, this.config.duration(collection, type));
  }

  async verifyStatic(token: string, collection: Collection, type: 'install'): Promise<boolean> {
    const claims = unverifiedClaims(token);
    if (!claims || claims.type !== type || claims.collectionId !== collection.id) return false;
    return verifySignature(token, encoder.encode(await this.config.secret(collection, type)));
  }

  private async key(collection: Collection, record: RecordJson, type: TokenType): Promise<Uint8Array> {
    return encoder.encode(String(record.tokenKey ?? '') + (await this.config.secret(collection, type)));
  }
}

async function sign(claims: Record<string, unknown>, key: Uint8Array, durationSeconds: number): Promise<string> {
  const { SignJWT } = await joseSign();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + Math.floor(durationSeconds))
    .sign(key);
}

/** The payload of an HS256 token, not yet trusted; undefined when it is malformed or names another algorithm. */
export function unverifiedClaims(token: string): TokenClaims | undefined {
  try {
    // Read without jose (loaded lazily): a JWT is three base64url parts, the first two JSON.
    const parts = token.split('.');
    const [header, payload] = parts;
    if (parts.length !== 3 || !header || !payload) return undefined;
    if ((JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg !== 'HS256') {
      return undefined;
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown> | null;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    if (typeof claims.collectionId !== 'string' || typeof claims.type !== 'string') return undefined;
    return claims as TokenClaims;
  } catch {
    return undefined;
  }
}

async function verifySignature(token: string, key: Uint8Array): Promise<boolean> {
  try {
    const { jwtVerify } = await joseVerify();
    await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
    return true;
  } catch {
    return false;
  }
}
