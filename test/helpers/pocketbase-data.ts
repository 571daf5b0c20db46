// Builds a PocketBase (>= 0.23) data directory the way PocketBase lays it out: `_collections` with its real columns,
// one table per collection in PocketBase's column types, bcrypt password hashes, files under storage/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashSync } from '@node-rs/bcrypt';
import Database from 'better-sqlite3';

export const PB = {
  usersId: '_pb_users_auth_',
  postsId: 'pbc_1125843985',
  superusersId: 'pbc_3142635823',
  userId: 'u1abcdefghijklm',
  userEmail: 'ada@example.com',
  userPassword: 'ada-password-1',
  userTokenKey: 'adaTokenKey0123456789abcdefghijklmnopqrstuvwxyzABCD',
  usersAuthSecret: 'usersAuthSecretFromPocketBase0123456789abcdefghijkl',
  superuserId: 's1abcdefghijklm',
  superuserEmail: 'root@example.com',
  superuserPassword: 'root-password-1',
  postId: 'p1abcdefghijklm',
  fileName: 'notes_a1b2c3d4e5.txt',
  fileText: 'hello from PocketBase storage',
  created: '2024-05-01 10:00:00.123Z',
  updated: '2024-05-02 11:00:00.456Z',
};

const text = (id: string, name: string, extra: object = {}) => ({
  autogeneratePattern: '',
  hidden: false,
  id,
  max: 0,
  min: 0,
  name,
  pattern: '',
  presentable: false,
  primaryKey: false,
  required: false,
  system: false,
  type: 'text',
  ...extra,
});
const idField = text('text3208210256', 'id', {
  autogeneratePattern: '[a-z0-9]{15}',
  max: 15,
  min: 15,
  pattern: '^[a-z0-9]+$',
  primaryKey: true,
  required: true,
  system: true,
});
const autodates = [
  {
    hidden: false,
    id: 'autodate2990389176',
    name: 'created',
    onCreate: true,
    onUpdate: false,
    presentable: false,
    system: false,
    type: 'autodate',
  },
  {
    hidden: false,
    id: 'autodate3332085495',
    name: 'updated',
    onCreate: true,
    onUpdate: true,
    presentable: false,
    system: false,
    type: 'autodate',
  },
];
const authFields = [
  idField,
  {
    cost: 0,
    hidden: true,
    id: 'password901924565',
    max: 0,
    min: 8,
    name: 'password',
    pattern: '',
    presentable: false,
    required: true,
    system: true,
    type: 'password',
  },
  text('text2504183744', 'tokenKey', {
    autogeneratePattern: '[a-zA-Z0-9]{50}',
    hidden: true,
    max: 60,
    min: 30,
    required: true,
    system: true,
  }),
  {
    exceptDomains: null,
    hidden: false,
    id: 'email3885137012',
    name: 'email',
    onlyDomains: null,
    presentable: false,
    required: true,
    system: true,
    type: 'email',
  },
  {
    hidden: false,
    id: 'bool1547992806',
    name: 'emailVisibility',
    presentable: false,
    required: false,
    system: true,
    type: 'bool',
  },
  {
    hidden: false,
    id: 'bool256245529',
    name: 'verified',
    presentable: false,
    required: false,
    system: true,
    type: 'bool',
  },
];
const token = (secret: string, duration: number) => ({ duration, secret });
const template = { subject: 'Subject', body: '<p>Body</p>' };
const authOptions = (secret: string) => ({
  authRule: '',
  manageRule: null,
  authAlert: { enabled: true, emailTemplate: template },
  oauth2: { enabled: false, mappedFields: { id: '', name: '', username: '', avatarURL: '' }, providers: [] },
  passwordAuth: { enabled: true, identityFields: ['email'] },
  mfa: { enabled: false, duration: 1800, rule: '' },
  otp: { enabled: false, duration: 180, length: 8, emailTemplate: template },
  authToken: token(secret, 604800),
  passwordResetToken: token(`${secret}-reset`, 1800),
  emailChangeToken: token(`${secret}-email`, 1800),
  verificationToken: token(`${secret}-verify`, 259200),
  fileToken: token(`${secret}-file`, 180),
  verificationTemplate: template,
  resetPasswordTemplate: template,
  confirmEmailChangeTemplate: template,
});

const AUTH_COLUMNS = `"id" TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, "password" TEXT DEFAULT '' NOT NULL,
  "tokenKey" TEXT DEFAULT '' NOT NULL, "email" TEXT DEFAULT '' NOT NULL, "emailVisibility" BOOLEAN DEFAULT FALSE NOT NULL,
  "verified" BOOLEAN DEFAULT FALSE NOT NULL`;
const DATES = `"created" TEXT DEFAULT '' NOT NULL, "updated" TEXT DEFAULT '' NOT NULL`;

export interface PocketBaseDirOptions {
  /** A field PocketBase has (through a plugin) and Satchel does not, added to posts with a value. */
  unsupportedField?: boolean;
}

/** Writes `<root>/pb_data` (data.db, storage/) and `<root>/pb_hooks/main.pb.js`; returns the pb_data path. */
export function writePocketBaseDir(root: string, options: PocketBaseDirOptions = {}): string {
  const dataDir = join(root, 'pb_data');
  mkdirSync(join(dataDir, 'storage', PB.postsId, PB.postId), { recursive: true });
  writeFileSync(join(dataDir, 'storage', PB.postsId, PB.postId, PB.fileName), PB.fileText);
  mkdirSync(join(root, 'pb_hooks'), { recursive: true });
  writeFileSync(join(root, 'pb_hooks', 'main.pb.js'), 'onRecordCreate((e) => e.next(), "posts")\n');

  const db = new Database(join(dataDir, 'data.db'));
  db.exec(`
    CREATE TABLE "_params" ("id" TEXT PRIMARY KEY NOT NULL, "value" JSON DEFAULT NULL, "created" TEXT DEFAULT '' NOT NULL, "updated" TEXT DEFAULT '' NOT NULL);
    CREATE TABLE "_collections" (
      "id" TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, "system" BOOLEAN DEFAULT FALSE NOT NULL,
      "type" TEXT DEFAULT "base" NOT NULL, "name" TEXT UNIQUE NOT NULL, "fields" JSON DEFAULT "[]" NOT NULL,
      "indexes" JSON DEFAULT "[]" NOT NULL, "listRule" TEXT DEFAULT NULL, "viewRule" TEXT DEFAULT NULL,
      "createRule" TEXT DEFAULT NULL, "updateRule" TEXT DEFAULT NULL, "deleteRule" TEXT DEFAULT NULL,
      "options" JSON DEFAULT "{}" NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL);
    CREATE TABLE "_superusers" (${AUTH_COLUMNS}, ${DATES});
    CREATE TABLE "users" (${AUTH_COLUMNS}, "name" TEXT DEFAULT '' NOT NULL, ${DATES});
    CREATE TABLE "posts" ("id" TEXT PRIMARY KEY NOT NULL, "title" TEXT DEFAULT '' NOT NULL, "views" NUMERIC DEFAULT 0 NOT NULL,
      "tags" JSON DEFAULT '[]' NOT NULL, "author" TEXT DEFAULT '' NOT NULL, "attachment" TEXT DEFAULT '' NOT NULL,
      "meta" JSON DEFAULT NULL, "published" TEXT DEFAULT '' NOT NULL, "embedding" JSON DEFAULT NULL, ${DATES});
    CREATE UNIQUE INDEX "idx_posts_title" ON "posts" ("title");
    CREATE TABLE "_externalAuths" ("id" TEXT PRIMARY KEY NOT NULL, "collectionRef" TEXT, "recordRef" TEXT, "provider" TEXT, "providerId" TEXT, ${DATES});
    CREATE TABLE "_mfas" ("id" TEXT PRIMARY KEY NOT NULL, "collectionRef" TEXT, "recordRef" TEXT, "method" TEXT, ${DATES});
    CREATE TABLE "_otps" ("id" TEXT PRIMARY KEY NOT NULL, "collectionRef" TEXT, "recordRef" TEXT, "password" TEXT, "sentTo" TEXT, ${DATES});
    CREATE TABLE "_authOrigins" ("id" TEXT PRIMARY KEY NOT NULL, "collectionRef" TEXT, "recordRef" TEXT, "fingerprint" TEXT, ${DATES});
    CREATE VIEW "post_titles" AS SELECT id, title FROM posts;
  `);
  const addCollection = db.prepare(
    `INSERT INTO "_collections" (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options, created, updated)
     VALUES (@id, @system, @type, @name, @fields, @indexes, @listRule, @viewRule, @createRule, @updateRule, @deleteRule, @options, @created, @updated)`,
  );
  const collection = (c: Record<string, unknown>) =>
    addCollection.run({
      system: 0,
      indexes: '[]',
      listRule: null,
      viewRule: null,
      createRule: null,
      updateRule: null,
      deleteRule: null,
      options: '{}',
      created: PB.created,
      updated: PB.created,
      ...c,
    });
  const ownerRule =
    "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";
  for (const [name, id] of [
    ['_mfas', 'pbc_2279338944'],
    ['_otps', 'pbc_1638494021'],
    ['_externalAuths', 'pbc_2281828961'],
    ['_authOrigins', 'pbc_4275539003'],
  ] as const) {
    collection({
      id,
      name,
      system: 1,
      type: 'base',
      fields: JSON.stringify([idField, ...autodates]),
      listRule: ownerRule,
    });
  }
  collection({
    id: PB.superusersId,
    name: '_superusers',
    system: 1,
    type: 'auth',
    fields: JSON.stringify([...authFields, ...autodates]),
    indexes: JSON.stringify([
      `CREATE UNIQUE INDEX \`idx_tokenKey_${PB.superusersId}\` ON \`_superusers\` (\`tokenKey\`)`,
    ]),
    options: JSON.stringify({
      ...authOptions('superusersSecretFromPocketBase0123456789abcdefghij'),
      authToken: token('superusersSecretFromPocketBase0123456789abcdefghij', 1209600),
    }),
  });
  collection({
    id: PB.usersId,
    name: 'users',
    type: 'auth',
    fields: JSON.stringify([...authFields, text('text1579384326', 'name', { max: 255 }), ...autodates]),
    indexes: JSON.stringify([
      `CREATE UNIQUE INDEX \`idx_tokenKey__pb_users_auth_\` ON \`users\` (\`tokenKey\`)`,
      "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''",
    ]),
    listRule: 'id = @request.auth.id',
    viewRule: 'id = @request.auth.id',
    createRule: '',
    updateRule: 'id = @request.auth.id',
    deleteRule: 'id = @request.auth.id',
    options: JSON.stringify(authOptions(PB.usersAuthSecret)),
  });
  const postFields = [
    idField,
    text('text724990059', 'title', { required: true }),
    {
      hidden: false,
      id: 'number2190219254',
      max: null,
      min: 0,
      name: 'views',
      onlyInt: true,
      presentable: false,
      required: false,
      system: false,
      type: 'number',
    },
    {
      hidden: false,
      id: 'select1874629670',
      maxSelect: 3,
      name: 'tags',
      presentable: false,
      required: false,
      system: false,
      type: 'select',
      values: ['go', 'ts', 'sql'],
    },
    {
      cascadeDelete: false,
      collectionId: PB.usersId,
      hidden: false,
      id: 'relation3182418120',
      maxSelect: 1,
      minSelect: 0,
      name: 'author',
      presentable: false,
      required: false,
      system: false,
      type: 'relation',
    },
    {
      hidden: false,
      id: 'file2359244304',
      maxSelect: 1,
      maxSize: 0,
      mimeTypes: [],
      name: 'attachment',
      presentable: false,
      protected: false,
      required: false,
      system: false,
      thumbs: [],
      type: 'file',
    },
    {
      hidden: false,
      id: 'json1326724116',
      maxSize: 0,
      name: 'meta',
      presentable: false,
      required: false,
      system: false,
      type: 'json',
    },
    {
      hidden: false,
      id: 'date2025149370',
      max: '',
      min: '',
      name: 'published',
      presentable: false,
      required: false,
      system: false,
      type: 'date',
    },
    ...(options.unsupportedField
      ? [
          {
            hidden: false,
            id: 'vector1',
            name: 'embedding',
            dimensions: 3,
            presentable: false,
            required: false,
            system: false,
            type: 'vector',
          },
        ]
      : []),
    ...autodates,
  ];
  collection({
    id: PB.postsId,
    name: 'posts',
    type: 'base',
    fields: JSON.stringify(postFields),
    indexes: JSON.stringify(['CREATE UNIQUE INDEX `idx_posts_title` ON `posts` (`title`)']),
    listRule: '',
    viewRule: '',
    createRule: "@request.auth.id != ''",
  });
  collection({
    id: 'pbc_2794310141',
    name: 'post_titles',
    type: 'view',
    fields: JSON.stringify([
      text('text3208210256', 'id', { primaryKey: true, required: true, system: true }),
      text('_clone_title', 'title'),
    ]),
    listRule: '',
    viewRule: '',
    options: JSON.stringify({ viewQuery: 'SELECT id, title FROM posts' }),
  });

  const hash = (password: string) => hashSync(password, 10);
  const dates = { created: PB.created, updated: PB.updated };
  db.prepare(`INSERT INTO "_superusers" VALUES (@id, @password, @tokenKey, @email, 0, 1, @created, @updated)`).run({
    id: PB.superuserId,
    password: hash(PB.superuserPassword),
    tokenKey: 'rootTokenKey0123456789abcdefghijklmnopqrstuvwxyzAB',
    email: PB.superuserEmail,
    ...dates,
  });
  db.prepare(`INSERT INTO "users" VALUES (@id, @password, @tokenKey, @email, 1, 1, 'Ada', @created, @updated)`).run({
    id: PB.userId,
    password: hash(PB.userPassword),
    tokenKey: PB.userTokenKey,
    email: PB.userEmail,
    ...dates,
  });
  db.prepare(
    `INSERT INTO "posts" VALUES (@id, 'Hello', 42, '["go","sql"]', @author, @file, '{"draft":false,"n":[1,2]}', '2024-04-30 08:00:00.000Z', '[0.1,0.2,0.3]', @created, @updated)`,
  ).run({ id: PB.postId, author: PB.userId, file: PB.fileName, ...dates });
  db.prepare(`INSERT INTO "_authOrigins" VALUES ('o1abcdefghijklm', @c, @r, 'fingerprint1', @created, @updated)`).run({
    c: PB.usersId,
    r: PB.userId,
    ...dates,
  });
  db.prepare(
    `INSERT INTO "_externalAuths" VALUES ('e1abcdefghijklm', @c, @r, 'github', '12345', @created, @updated)`,
  ).run({ c: PB.usersId, r: PB.userId, ...dates });
  db.prepare(`INSERT INTO "_params" VALUES ('settings', '{"meta":{"appName":"Acme"}}', @created, @updated)`).run(dates);
  db.close();
  return dataDir;
}
