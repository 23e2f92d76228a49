using System.Security.Cryptography;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CaseExchange.Protection;

/// <summary>
/// Where the keys of CR versions live: one row per version, wrapped by the key ring like situation keys, in a table of
/// their own so that a withdrawn version's key can be purged from disk (VACUUM FULL + WAL switch, as for situations).
/// </summary>
public static class CompteRenduKeyTable
{
    public const string Name = "caseexchange.compte_rendu_keys";

    public static Weasel.Postgresql.Tables.Table Definition()
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(Hosting.Database.SchemaName, "compte_rendu_keys"));
        table.AddColumn<string>("council").AsPrimaryKey();
        table.AddColumn<Guid>("seance_id").AsPrimaryKey();
        table.AddColumn<int>("number").AsPrimaryKey();
        table.AddColumn("wrapped_key", "bytea").NotNull();
        table.AddColumn("created_at", "timestamptz").NotNull();
        return table;
    }
}

/// <summary>
/// Seals each CR version's content under a key of its own, opens it for those who may read the CR, and destroys that key
/// when the coordonnateur withdraws the version. The CR holds no nominative data by construction (its free texts passed
/// the identity guard), so opening it needs no journal receipt; the key exists so that a version withdrawn because it
/// slipped something through is gone for good, from the event store as well as from the disk.
/// </summary>
public sealed class CompteRenduKeys(IDataProtectionProvider dataProtection, NpgsqlDataSource dataSource, SituationKeys situationKeys)
{
    private IDataProtector ProtectorFor(string council) => dataProtection.CreateProtector("CaseExchange.CompteRenduKeys.v1", council);

    private static string Field(int number) => $"compte-rendu.v{number}";

    /// <summary>A new key for this version, stored (wrapped) in the session's transaction; the content sealed under it.</summary>
    public SealedText Seal<T>(IDocumentSession session, Guid seanceId, int number, T content, DateTimeOffset now)
    {
        var council = session.TenantId;
        var key = RandomNumberGenerator.GetBytes(32);
        session.QueueSqlCommand($"insert into {CompteRenduKeyTable.Name} (council, seance_id, number, wrapped_key, created_at) values (?, ?, ?, ?, ?)",
            council, seanceId, number, ProtectorFor(council).Protect(key), now);
        // A cipher used once: its AES-GCM context is freed now rather than by the finalizer.
        var cipher = new SituationCipher(key, council, seanceId);
        try
        {
            return cipher.SealJson(Field(number), content);
        }
        finally
        {
            cipher.Release();
        }
    }

    /// <summary>The version's content; a 410 problem once its key is destroyed, 503 when the key ring is unavailable.</summary>
    public async Task<T> OpenAsync<T>(string council, Guid seanceId, int number, SealedText sealedContent, CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand(
            $"select wrapped_key from {CompteRenduKeyTable.Name} where council = $1 and seance_id = $2 and number = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        command.Parameters.Add(new NpgsqlParameter { Value = seanceId });
        command.Parameters.Add(new NpgsqlParameter { Value = number });
        var wrapped = await command.ExecuteScalarAsync(cancellation) as byte[] ?? throw new ProblemException(Withdrawn());
        byte[] key;
        try
        {
            key = ProtectorFor(council).Unprotect(wrapped);
        }
        catch (CryptographicException)
        {
            throw new ProblemException(SituationKeys.KeyRingUnavailable());
        }
        var cipher = new SituationCipher(key, council, seanceId);
        try
        {
            return cipher.OpenJson<T>(Field(number), sealedContent);
        }
        finally
        {
            cipher.Release();
        }
    }

    /// <summary>Withdrawal: the version's key is deleted in the transaction that records the withdrawal.</summary>
    public void Destroy(IDocumentSession session, Guid seanceId, int number) =>
        session.QueueSqlCommand($"delete from {CompteRenduKeyTable.Name} where council = ? and seance_id = ? and number = ?",
            session.TenantId, seanceId, number);

    /// <summary>After a withdrawal is committed: no byte of the deleted key stays in the table's file or the WAL.</summary>
    public Task<bool> PurgeWithdrawnAsync(CancellationToken cancellation = default) =>
        situationKeys.PurgeAsync(CompteRenduKeyTable.Name, cancellation);

    public static ProblemDetails Withdrawn() => new()
    {
        Status = StatusCodes.Status410Gone,
        Type = ProtectionProblemTypes.CompteRenduWithdrawn,
        Title = "Version du compte rendu retirée",
        Detail = "Cette version du compte rendu a été retirée par le coordonnateur : son contenu a été détruit et ne peut plus " +
                 "être consulté ni téléchargé. Consultez une version plus récente.",
    };
}
