using CaseExchange.Hosting;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CaseExchange.Charter;
using CaseExchange.Http;
using CaseExchange.Situations.Referral;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace CaseExchange.Protection;

/// <summary>The council's identity-index key: 32 random bytes, stored only wrapped by Data Protection (never in clear).</summary>
public sealed class IdentityIndexKey
{
    /// <summary>One key per council: the same id in every tenant.</summary>
    public static readonly Guid DocumentId = new("1de0e000-0000-4000-8000-000000000001");

    public Guid Id { get; set; } = DocumentId;
    public string WrappedKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A person concerned to index: their id in the referral, their role and their identity (NOMINATIVE, IN CLEAR, in memory only).</summary>
public sealed record PersonToIndex(Guid PersonId, string Role, PersonIdentity Identity)
{
    public override string ToString() => "[personne à indexer]";
}

/// <summary>A person of the index found by a right-of-access search: no identity, just where they are.</summary>
public sealed record IndexedPerson(Guid SituationId, Guid PersonId);

/// <summary>
/// The council-wide identity index (a keyed blind index). For every live person concerned, the normalised terms of
/// their identity (<see cref="IdentityTerms.OfPerson"/>) are stored only as HMAC-SHA256 values (truncated to 16 bytes)
/// under a key of the council, itself wrapped by Data Protection; rows are per council, situation and person, written
/// in the referral's transaction and deleted in the erasure's. Every server-side check of clear text (CR texts, action
/// owners, séance guests, erasure references) and the right-of-access search ask this index yes/no questions about the
/// terms of the text they hold: no situation is decrypted to check a text, and no identity is ever returned.
/// </summary>
public sealed class IdentityIndex(IDataProtectionProvider dataProtection, IDocumentStore store, NpgsqlDataSource dataSource)
{
    public const string TableName = "identity_index_persons";
    private const string Table = Database.SchemaName + "." + TableName;
    public const int HashLength = 16;

    private readonly ConcurrentDictionary<string, byte[]> _keys = new();

    /// <summary>
    /// The table, created with the event store's schema (see EventStore): one row per person, their hashed terms in one
    /// <c>bytea[]</c> under a GIN index (one index entry per term). A referral writes one heap row and one GIN entry per
    /// term per person, where one row per term wrote every term into two B-trees (README, "Performance"). The GIN index has
    /// no fast update: its pending list, which makes inserts cheaper, is scanned in full by every search against every
    /// searched term, and a guard's few hundred candidate terms then took 10–25 ms over 36 pending rows (2 ms without).
    /// </summary>
    public static Weasel.Postgresql.Tables.Table Schema()
    {
        var table = new Weasel.Postgresql.Tables.Table(new PostgresqlObjectName(Database.SchemaName, TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("council").AsPrimaryKey();
        table.AddColumn<Guid>("situation_id").AsPrimaryKey();
        table.AddColumn<Guid>("person_id").AsPrimaryKey();
        table.AddColumn<string>("role").NotNull();
        table.AddColumn("terms", "bytea[]").NotNull();
        var terms = new IndexDefinition("ix_identity_terms") { Columns = ["terms"], Method = IndexMethod.gin };
        terms.StorageParameters["fastupdate"] = "off";
        table.Indexes.Add(terms);
        return table;
    }

    /// <summary>
    /// The table's former shape (one row per term, <c>(council, situation_id, person_id, term, role)</c>): a database that
    /// still holds it has its rows moved into <see cref="TableName"/>, one row per person, and the old table dropped — in
    /// one transaction, once (a second start, or a second node, finds nothing to move; the advisory lock serialises nodes
    /// starting together). Runs before the back-fill, which would otherwise see the council as indexed and the table empty.
    /// </summary>
    public const string LegacyTableName = "identity_index";

    // A person indexed twice (a back-fill meeting a referral, two rows of the former table) keeps the union of their terms.
    private const string MergeTerms = "on conflict (council, situation_id, person_id) do update set terms = array(select distinct t from unnest(i.terms || excluded.terms) t)";
    public const string MigrateFromLegacy = $"""
        do $$
        begin
          perform pg_advisory_xact_lock(hashtext('{Database.SchemaName}.{LegacyTableName}'));
          if to_regclass('{Database.SchemaName}.{LegacyTableName}') is not null then
            insert into {Table} as i (council, situation_id, person_id, role, terms)
              select council, situation_id, person_id, min(role), array_agg(distinct term order by term)
              from {Database.SchemaName}.{LegacyTableName}
              group by council, situation_id, person_id
            {MergeTerms};
            drop table {Database.SchemaName}.{LegacyTableName};
          end if;
        end $$;
        """;

    /// <summary>Indexes the persons of a new situation in the session's transaction (the referral's).</summary>
    public async Task IndexAsync(IDocumentSession session, Guid situationId, IEnumerable<PersonToIndex> persons, CancellationToken cancellation = default)
    {
        var key = await KeyAsync(session.TenantId, cancellation);
        foreach (var person in persons)
        {
            var hashes = IdentityTerms.OfPerson(person.Identity).Select(t => Hash(key, t)).ToArray();
            session.QueueSqlCommand(
                $"insert into {Table} as i (council, situation_id, person_id, role, terms) values (?, ?, ?, ?, ?) {MergeTerms}",
                session.TenantId, situationId, person.PersonId, person.Role, hashes);
        }
    }

    /// <summary>
    /// A rectified identity: the person's rows are replaced by the terms of the identity now in force, in the rectification's
    /// transaction. The old values are no longer found (they were declared inexact); they stay sealed in the stream.
    /// </summary>
    public async Task ReplaceAsync(IDocumentSession session, Guid situationId, PersonToIndex person, CancellationToken cancellation = default)
    {
        session.QueueSqlCommand($"delete from {Table} where council = ? and situation_id = ? and person_id = ?", session.TenantId, situationId, person.PersonId);
        await IndexAsync(session, situationId, [person], cancellation);
    }

    /// <summary>Erasure: the situation's rows go with its key, in the erasure's transaction.</summary>
    public static void Remove(IDocumentSession session, Guid situationId) =>
        session.QueueSqlCommand($"delete from {Table} where council = ? and situation_id = ?", session.TenantId, situationId);

    /// <summary>
    /// A guard for these texts: it knows, of all the candidate terms of the texts, those that belong to a live person
    /// of the council. One query for all the texts; the guard then checks and masks them in memory.
    /// </summary>
    public async Task<IdentityTextGuard> GuardForAsync(string council, IEnumerable<string?> texts, CancellationToken cancellation = default) =>
        await GuardForAsync(council, texts, excluding: null, cancellation);

    /// <summary>As above, ignoring the terms of some persons (the person exercising a right of access: their own name is not masked).</summary>
    public async Task<IdentityTextGuard> GuardForAsync(string council, IEnumerable<string?> texts, IReadOnlySet<string>? excluding,
        CancellationToken cancellation = default)
    {
        var terms = texts.SelectMany(IdentityTerms.InText).Select(t => t.Term).Distinct(StringComparer.Ordinal)
            .Where(t => excluding is null || !excluding.Contains(t)).ToList();
        if (terms.Count == 0) return IdentityTextGuard.Nobody;
        var key = await KeyAsync(council, cancellation);
        var byHash = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var term in terms) byHash.TryAdd(Convert.ToBase64String(Hash(key, term)), term);

        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(
            // "(select $2)": the planner does not see the array, so it does not estimate that hundreds of candidates overlap
            // most rows (1 - 0.995^n) and read the whole council by its key, comparing every array (0.5 s at 4,000 persons).
            $"select distinct t from {Table}, unnest(terms) t where council = $1 and terms && (select $2::bytea[]) and t = any($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        command.Parameters.Add(new NpgsqlParameter { Value = byHash.Keys.Select(Convert.FromBase64String).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
                known.Add(byHash[Convert.ToBase64String((byte[])reader[0])]);
        return new IdentityTextGuard(candidates => candidates.Where(known.Contains).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Right of access: the live persons recorded with exactly this name, first name and birth date.</summary>
    public async Task<IReadOnlyList<IndexedPerson>> FindAsync(string council, string nom, string prenom, DateOnly dateNaissance,
        CancellationToken cancellation = default)
    {
        var key = await KeyAsync(council, cancellation);
        await using var command = dataSource.CreateCommand($"select situation_id, person_id from {Table} where council = $1 and terms @> array[$2::bytea]");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        command.Parameters.Add(new NpgsqlParameter { Value = Hash(key, IdentityTerms.ExactIdentity(nom, prenom, dateNaissance)) });
        var found = new List<IndexedPerson>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) found.Add(new IndexedPerson(reader.GetGuid(0), reader.GetGuid(1)));
        return found;
    }

    /// <summary>
    /// A purpose-bound search: the live persons whose index rows hold every one of these terms (e.g. a surname and a birth
    /// date). The terms are NOMINATIVE, IN CLEAR: hashed here at once, never logged; only ids come back.
    /// </summary>
    public async Task<IReadOnlyList<IndexedPerson>> FindHavingAllAsync(string council, IReadOnlyCollection<string> terms,
        CancellationToken cancellation = default)
    {
        if (terms.Count == 0) return [];
        var key = await KeyAsync(council, cancellation);
        var hashes = terms.Distinct(StringComparer.Ordinal).Select(t => Hash(key, t)).ToArray();
        await using var command = dataSource.CreateCommand(
            $"select situation_id, person_id from {Table} where council = $1 and terms @> $2");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        command.Parameters.Add(new NpgsqlParameter { Value = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        var found = new List<IndexedPerson>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) found.Add(new IndexedPerson(reader.GetGuid(0), reader.GetGuid(1)));
        return found;
    }

    /// <summary>
    /// The councils whose back-fill has completed (<see cref="IdentityIndexBackfill"/>): since then every situation is
    /// indexed in its referral's transaction, so a restart need not look for unindexed ones again.
    /// </summary>
    public const string BackfillTableName = "identity_index_backfill";
    private const string BackfillTable = Database.SchemaName + "." + BackfillTableName;

    /// <summary>The back-fill's marks, created with the event store's schema (see EventStore).</summary>
    public static Weasel.Postgresql.Tables.Table BackfillSchema()
    {
        var table = new Weasel.Postgresql.Tables.Table(new PostgresqlObjectName(Database.SchemaName, BackfillTableName,
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("council").AsPrimaryKey();
        table.AddColumn("completed_at", "timestamptz").NotNull();
        return table;
    }

    public async Task<bool> BackfillCompletedAsync(string council, CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand($"select exists (select 1 from {BackfillTable} where council = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        return await command.ExecuteScalarAsync(cancellation) is true;
    }

    public async Task MarkBackfillCompletedAsync(string council, CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand($"insert into {BackfillTable} (council, completed_at) values ($1, now()) on conflict do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// The council's live situations that have no row in the index (referred before it existed), found by PostgreSQL
    /// (an anti-join on the index's primary key): nothing of the indexed ones crosses the wire.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> UnindexedLiveSituationsAsync(string council, CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand(
            $"select s.id from {Database.SchemaName}.mt_doc_situation s where s.tenant_id = $1 and s.data ->> 'NominativeDataErasedAt' is null " +
            $"and not exists (select 1 from {Table} i where i.council = s.tenant_id and i.situation_id = s.id)");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static byte[] Hash(byte[] key, string term) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(term))[..HashLength];

    private IDataProtector Protector(string council) =>
        // The council is part of the purpose: a key wrapped for one council never unwraps for another.
        dataProtection.CreateProtector("CaseExchange.IdentityIndex.v1", council);

    /// <summary>The council's key, created at first use in a transaction of its own (of two nodes creating it at once, one wins).</summary>
    private async Task<byte[]> KeyAsync(string council, CancellationToken cancellation)
    {
        if (_keys.TryGetValue(council, out var cached)) return cached;
        for (var attempt = 1; ; attempt++)
        {
            await using (var query = store.QuerySession(council))
            {
                if (await query.LoadAsync<IdentityIndexKey>(IdentityIndexKey.DocumentId, cancellation) is { } stored)
                {
                    byte[] key;
                    try
                    {
                        key = Protector(council).Unprotect(Convert.FromBase64String(stored.WrappedKey));
                    }
                    catch (CryptographicException)
                    {
                        throw new ProblemException(SituationKeys.KeyRingUnavailable());
                    }
                    return _keys.GetOrAdd(council, key);
                }
            }
            try
            {
                await using var session = store.LightweightSession(council);
                var fresh = RandomNumberGenerator.GetBytes(32);
                session.Insert(new IdentityIndexKey { WrappedKey = Convert.ToBase64String(Protector(council).Protect(fresh)), CreatedAt = DateTimeOffset.UtcNow });
                await session.SaveChangesAsync(cancellation);
                return _keys.GetOrAdd(council, fresh);
            }
            catch (Exception e) when (attempt < 3 && e is not OperationCanceledException)
            {
                // Another request or node created it meanwhile: read it again.
            }
        }
    }
}
