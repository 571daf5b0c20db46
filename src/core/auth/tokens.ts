// HS256 JWTs as PocketBase makes them: signed with the record's tokenKey joined with the collection's secret.
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import type { RecordJson } from '../records/serialize.js';
import type { AuthRecords } from './auth-records.js';
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

export class TokenService {
  constructor(
    private readonly config: TokenConfig,
    private readonly registry: CollectionRegistry,
    private readonly records: AuthRecords,
  ) {}

  /** A token of `type` for `record`; extra claims ride along (e.g. `email`). */
  issue(
    collection: Collection,
    record: RecordJson,
    type: Exclude<TokenType, 'install'>,
    extra: Pick<TokenClaims, 'refreshable' | 'email' | 'newEmail'> = {},
  ): Promise<string> {
    const claims = { id: String(record.id), type, collectionId: collection.id, ...extra };
    return sign(claims, this.key(collection, record, type), this.config.duration(collection, type));
  }

  /**
   * The record a token of `type` speaks for, or undefined for any token that is malformed, not HS256,
   * of another type, for an unknown collection or record, signed with another key, or expired.
   * Claims are read unverified first only to find the record whose key checks the signature.
   */
  async verify(token: string, type: Exclude<TokenType, 'install'>): Promise<VerifiedToken | undefined> {
    const claims = unverifiedClaims(token);
    if (!claims || claims.type !== type || typeof claims.id !== 'string') return undefined;
    const collection = this.registry.find(claims.collectionId);
    if (!collection || collection.id !== claims.collectionId || collection.type !== 'auth') return undefined;
    const record = this.records.byId(collection, claims.id);
    if (!record) return undefined;
    if (!(await verifySignature(token, this.key(collection, record, type)))) return undefined;
    return { collection, record, claims };
  }

  /** A token bound to no record (the installer's): signed with the collection's secret for `type` alone. */
  issueStatic(collection: Collection, type: 'install'): Promise<string> {
    const claims = { id: '', type, collectionId: collection.id };
    return sign(claims, encoder.encode(this.config.secret(collection, type)), this.config.duration(collection, type));
  }

  async verifyStatic(token: string, collection: Collection, type: 'install'): Promise<boolean> {
    const claims = unverifiedClaims(token);
    if (!claims || claims.type !== type || claims.collectionId !== collection.id) return false;
    return verifySignature(token, encoder.encode(this.config.secret(collection, type)));
  }

  private key(collection: Collection, record: RecordJson, type: TokenType): Uint8Array {
    return encoder.encode(String(record.tokenKey ?? '') + this.config.secret(collection, type));
  }
}

function sign(claims: Record<string, unknown>, key: Uint8Array, durationSeconds: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + Math.floor(durationSeconds))
    .sign(key);
}

/** The payload of an HS256 token, not yet trusted; undefined when it is malformed or names another algorithm. */
export function unverifiedClaims(token: string): TokenClaims | undefined {
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') return undefined;
    const claims = decodeJwt(token);
    if (typeof claims.collectionId !== 'string' || typeof claims.type !== 'string') return undefined;
    return claims as TokenClaims;
  } catch {
    return undefined;
  }
}

async function verifySignature(token: string, key: Uint8Array): Promise<boolean> {
  try {
    await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
    return true;
  } catch {
    return false;
  }
}
