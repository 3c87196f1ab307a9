/**
 * @module bot/store/store
 * The embedded store: lowdb documents in DATA_DIR/store/, one collection split over several
 * shard files by a hash of the record key, so a turn rewrites a few small files instead of
 * everything ever stored. Reads are plain objects in memory (`store.data`). Changes are made in
 * memory and marked; `flush()` writes the marked shards durably, and many changes share one write
 * (group commit). Callers answer the outside world only after their flush resolves.
 */
import { mkdir, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { DurableJsonFile, StoreCorruptError, syncDirectory } from './durable-file.js'
import type { Logger } from '../logger.js'
import { Journal, journalName } from './journal.js'
import { removeStaleTemps } from './jsonl-file.js'
import { checkCount, ManifestFile } from './manifest.js'
import { StoreData, emptyStore } from './schema.js'
import type { Pool } from 'pg'
import { randomBytes } from 'node:crypto'
import { coalesced } from '../cluster/coalesce.js'

export type CollectionName = Exclude<keyof StoreData, 'version'>
export type RecordOf<N extends CollectionName> = StoreData[N][string]

/** Shards per collection: more for the ones that grow with participants and messages. */
const shardCounts: Partial<Record<CollectionName, number>> = {
  participants: 32,
  contacts: 16,
  conversations: 32,
  outbox: 256,
  mappings: 8,
  people: 16,
  appointments: 16,
  replies: 4,
}

/** FNV-1a: fast, stable across runs and platforms. */
function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % count
}

type JournalState = { generation: number; snapshotRecords?: number; fileLines?: number }

type Shard = { keys: Set<string>; low: Low<Record<string, unknown>> | null }

/**
 * Collections whose records change many times each (a message goes pending, sending, sent,
 * delivered; dialog state on every turn) are kept as a snapshot plus an append-only journal: a
 * flush appends one line per changed record and syncs one file, however many records changed
 * and however large the collection has grown.
 */
const journaled = new Set<CollectionName>(['outbox', 'botState', 'handledSms'])

/** One changed record for a backend: its JSON, or null when it was removed. */
export type StoreChange = { collection: CollectionName; key: string; json: string | null }

/**
 * A catch-up's statement for a caller that sends it itself: `text` with `$1`, `$2`... for
 * `values`, to prepare once per connection as `name`.
 */
export type CatchUpStatement = { name: string; text: string; values: string[] }

/** A change another instance committed, applied to `data` by catchUp. */
export type RemoteChange = { collection: CollectionName; key: string; deleted: boolean }

/**
 * Where a store other than the files keeps its records (PostgreSQL: bot/store/pg/pg-store.ts).
 * The Store keeps the in-memory document, the marks and the group commit; the backend writes.
 */
export interface StoreBackend {
  /**
   * Writes these changes durably, all or none, except a record another instance has written
   * since this one read it: that one is left as it is and handed to `replace` (the stale copy
   * gives way).
   */
  write(
    changes: StoreChange[],
    origin: string,
    replace?: (collection: CollectionName, key: string, record: unknown) => void
  ): Promise<void>
  /** Applies changes other instances committed since the last call, through `apply`. */
  catchUp(
    origin: string,
    apply: (collection: CollectionName, key: string, record: unknown) => boolean,
    localKeys: (collection: CollectionName) => string[]
  ): Promise<RemoteChange[]>
  /** catchUp, read by `read` after statements of its own (one round trip with a turn's lock). */
  catchUpWith?(
    origin: string,
    read: (statement: CatchUpStatement) => Promise<unknown[]>,
    apply: (collection: CollectionName, key: string, record: unknown) => boolean,
    localKeys: (collection: CollectionName) => string[]
  ): Promise<RemoteChange[]>
  close(): Promise<void>
  readonly pool?: Pool
}

/** JSON for a backend; PostgreSQL's jsonb cannot hold a NUL character, so strings lose theirs. */
export function recordJson(value: unknown): string {
  const json = JSON.stringify(value)
  if (!json.includes('\\u0000')) return json
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? v.replaceAll('\u0000', '') : v
  )
}

export class Store {
  readonly data: StoreData
  readonly #dir: string | null
  readonly #shards = new Map<CollectionName, Shard[]>()
  readonly #dirty = new Map<CollectionName, Set<number>>()
  readonly #journals = new Map<CollectionName, Journal>()
  /** Each store file on disk with the records it holds (what the manifest lists). */
  readonly #onDisk: Map<string, number>
  readonly #manifest: ManifestFile | null
  #everythingDirty = false
  #compactJournals = false
  #writing: Promise<unknown> | null = null
  #queued: Promise<void> | null = null
  readonly #backend: StoreBackend | undefined
  /** With a backend: the keys changed since the last write, per collection. */
  #dirtyKeys = new Map<CollectionName, Set<string>>()
  readonly #remoteListeners = new Set<(changes: RemoteChange[]) => void>()
  /** Random per process: marks this instance's own changes in a shared database. */
  readonly instanceId = `i_${randomBytes(6).toString('base64url')}`

  /**
   * `dir` null keeps everything in memory (the benchmark's ceiling, quick tests). `journalStates`:
   * which journal file each journaled collection's snapshot names, and its size (journal.ts).
   */
  constructor(
    data: StoreData,
    dir: string | null,
    journalStates: Partial<Record<CollectionName, JournalState>> = {},
    opened: {
      /** The store files in `dir` at open with their records, for the manifest. */
      counts?: Record<string, number>
      /** The manifest as read (and checked) at open. */
      manifest?: ManifestFile
      /** Hears of a torn journal line cut off before an append (a full disk earlier). */
      onCut?: (file: string, bytes: number) => void
      /** Writes go here instead of to files in `dir` (which must then be null). */
      backend?: StoreBackend
    } = {}
  ) {
    this.data = data
    this.#dir = dir
    this.#backend = opened.backend
    this.#onDisk = new Map(Object.entries(opened.counts ?? {}))
    this.#manifest = dir ? (opened.manifest ?? new ManifestFile(dir)) : null
    const onCut = opened.onCut ?? (() => {})
    for (const name of collectionNames()) {
      // No prototype: an id like "constructor" or "__proto__" is a key like any other, never
      // something every object has.
      ;(data as Record<CollectionName, unknown>)[name] = Object.assign(
        Object.create(null),
        data[name]
      )
      if (this.#backend) continue
      if (journaled.has(name) && dir)
        this.#journals.set(
          name,
          new Journal(
            dir,
            name,
            journalStates[name]?.generation,
            journalStates[name]?.snapshotRecords,
            onCut,
            journalStates[name]?.fileLines
          )
        )
      else this.#reindex(name)
    }
  }

  /**
   * Changes anything; every shard is rewritten at the next flush. Correct for any change but
   * costly as data grows: hot paths use put/edit/remove instead.
   */
  mutate<T>(change: (data: StoreData) => T): T {
    const before = this.#backend
      ? collectionNames().map((name) => [name, Object.keys(this.data[name])] as const)
      : []
    const result = change(this.data)
    // A backend deletes what is gone by key: remember the keys there were.
    for (const [name, keys] of before) for (const key of keys) this.#markKey(name, key)
    this.#everythingDirty = true
    return result
  }

  /** Changes anything and waits until it is on disk. */
  async update<T>(change: (data: StoreData) => T): Promise<T> {
    const result = this.mutate(change)
    await this.flush()
    return result
  }

  put<N extends CollectionName>(name: N, key: string, value: RecordOf<N>): RecordOf<N> {
    ;(this.data[name] as Record<string, RecordOf<N>>)[key] = value
    this.#shard(name, key)?.keys.add(key)
    this.#mark(name, key)
    return value
  }

  /** Changes one record in place; returns undefined when there is no such record. */
  edit<N extends CollectionName, T>(
    name: N,
    key: string,
    change: (record: RecordOf<N>) => T
  ): T | undefined {
    const record = (this.data[name] as Record<string, RecordOf<N>>)[key]
    if (record === undefined) return undefined
    const result = change(record)
    this.#mark(name, key)
    return result
  }

  remove(name: CollectionName, key: string): void {
    if (!Object.hasOwn(this.data[name], key)) return
    delete (this.data[name] as Record<string, unknown>)[key]
    this.#shard(name, key)?.keys.delete(key)
    this.#mark(name, key)
  }

  /**
   * The next flush rewrites journals as snapshots, so what was deleted is gone from the journal's
   * history too (SLETT, retention).
   */
  compactJournals(): void {
    this.#compactJournals = true
  }

  /** Resolves once every change made before this call is durable. */
  flush(): Promise<void> {
    if (this.#queued) return this.#queued
    const next = (this.#writing ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        // From here on, new changes need the next write: this one serialises its data now.
        this.#queued = null
        const write = this.#writeDirty()
        this.#writing = write
        try {
          await write
        } finally {
          if (this.#writing === write) this.#writing = null
        }
      })
    this.#queued = next
    return next
  }

  /** The database pool when the store is PostgreSQL; undefined for the files. */
  get pg(): Pool | undefined {
    return this.#backend?.pool
  }

  /**
   * Applies what other instances committed since the last catch-up (PostgreSQL; at once on the
   * files). Each call waits for a run that starts after it (so it sees everything committed
   * before it), shared by everyone who called meanwhile: at most the rest of one run plus one,
   * however many keep calling.
   */
  catchUp(): Promise<void> {
    return this.#catchUp()
  }

  readonly #catchUp = coalesced(async () => {
    const backend = this.#backend
    if (!backend) return
    const changes = await backend.catchUp(
      this.instanceId,
      (name, key, record) => this.#applyRemote(name, key, record),
      (name) => Object.keys(this.data[name])
    )
    if (changes.length) for (const listener of this.#remoteListeners) listener(changes)
  })

  /**
   * A catch-up whose statement `read` sends after its own, in one round trip: a turn takes its
   * lock and reads what others committed before it got the lock at once. Runs beside catchUp
   * (the backend drops whichever read is older); without such a backend, catchUp itself.
   */
  async catchUpWith(read: (statement: CatchUpStatement) => Promise<unknown[]>): Promise<void> {
    const backend = this.#backend
    if (!backend?.catchUpWith) return this.catchUp()
    const changes = await backend.catchUpWith(
      this.instanceId,
      read,
      (name, key, record) => this.#applyRemote(name, key, record),
      (name) => Object.keys(this.data[name])
    )
    if (changes.length) for (const listener of this.#remoteListeners) listener(changes)
  }

  /** Hears of changes other instances made, once applied; returns the unsubscribe function. */
  onRemoteChange(listener: (changes: RemoteChange[]) => void): () => void {
    this.#remoteListeners.add(listener)
    return () => this.#remoteListeners.delete(listener)
  }

  /** Writes what is pending and lets go of the database (nothing to let go for the files). */
  async close(): Promise<void> {
    await this.flush()
    await this.#backend?.close()
  }

  /** A remote record (undefined: deleted) into `data`, unless this instance changed it unflushed. */
  #applyRemote(name: CollectionName, key: string, record: unknown): boolean {
    if (this.#dirtyKeys.get(name)?.has(key) || this.#everythingDirty) return false
    const collection = this.data[name] as Record<string, unknown>
    if (record === undefined) delete collection[key]
    else collection[key] = record
    return true
  }

  /**
   * A record this instance changed on a copy another instance has since written over: the
   * database's version replaces it, with any change made here since (written on the stale copy).
   */
  #takeTheirs(name: CollectionName, key: string, record: unknown): void {
    const collection = this.data[name] as Record<string, unknown>
    if (record === undefined) delete collection[key]
    else collection[key] = record
    this.#dirtyKeys.get(name)?.delete(key)
    const changes = [{ collection: name, key, deleted: record === undefined }]
    for (const listener of this.#remoteListeners) listener(changes)
  }

  #writeBackend(backend: StoreBackend): Promise<unknown> {
    const everything = this.#everythingDirty
    this.#everythingDirty = false
    this.#compactJournals = false
    const taken = this.#dirtyKeys
    this.#dirtyKeys = new Map()
    const changes: StoreChange[] = []
    // Serialised now: records change in place after this, and belong to the next write.
    if (everything) {
      for (const name of collectionNames())
        for (const [key, value] of Object.entries(this.data[name]))
          changes.push({ collection: name, key, json: recordJson(value) })
      for (const [name, keys] of taken)
        for (const key of keys)
          if (!Object.hasOwn(this.data[name], key))
            changes.push({ collection: name, key, json: null })
    } else {
      for (const [name, keys] of taken) {
        const collection = this.data[name] as Record<string, unknown>
        for (const key of keys) {
          const value = Object.hasOwn(collection, key) ? collection[key] : undefined
          changes.push({
            collection: name,
            key,
            json: value === undefined ? null : recordJson(value),
          })
        }
      }
    }
    if (changes.length === 0) return Promise.resolve()
    const replace = (name: CollectionName, key: string, record: unknown) =>
      this.#takeTheirs(name, key, record)
    return backend.write(changes, this.instanceId, replace).catch((error: unknown) => {
      // Not written: marked again for the next flush.
      if (everything) this.#everythingDirty = true
      for (const [name, keys] of taken) for (const key of keys) this.#markKey(name, key)
      throw error
    })
  }

  #markKey(name: CollectionName, key: string): void {
    let set = this.#dirtyKeys.get(name)
    if (!set) this.#dirtyKeys.set(name, (set = new Set()))
    set.add(key)
  }

  #writeDirty(): Promise<unknown> {
    if (this.#backend) return this.#writeBackend(this.#backend)
    const writes: Promise<void>[] = []
    const everything = this.#everythingDirty
    const compact = everything || this.#compactJournals
    this.#compactJournals = false
    // If a write fails (a full disk), what it held stays marked for the next flush.
    const taken = new Map<CollectionName, Set<number>>()
    const restore = (error: unknown) => {
      if (everything) this.#everythingDirty = true
      if (compact) this.#compactJournals = true
      for (const [name, set] of taken) for (const index of set) this.#markShard(name, index)
      throw error
    }
    if (everything) {
      this.#everythingDirty = false
      for (const name of collectionNames()) {
        if (this.#journals.has(name)) continue
        this.#reindex(name)
        this.#dirty.set(name, new Set(this.#shards.get(name)!.map((_, i) => i)))
      }
    }
    for (const [name, set] of this.#dirty) taken.set(name, new Set(set))
    // A folder sync is needed only when a file was created or renamed, not for an append.
    let renamed = false
    /** The record count of each file this flush replaces, for the manifest. */
    const replacing: Record<string, number> = {}
    const replaces: ((before: Promise<void>) => Promise<void>)[] = []
    for (const [name, journal] of this.#journals) {
      const collection = this.data[name] as Record<string, unknown>
      if (compact || journal.tooLong(collection)) {
        // What is written is what is counted, whatever changes while the manifest is lowered.
        const records: Record<string, unknown> = Object.assign(Object.create(null), collection)
        const file = `${name}-snapshot.json`
        replacing[file] = Object.keys(records).length
        const oldJournal = journal.file
        replaces.push(async (before) => {
          await journal.snapshot(records, before)
          this.#onDisk.set(file, replacing[file]!)
          this.#onDisk.delete(oldJournal)
        })
        renamed = true
      } else {
        renamed ||= journal.mayCreate()
        // The journal's lines are listed too (a deleted journal must stop start-up), but only
        // in manifest writes that happen anyway: an append alone never writes the manifest.
        const file = journal.file
        writes.push(
          journal.append(collection).then(() => {
            if (journal.file === file && journal.fileLines > 0)
              this.#onDisk.set(file, journal.fileLines)
          })
        )
      }
    }
    for (const [name, indexes] of this.#dirty) {
      const collection = this.data[name] as Record<string, unknown>
      for (const index of indexes) {
        const shard = this.#shards.get(name)![index]!
        if (!shard.low) continue
        const content: Record<string, unknown> = Object.create(null)
        for (const key of shard.keys) content[key] = collection[key]
        const file = `${name}-${index}.json`
        replacing[file] = shard.keys.size
        replaces.push(async (before) => {
          await before
          shard.low!.data = content
          await shard.low!.write()
          this.#onDisk.set(file, replacing[file]!)
        })
        renamed = true
      }
    }
    // A count about to shrink (a deletion) is lowered in the manifest first (manifest.ts).
    const lowered = this.#manifest?.lowerFor(replacing) ?? Promise.resolve()
    for (const replace of replaces) writes.push(replace(lowered))
    this.#dirty.clear()
    // allSettled: a failed write must not leave others running into the next flush.
    const settled = Promise.allSettled(writes).then((results) => {
      const failed = results.find((r) => r.status === 'rejected')
      if (failed) throw failed.reason
    })
    const dir = this.#dir
    // One folder sync makes all of this flush's renames durable; the manifest lists them after.
    const synced = renamed && dir ? settled.then(() => syncDirectory(dir)) : settled
    const listed = renamed
      ? synced.then(() => this.#manifest?.write(Object.fromEntries(this.#onDisk)))
      : synced
    return listed.catch(restore)
  }

  #mark(name: CollectionName, key: string): void {
    if (this.#backend) return this.#markKey(name, key)
    const journal = this.#journals.get(name)
    if (journal) return journal.mark(key)
    this.#markShard(name, shardOf(key, countOf(name)))
  }

  #markShard(name: CollectionName, index: number): void {
    let set = this.#dirty.get(name)
    if (!set) this.#dirty.set(name, (set = new Set()))
    set.add(index)
  }

  #shard(name: CollectionName, key: string): Shard | undefined {
    return this.#shards.get(name)?.[shardOf(key, countOf(name))]
  }

  #reindex(name: CollectionName): void {
    const count = countOf(name)
    const shards: Shard[] = Array.from({ length: count }, (_, i) => ({
      keys: new Set(),
      low: this.#dir
        ? new Low(
            new DurableJsonFile(join(this.#dir, `${name}-${i}.json`), { syncFolder: false }),
            {}
          )
        : null,
    }))
    for (const key of Object.keys(this.data[name])) shards[shardOf(key, count)]!.keys.add(key)
    this.#shards.set(name, shards)
  }
}

const countOf = (name: CollectionName) => shardCounts[name] ?? 1

export const collectionNames = () =>
  Object.keys(emptyStore()).filter((k) => k !== 'version') as CollectionName[]

/**
 * Opens (or creates) the store under `dir`; throws StoreCorruptError for a damaged file. A torn
 * journal line and temp files a crash left behind are removed (and logged).
 */
export async function openStore(
  dataDir: string,
  options: { logger?: Logger } = {}
): Promise<Store> {
  const dir = join(dataDir, 'store')
  await mkdir(dir, { recursive: true })
  const temps = await removeStaleTemps(dir)
  if (temps.length) options.logger?.warn('store.temp_files_removed', { files: temps })
  const files = await readdir(dir)
  // First: a missing file must stop start-up before anything is read or rewritten; a file with
  // fewer records than listed stops it as each is read, before anything is changed.
  const manifest = new ManifestFile(dir)
  const listed = await manifest.check(new Set(files))
  const raw: Record<string, Record<string, unknown>> = {}
  const journalStates: Partial<Record<CollectionName, JournalState>> = {}
  const onCut = (file: string, bytes: number) =>
    options.logger?.warn('store.torn_line_cut', { file, bytes })
  const stale: string[] = []
  /** The records each current store file holds, as read. */
  const counts: Record<string, number> = {}
  // Read every file at once: start-up waits for the slowest file, not for the sum of them.
  await Promise.all(
    collectionNames().map(async (name) => {
      if (journaled.has(name)) {
        // Shard files from before this collection was journaled: read once, then replaced.
        const legacy = files.filter((f) => new RegExp(`^${name}-\\d+\\.json$`).test(f))
        const old = await Promise.all(legacy.map((f) => readShard(dir, f, name, {})))
        const journal = await Journal.read(dir, name, onCut, listed)
        journalStates[name] = journal
        if (journal.snapshotRecords !== undefined)
          counts[`${name}-snapshot.json`] = journal.snapshotRecords
        if (journal.fileLines > 0) counts[journalName(name, journal.generation)] = journal.fileLines
        raw[name] = Object.assign(
          Object.create(null),
          ...old.map((c) => c.records),
          journal.records
        )
        stale.push(...legacy)
        return
      }
      const shardFiles = files.filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))
      const contents = await Promise.all(shardFiles.map((f) => readShard(dir, f, name, listed)))
      raw[name] = Object.assign(Object.create(null), ...contents.map((c) => c.records))
      stale.push(...contents.filter((c) => c.stale).map((c) => c.file))
      for (const c of contents) if (!c.stale) counts[c.file] = Object.keys(c.records).length
    })
  )
  const parsed = StoreData.safeParse({ version: 1, ...raw })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new StoreCorruptError(dir, `${issue.path.join('.') || 'document'}: ${issue.message}`)
  }
  const store = new Store(parsed.data, dir, journalStates, { counts, manifest, onCut })
  if (stale.length) {
    // The shard count changed, or a collection moved to a journal: rewrite everything in the
    // new layout, then drop the old files.
    await store.update(() => {})
    await Promise.all(stale.map((f) => unlink(join(dir, f))))
  }
  return store
}

async function readShard(
  dir: string,
  file: string,
  name: CollectionName,
  listed: Readonly<Record<string, number>>
) {
  const index = Number(file.slice(name.length + 1, -5))
  if (!Number.isInteger(index)) return { file, records: {}, stale: false }
  const content = await new DurableJsonFile<Record<string, unknown>>(join(dir, file)).read()
  if (content !== null && (typeof content !== 'object' || Array.isArray(content))) {
    throw new StoreCorruptError(join(dir, file), 'not an object of records')
  }
  checkCount(dir, listed, file, Object.keys(content ?? {}).length)
  return { file, records: content ?? {}, stale: index >= countOf(name) }
}

/** A store that never touches disk: the benchmark's ceiling and quick unit tests. */
export function memoryStore(data: StoreData = emptyStore()): Store {
  return new Store(data, null)
}
