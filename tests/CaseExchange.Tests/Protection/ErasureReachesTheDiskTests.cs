using System.Text.Json;
using CaseExchange.Protection;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Protection;

/// <summary>
/// Crypto-shredding only holds if the destroyed key is gone from the disk too: after an erasure, no byte of the erased
/// wrapped key may remain in the database's files nor in the WAL. The test reads the raw files of the test cluster.
/// </summary>
public sealed class RawFilesFixture : CouncilFixture
{
    // Searches the raw files of its database for the erased key.
    protected override bool OwnHost => true;
}

public sealed class ErasureReachesTheDiskTests(RawFilesFixture fixture) : IClassFixture<RawFilesFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task After_an_erasure_order_no_byte_of_the_erased_key_remains_in_the_data_files_nor_in_the_WAL()
    {
        var postgres = await TestPostgres.GetAsync();
        Assert.SkipWhen(postgres.Cluster is null, "Reads the raw files of the throwaway cluster; TEST_PG_CONNECTION names a server whose files are elsewhere.");
        var keys = Service.Services.GetRequiredService<SituationKeys>();
        var erased = (await Council.ReferAsync(Service, TestPerson.Distinctive("Disque"), "Faits fictifs à effacer")).Id;
        var kept = (await Council.ReferAsync(Service, TestPerson.Distinctive("Garde"), "Faits fictifs gardés")).Id;
        var erasedKey = (await keys.LoadWrappedAsync(Council.Code, erased))!;
        var keptKey = (await keys.LoadWrappedAsync(Council.Code, kept))!;
        var files = await RawFiles.OfAsync(postgres.Cluster!.DataDirectory, Service.ConnectionString);

        // The scan sees a key where it is: in the table's file once written out.
        await CheckpointAsync();
        Assert.NotEmpty(files.Find(erasedKey));

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{erased}/erasure-orders",
            new { reason = "finalite-eteinte" });

        Assert.Null(await keys.LoadWrappedAsync(Council.Code, erased));
        var left = files.Find(erasedKey);
        if (left.Count > 0)
        {
            // Under a loaded suite, a transaction older than the erasure (another node's agent) can outlive the purge's
            // 10-second wait; the rewrite then keeps the dead row, as documented, until the next purge (next erasure or
            // sweep). That next purge must leave nothing.
            await keys.PurgeErasedAsync(TestContext.Current.CancellationToken);
            left = files.Find(erasedKey);
        }
        Assert.True(left.Count == 0, $"bytes of the erased key remain in: {string.Join(", ", left)}");
        // The other situation's key is still on disk, in the rewritten table: the scan would have seen it.
        await CheckpointAsync();
        Assert.NotEmpty(files.Find(keptKey));
    }

    [Fact]
    public async Task A_purge_waits_for_a_transaction_of_another_database_older_than_the_erasure_and_never_claims_it_complete_meanwhile()
    {
        // A snapshot's xmin is the oldest transaction running in the whole cluster, whatever its database: while a writer
        // of another database is older than the erasure, the rewrite's own snapshot keeps the deleted key row alive.
        var postgres = await TestPostgres.GetAsync();
        Assert.SkipWhen(postgres.Cluster is null, "Reads the raw files of the throwaway cluster; TEST_PG_CONNECTION names a server whose files are elsewhere.");
        var keys = Service.Services.GetRequiredService<SituationKeys>();
        var erased = (await Council.ReferAsync(Service, TestPerson.Distinctive("Ancienne"), "Faits fictifs à effacer")).Id;
        var erasedKey = (await keys.LoadWrappedAsync(Council.Code, erased))!;
        var files = await RawFiles.OfAsync(postgres.Cluster!.DataDirectory, Service.ConnectionString);

        await using var elsewhere = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Service.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await elsewhere.OpenAsync();
        await using var older = await elsewhere.BeginTransactionAsync();
        await using (var assign = new NpgsqlCommand("select pg_current_xact_id()", elsewhere, older)) await assign.ExecuteScalarAsync();

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{erased}/erasure-orders",
            new { reason = "finalite-eteinte" });
        Assert.Null(await keys.LoadWrappedAsync(Council.Code, erased));
        Assert.False(await keys.PurgeErasedAsync(TestContext.Current.CancellationToken),
            "the purge said complete while a transaction older than the erasure was running in another database");

        await older.RollbackAsync();
        Assert.True(await keys.PurgeErasedAsync(TestContext.Current.CancellationToken));
        var left = files.Find(erasedKey);
        Assert.True(left.Count == 0, $"bytes of the erased key remain in: {string.Join(", ", left)}");
    }

    private async Task CheckpointAsync()
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("checkpoint", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The files of one database of a cluster, and the cluster's WAL, searched byte by byte.</summary>
public sealed class RawFiles(IReadOnlyList<string> directories)
{
    public static async Task<RawFiles> OfAsync(string dataDirectory, string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select oid from pg_database where datname = current_database()", connection);
        var oid = (uint)(await command.ExecuteScalarAsync())!;
        return new RawFiles([Path.Combine(dataDirectory, "base", oid.ToString()), Path.Combine(dataDirectory, "global"), Path.Combine(dataDirectory, "pg_wal")]);
    }

    /// <summary>
    /// Where any 16-byte slice of a wrapped key occurs (slices, because a WAL record may be split at a WAL page boundary):
    /// "file@offset" for each hit. The payload's first 20 bytes (magic header, id of the key ring's key) are the same in
    /// every wrapped key: the slices start after them, in the part that is this key's alone.
    /// </summary>
    public IReadOnlyList<string> Find(byte[] wrappedKey)
    {
        const int slice = 16, shared = 20;
        var slices = Enumerable.Range(0, (wrappedKey.Length - shared) / slice).Select(i => wrappedKey.AsSpan(shared + i * slice, slice).ToArray()).ToList();
        var hits = new List<string>();
        foreach (var directory in directories)
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly))
        {
            byte[] content;
            try
            {
                content = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue; // removed by PostgreSQL while listed
            }
            foreach (var s in slices)
            {
                var at = content.AsSpan().IndexOf(s);
                if (at >= 0) hits.Add($"{Path.GetRelativePath(Path.GetDirectoryName(directory)!, file)}@{at}");
            }
        }
        return hits;
    }
}
