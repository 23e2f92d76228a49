using System.Security.Cryptography;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace CaseExchange.Protection;

/// <summary>
/// Where situation keys live: one small table of their own, outside the event store and Marten's documents, holding
/// only the wrapped key (a Data Protection payload of about 116 bytes, always stored inline, never in TOAST). Deleting a
/// row is how a situation's nominative data is erased (crypto-shredding); <see cref="SituationKeys.PurgeErasedAsync"/>
/// then makes sure no byte of the deleted key stays in the table's file or in the WAL.
/// </summary>
public static class SituationKeyTable
{
    public const string Name = "caseexchange.situation_keys";

    public static Weasel.Postgresql.Tables.Table Definition()
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(Hosting.Database.SchemaName, "situation_keys"));
        table.AddColumn<string>("council").AsPrimaryKey();
        table.AddColumn<Guid>("situation_id").AsPrimaryKey();
        table.AddColumn("wrapped_key", "bytea").NotNull();
        table.AddColumn("created_at", "timestamptz").NotNull();
        return table;
    }

    /// <summary>
    /// Before this table existed, keys were Marten documents (mt_doc_situationkey), whose deleted rows linger in the
    /// table's file: they move here once, and that table is dropped (its files are unlinked).
    /// </summary>
    public const string MigrateFromDocuments = $"""
        do $$
        begin
          if to_regclass('caseexchange.mt_doc_situationkey') is not null then
            insert into {Name} (council, situation_id, wrapped_key, created_at)
              select tenant_id, id, decode(coalesce(data->>'WrappedKey', data->>'wrappedKey'), 'base64'),
                     coalesce((coalesce(data->>'CreatedAt', data->>'createdAt'))::timestamptz, now())
              from caseexchange.mt_doc_situationkey
              on conflict do nothing;
            drop table caseexchange.mt_doc_situationkey;
          end if;
        end $$;
        """;
}

/// <summary>Moves keys kept by an older version into <see cref="SituationKeyTable"/>, after Marten has created its schema.</summary>
internal sealed class SituationKeyMigration(NpgsqlDataSource dataSource) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SituationKeyTable.MigrateFromDocuments);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Creates, unwraps (with a short-lived cache) and destroys situation keys.</summary>
public sealed class SituationKeys(IDataProtectionProvider dataProtection, IMemoryCache cache, NpgsqlDataSource dataSource,
    ILogger<SituationKeys> logger)
{
    // Unwrapped keys stay in memory briefly so that a busy séance does not unwrap on every read.
    // Erasure evicts locally; every read path also checks the situation's erased flag first.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    private IDataProtector ProtectorFor(string council) =>
        // The council is part of the purpose: a key wrapped for one council never unwraps for another.
        dataProtection.CreateProtector("CaseExchange.SituationKeys.v1", council);

    /// <summary>Generates the key of a new situation and stores it, wrapped, in the same transaction as its first event.</summary>
    public SituationSealer CreateFor(IDocumentSession session, Guid situationId, DateTimeOffset now)
    {
        var council = session.TenantId;
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = ProtectorFor(council).Protect(key);
        session.QueueSqlCommand($"insert into {SituationKeyTable.Name} (council, situation_id, wrapped_key, created_at) values (?, ?, ?, ?)",
            council, situationId, wrapped, now);
        return new SituationSealer(Cache(council, situationId, key));
    }

    /// <summary>
    /// What a write feature seals new values of an existing situation with; a 503 problem when its key cannot be unwrapped,
    /// 410 when erased (so a write to an erased situation fails before anything is appended).
    /// </summary>
    public async Task<SituationSealer> SealerForAsync(IQuerySession session, Guid situationId, CancellationToken cancellation = default) =>
        new(await UnwrapAsync(session, situationId, cancellation));

    /// <summary>The full cipher of an existing situation: for <see cref="VaultReader"/> and the sealer only.</summary>
    internal async Task<SituationCipher> UnwrapAsync(IQuerySession session, Guid situationId, CancellationToken cancellation = default)
    {
        var council = session.TenantId;
        if (cache.TryGetValue<SituationCipher>(CacheKey(council, situationId), out var cached) && cached is not null)
            return cached;

        var wrapped = await LoadWrappedAsync(council, situationId, cancellation) ?? throw new ProblemException(KeyErased());
        byte[] key;
        try
        {
            key = ProtectorFor(council).Unprotect(wrapped);
        }
        catch (CryptographicException)
        {
            // Typically a database restored without the key ring's protection certificate.
            throw new ProblemException(KeyRingUnavailable());
        }
        return Cache(council, situationId, key);
    }

    // The cache keeps the cipher, not only the key: its AES-GCM context is then made once per situation and cache lifetime,
    // not once per sealed value. Evicted (expiry, erasure, Forget), it frees that context.
    private SituationCipher Cache(string council, Guid situationId, byte[] key)
    {
        var cipher = new SituationCipher(key, council, situationId);
        var entry = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheLifetime };
        entry.RegisterPostEvictionCallback(static (_, value, _, _) => (value as SituationCipher)?.Release());
        cache.Set(CacheKey(council, situationId), cipher, entry);
        return cipher;
    }

    /// <summary>The stored (wrapped) form of a situation's key, or null once erased. Opens nothing: the key ring is needed for that.</summary>
    public async Task<byte[]?> LoadWrappedAsync(string council, Guid situationId, CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand($"select wrapped_key from {SituationKeyTable.Name} where council = $1 and situation_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        command.Parameters.Add(new NpgsqlParameter { Value = situationId });
        return await command.ExecuteScalarAsync(cancellation) as byte[];
    }

    /// <summary>Erasure: the wrapped key is deleted with the transaction that records the erasure.</summary>
    public void Destroy(IDocumentSession session, Guid situationId)
    {
        session.QueueSqlCommand($"delete from {SituationKeyTable.Name} where council = ? and situation_id = ?", session.TenantId, situationId);
        cache.Remove(CacheKey(session.TenantId, situationId));
    }

    /// <summary>
    /// After erasures are committed: no byte of a deleted key may stay on disk. A plain DELETE only marks the row dead,
    /// and even VACUUM leaves its bytes in the page's free space; VACUUM FULL rewrites the table into a new file and
    /// truncates the old one at commit. The WAL still holds the key from its insertion (and, with full-page writes, in page
    /// images): switching to a new segment and checkpointing lets PostgreSQL remove every older segment — unlinked, not
    /// recycled, when the server runs with <c>wal_recycle = off</c> (see deploy/README.md). WAL kept for a standby
    /// (replication slots, <c>wal_keep_size</c>) or an archive lives on until those let go of it; backups keep it until they
    /// expire (README, "Erasure and backups"). Returns whether every step ran; a step refused for want of privilege is
    /// logged, and the erasure itself stands: the key is gone from the table either way.
    /// </summary>
    public Task<bool> PurgeErasedAsync(CancellationToken cancellation = default) => PurgeAsync(SituationKeyTable.Name, cancellation);

    /// <summary>The same purge for another key table of <c>Protection/</c> (the CR versions' keys).</summary>
    internal async Task<bool> PurgeAsync(string table, CancellationToken cancellation)
    {
        var complete = true;
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        // VACUUM FULL copies a deleted row that a running transaction might still see: wait (briefly) until nothing older
        // than the erasures holds the horizon back, so that the rewrite leaves the erased keys behind.
        if (!await OlderSnapshotsEndedAsync(connection, cancellation))
        {
            complete = false;
            logger.LogWarning("Erased keys: a transaction older than the erasure is still running; its deleted key rows may be " +
                              "kept by the rewrite until the next purge");
        }
        foreach (var (step, sql) in PurgeSteps(table))
        {
            try
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellation);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.LockNotAvailable)
            {
                complete = false;
                logger.LogWarning("Erased keys: the step {Step} could not run ({SqlState}); deleted key bytes may stay on disk until " +
                                  "PostgreSQL reuses that space or recycles that WAL", step, e.SqlState);
            }
        }
        return complete;
    }

    /// <summary>
    /// Whether the rewrite can leave the erased rows behind: no snapshot may still see them. That is three things. A
    /// transaction of this database whose snapshot is older than the erasure. A transaction of any database of the
    /// cluster whose id is older: a snapshot's horizon is the oldest transaction running anywhere, so the rewrite's own
    /// snapshot would keep the rows (<c>pg_current_snapshot()</c> answers this for any role, where <c>pg_stat_activity</c>
    /// hides other roles' transactions). A replication slot or a standby's feedback holding an older horizon.
    /// </summary>
    private static async Task<bool> OlderSnapshotsEndedAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var mark = new NpgsqlCommand("select pg_current_xact_id()::text", connection);
        var marker = (string)(await mark.ExecuteScalarAsync(cancellation))!;
        await using var older = new NpgsqlCommand(
            // The marker as an epoch-less xid (what pg_stat_activity and the slots show) and as a full xid8 (the snapshot's).
            "with marker as (select ($1::text::bigint % 4294967296)::text::xid as xid, $1::text::xid8 as xid8) " +
            "select (select count(*) from pg_stat_activity where pid <> pg_backend_pid() and backend_xmin is not null " +
            "        and age(backend_xmin) > age((select xid from marker)) " +
            "        and (datname = current_database() or backend_type = 'walsender')) " +
            "     + (case when pg_snapshot_xmin(pg_current_snapshot()) < (select xid8 from marker) then 1 else 0 end) " +
            "     + (select count(*) from pg_replication_slots where xmin is not null and age(xmin) > age((select xid from marker)))",
            connection) { Parameters = { new() { Value = marker } } };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((long)(await older.ExecuteScalarAsync(cancellation))! == 0) return true;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation);
        }
        return false;
    }

    private static (string Step, string Sql)[] PurgeSteps(string table) =>
    [
        // A key read in flight waits at most this long for the rewrite, and the rewrite never waits forever either.
        ("lock-timeout", "set lock_timeout = '10s'"),
        ("vacuum-full", $"vacuum full {table}"),
        ("switch-wal", "select pg_switch_wal()"),
        ("checkpoint", "checkpoint"),
        // The connection goes back to the pool: leave it as it came.
        ("reset", "reset lock_timeout"),
    ];

    public void Forget(string council, Guid situationId) => cache.Remove(CacheKey(council, situationId));

    private static string CacheKey(string council, Guid situationId) => $"situation-key:{council}:{situationId:N}";

    public static ProblemDetails KeyErased() => new()
    {
        Status = StatusCodes.Status410Gone,
        Type = ProtectionProblemTypes.Erased,
        Title = "Données nominatives effacées",
        Detail = "Les données nominatives de cette situation ont été effacées conformément à la charte ; " +
                 "seule la vue anonymisée subsiste.",
    };

    public static ProblemDetails KeyRingUnavailable() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Type = ProtectionProblemTypes.KeyRingUnavailable,
        Title = "Clés de chiffrement indisponibles",
        Detail = "Le service ne peut pas déchiffrer ce dossier : le trousseau de clés n'est pas accessible avec le secret " +
                 "configuré. Prévenez l'administrateur ; aucune donnée n'a été communiquée.",
    };
}

public static class ProtectionProblemTypes
{
    public const string Erased = "urn:caseexchange:problem:nominative-data-erased";
    public const string KeyRingUnavailable = "urn:caseexchange:problem:key-ring-unavailable";
    public const string CompteRenduWithdrawn = "urn:caseexchange:problem:compte-rendu-withdrawn";
}
