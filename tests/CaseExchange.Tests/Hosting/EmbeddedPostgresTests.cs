using CaseExchange.Hosting;
using Npgsql;

namespace CaseExchange.Tests.Hosting;

/// <summary>The cluster that <c>dotnet run</c> keeps: created once, reused with its data, stopped on shutdown.</summary>
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_second_start_reuses_the_cluster_and_its_data()
    {
        var root = Path.Combine(Path.GetTempPath(), $"caseexchange-persistent-{Guid.NewGuid():N}");
        try
        {
            var first = await EmbeddedPostgres.StartPersistentAsync(root, _ => { });
            await Database.EnsureDatabaseExistsAsync(first.ConnectionString("postgres"), "persistance");
            await ExecuteAsync(first.ConnectionString("persistance"), "create table souvenir (valeur text); insert into souvenir values ('gardé')");
            await first.DisposeAsync();
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(first.ConnectionString("persistance"), "select 1"));

            var messages = new List<string>();
            var second = await EmbeddedPostgres.StartPersistentAsync(root, messages.Add);
            try
            {
                Assert.DoesNotContain(messages, m => m.Contains("first start"));
                Assert.Equal("gardé", await ScalarAsync(second.ConnectionString("persistance"), "select valeur from souvenir"));
                // Durability as in production: the kept cluster is not a test cluster.
                Assert.Equal("on", await ScalarAsync(second.ConnectionString("persistance"), "show synchronous_commit"));
                Assert.Equal("on", await ScalarAsync(second.ConnectionString("persistance"), "show fsync"));
            }
            finally
            {
                await second.DisposeAsync();
            }
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_start_on_a_running_cluster_attaches_to_it_and_leaves_it_running()
    {
        var root = Path.Combine(Path.GetTempPath(), $"caseexchange-attach-{Guid.NewGuid():N}");
        var owner = await EmbeddedPostgres.StartPersistentAsync(root, _ => { });
        try
        {
            var messages = new List<string>();
            var attached = await EmbeddedPostgres.StartPersistentAsync(root, messages.Add);
            Assert.Equal(owner.Port, attached.Port);
            Assert.Contains(messages, m => m.Contains("Attaching"));
            await attached.DisposeAsync();
            Assert.Equal("1", await ScalarAsync(owner.ConnectionString("postgres"), "select 1"));
        }
        finally
        {
            await owner.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task The_benchmarks_throwaway_cluster_is_durable_and_deleted_on_dispose()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedPostgres.StartThrowawayDurableAsync(["fsync = off"]));

        var cluster = await EmbeddedPostgres.StartThrowawayDurableAsync(["track_io_timing = on"]);
        var dataDirectory = cluster.DataDirectory;
        try
        {
            var postgres = cluster.ConnectionString("postgres");
            Assert.Equal("on", await ScalarAsync(postgres, "show fsync"));
            Assert.Equal("on", await ScalarAsync(postgres, "show synchronous_commit"));
            Assert.Equal("on", await ScalarAsync(postgres, "show full_page_writes"));
            Assert.Equal("on", await ScalarAsync(postgres, "show track_io_timing"));
            Assert.True(File.Exists(Path.Combine(cluster.BinDirectory, "pg_ctl")));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public void A_missing_PostgreSQL_says_how_to_install_it()
    {
        Assert.Contains("apt-get install postgresql", PostgresBinaries.InstallHint);
        Assert.Contains("ConnectionStrings__CaseExchange", PostgresBinaries.InstallHint);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
